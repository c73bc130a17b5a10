// Runs the app the way the task definition says Fargate would: the built image under Docker (host network,
// loopback only, the task's environment and size, the certificate mounted read-only), or — with no Docker
// engine — app/ directly under gunicorn from the Python environment.
import { execFile, spawnSync } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { execa } from 'execa';
import { AbortError } from '../../core/errors.ts';
import type { RunRequest, StartedApp, PythonEnv, ProgressIO } from '../../ports/rehearsal.ts';
import { spawnService } from './processes.ts';

/** Where the certificate pair appears inside the container. */
export const TLS_MOUNT = '/run/hello-deploy/tls';

export interface RunnerOptions {
  workDir: string;
  /** docker label that marks everything one rehearsal starts, e.g. hello-deploy.rehearsal=<id>. */
  label: string;
  appDir: string;
  docker?: string;
}

/** The image's USER as numbers (e.g. "10001:10001"); undefined for root, a name, or none. */
async function imageUser(docker: string, image: string): Promise<{ uid: number; gid: number } | undefined> {
  const r = await execa(docker, ['image', 'inspect', '--format', '{{.Config.User}}', image], { reject: false, stdin: 'ignore' });
  const m = /^(\d+)(?::(\d+))?$/.exec(String(r.stdout ?? '').trim());
  if (!m || m[1] === '0') return undefined;
  return { uid: Number(m[1]), gid: Number(m[2] ?? m[1]) };
}

/**
 * A private copy of the pair that the container's user can read, leaving the user's own key file as it is (0600,
 * theirs). As root: the copy is chowned to the container's uid and stays 0400. Otherwise an ACL grants just that
 * uid read access (the mode stays 0600 for everyone else). Where neither works, the copy is made 0644 inside a
 * folder only reachable by its random name — said in a warning — and removed at teardown.
 */
