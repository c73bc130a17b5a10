// DockerPort over the `docker` CLI. We drive the CLI (not the engine API) because it already knows the user's
// contexts, credential helpers and builder (legacy or BuildKit), exactly like the manual steps it replaces.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { AbortError } from '../../core/errors.ts';
import type { DockerPort, RegistryLogin } from '../../ports/deploy.ts';
import type { ImagePlatform } from '../../domain/architecture.ts';

export interface DockerPortOptions {
  /** The docker binary (or a wrapper script around it). */
  docker?: string;
  /** Extra environment, e.g. DOCKER_CONFIG or DOCKER_HOST; merged over process.env. */
  env?: Record<string, string>;
}

const TAIL_LINES = 20;
const DIGEST_LINE = /digest: (sha256:[0-9a-f]{64}) size: \d+/;

interface Streamed {
  failed: boolean;
  tail: string[];
  /** Set when the binary could not be started at all (ENOENT and the like). */
  spawnError: string | undefined;
}

export function createDockerPort(opts: DockerPortOptions = {}): DockerPort {
  const docker = opts.docker ?? 'docker';
  const env = opts.env ?? {};

  /** Runs docker, handing every stdout/stderr line to onLine as it arrives; never throws. */
  async function stream(args: string[], onLine: (line: string) => void): Promise<Streamed> {
    const sub = execa(docker, args, { env, all: true, reject: false, buffer: false, stdin: 'ignore' });
    const tail: string[] = [];
    try {
      for await (const line of sub.iterable({ from: 'all' })) {
        const text = String(line);
        onLine(text);
        tail.push(text);
        if (tail.length > TAIL_LINES) tail.shift();
      }
    } catch {
      // The iterator rethrows a failed subprocess; the awaited result below carries the details.
    }
    const result = await sub;
    const spawnError = result.failed && result.exitCode === undefined ? result.shortMessage : undefined;
    return { failed: result.failed, tail, spawnError };
  }

  /** The os/architecture/variant `docker image inspect` reports for an image, or undefined when it cannot say. */
  async function imagePlatform(ref: string): Promise<ImagePlatform | undefined> {
    const result = await execa(docker, ['image', 'inspect', '--format', '{{.Os}}|{{.Architecture}}|{{.Variant}}', ref], { env, reject: false, stdin: 'ignore', timeout: 30_000 });
    const [os, architecture, variant] = String(result.stdout ?? '').trim().split('|');
    if (result.failed || !os || !architecture) return undefined;
    return { os, architecture, ...(variant ? { variant } : {}) };
  }

  return {
    async ping() {
      const result = await execa(docker, ['version', '--format', '{{.Server.Version}}'], { env, reject: false, stdin: 'ignore', timeout: 30_000 });
      const serverVersion = String(result.stdout ?? '').trim();
      if (result.failed || serverVersion === '') {
        const detail = errorText(result);
        throw new AbortError('DOCKER_UNAVAILABLE', `Cannot reach the Docker engine: ${firstLine(detail)}`, {
          hint: `${/ENOENT/.test(detail) ? `Install Docker (no \`${docker}\` on PATH)` : 'Start Docker Desktop (or dockerd) and check `docker version`'}, or pass --image to deploy an image that is already pushed and skip building.`,
        });
      }
      return { serverVersion };
    },

    async login(login: RegistryLogin) {
      // The password travels over stdin only: argv is visible to every process on the machine (ps, /proc).
      const result = await execa(docker, ['login', '--username', login.username, '--password-stdin', login.registry], {
        env,
        input: login.password,
        reject: false,
        timeout: 120_000,
      });
      if (result.failed) {
        const detail = scrub(errorText(result), login.password);
        throw new AbortError('DOCKER_LOGIN_FAILED', `docker login to ${login.registry} failed: ${lastLine(detail)}`, {
          hint: 'The registry token may have expired or belong to another account/region: check --profile and --region, then retry.',
        });
      }
    },

    async build(req) {
      // The image id comes from --iidfile: parsing "Successfully built" would only work with the legacy builder.
      // --force-rm: a failed RUN step must not leave its stopped container behind on the user's machine.
      const dir = await mkdtemp(path.join(tmpdir(), 'hello-deploy-build-'));
      const iidFile = path.join(dir, 'iid');
      try {
        // --platform with both builders: BuildKit builds (or pulls) for it; the legacy builder pulls a base image for
        // it, but uses one already on the machine whatever its architecture (measured with Debian's docker.io
        // 20.10), so what was built is read back below rather than assumed.
        const args = ['build', '--network', 'host', '--force-rm', '--platform', req.platform, '-f', req.dockerfile, '--iidfile', iidFile];
        for (const tag of req.tags) args.push('-t', tag);
        for (const [k, v] of Object.entries(req.buildArgs)) args.push('--build-arg', `${k}=${v}`);
        args.push(req.context);
        const run = await stream(args, req.onLine);
        if (run.failed) {
          // One line: the output itself is already on screen (the step's log tail, or every line with --yes).
          throw new AbortError('DOCKER_BUILD_FAILED', `docker build failed: ${run.spawnError ?? tellingLine(run.tail)}`, {
            hint: 'Read the build output above: a failing RUN step (e.g. pip install) or a base image that cannot be pulled are the usual causes. Builds use --network host.',
          });
        }
        const imageId = (await readFile(iidFile, 'utf8')).trim();
        const platform = await imagePlatform(imageId);
        return { imageId, ...(platform ? { platform } : {}) };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },

    async imageExists(ref) {
      const result = await execa(docker, ['image', 'inspect', '--format', '{{.Id}}', ref], { env, reject: false, stdin: 'ignore' });
      return !result.failed;
    },

    async tag(source, target) {
      const result = await execa(docker, ['tag', source, target], { env, reject: false, stdin: 'ignore' });
      if (result.failed) {
        throw new AbortError('DOCKER_TAG_FAILED', `docker tag ${source} ${target} failed: ${lastLine(errorText(result))}`, {
          hint: 'Check that the image was built (`docker images`).',
        });
      }
    },

    async push(ref, onLine) {
      let digest: string | undefined;
      const run = await stream(['push', ref], (line) => {
        digest ??= DIGEST_LINE.exec(line)?.[1];
        onLine(line);
      });
      if (run.failed) {
        throw new AbortError('DOCKER_PUSH_FAILED', `docker push ${ref} failed: ${run.spawnError ?? tellingLine(run.tail)}`, {
          hint: pushHint(run.tail.join('\n')),
        });
      }
      if (digest !== undefined) return { digest };
      // Some CLIs/builders print no digest line; the engine still records the digest per repository it pushed to.
      const inspect = await execa(docker, ['inspect', '--format', '{{json .RepoDigests}}', ref], { env, reject: false, stdin: 'ignore' });
      const fromInspect = inspect.failed ? undefined : repoDigest(String(inspect.stdout ?? ''), ref);
      if (fromInspect === undefined) {
        throw new AbortError('DOCKER_PUSH_FAILED', `docker push ${ref} reported no digest`, {
          hint: 'Run `docker push` by hand to see what the registry answered.',
        });
      }
      return { digest: fromInspect };
    },
  };
}

/** The line of a failed command's output that says why: the last one naming an error, else the last one. */
export function tellingLine(tail: readonly string[]): string {
  const lines = tail.map((l) => l.trim()).filter(Boolean);
  return lines.findLast((l) => /\b(error|failed|denied|unauthorized|not found|no such)\b/i.test(l)) ?? lines.at(-1) ?? 'no output';
}

/** The digest RepoDigests holds for ref's repository (`host/repo:tag` → `host/repo@sha256:…`). */
function repoDigest(json: string, ref: string): string | undefined {
  const repo = ref.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
  let digests: unknown;
  try {
    digests = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(digests)) return undefined;
  for (const d of digests) {
    const m = typeof d === 'string' ? /^(.+)@(sha256:[0-9a-f]{64})$/.exec(d) : null;
    if (m?.[1] === repo && m[2]) return m[2];
  }
  return undefined;
}

function pushHint(output: string): string {
  if (/denied|unauthorized|no basic auth|authentication required/i.test(output)) {
    return 'The registry refused the push: log in again (the ECR token lasts 12 hours) and check the repository policy.';
  }
  if (/does not exist|name unknown|not found/i.test(output)) {
    return 'The repository does not exist: deploy the ECR stack first (it creates the repository).';
  }
  return 'Check the network path to the registry and retry; pushes resume layers that already arrived.';
}

/** Belt and braces: nothing we show may contain the secret, whatever docker chose to print. */
function scrub(text: string, secret: string): string {
  return secret === '' ? text : text.split(secret).join('***');
}

/** What docker said on stderr, or execa's summary when it said nothing (or could not start). */
function errorText(result: { stderr?: unknown; shortMessage?: string }): string {
  return String(result.stderr ?? '').trim() || (result.shortMessage ?? 'unknown error');
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? text;
}

function lastLine(text: string): string {
  return text.split('\n').filter((l) => l.trim() !== '').pop()?.trim() ?? text;
}
