// ImageDigestPort.platforms for ECR references: what an image runs on, read through the ECR API as ECS itself pulls
// (the registry's /v2/ API would need a docker login, and on an emulator the host name is not reachable):
// - BatchGetImage returns the manifest (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchGetImage.html).
//   Offering every manifest type makes ECR return the one stored, an index as an index; ECR converts only for a
//   client that does not understand the stored format
//   (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-manifest-formats.html).
// - A single image's platform is in its config blob, which GetDownloadUrlForLayer hands out as a pre-signed URL
//   (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetDownloadUrlForLayer.html) that is then fetched.
// moto 5.2 implements BatchGetImage but not GetDownloadUrlForLayer (an HTTP 500), and keeps no blob bytes at all:
// on an emulator a single image's platform is reported unknown, with that reason, instead of failing the deploy.
import { AbortError, BugError } from '../../core/errors.ts';
import { ecrRegistryOf, imageNotFound } from '../../domain/image-ref.ts';
import { MANIFEST_MEDIA_TYPES, parseImageConfig, parseManifest, sha256Digest } from '../../domain/image-manifest.ts';
import { shown } from '../../domain/shown.ts';
import type { ImageDigestPort, ImagePlatforms } from '../../ports/deploy.ts';
import { callLimits, clientConfig, type AwsOptions } from './config.ts';
import { callOnce } from './errors.ts';

export function createEcrImagePlatforms(opts: AwsOptions): ImageDigestPort['platforms'] {
  return async (image, { signal } = {}) => {
    const ecr = ecrRegistryOf(image.registry);
    if (!ecr) throw new BugError(`${image.registry} is not an ECR registry host`);
    const ref = image.digest ? `${image.registry}/${image.repository}@${image.digest}` : `${image.registry}/${image.repository}:${image.tag ?? 'latest'}`;
    const { ECRClient, BatchGetImageCommand, GetDownloadUrlForLayerCommand } = await import('@aws-sdk/client-ecr');
    // The registry id is the account in the host name, and the call goes to the region in it, as for DescribeImages.
    const client = async (over: { maxAttempts?: number } = {}) => new ECRClient({ ...(await clientConfig(opts)), region: ecr.region, ...over } as import('@aws-sdk/client-ecr').ECRClientConfig);
    const at = signal ? { abortSignal: signal } : {};
    const where = `ECR repository ${shown(image.repository, 200)} in ${ecr.region}`;

    const got = await callOnce(await client(), { service: 'ECR', operation: 'BatchGetImage', subject: `image ${shown(ref, 200)}`, endpoint: opts.endpointUrl }, async (c) => {
      try {
        return await c.send(new BatchGetImageCommand({ registryId: ecr.account, repositoryName: image.repository, imageIds: [image.digest ? { imageDigest: image.digest } : { imageTag: image.tag ?? 'latest' }], acceptedMediaTypes: [...MANIFEST_MEDIA_TYPES] }), at);
      } catch (err) {
        if ((err as { name?: unknown }).name === 'RepositoryNotFoundException') throw imageNotFound(ref, `account ${ecr.account} has no ECR repository ${shown(image.repository, 200)} in ${ecr.region}`);
        throw err;
      }
    });
    const found = got.images?.[0];
    if (!found?.imageManifest) {
      const failure = got.failures?.[0];
      if (!failure || failure.failureCode === 'ImageNotFound' || failure.failureCode === 'ImageTagDoesNotMatchDigest') {
        throw imageNotFound(ref, `${where} has no ${image.digest ? `image ${image.digest}` : `tag ${shown(image.tag ?? 'latest')}`}`);
      }
      throw unusable(ref, `ECR BatchGetImage answered ${failure.failureCode}: ${failure.failureReason ?? 'no reason given'}`);
    }
    const digest = image.digest ?? found.imageId?.imageDigest;
    if (!digest || !/^sha256:[a-f0-9]{64}$/.test(digest)) throw unusable(ref, 'ECR BatchGetImage answered no sha256 digest');
    const parsed = parse(ref, () => parseManifest(found.imageManifest!, found.imageManifestMediaType));
    if (parsed.kind === 'index') return { digest, platforms: parsed.platforms };
    if ('platform' in parsed) return { digest, platforms: [parsed.platform] };

    // A single image: its config blob. On an emulator, one attempt (moto's answer to it is a 500, which the SDK
    // would otherwise retry with backoff), and no answer is "unknown", said as such.
    const emulator = opts.endpointUrl !== undefined;
    let url: string | undefined;
    try {
      url = await callOnce(await client(emulator ? { maxAttempts: 1 } : {}), { service: 'ECR', operation: 'GetDownloadUrlForLayer', subject: `the config of ${shown(ref, 200)}`, endpoint: opts.endpointUrl }, async (c) =>
        (await c.send(new GetDownloadUrlForLayerCommand({ registryId: ecr.account, repositoryName: image.repository, layerDigest: parsed.configDigest }), at)).downloadUrl);
    } catch (err) {
      if (emulator && !signal?.aborted) return { digest, unknown: `the emulator's ECR does not serve the image config that names the architecture (its GetDownloadUrlForLayer failed${httpStatus(err) ? ` with HTTP ${httpStatus(err)}` : ''})` } satisfies ImagePlatforms;
      throw err;
    }
    if (!url) throw unusable(ref, 'ECR GetDownloadUrlForLayer answered no download URL for the image config');
    const bound = AbortSignal.timeout(callLimits().requestMs);
    let res: Response;
    try {
      res = await fetch(url, { signal: signal ? AbortSignal.any([bound, signal]) : bound });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new AbortError('REGISTRY_UNREACHABLE', `Could not download the image config of --image ${shown(ref, 200)} from the URL ECR gave: ${bound.aborted ? `no answer within ${callLimits().requestMs / 1000} s` : err instanceof Error ? err.message : String(err)}.`, {
        hint: 'ECR hands out image layers from S3 (a pre-signed URL): check the network path to S3 from here, then run again.',
        cause: err,
      });
    }
    if (!res.ok) throw unusable(ref, `the download URL of the image config answered HTTP ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (sha256Digest(bytes) !== parsed.configDigest) throw unusable(ref, `the image config downloaded is not ${parsed.configDigest}`);
    return { digest, platforms: [parse(ref, () => parseImageConfig(bytes))] };
  };
}

/** The HTTP status of an SDK error, or of the one a mapped error wraps. */
function httpStatus(err: unknown): number | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const status = (e as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
    if (typeof status === 'number') return status;
  }
  return undefined;
}

function unusable(ref: string, what: string): AbortError {
  return new AbortError('REGISTRY_ERROR', `Reading the manifest of --image ${shown(ref, 200)} (to check its architecture) failed: ${what}.`, {
    hint: 'Check the image with `aws ecr batch-get-image` (and `docker buildx imagetools inspect <image>`); hello-deploy reads it before any stack changes, to check that its architecture is the one the tasks run (--arch).',
  });
}

function parse<T>(ref: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw unusable(ref, `ECR answered something unusable: ${err instanceof Error ? err.message : String(err)}`);
  }
}
