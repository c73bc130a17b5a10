// RegistryAuthPort over ECR: the SDK equivalent of `aws ecr get-login-password`. The token is a base64
// "user:password" pair valid for 12 hours; the registry host comes from the proxy endpoint. RepositoryPort: does a
// repository exist (DescribeRepositories). ImageDigestPort for ECR references: what a tag points to (DescribeImages),
// and what the image runs on (ecr-platforms.ts).
import { AbortError, BugError } from '../../core/errors.ts';
import { ecrRegistryOf, imageNotFound } from '../../domain/image-ref.ts';
import { shown } from '../../domain/shown.ts';
import type { ImageDigestPort, RegistryAuthPort, RegistryLogin, RepositoryPort } from '../../ports/deploy.ts';
import type { ImageHistoryPort } from '../../ports/rollback.ts';
import type { PushedImage } from '../../domain/rollback-target.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { callOnce } from './errors.ts';
import { createEcrImagePlatforms } from './ecr-platforms.ts';

export function createEcrAuth(opts: AwsOptions): RegistryAuthPort {
  return {
    async getLogin(): Promise<RegistryLogin> {
      // Lazy import: `--help` and the commands that never push must not pay for loading the ECR client.
      const { ECRClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
      const client = new ECRClient((await clientConfig(opts)) as import('@aws-sdk/client-ecr').ECRClientConfig);
      return callOnce(client, { service: 'ECR', operation: 'GetAuthorizationToken', endpoint: opts.endpointUrl }, async (ecr) => {
        const data = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
        if (!data?.authorizationToken || !data.proxyEndpoint) {
          throw new AbortError('ECR_AUTH_FAILED', 'ECR GetAuthorizationToken returned no token', {
            hint: 'Check that ECR is available in this region and that your identity may call ecr:GetAuthorizationToken.',
          });
        }
        return decodeAuthorization(data.authorizationToken, data.proxyEndpoint);
      });
    },
  };
}

export function createEcrRepositories(opts: AwsOptions): RepositoryPort {
  return {
    async exists(name: string): Promise<boolean> {
      const { ECRClient, DescribeRepositoriesCommand } = await import('@aws-sdk/client-ecr');
      const client = new ECRClient((await clientConfig(opts)) as import('@aws-sdk/client-ecr').ECRClientConfig);
      return callOnce(client, { service: 'ECR', operation: 'DescribeRepositories', subject: `repository ${name}`, endpoint: opts.endpointUrl }, async (ecr) => {
        try {
          const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
          return (out.repositories ?? []).some((r) => r.repositoryName === name);
        } catch (err) {
          // The answer "no", not a failure: the deploy then says how to bring the repository back.
          if ((err as { name?: unknown }).name === 'RepositoryNotFoundException') return false;
          throw err;
        }
      });
    },
  };
}

/** 1,000 images a page (DescribeImages' maximum) × 20 pages: a repository past 20,000 images is cut, and said so. */
export const HISTORY_PAGES = 20;

/**
 * The repository's images with their tags and push times, for a rollback: ECR DescribeImages, every page
 * (`maxResults` 1-1000 with `nextToken`: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html),
 * at most HISTORY_PAGES of them; each page is one bounded call (clientConfig). A missing repository is undefined.
 */
export function createEcrImageHistory(opts: AwsOptions): ImageHistoryPort {
  return {
    async history(repositoryName, { signal } = {}) {
      const { ECRClient, DescribeImagesCommand } = await import('@aws-sdk/client-ecr');
      const client = new ECRClient((await clientConfig(opts)) as import('@aws-sdk/client-ecr').ECRClientConfig);
      return callOnce(client, { service: 'ECR', operation: 'DescribeImages', subject: `repository ${repositoryName}`, endpoint: opts.endpointUrl }, async (ecr) => {
        const images: PushedImage[] = [];
        let nextToken: string | undefined;
        for (let page = 0; page < HISTORY_PAGES; page++) {
          let out;
          try {
            out = await ecr.send(new DescribeImagesCommand({ repositoryName, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }), signal ? { abortSignal: signal } : {});
          } catch (err) {
            if ((err as { name?: unknown }).name === 'RepositoryNotFoundException') return undefined;
            throw err;
          }
          for (const d of out.imageDetails ?? []) {
            if (d.imageDigest) images.push({ digest: d.imageDigest, tags: d.imageTags ?? [], ...(d.imagePushedAt ? { pushedAt: d.imagePushedAt } : {}) });
          }
          nextToken = out.nextToken;
          if (!nextToken) return images;
        }
        throw new AbortError('AWS_LIMIT_EXCEEDED', `The ECR repository ${repositoryName} holds more than ${HISTORY_PAGES * 1000} images; hello-deploy reads at most that many to find the previous one.`, {
          hint: 'Pass --to <tag|sha256:digest>, or expire old images with a lifecycle policy.',
        });
      });
    },
  };
}

/**
 * The digest an ECR tag points to, from ECR DescribeImages with `imageIds: [{ imageTag }]`
 * (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html): `imageDetails[0].imageDigest`
 * is the manifest digest ECS pulls by; a tag the repository lacks is ImageNotFoundException and a missing
 * repository RepositoryNotFoundException. The registry id is the account in the host name, and the call goes to
 * the region in it (an image may live in another region than the deploy; ECS pulls across regions).
 */
export function createEcrImageDigests(opts: AwsOptions): ImageDigestPort {
  return {
    platforms: createEcrImagePlatforms(opts),
    async resolve(image, { signal } = {}) {
      const ecr = ecrRegistryOf(image.registry);
      if (!ecr) throw new BugError(`${image.registry} is not an ECR registry host`);
      const ref = `${image.registry}/${image.repository}:${image.tag}`;
      const { ECRClient, DescribeImagesCommand } = await import('@aws-sdk/client-ecr');
      const client = new ECRClient({ ...(await clientConfig(opts)), region: ecr.region } as import('@aws-sdk/client-ecr').ECRClientConfig);
      return callOnce(client, { service: 'ECR', operation: 'DescribeImages', subject: `image ${shown(ref, 200)}`, endpoint: opts.endpointUrl }, async (c) => {
        let digest: string | undefined;
        try {
          const out = await c.send(new DescribeImagesCommand({ registryId: ecr.account, repositoryName: image.repository, imageIds: [{ imageTag: image.tag }] }), signal ? { abortSignal: signal } : {});
          digest = out.imageDetails?.[0]?.imageDigest;
        } catch (err) {
          const name = (err as { name?: unknown }).name;
          if (name === 'ImageNotFoundException') throw imageNotFound(ref, `ECR repository ${shown(image.repository, 200)} in ${ecr.region} has no tag ${shown(image.tag)}`);
          if (name === 'RepositoryNotFoundException') throw imageNotFound(ref, `account ${ecr.account} has no ECR repository ${shown(image.repository, 200)} in ${ecr.region}`);
          throw err;
        }
        if (!digest || !/^sha256:[a-f0-9]{64}$/.test(digest)) {
          throw new AbortError('REGISTRY_ERROR', `ECR DescribeImages answered no sha256 digest for ${shown(ref, 200)}.`, { hint: 'Pass --image <repository>@sha256:<digest> (`aws ecr describe-images` shows it).' });
        }
        return { digest };
      });
    },
  };
}

/** `QVdTOnNlY3JldA==` + `https://123.dkr.ecr.r.amazonaws.com` → { registry: '123.dkr.ecr.r.amazonaws.com', username: 'AWS', password: 'secret' }. */
export function decodeAuthorization(token: string, proxyEndpoint: string): RegistryLogin {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    // Never echo the token: it is a credential.
    throw new AbortError('ECR_AUTH_FAILED', 'ECR returned an authorization token that is not "user:password"', {
      hint: 'Retry; if it persists, compare with `aws ecr get-login-password`.',
    });
  }
  const registry = proxyEndpoint.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  return { registry, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
