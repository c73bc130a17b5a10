// Docker for tests: is there an engine, build the REAL top-level Dockerfile on the local base image, run a
// container on the host network and a free loopback port, talk HTTPS to it, and remove it afterwards.
// The engine here runs with --bridge=none, so containers and builds MUST use --network host.
import https from 'node:https';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { execa } from 'execa';
import { freePort } from './ports.ts';
import { BASE_IMAGE, ROOT } from './paths.ts';

/** The tag tests build the app image under; reused between files so the build cache does the work. */
export const APP_IMAGE = 'hello-deploy/app:test';
/** Every container started here carries it, so a stray one is easy to find: docker ps -f label=hello-deploy.test */
export const TEST_LABEL = 'hello-deploy.test=1';

/**
 * null when `docker info` answers, else why not (for `t.skip(reason)`). Under CI it throws instead: .ci/run installs
 * and starts the engine, so a missing one is a broken test bed, and a green run of skipped tests would hide it.
 */
export async function dockerUnavailableReason(): Promise<string | null> {
  const r = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false, timeout: 20_000 });
  if (r.exitCode === 0) return null;
  const why = `no Docker engine answers \`docker info\`: ${(r.stderr || r.shortMessage || '').split('\n')[0]}`;
  if (process.env.CI) throw new Error(`CI needs the Docker engine (scripts/setup.mjs starts it): ${why}`);
  return why;
}

export async function dockerAvailable(): Promise<boolean> {
  return (await dockerUnavailableReason()) === null;
}

export interface BuildOptions {
  /** Build context; the repository root (its Dockerfile and .dockerignore) by default. */
  context?: string;
  baseImage?: string;
  /** Each output line as it arrives, e.g. `(l) => process.stderr.write(l + '\n')` when debugging. */
  onLine?: (line: string) => void;
}

export interface BuiltImage {
  tag: string;
  id: string;
  /** Everything the build printed (stdout and stderr interleaved). */
  output: string;
}

/** `docker build` of the real Dockerfile; the cache is used, so a rebuild with unchanged inputs takes seconds. */
export async function buildImage(tag: string = APP_IMAGE, opts: BuildOptions = {}): Promise<BuiltImage> {
  const args = ['build', '--network', 'host', '--build-arg', `BASE_IMAGE=${opts.baseImage ?? BASE_IMAGE}`, '-t', tag, opts.context ?? ROOT];
  const proc = execa('docker', args, { all: true, reject: false, timeout: 600_000 });
  const lines: string[] = [];
  let partial = '';
  proc.all?.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) { lines.push(l); opts.onLine?.(l); }
  });
  const r = await proc;
  if (partial) { lines.push(partial); opts.onLine?.(partial); }
  const output = lines.join('\n');
  if (r.exitCode !== 0) throw new Error(`docker build ${tag} failed (exit ${r.exitCode}):\n${output.slice(-4000)}`);
  const id = (await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', tag])).stdout.trim();
  return { tag, id, output };
}

/** `docker image inspect` parsed; the first (only) entry. */
export async function inspectImage(image: string): Promise<ImageInspect> {
  const { stdout } = await execa('docker', ['image', 'inspect', image]);
  const [info] = JSON.parse(stdout) as ImageInspect[];
  if (!info) throw new Error(`no such image: ${image}`);
  return info;
}

export interface ImageInspect {
  Id: string;
  Config: {
    User?: string;
    Env?: string[];
    ExposedPorts?: Record<string, object>;
    Cmd?: string[];
    Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
  };
}

export interface Mount {
  source: string;
  target: string;
  readonly?: boolean;
}

