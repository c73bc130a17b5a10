// The local stand-in for ECR: a distribution v2 registry on 127.0.0.1 with htpasswd auth, using the credentials the
// emulator's GetAuthorizationToken hands out (moto: user AWS, password <account>-auth-token), so "token → docker
// login → push" runs for real. Docker allows plain HTTP to 127.0.0.0/8 registries, so no TLS is needed.
// Where a `docker-registry` binary exists (Debian's package) it is run directly; otherwise a `registry:2`
// container on the host network. The test bed uses the same code (test/support/registry.ts re-exports it).
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './net.ts';
import { spawnService } from './processes.ts';
import type { Running } from '../../ports/rehearsal.ts';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
export const HTPASSWD_BINARY = '/usr/bin/htpasswd';
/** Used only where no registry binary exists; override with HELLO_DEPLOY_REGISTRY_IMAGE. */
export const REGISTRY_IMAGE = 'registry:2';

/** The Accept headers that make the registry answer with the digest docker push reported (not a converted one). */
export const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

export interface RegistryOptions {
  username: string;
  password: string;
  /** A docker-registry binary; default: HELLO_DEPLOY_REGISTRY_BINARY, /usr/bin/docker-registry, then PATH. */
  binary?: string;
  htpasswd?: string;
  /** Run the `registry` image instead of a binary (the default when no binary is found). */
  container?: { image?: string; label?: string };
  /** Where its temp folder goes (default: the OS temp dir). */
  parentDir?: string;
  /**
   * Where the binary keeps its blobs, kept after stop (a per-user layer cache: a warm push uploads only changed
   * layers). Default: inside the temp folder, removed with it. Ignored for the container, whose files are root's.
   */
  storageDir?: string;
}

