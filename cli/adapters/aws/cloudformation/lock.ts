// One deploy of a stack at a time from this machine: two terminals (or a script and a wizard) deploying one
// ecosystem take turns instead of racing. Across machines, CloudFormation's own answers (AlreadyExistsException, a
// stack in progress) are handled by the caller; this lock also keeps emulators whose creates are not atomic (moto
// lets two CreateStack calls of one name through, and is left with two stacks of that name) out of that race.
import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AbortError } from '../../../core/errors.ts';
import type { DeployStackRequest } from '../../../ports/deploy.ts';
import { elapsed, type StackOps } from './stack-ops.ts';

/** Runs `fn` holding the lock of `req.stackName` at this endpoint and region; waits (bounded, reported) for it. */
export async function withStackLock<T>(ops: StackOps, req: DeployStackRequest, fn: () => Promise<T>): Promise<T> {
  const { region = '', endpointUrl = 'aws' } = ops.api.opts;
  const key = createHash('sha256').update(`${endpointUrl}\n${region}\n${req.stackName}`).digest('hex').slice(0, 24);
  await mkdir(ops.lockDir, { recursive: true, mode: 0o700 });
  const file = path.join(ops.lockDir, `${key}.lock`);
  const started = ops.now();
  for (;;) {
    const holder = await tryLock(file);
    if (holder === undefined) break;
    const waited = ops.now() - started;
    if (waited >= ops.settleTimeoutMs) {
      throw new AbortError('DEPLOY_IN_PROGRESS', `Another hello-deploy on this machine (${who(holder)}) kept deploying stack ${req.stackName} for ${elapsed(waited)}; gave up waiting.`, {
        hint: `Let it finish (or stop it), then run again. Follow the stack with ${ops.watchHint(req.stackName)}.`,
      });
    }
    req.onProgress(`Another hello-deploy on this machine (${who(holder)}) is deploying stack ${req.stackName}; waiting for it: ${elapsed(waited)} of at most ${elapsed(ops.settleTimeoutMs)}`);
    await ops.pause(req);
  }
  try {
    return await fn();
  } finally {
    await unlink(file).catch(() => undefined);
  }
}

const who = (pid: number) => (pid > 0 ? `pid ${pid}` : 'starting');

/**
 * Takes the lock (undefined), or names the live process holding it (0: it changed hands meanwhile). The lock file
 * appears with the holder's pid already in it (a hard link to a written file); one a dead process left is taken over.
 */
async function tryLock(file: string): Promise<number | undefined> {
  const mine = `${file}.${process.pid}.${randomUUID()}`;
  await writeFile(mine, String(process.pid), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(mine, file);
        return undefined;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) return pid;
      await unlink(file).catch(() => undefined); // left by a process that is gone (or just released)
    }
    return 0;
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
