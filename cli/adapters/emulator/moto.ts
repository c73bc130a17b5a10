// The embedded emulator: moto_server on 127.0.0.1 and a free port, with the fake credentials, logging to the
// rehearsal's folder. Its own process group, so the rehearsal (not a terminal Ctrl-C) decides when it stops.
import path from 'node:path';
import { AbortError } from '../../core/errors.ts';
import type { StartedEmulator } from '../../ports/rehearsal.ts';
import { fakeAwsEnv } from './fake-aws.ts';
import { freePort, waitForPort } from './net.ts';
import { spawnService } from './processes.ts';

export async function startMotoServer(opts: { motoServer: string; version?: string; workDir: string; signal?: AbortSignal }): Promise<StartedEmulator> {
  const port = await freePort();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('AWS_')) env[k] = v;
  const svc = spawnService('moto_server', opts.motoServer, ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...env, ...fakeAwsEnv() },
    logFile: path.join(opts.workDir, 'moto.log'),
  });
  try {
    // moto imports every service model on start: a couple of seconds, longer on a cold disk.
    await waitForPort(port, { timeoutMs: 90_000, gone: svc.exited, ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (err) {
    const tail = await svc.logTail();
    await svc.stop();
    throw new AbortError('EMULATOR_START_FAILED', `moto_server did not start: ${(err as Error).message}${tail ? `\n${tail}` : ''}`, {
      hint: `Run ${opts.motoServer} -H 127.0.0.1 -p ${port} by hand to see why.`,
    });
  }
  const endpoint = `http://127.0.0.1:${port}`;
  return { ...svc, endpoint, info: { engine: 'moto', endpoint, ...(opts.version ? { version: opts.version } : {}) } };
}
