// The --image architecture check, before any stack changes: the prebuilt image must hold a platform the tasks can
// run (linux/amd64 for X86_64, linux/arm64 for ARM64), or Fargate starts it, watches it die with "exec format
// error", and the circuit breaker rolls the deployment back minutes later. Read from the image's manifest (an
// index lists its platforms; a single image's config names its one) through ImageDigestPort.platforms.
//
// Exported for every front end that checks before deploying: the deploy's prerequisites step (check-prerequisites.ts,
// which refuses a mismatch with exit 2 before anything else) and the preflight's Image check (imageCheck in
// preflight-checks.ts: `hello-deploy doctor` and the wizard's checklist), over the same two read-only ports.
import { UsageError, BugError } from '../core/errors.ts';
import { archFlagValue, architecturesOf, dockerPlatform, platformName, type CpuArchitecture, type ImagePlatform } from '../domain/architecture.ts';
import { parseDeployImage } from '../domain/image-ref.ts';
import { shown } from '../domain/shown.ts';
import type { PreflightPorts } from '../ports/preflight.ts';
import { checked, type Checked } from './prerequisites.ts';

export interface ImageArchitectureChecked {
  /** The manifest digest the --image names now (its own, for a digest): the image that was checked. */
  digest: string;
  /** `<registry>/<repository>@<digest>`: what the infra stack deploys, so the image checked is the image run. */
  pinned: string;
  /** The platforms its manifest lists; unset when the registry could not say (see `unchecked`). */
  platforms?: ImagePlatform[];
  /** Why the architecture could not be checked (an emulator's ECR): said out loud, never passed off as checked. */
  unchecked?: string;
}

/** What the check needs to know: the image, where it lives, and what the tasks run on. */
export interface ImageArchitectureQuestion {
  image: string;
  architecture: CpuArchitecture;
  /** The --registry that stands in for ECR on an emulator: read with the ECR token's credentials, as docker login does. */
  registry?: string;
  /** The architecture is this machine's (no --arch given): the refusal says so. */
  architectureFromHost?: boolean;
}

/**
 * Reads --image's manifest and checks that it runs on `architecture`. A mismatch is IMAGE_ARCH_MISMATCH (exit 2:
 * the flags ask for something that cannot run), naming what the image holds and both ways out.
 */
export function checkImageArchitecture(ports: Pick<PreflightPorts, 'imageDigests' | 'ecrAuth'>, q: ImageArchitectureQuestion, signal?: AbortSignal): Promise<Checked<ImageArchitectureChecked>> {
  return checked(async () => {
    const ref = parseDeployImage(q.image);
    if (ref.domain === undefined) throw new BugError(`--image ${q.image} passed validation without a registry`);
    const registry = ref.domain;
    const login = registry === q.registry ? async () => ({ ...(await ports.ecrAuth.getLogin()), registry }) : undefined;
    const found = await ports.imageDigests.platforms(
      { registry, repository: ref.path, ...(ref.digest ? { digest: ref.digest } : { tag: ref.tag ?? 'latest' }) },
      { ...(login ? { login } : {}), ...(signal ? { signal } : {}) },
    );
    const result: ImageArchitectureChecked = { digest: found.digest, pinned: `${registry}/${ref.path}@${found.digest}` };
    if (found.platforms === undefined) return { ...result, unchecked: found.unknown ?? 'the registry did not say' };
    if (!architecturesOf(found.platforms).includes(q.architecture)) throw mismatch(q, found.platforms);
    return { ...result, platforms: found.platforms };
  });
}

function mismatch(q: ImageArchitectureQuestion, platforms: ImagePlatform[]): UsageError {
  const holds = platforms.length ? platforms.map(platformName).join(', ') : 'no runnable platform (only attestations, or an empty index)';
  const runs = architecturesOf(platforms);
  const why = q.architectureFromHost ? `this machine's architecture, the default without --arch` : `--arch ${archFlagValue(q.architecture)}`;
  return new UsageError('IMAGE_ARCH_MISMATCH', `--image ${shown(q.image, 200)} holds ${holds}, but the tasks would run on ${q.architecture} (${why}), which needs ${dockerPlatform(q.architecture)}: Fargate would start it and watch it fail with "exec format error". Nothing was changed.`, {
    hint: [
      ...runs.map((a) => `Run it as it is on ${a} Fargate: --arch ${archFlagValue(a)}.`),
      `Or push an image for ${dockerPlatform(q.architecture)} (one image for both: docker buildx build --platform linux/amd64,linux/arm64 --push …).`,
    ].join(' '),
  });
}
