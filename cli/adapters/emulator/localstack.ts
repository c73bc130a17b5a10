// LocalStack through @testcontainers/localstack, for people who have a LocalStack account. Since 2026-03 the
// localstack/localstack image starts only with LOCALSTACK_AUTH_TOKEN, and ECS, ECR, ELBv2 and Application Auto
// Scaling (all in the infra template) need a paid tier; both facts are checked or stated before anything starts.
// testcontainers reads the TESTCONTAINERS_* variables itself (host, Ryuk, registry mirrors): not overridden here.
import { spawnSync } from 'node:child_process';
import { AbortError, UsageError } from '../../core/errors.ts';
import type { DockerStatus, StartedEmulator } from '../../rehearsal/context.ts';

/** Unpinned on purpose: the consolidated image's tags could not be checked offline. Pin with --localstack-image. */
export const DEFAULT_LOCALSTACK_IMAGE = 'localstack/localstack:latest';

const PAID = 'ECS, ECR, ELBv2 and Application Auto Scaling (all used by the infra template) need a paid LocalStack tier';

/** The fail-fast check (exit 2, before anything starts). */
export function localstackPreflight(token: string | undefined, docker: DockerStatus): UsageError | undefined {
  const problems: string[] = [];
  if (!token) problems.push('LOCALSTACK_AUTH_TOKEN is not set: since 2026-03 the LocalStack image does not start without an auth token');
  if (!docker.available) problems.push(`LocalStack runs in Docker, and no Docker engine answers (${docker.reason})`);
  if (problems.length === 0) return undefined;
  return new UsageError('LOCALSTACK_UNAVAILABLE', `--emulator localstack cannot run here: ${problems.join('; ')}. Also, ${PAID}.`, {
    hint: 'Use --emulator moto (the default: embedded, free, no account), or set LOCALSTACK_AUTH_TOKEN (localstack.cloud) with Docker running.',
  });
}

export async function startLocalstack(opts: { image: string; token: string; onProgress(m: string): void }): Promise<StartedEmulator> {
  const { LocalstackContainer } = await import('@testcontainers/localstack');
  opts.onProgress(`starting ${opts.image} (pulling it the first time); ${PAID}`);
  let started;
  try {
    started = await new LocalstackContainer(opts.image).withEnvironment({ LOCALSTACK_AUTH_TOKEN: opts.token }).start();
  } catch (err) {
    throw new AbortError('EMULATOR_START_FAILED', `LocalStack did not start: ${err instanceof Error ? err.message : String(err)}`, {
      hint: 'Check LOCALSTACK_AUTH_TOKEN and that the image can be pulled; or use --emulator moto.',
    });
  }
  const endpoint = started.getConnectionUri();
  const id = started.getId();
  let version: string | undefined;
  try {
    const health = (await (await fetch(`${endpoint}/_localstack/health`)).json()) as { version?: string };
    version = health.version;
  } catch {
    // the version is for the report only
  }
  let stopped = false;
  return {
    what: 'LocalStack container',
    containerId: id,
    endpoint,
    // testcontainers' reaper (Ryuk) removes the container once hello-deploy exits, unless TESTCONTAINERS_RYUK_DISABLED=true.
    stopHint: `docker rm -f -v ${id.slice(0, 12)}${process.env.TESTCONTAINERS_RYUK_DISABLED === 'true' ? '' : ' (testcontainers removes it when hello-deploy exits; set TESTCONTAINERS_RYUK_DISABLED=true to keep it)'}`,
    info: { engine: 'localstack', endpoint, ...(version ? { version } : {}) },
    async stop() {
      if (stopped) return;
      stopped = true;
      await started.stop();
    },
    killNow() {
      if (!stopped) spawnSync('docker', ['rm', '-f', '-v', id], { stdio: 'ignore', timeout: 30_000 });
    },
    release: () => undefined,
  };
}
