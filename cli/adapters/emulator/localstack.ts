// LocalStack through @testcontainers/localstack, for people who have a LocalStack account. Since 2026-03 the
// localstack/localstack image starts only with LOCALSTACK_AUTH_TOKEN, and ECS, ECR, ELBv2 and Application Auto
// Scaling (all in the infra template) need a paid tier; both facts are checked or stated before anything starts.
// testcontainers reads the TESTCONTAINERS_* variables itself (host, Ryuk, registry mirrors): not overridden here.
import { spawnSync } from 'node:child_process';
import { AbortError } from '../../core/errors.ts';
import type { StartedEmulator } from '../../ports/rehearsal.ts';

/** What LocalStack's free tier lacks: said before anything starts (cli/rehearsal/options.ts) and while it starts. */
const PAID = 'ECS, ECR, ELBv2 and Application Auto Scaling (all used by the infra template) need a paid LocalStack tier';

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
