// The local ECR stand-in: Debian's docker-registry (distribution v2) on 127.0.0.1 with htpasswd auth, using the
// credentials moto's GetAuthorizationToken hands out, so "moto token → docker login → push" runs for real.
// Docker allows plain HTTP to 127.0.0.0/8 registries, so no TLS is needed.
// Only node builtins plus the two port helpers: the core is meant to move to cli/emulator/ when the product
// starts its own registry (issue 6).
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from './ports.ts';

const run = promisify(execFile);

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
export const HTPASSWD_BINARY = '/usr/bin/htpasswd';

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
  binary?: string;
  htpasswd?: string;
}

export interface Registry {
  /** `127.0.0.1:PORT`: the name docker login/tag/push use. */
  host: string;
  port: number;
  pid: number;
  /** Docker-Content-Digest of repo:tag, or undefined when the registry has no such manifest. */
  manifestDigest(repo: string, tag: string): Promise<string | undefined>;
  hasManifest(repo: string, digest: string): Promise<boolean>;
  /** What the registry printed (for diagnosing a failing test). */
  log(): string[];
  stop(): Promise<void>;
}

export async function startRegistry(opts: RegistryOptions): Promise<Registry> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hello-deploy-registry-'));
  try {
    const port = await freePort();
    // -B: bcrypt, the only hash distribution's htpasswd accepts. -b puts the password on htpasswd's argv: fine for
    // the fixed test credentials; a product version should feed it on stdin (-i) instead.
    const { stdout } = await run(opts.htpasswd ?? HTPASSWD_BINARY, ['-Bbn', opts.username, opts.password]);
    await writeFile(path.join(dir, 'htpasswd'), stdout.trim() + '\n', { mode: 0o600 });
    await writeFile(path.join(dir, 'config.yml'), registryConfig(port, dir), { mode: 0o600 });

    const child = spawn(opts.binary ?? REGISTRY_BINARY, ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const collect = (buf: Buffer) => { for (const l of buf.toString().split('\n')) if (l.trim()) lines.push(l); };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Whichever comes first: the port opens, the binary cannot start, or it exits (bad config). The losers must
    // not turn into unhandled rejections later (the exit one fires on every normal stop()).
    let ready = false;
    const failure = new Promise<never>((_, reject) => {
      child.once('error', reject);
      void exited.then(() => { if (!ready) reject(new Error(`docker-registry exited early:\n${lines.join('\n')}`)); });
    });
    failure.catch(() => undefined);
    try {
      await Promise.race([waitForPort(port, 30_000), failure]);
      ready = true;
    } catch (err) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      throw err;
    }

    const base = `http://127.0.0.1:${port}`;
    const authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
    const manifest = (repo: string, reference: string) =>
      fetch(`${base}/v2/${repo}/manifests/${reference}`, { headers: { Authorization: authorization, Accept: MANIFEST_ACCEPT } }).then(async (res) => {
        await res.arrayBuffer(); // drain, so the keep-alive socket is free again
        return res;
      });

    return {
      host: `127.0.0.1:${port}`,
      port,
      pid: child.pid ?? -1,
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
      log: () => [...lines],
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** distribution v2 config: loopback only, htpasswd auth, blobs in the temp dir, deletes allowed for clean-up. */
function registryConfig(port: number, dir: string): string {
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
    `    rootdirectory: ${JSON.stringify(path.join(dir, 'data'))}`,
    '  delete:',
    '    enabled: true',
    '',
  ].join('\n');
}