export interface Registry extends Running {
  /** `127.0.0.1:PORT`: the name docker login/tag/push use. */
  host: string;
  port: number;
  /** How it runs: the binary's path, or the container image. */
  runs: string;
  /** Docker-Content-Digest of repo:tag, or undefined when the registry has no such manifest. */
  manifestDigest(repo: string, tag: string): Promise<string | undefined>;
  hasManifest(repo: string, digest: string): Promise<boolean>;
  /** What the registry printed (for diagnosing a failure). */
  log(): string[];
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** The registry binary this machine has, if any. */
export function findRegistryBinary(): string | undefined {
  const explicit = process.env.HELLO_DEPLOY_REGISTRY_BINARY;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  return existsSync(REGISTRY_BINARY) ? REGISTRY_BINARY : onPath('docker-registry');
}

/**
 * One bcrypt htpasswd line (distribution accepts no other hash). The password goes to htpasswd on stdin (-i),
 * never on argv, where every process on the machine could read it.
 */
export function htpasswdLine(username: string, password: string, binary?: string): Promise<string> {
  const bin = binary ?? (existsSync(HTPASSWD_BINARY) ? HTPASSWD_BINARY : onPath('htpasswd'));
  if (!bin) return Promise.reject(new Error('htpasswd is not installed (Debian/Ubuntu: apt-get install apache2-utils; macOS ships it)'));
  return new Promise((resolve, reject) => {
    const child = execFile(bin, ['-iBn', username], { timeout: 30_000 }, (err, stdout) => {
      if (err) return reject(new Error(`htpasswd failed: ${err.message}`));
      const line = stdout.trim();
      if (!line.startsWith(`${username}:`)) return reject(new Error('htpasswd printed no entry'));
      resolve(line);
    });
    child.stdin?.end(password);
  });
}

export async function startRegistry(opts: RegistryOptions): Promise<Registry> {
  const dir = await mkdtemp(path.join(opts.parentDir ?? tmpdir(), 'hello-deploy-registry-'));
  try {
    const port = await freePort();
    await writeFile(path.join(dir, 'htpasswd'), `${await htpasswdLine(opts.username, opts.password, opts.htpasswd)}\n`, { mode: 0o600 });
    const binary = opts.container ? undefined : (opts.binary ?? findRegistryBinary());
    const started = binary ? await startBinary(binary, port, dir, opts.storageDir) : await startContainer(opts.container?.image ?? process.env.HELLO_DEPLOY_REGISTRY_IMAGE ?? REGISTRY_IMAGE, port, dir, opts.container?.label);

    const base = `http://127.0.0.1:${port}`;
    const authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
    const manifest = async (repo: string, reference: string) => {
      const res = await fetch(`${base}/v2/${repo}/manifests/${reference}`, { headers: { Authorization: authorization, Accept: MANIFEST_ACCEPT } });
      await res.arrayBuffer(); // drain, so the keep-alive socket is free again
      return res;
    };
    return {
      ...started,
      host: `127.0.0.1:${port}`,
      port,
      endpoint: `http://127.0.0.1:${port}`,
      async manifestDigest(repo, tag) {
        const res = await manifest(repo, tag);
        if (res.status === 404) return undefined;
        if (!res.ok) throw new Error(`registry GET manifest ${repo}:${tag} → ${res.status}`);
        return res.headers.get('docker-content-digest') ?? undefined;
      },
      async hasManifest(repo, digest) {
        const res = await manifest(repo, digest);
        if (res.status === 404) return false;
        if (!res.ok) throw new Error(`registry GET manifest ${repo}@${digest} → ${res.status}`);
        return true;
      },
      async stop() {
        await started.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

type Started = Omit<Registry, 'host' | 'port' | 'manifestDigest' | 'hasManifest' | 'endpoint'>;

async function startBinary(binary: string, port: number, dir: string, storageDir?: string): Promise<Started> {
  // Blobs are content-addressed and written to an upload folder before they are moved into place, so two registries
  // sharing one cache folder (two rehearsals at once) see whole blobs or none.
  if (storageDir) await mkdir(storageDir, { recursive: true, mode: 0o700 });
  await writeFile(path.join(dir, 'config.yml'), registryConfig(port, dir, storageDir ?? path.join(dir, 'data')), { mode: 0o600 });
  const logFile = path.join(dir, 'registry.log');
  const svc = spawnService('docker-registry', binary, ['serve', path.join(dir, 'config.yml')], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, logFile });
  try {
    await waitForPort(port, { timeoutMs: 30_000, gone: svc.exited });
  } catch (err) {
    const tail = await svc.logTail();
    await svc.stop();
    throw new Error(`docker-registry did not start: ${(err as Error).message}${tail ? `\n${tail}` : ''}`, { cause: err });
  }
  return { ...svc, runs: binary, log: () => readLines(logFile) };
}

async function startContainer(image: string, port: number, dir: string, label?: string): Promise<Started> {
  await mkdir(dir, { recursive: true });
  // The host network, like every container here: the registry listens on loopback only. Blobs stay in the
  // container's own volume (removed with it), so nothing root-owned is left in the user's temp folder.
  const args = ['run', '-d', '--network', 'host', ...(label ? ['--label', label] : []),
    '-e', `REGISTRY_HTTP_ADDR=127.0.0.1:${port}`,
    '-e', 'REGISTRY_AUTH=htpasswd',
    '-e', 'REGISTRY_AUTH_HTPASSWD_REALM=hello-deploy-local',
    '-e', 'REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd',
    '-e', 'REGISTRY_STORAGE_DELETE_ENABLED=true',
    '-v', `${path.join(dir, 'htpasswd')}:/auth/htpasswd:ro`,
    image];
  const id = await new Promise<string>((resolve, reject) => {
    execFile('docker', args, { timeout: 300_000 }, (err, stdout, stderr) => (err ? reject(new Error(`docker run ${image} failed: ${String(stderr).trim() || err.message}`)) : resolve(String(stdout).trim())));
  });
  const removeNow = () => void spawnSync('docker', ['rm', '-f', '-v', id], { stdio: 'ignore', timeout: 30_000 });
  const logs = () => {
    const r = spawnSync('docker', ['logs', id], { encoding: 'utf8', timeout: 10_000 });
    return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').filter((l) => l.trim() !== '');
  };
  try {
    await waitForPort(port, { timeoutMs: 60_000 });
  } catch (err) {
    const tail = logs().slice(-20).join('\n');
    removeNow();
    throw new Error(`the registry container did not start: ${(err as Error).message}${tail ? `\n${tail}` : ''}`, { cause: err });
  }
  let removed = false;
  return {
    what: 'registry container',
    containerId: id,
    runs: image,
    stopHint: `docker rm -f -v ${id.slice(0, 12)}`,
    log: logs,
    async stop() {
      if (removed) return;
      removed = true;
      await new Promise<void>((resolve) => execFile('docker', ['rm', '-f', '-v', id], { timeout: 60_000 }, () => resolve()));
    },
    killNow: () => {
      if (!removed) removeNow();
    },
    release: () => undefined,
  };
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  } catch {
    return [];
  }
}

/** distribution v2 config: loopback only, htpasswd auth, blobs in `storage`, deletes allowed for clean-up. */
function registryConfig(port: number, dir: string, storage: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    'auth:',
    '  htpasswd:',
    '    realm: hello-deploy-local',
    `    path: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(storage)}`,
    '  delete:',
    '    enabled: true',
    '',
  ].join('\n');
}