export async function prepareTlsMount(workDir: string, certFile: string, keyFile: string, user: { uid: number; gid: number } | undefined, warn: (m: string) => void): Promise<string> {
  const dir = await mkdtemp(path.join(workDir, 'tls-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  await copyFile(certFile, cert);
  await copyFile(keyFile, key);
  await chmod(cert, 0o444);
  await chmod(key, 0o600);
  if (!user) return dir;
  try {
    await chown(dir, user.uid, user.gid);
    await chown(key, user.uid, user.gid);
    await chown(cert, user.uid, user.gid);
    await chmod(key, 0o400);
    await chmod(dir, 0o500);
    return dir;
  } catch {
    // not root: try an ACL for exactly that uid
  }
  const acl = (args: string[]) => execa('setfacl', args, { reject: false, stdin: 'ignore' }).then((r) => r.exitCode === 0, () => false);
  if ((await acl(['-m', `u:${user.uid}:x`, dir])) && (await acl(['-m', `u:${user.uid}:r`, key]))) return dir;
  await chmod(dir, 0o711);
  await chmod(key, 0o644);
  warn(`The container runs as uid ${user.uid}, which cannot be given the key copy here (not root, no setfacl): the copy in ${dir} is readable by local users until teardown removes it.`);
  return dir;
}

const shellQuote = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

export async function runAppContainer(image: string, req: RunRequest, io: ProgressIO & { warn(m: string): void }, opts: RunnerOptions): Promise<StartedApp> {
  const docker = opts.docker ?? 'docker';
  const tls = await prepareTlsMount(opts.workDir, req.certFile, req.keyFile, await imageUser(docker, image), io.warn);
  const env: Record<string, string> = {
    ...req.spec.environment,
    PORT: String(req.port),
    // With --network host, the image's 0.0.0.0 would listen on every interface of this machine.
    BIND_HOST: '127.0.0.1',
    TLS_CERT_FILE: `${TLS_MOUNT}/cert.pem`,
    TLS_KEY_FILE: `${TLS_MOUNT}/key.pem`,
  };
  // One name per task: a rollout runs several containers of one rehearsal side by side.
  const name = `hello-deploy-${path.basename(opts.workDir).replace(/[^a-zA-Z0-9_.-]/g, '')}-${randomBytes(3).toString('hex')}`;
  const args = ['run', '-d', '--name', name, '--label', opts.label, '--network', 'host'];
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  // The Fargate task size: CPU units (1024 = one vCPU) and MiB.
  if (req.spec.cpuUnits) args.push('--cpus', String(req.spec.cpuUnits / 1024));
  if (req.spec.memoryMiB) args.push('--memory', `${req.spec.memoryMiB}m`);
  // The container definition's health check replaces the image's HEALTHCHECK, as on ECS; docker's --health-cmd
  // takes a shell string, so the CMD form is quoted word by word.
  const hc = req.spec.healthCheck;
  if (hc) {
    const [kind, ...rest] = hc.command;
    const cmd = kind === 'CMD-SHELL' ? rest.join(' ') : rest.map(shellQuote).join(' ');
    args.push('--health-cmd', cmd, '--health-interval', `${hc.intervalS}s`, '--health-timeout', `${hc.timeoutS}s`, '--health-retries', String(hc.retries), '--health-start-period', `${hc.startPeriodS}s`);
  }
  // No --user: the image's own (non-root) USER runs the app, as on Fargate. The image is named by its digest in the
  // local registry (repository@sha256:…), as the task definition names it for Fargate's pull from ECR.
  args.push('-v', `${tls}:${TLS_MOUNT}:ro`, image);
  io.progress(`docker run ${image} on https://127.0.0.1:${req.port}`);
  const r = await execa(docker, args, { reject: false, stdin: 'ignore' });
  if (r.failed) {
    throw new AbortError('APP_RUN_FAILED', `docker run ${image} failed: ${String(r.stderr ?? '').trim() || r.shortMessage}`, {
      hint: 'Check the Docker engine and that the image exists (`docker images`).',
    });
  }
  return containerApp(docker, String(r.stdout).trim(), name, req.port);
}

/** The app running in container `id` (named `name`) on 127.0.0.1:port: ours, or a kept rehearsal's. */
export function containerApp(docker: string, id: string, name: string, port: number): StartedApp {
  return {
    what: 'app container',
    runtime: 'docker',
    containerId: id,
    url: `https://127.0.0.1:${port}`,
    endpoint: `https://127.0.0.1:${port}`,
    stopHint: `docker rm -f -v ${name}`,
    async logTail() {
      const l = await execa(docker, ['logs', '--tail', '20', id], { reject: false, all: true, stdin: 'ignore' });
      return String(l.all ?? '');
    },
    async isRunning() {
      const s = await execa(docker, ['inspect', '--format', '{{.State.Running}}', id], { reject: false, stdin: 'ignore' });
      return String(s.stdout).trim() === 'true';
    },
    async exitCode() {
      const s = await execa(docker, ['inspect', '--format', '{{.State.Running}} {{.State.ExitCode}}', id], { reject: false, stdin: 'ignore' });
      const [running, code] = String(s.stdout).trim().split(' ');
      return running === 'false' && code !== undefined && /^\d+$/.test(code) ? Number(code) : undefined;
    },
    ...containerRemoval(docker, id),
    release: () => undefined,
  };
}

/** Stopping a container for good (`docker rm -f -v`), once: bounded, and a synchronous last resort. */
export function containerRemoval(docker: string, id: string): Pick<StartedApp, 'stop' | 'killNow'> {
  let removed = false;
  return {
    async stop() {
      if (removed) return;
      removed = true;
      await new Promise<void>((resolve) => execFile(docker, ['rm', '-f', '-v', id], { timeout: 60_000 }, () => resolve()));
    },
    killNow() {
      if (!removed) spawnSync(docker, ['rm', '-f', '-v', id], { stdio: 'ignore', timeout: 30_000 });
    },
  };
}

export async function runAppGunicorn(python: PythonEnv, req: RunRequest, io: ProgressIO, opts: RunnerOptions): Promise<StartedApp> {
  if (!python.gunicorn) throw new AbortError('GUNICORN_MISSING', `No gunicorn in ${python.bin}.`, { hint: 'Run `npm run setup` (the project .venv has the app requirements).' });
  await mkdir(opts.workDir, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
    ...(process.env.LANG ? { LANG: process.env.LANG } : {}),
    ...req.spec.environment,
    PORT: String(req.port),
    BIND_HOST: '127.0.0.1',
    TLS_CERT_FILE: req.certFile,
    TLS_KEY_FILE: req.keyFile,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
  };
  io.progress(`gunicorn -c gunicorn.conf.py app:app in ${opts.appDir} on https://127.0.0.1:${req.port}`);
  const svc = spawnService('gunicorn', python.gunicorn, ['-c', path.join(opts.appDir, 'gunicorn.conf.py'), 'app:app'], { cwd: opts.appDir, env, logFile: path.join(opts.workDir, 'gunicorn.log') });
  return {
    ...svc,
    runtime: 'gunicorn',
    url: `https://127.0.0.1:${req.port}`,
    endpoint: `https://127.0.0.1:${req.port}`,
    logTail: () => svc.logTail(),
    isRunning: async () => svc.exited() === undefined,
  };
}
