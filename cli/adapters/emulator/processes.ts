// Long-lived children of a rehearsal (moto_server, docker-registry, gunicorn). Each runs in its own process group
// (detached), so a Ctrl-C in the terminal reaches only hello-deploy, which then stops them in order; their output
// goes to a log file rather than a pipe, so --keep can leave them running after hello-deploy exits.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Running } from '../../ports/rehearsal.ts';

export interface Service extends Running {
  pid: number;
  logFile: string;
  /** Undefined while it runs; afterwards, how it ended. */
  exited(): string | undefined;
  logTail(lines?: number): Promise<string>;
}

export interface SpawnOptions {
  env: Record<string, string>;
  cwd?: string;
  logFile: string;
}

const STOP_GRACE_MS = 5_000;

/** Whether a process with this pid exists (signal 0 probes without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to the child's whole process group (gunicorn's workers too); never throws. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function spawnService(what: string, command: string, args: string[], opts: SpawnOptions): Service {
  const fd = openSync(opts.logFile, 'a', 0o600);
  let ended: string | undefined;
  let child;
  try {
    child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env: opts.env, ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = `${what} exited (${signal ?? `code ${code}`})`;
      resolve();
    });
    child.once('error', (err) => {
      ended = `${what} could not start: ${err.message}`;
      resolve();
    });
  });
  const pid = child.pid ?? -1;
  const logTail = async (lines = 20) => {
    const text = await readFile(opts.logFile, 'utf8').catch(() => '');
    return text.split('\n').filter((l) => l.trim() !== '').slice(-lines).join('\n');
  };
  return {
    what,
    pid,
    logFile: opts.logFile,
    stopHint: `kill ${pid}`,
    exited: () => ended,
    logTail,
    async stop() {
      if (ended !== undefined || pid <= 0) return;
      signalGroup(pid, 'SIGTERM');
      const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), STOP_GRACE_MS).unref());
      if ((await Promise.race([exit.then(() => 'done' as const), timer])) === 'late') {
        signalGroup(pid, 'SIGKILL');
        await exit;
      }
    },
    killNow() {
      if (ended === undefined && pid > 0 && alive(pid)) signalGroup(pid, 'SIGKILL');
    },
    release() {
      child.unref();
    },
  };
}

/**
 * A service a kept rehearsal left running (a process of an earlier hello-deploy, so not our child): the same
 * stop as spawnService's, by pid, polling until it is gone.
 */
export function adoptService(what: string, pid: number, logFile: string | undefined): Service {
  const gone = async (ms: number) => {
    const until = Date.now() + ms;
    while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    return !alive(pid);
  };
  return {
    what,
    pid,
    logFile: logFile ?? '',
    stopHint: `kill ${pid}`,
    exited: () => (alive(pid) ? undefined : `${what} exited`),
    async logTail(lines = 20) {
      const text = logFile ? await readFile(logFile, 'utf8').catch(() => '') : '';
      return text.split('\n').filter((l) => l.trim() !== '').slice(-lines).join('\n');
    },
    async stop() {
      if (!alive(pid)) return;
      signalGroup(pid, 'SIGTERM');
      if (!(await gone(STOP_GRACE_MS))) {
        signalGroup(pid, 'SIGKILL');
        await gone(STOP_GRACE_MS);
      }
    },
    killNow() {
      if (alive(pid)) signalGroup(pid, 'SIGKILL');
    },
    release: () => undefined,
  };
}