export interface RunOptions {
  env?: Record<string, string>;
  mounts?: Mount[];
  /** Overrides the image's HEALTHCHECK interval (e.g. '1s') so a test sees `healthy` in seconds, not minutes. */
  healthInterval?: string;
  /** Extra `docker run` flags, before the image. */
  args?: string[];
  /** Wait until GET /health answers 200 (default true). */
  waitReady?: boolean;
  readyTimeoutMs?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunningContainer {
  id: string;
  port: number;
  /** https://127.0.0.1:PORT */
  url: string;
  logs(): Promise<{ stdout: string; stderr: string }>;
  exec(cmd: string[]): Promise<ExecResult>;
  /** State.Health.Status: starting | healthy | unhealthy, or '' when the image has no health check. */
  health(): Promise<string>;
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** `docker stop` (SIGTERM, then SIGKILL after timeoutSec) without removing; returns State.ExitCode. */
  gracefulStop(timeoutSec?: number): Promise<number>;
  /** Removes the container (forcefully if still running). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Runs `image` detached on the host network with PORT set to a free port. BIND_HOST=127.0.0.1 keeps the
 * server on loopback: with --network host, the image's 0.0.0.0 would listen on every interface of this machine.
 */
export async function runContainer(image: string, opts: RunOptions = {}): Promise<RunningContainer> {
  const port = await freePort();
  const env: Record<string, string> = { PORT: String(port), BIND_HOST: '127.0.0.1', ...opts.env };
  const args = ['run', '-d', '--network', 'host', '--label', TEST_LABEL];
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  for (const m of opts.mounts ?? []) args.push('-v', `${m.source}:${m.target}${m.readonly === false ? '' : ':ro'}`);
  if (opts.healthInterval) args.push('--health-interval', opts.healthInterval);
  args.push(...(opts.args ?? []), image);
  const id = (await execa('docker', args)).stdout.trim();

  let removed = false;
  const inspect = async (format: string) =>
    (await execa('docker', ['inspect', '--format', format, id], { reject: false })).stdout.trim();
  const container: RunningContainer = {
    id,
    port,
    url: `https://127.0.0.1:${port}`,
    async logs() {
      const r = await execa('docker', ['logs', id], { reject: false });
      return { stdout: r.stdout, stderr: r.stderr };
    },
    async exec(cmd) {
      const r = await execa('docker', ['exec', id, ...cmd], { reject: false });
      return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    health: () => inspect('{{if .State.Health}}{{.State.Health.Status}}{{end}}'),
    async waitHealthy(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let status = '';
      while (Date.now() < deadline) {
        status = await container.health();
        if (status === 'healthy') return;
        if (status === 'unhealthy') break;
        await sleep(250);
      }
      const log = await inspect('{{json .State.Health}}');
      throw new Error(`container ${id.slice(0, 12)} is ${status || 'without health'} after waiting: ${log}`);
    },
    async gracefulStop(timeoutSec = 10) {
      await execa('docker', ['stop', '-t', String(timeoutSec), id], { reject: false });
      return Number(await inspect('{{.State.ExitCode}}'));
    },
    async stop() {
      if (removed) return;
      removed = true;
      await execa('docker', ['rm', '-f', '-v', id], { reject: false });
    },
  };

  if (opts.waitReady ?? true) {
    try {
      await waitHttpsReady(container, opts.readyTimeoutMs ?? 60_000);
    } catch (err) {
      const { stdout, stderr } = await container.logs();
      await container.stop();
      throw new Error(`${(err as Error).message}\n--- container stdout ---\n${stdout}\n--- stderr ---\n${stderr}`, { cause: err });
    }
  }
  return container;
}

async function waitHttpsReady(c: RunningContainer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = (await execa('docker', ['inspect', '--format', '{{.State.Running}}', c.id], { reject: false })).stdout.trim();
    if (running === 'false') throw new Error(`container ${c.id.slice(0, 12)} exited before serving`);
    try {
      if ((await httpsGet(c.port, '/health', { timeoutMs: 2_000 })).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no HTTPS answer on 127.0.0.1:${c.port} after ${timeoutMs} ms`);
    await sleep(200);
  }
}

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  peerCertificate: PeerCertificate;
}

export interface HttpsGetOptions {
  /** PEM to trust (pins the server's certificate); without it the certificate is not verified. */
  ca?: string | Buffer;
  timeoutMs?: number;
}

/** GET https://127.0.0.1:PORT/PATH: loopback only, a fresh connection each time. */
export function httpsGet(port: number, path: string, opts: HttpsGetOptions = {}): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'GET',
        agent: false,
        ...(opts.ca ? { ca: opts.ca, rejectUnauthorized: true } : { rejectUnauthorized: false }),
        timeout: opts.timeoutMs ?? 5_000,
      },
      (res) => {
        const peerCertificate = (res.socket as TLSSocket).getPeerCertificate();
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), peerCertificate }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: https://127.0.0.1:${port}${path}`)));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Removes what a deploy under test leaves in this machine's Docker: the login entry for a throwaway loopback
 * registry, the tags that name it, and the build tags `<ecosystem>-hello-world:*`. Tags only: the layers stay
 * while another tag (the shared app image, the build cache) still uses them.
 */
export async function removeDeployTraces(opts: { registryHost?: string; ecosystems?: string[] }): Promise<void> {
  if (opts.registryHost !== undefined) await execa('docker', ['logout', opts.registryHost], { reject: false });
  const listed = await execa('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { reject: false });
  if (listed.exitCode !== 0) return;
  const tags = String(listed.stdout).split('\n').filter((t) =>
    (opts.registryHost !== undefined && t.startsWith(`${opts.registryHost}/`)) || (opts.ecosystems ?? []).some((e) => t.startsWith(`${e}-hello-world:`) || t.startsWith(`hello-deploy-local/${e}:`)));
  if (tags.length) await execa('docker', ['rmi', ...tags], { reject: false });
}
