// destroy's ECR and ACM ports: count and delete a repository's images, and find, describe and delete the ACM
// certificate hello-deploy imported for an ecosystem. The SDKs are loaded on first use; close() ends the sockets.
import type { ACMClient } from '@aws-sdk/client-acm';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { managedTags } from '../../domain/certificates/store.ts';
import type { CertificateCleanupPort, ImageRepositoryPort, ManagedCertificate } from '../../ports/destroy.ts';
import { acmError } from './acm.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { mapAwsError, sdkErrorFacts } from './errors.ts';

/** A bound on paging: more than this is not a hello-deploy repository or account. */
const MAX_LISTED = 10_000;

export function createImageRepositories(opts: AwsOptions): ImageRepositoryPort & { close(): void } {
  let client: Promise<ECRClient> | undefined;
  const ecr = () => (client ??= Promise.all([import('@aws-sdk/client-ecr'), clientConfig(opts)]).then(([m, c]) => new m.ECRClient(c as import('@aws-sdk/client-ecr').ECRClientConfig)));
  const fail = (err: unknown, operation: string, repository: string) => mapAwsError(err, { service: 'ECR', operation, subject: `repository ${repository}`, endpoint: opts.endpointUrl });
  const missing = (err: unknown) => sdkErrorFacts(err).name === 'RepositoryNotFoundException';

  /** Every image id of the repository (ListImages, all pages); undefined when there is no such repository. */
  async function list(repository: string, signal?: AbortSignal) {
    const { ListImagesCommand } = await import('@aws-sdk/client-ecr');
    const ids: import('@aws-sdk/client-ecr').ImageIdentifier[] = [];
    try {
      let token: string | undefined;
      do {
        const page = await (await ecr()).send(new ListImagesCommand({ repositoryName: repository, maxResults: 1000, ...(token ? { nextToken: token } : {}) }), signal ? { abortSignal: signal } : {});
        ids.push(...(page.imageIds ?? []));
        token = page.nextToken;
      } while (token && ids.length < MAX_LISTED);
    } catch (err) {
      if (missing(err)) return undefined;
      throw fail(err, 'ListImages', repository);
    }
    return ids;
  }

  return {
    async count(repository, { signal } = {}) {
      const ids = await list(repository, signal);
      // One image can carry several tags, each listed as an id of its own: count manifests, by digest.
      return ids && new Set(ids.map((i) => i.imageDigest ?? i.imageTag)).size;
    },
    async empty(repository, { signal } = {}) {
      const { BatchDeleteImageCommand } = await import('@aws-sdk/client-ecr');
      const ids = await list(repository, signal);
      if (!ids?.length) return 0;
      const digests = [...new Set(ids.flatMap((i) => (i.imageDigest ? [i.imageDigest] : [])))];
      // By digest: deleting a manifest removes every tag on it. BatchDeleteImage takes at most 100 ids a call
      // (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchDeleteImage.html).
      for (let i = 0; i < digests.length; i += 100) {
        try {
          await (await ecr()).send(new BatchDeleteImageCommand({ repositoryName: repository, imageIds: digests.slice(i, i + 100).map((imageDigest) => ({ imageDigest })) }), signal ? { abortSignal: signal } : {});
        } catch (err) {
          if (missing(err)) return i;
          throw fail(err, 'BatchDeleteImage', repository);
        }
      }
      return digests.length;
    },
    async remove(repository) {
      const { DeleteRepositoryCommand } = await import('@aws-sdk/client-ecr');
      try {
        await (await ecr()).send(new DeleteRepositoryCommand({ repositoryName: repository, force: true }));
        return true;
      } catch (err) {
        if (missing(err)) return false;
        throw fail(err, 'DeleteRepository', repository);
      }
    },
    close() {
      void client?.then((c) => c.destroy());
    },
  };
}

export function createCertificateCleanup(opts: AwsOptions): CertificateCleanupPort & { close(): void } {
  let client: Promise<ACMClient> | undefined;
  const acm = () => (client ??= Promise.all([import('@aws-sdk/client-acm'), clientConfig(opts)]).then(([m, c]) => new m.ACMClient(c as import('@aws-sdk/client-acm').ACMClientConfig)));
  const endpoint = opts.endpointUrl;

  async function tagsOf(arn: string): Promise<Record<string, string>> {
    const { ListTagsForCertificateCommand } = await import('@aws-sdk/client-acm');
    try {
      const out = await (await acm()).send(new ListTagsForCertificateCommand({ CertificateArn: arn }));
      return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    } catch (err) {
      throw acmError(err, 'ListTagsForCertificate', endpoint, arn);
    }
  }

  const port: CertificateCleanupPort & { close(): void } = {
    async describe(arn) {
      const { DescribeCertificateCommand } = await import('@aws-sdk/client-acm');
      let cert;
      try {
        cert = (await (await acm()).send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate;
      } catch (err) {
        if (sdkErrorFacts(err).name === 'ResourceNotFoundException') return undefined;
        throw acmError(err, 'DescribeCertificate', endpoint, arn);
      }
      if (!cert) return undefined;
      const found: ManagedCertificate = { arn, inUseBy: cert.InUseBy ?? [], tags: await tagsOf(arn) };
      if (cert.DomainName) found.domain = cert.DomainName;
      return found;
    },
    async managed(ecosystem) {
      const { ListCertificatesCommand } = await import('@aws-sdk/client-acm');
      const want = managedTags(ecosystem);
      const arns: string[] = [];
      try {
        let token: string | undefined;
        do {
          // Every key type: ListCertificates returns only RSA_1024/RSA_2048 ones unless asked
          // (https://docs.aws.amazon.com/acm/latest/APIReference/API_ListCertificates.html).
          const page = await (await acm()).send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'] }, MaxItems: 100, ...(token ? { NextToken: token } : {}) }));
          for (const s of page.CertificateSummaryList ?? []) if (s.CertificateArn && s.Type !== 'AMAZON_ISSUED') arns.push(s.CertificateArn);
          token = page.NextToken;
        } while (token && arns.length < MAX_LISTED);
      } catch (err) {
        throw acmError(err, 'ListCertificates', endpoint);
      }
      const out: ManagedCertificate[] = [];
      for (const arn of arns) {
        const tags = await tagsOf(arn);
        if (!Object.entries(want).every(([k, v]) => tags[k] === v)) continue;
        const c = await port.describe(arn);
        if (c) out.push(c);
      }
      return out;
    },
    async delete(arn) {
      const { DeleteCertificateCommand } = await import('@aws-sdk/client-acm');
      try {
        await (await acm()).send(new DeleteCertificateCommand({ CertificateArn: arn }));
        return { deleted: true };
      } catch (err) {
        const { name, message } = sdkErrorFacts(err);
        // ACM refuses to delete a certificate a load balancer (or another service) still uses
        // (https://docs.aws.amazon.com/acm/latest/APIReference/API_DeleteCertificate.html).
        if (name === 'ResourceInUseException') return { deleted: false, reason: message };
        if (name === 'ResourceNotFoundException') return { deleted: true };
        throw acmError(err, 'DeleteCertificate', endpoint, arn);
      }
    },
    close() {
      void client?.then((c) => c.destroy());
    },
  };
  return port;
}
