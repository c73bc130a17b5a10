// Runs the built CLI (dist/, made by `npm run build`, which `npm test` runs first) as a user would.
import { execa, type Options } from 'execa';
import path from 'node:path';
import { ROOT } from './paths.ts';
import { assertNoSecrets } from './secrets.ts';

export const BIN = path.join(ROOT, 'bin', 'hello-deploy.js');

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as NDJSON (only lines that parse). */
  events: Array<Record<string, unknown> & { type: string }>;
}

export async function runCli(args: string[], opts: { env?: Record<string, string>; cwd?: string; timeout?: number; input?: string } = {}): Promise<CliRun> {
  const execOpts: Options = {
    cwd: opts.cwd ?? ROOT,
    env: { CI: 'true', ...opts.env },
    reject: false,
    timeout: opts.timeout ?? 600_000,
    ...(opts.input === undefined ? { stdin: 'ignore' } : { input: opts.input }),
  };
  const r = await execa(process.execPath, [BIN, ...args], execOpts);
  const stdout = String(r.stdout ?? '');
  assertNoSecrets(`${stdout}\n${String(r.stderr ?? '')}`, `the output of hello-deploy ${args.join(' ')}`);
  const events = stdout.split('\n').flatMap((l) => {
    try {
      const v = JSON.parse(l) as unknown;
      return v && typeof v === 'object' && 'type' in v ? [v as CliRun['events'][number]] : [];
    } catch {
      return [];
    }
  });
  return { exitCode: r.exitCode ?? -1, stdout, stderr: String(r.stderr ?? ''), events };
}
