// The AWS emulator for tests: moto_server from the project virtualenv, on 127.0.0.1 and a free port.
// Its access log is kept so a test can prove which AWS calls were (or were not) made.
import { spawn, type ChildProcess } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { freePort, waitForPort } from './ports.ts';
import path from 'node:path';
import { ROOT, venvTool } from './paths.ts';
import { TEST_SECRET_ACCESS_KEY } from './secrets.ts';

export interface Moto {
  endpoint: string;
  port: number;
  pid: number;
  /** Clears all emulated state (POST /moto-api/reset). */
  reset(): Promise<void>;
  /** Every request line moto has logged so far, e.g. `POST / HTTP/1.1` (no action names: count them, don't grep them). */
  requests(): string[];
  /**
   * The request lines once moto's log has been quiet for a moment (at most 3 s): moto logs a request after answering
   * it, and the line reaches us later still, so a count taken right after an earlier test would miss its last ones.
   */
  settled(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Credentials and region that keep the SDK away from any real account. */
export const FAKE_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
  AWS_SESSION_TOKEN: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
} as const;

/**
 * `env` adds moto settings, e.g. INITIAL_NO_AUTH_ACTION_COUNT: after that many requests moto checks every call
 * against the caller's IAM policies and answers AccessDenied as AWS would (no fake needed for a missing permission).
 */
export async function startMoto(opts: { env?: Record<string, string>; launcher?: boolean } = {}): Promise<Moto> {
  const port = await freePort();
  // launcher: hello-deploy's moto launcher (localstack/moto_launcher.py), moto with the extensions of moto_ext/.
  const [cmd, args] = opts.launcher ? [venvTool('python'), [path.join(ROOT, 'localstack/moto_launcher.py')]] : [venvTool('moto_server'), []];
  const child: ChildProcess = spawn(cmd, [...args, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...FAKE_AWS_ENV, ...opts.env },
  });
  const lines: string[] = [];
  // werkzeug colours the request line of every 4xx/5xx answer (`"\x1b[35m\x1b[1mPOST / HTTP/1.1\x1b[0m" 500`);
  // without stripping, a call moto failed would be missing from the log and a "no AWS call" check could not fail.
  let lastLine = Date.now();
  const collect = (buf: Buffer) => {
    lastLine = Date.now();
    for (const l of stripVTControlCharacters(buf.toString()).split('\n')) if (l.trim()) lines.push(l);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port, 60_000);
  const endpoint = `http://127.0.0.1:${port}`;
  const requests = () => lines.filter((l) => /"(GET|POST|PUT|DELETE|HEAD) /.test(l) && !l.includes('/moto-api/'));
  const settled = async () => {
    const deadline = Date.now() + 3_000;
    while (Date.now() - lastLine < 250 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return requests();
  };
  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    async reset() {
      await settled();
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
      lines.length = 0;
    },
    requests,
    settled,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
