// The embedded emulator on 127.0.0.1 and a free port, with the fake credentials, logging to the rehearsal's folder:
// the moto launcher (localstack/moto_launcher.py: moto_server with hello-deploy's extensions, run by the interpreter
// of the moto_server that was found), or moto_server as released (--emulator moto-plain). Its own process group, so
// the rehearsal (not a terminal Ctrl-C) decides when it stops.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { AbortError } from '../../core/errors.ts';
import type { StartedEmulator } from '../../ports/rehearsal.ts';
import { fakeAwsEnv } from './fake-aws.ts';
import { freePort, waitForPort } from './net.ts';
import { spawnService } from './processes.ts';

export interface MotoStart {
  motoServer: string;
  version?: string;
  workDir: string;
  signal?: AbortSignal;
  /** Start the launcher script with this interpreter instead of plain moto_server. */
  launcher?: { python: string; script: string };
  /** Added to the child's environment (tests plant a changed moto through PYTHONPATH). */
  env?: Record<string, string>;
}

/** The launcher's own lines (`moto_launcher: …` on stderr): what it applied, or why it refused to start. */
const launcherLines = (log: string) => log.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('moto_launcher:'));

export async function startMotoServer(opts: MotoStart): Promise<StartedEmulator> {
  const port = await freePort();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('AWS_')) env[k] = v;
  const what = opts.launcher ? 'moto launcher' : 'moto_server';
  const [command, pre] = opts.launcher ? [opts.launcher.python, [opts.launcher.script]] : [opts.motoServer, []];
  const args = [...pre, '-H', '127.0.0.1', '-p', String(port)];
  const logFile = path.join(opts.workDir, 'moto.log');
  // No bytecode written beside the launcher: it may run from a read-only installed package (npx).
  const own: Record<string, string> = opts.launcher ? { PYTHONDONTWRITEBYTECODE: '1' } : {};
  const svc = spawnService(what, command, args, { env: { ...env, ...own, ...opts.env, ...fakeAwsEnv() }, logFile });
  try {
    // moto imports every service model on start: a couple of seconds, longer on a cold disk.
    await waitForPort(port, { timeoutMs: 90_000, gone: svc.exited, ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (err) {
    const tail = await svc.logTail();
    await svc.stop();
    // A launcher that refuses (another moto, a changed internal) says why in one line: that line leads, and the run
    // stops. Never a silent fallback to plain moto: the report would then measure a different emulator.
    const refusal = launcherLines(tail).pop();
    throw new AbortError('EMULATOR_START_FAILED', `${what} did not start: ${refusal ?? (err as Error).message}${tail ? `\n${tail}` : ''}`, {
      hint: opts.launcher
        ? `Run ${opts.launcher.python} ${opts.launcher.script} -H 127.0.0.1 -p ${port} by hand to see why; \`npm run setup\` installs the moto it is written for, and --emulator moto-plain runs moto without the extensions.`
        : `Run ${opts.motoServer} -H 127.0.0.1 -p ${port} by hand to see why.`,
    });
  }
  const endpoint = `http://127.0.0.1:${port}`;
  // The launcher prints one line per extension before it serves: `moto_launcher: <name>: <what it changed>`.
  const extensions = opts.launcher
    ? launcherLines(await readFile(logFile, 'utf8').catch(() => '')).map((l) => /^moto_launcher: ([a-z_]+): /.exec(l)?.[1]).filter((n): n is string => n !== undefined)
    : undefined;
  return {
    ...svc,
    endpoint,
    info: { engine: opts.launcher ? 'moto' : 'moto-plain', endpoint, ...(opts.version ? { version: opts.version } : {}), ...(extensions ? { extensions } : {}) },
  };
}
