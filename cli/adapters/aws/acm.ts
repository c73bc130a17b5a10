// CertificateStore over ACM (cli/certs/store.ts says what it promises), plus the deploy engine's CertificatePort.
// The SDK is imported inside the functions so `hello-deploy --help` never loads it. Private keys only ever travel
// in the ImportCertificate request body; no message built here includes one.
import { AbortError, HelloDeployError, UsageError } from '../../core/errors.ts';
import { loadAndValidatePair, type PemPair } from '../../domain/certificates/pair.ts';
import { type CertificateStore, type StoredCertificate, importPairOnce } from '../../domain/certificates/store.ts';
import { ACM_KEY_ALGORITHM } from '../../domain/certificates/inspect.ts';
import type { CertificatePort } from '../../ports/deploy.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { credentialError } from './sts.ts';

type AcmModule = typeof import('@aws-sdk/client-acm');
type AcmClient = InstanceType<AcmModule['ACMClient']>;
type CertificateDetail = NonNullable<import('@aws-sdk/client-acm').DescribeCertificateCommandOutput['Certificate']>;

/** ListCertificates returns only RSA_1024/RSA_2048 unless asked for more; ask for every type we accept. */
const ALL_KEY_TYPES = [...Object.values(ACM_KEY_ALGORITHM), 'RSA_1024'];
/** A bound on paging: more certificates than this in one region is not a hello-deploy account. */
const MAX_LISTED = 1000;

function awsErrorName(err: unknown): string {
  return err instanceof Error ? err.name : 'Error';
}

/** Turns an SDK failure into an AbortError (exit 1) that says which call failed and what to try. */
export function acmError(err: unknown, operation: string, arn?: string): HelloDeployError {
  if (err instanceof HelloDeployError) return err;
  const credentials = credentialError(err);
  if (credentials !== undefined) return credentials;
  const name = awsErrorName(err);
  const message = err instanceof Error ? err.message : String(err);
  const cause = err;
  switch (name) {
    case 'ResourceNotFoundException':
      return new AbortError('ACM_CERTIFICATE_NOT_FOUND', `ACM has no certificate ${arn ?? 'with that ARN'} in this account and region (${operation}).`, {
        hint: 'Check the ARN, and that --region / --profile point at the account and region it lives in (`aws acm list-certificates`).',
        cause,
      });
    case 'InvalidArnException':
      return new AbortError('ACM_INVALID_ARN', `ACM rejected the ARN ${arn ?? '(none)'}: ${message}`, { hint: 'Copy the ARN from `aws acm list-certificates`.', cause });
    case 'ValidationException':
    case 'InvalidParameterException':
      return new AbortError('ACM_REJECTED', `ACM ${operation} rejected the request: ${message}`, {
        hint: 'Check the pair with `openssl x509 -in cert.pem -text -noout`; a re-import must keep the same key usages as the original.',
        cause,
      });
    case 'LimitExceededException':
    case 'TooManyTagsException':
      return new AbortError('ACM_LIMIT', `ACM ${operation} hit an account limit: ${message}`, { hint: 'Delete certificates you no longer use, or ask AWS for a higher quota.', cause });
    case 'AccessDeniedException':
      return new AbortError('ACM_ACCESS_DENIED', `Not allowed to call ACM ${operation}: ${message}`, { hint: `Grant acm:${operation} to your identity, or use another --profile.`, cause });
    default: {
      const network = /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|socket hang up/i.test(`${name} ${message}`);
      return new AbortError(network ? 'AWS_UNREACHABLE' : 'ACM_FAILED', `ACM ${operation} failed: ${name}: ${message}`, {
        hint: network ? 'Check your network path to AWS, or the --endpoint-url you gave.' : 'Retry; if it persists, run the same call with the AWS CLI to see more.',
        cause,
      });
    }
  }
}

function toStored(c: CertificateDetail, fallbackArn: string): StoredCertificate {
  return {
    arn: c.CertificateArn ?? fallbackArn,
    domainName: c.DomainName,
    sans: c.SubjectAlternativeNames ?? [],
    notBefore: c.NotBefore,
    notAfter: c.NotAfter,
    status: c.Status,
    type: c.Type,
    keyAlgorithm: c.KeyAlgorithm,
    serial: c.Serial,
    inUseBy: c.InUseBy ?? [],
  };
}

async function resolveRegion(client: AcmClient): Promise<string> {
  try {
    return await client.config.region();
  } catch (err) {
    throw new UsageError('AWS_REGION', 'No AWS region is configured.', {
      hint: 'Pass --region, set AWS_REGION, or set a region in your profile (`aws configure`).',
      cause: err,
    });
  }
}

/**
 * An ACM-backed store. Resolves the region now (a UsageError when none is configured) but calls nothing, so it can
 * be created right after input validation and before any file is written.
 */
export async function createAcmStore(opts: AwsOptions): Promise<CertificateStore & { close(): void }> {
  const acm: AcmModule = await import('@aws-sdk/client-acm');
  const client = new acm.ACMClient((await clientConfig(opts)) as import('@aws-sdk/client-acm').ACMClientConfig);
  const region = await resolveRegion(client);

  const bodyOf = (pair: PemPair) => ({
    Certificate: Buffer.from(pair.certificatePem),
    PrivateKey: Buffer.from(pair.privateKeyPem),
    ...(pair.chainPem === undefined ? {} : { CertificateChain: Buffer.from(pair.chainPem) }),
  });

  const store: CertificateStore & { close(): void } = {
    region,
    async importCertificate(pair, tags) {
      try {
        const out = await client.send(new acm.ImportCertificateCommand({ ...bodyOf(pair), Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));
        if (!out.CertificateArn) throw new AbortError('ACM_FAILED', 'ACM ImportCertificate returned no certificate ARN.', { hint: 'Retry; check `aws acm list-certificates`.' });
        return out.CertificateArn;
      } catch (err) {
        throw acmError(err, 'ImportCertificate');
      }
    },
    async reimportCertificate(arn, pair) {
      try {
        // No Tags here: ACM refuses tags on a re-import and keeps the certificate's existing ones.
        const out = await client.send(new acm.ImportCertificateCommand({ ...bodyOf(pair), CertificateArn: arn }));
        return out.CertificateArn ?? arn;
      } catch (err) {
        throw acmError(err, 'ImportCertificate', arn);
      }
    },
    async describeCertificate(arn) {
      try {
        const out = await client.send(new acm.DescribeCertificateCommand({ CertificateArn: arn }));
        if (out.Certificate === undefined) throw new AbortError('ACM_CERTIFICATE_NOT_FOUND', `ACM described no certificate for ${arn}.`, { hint: 'Check the ARN and region.' });
        return toStored(out.Certificate, arn);
      } catch (err) {
        throw acmError(err, 'DescribeCertificate', arn);
      }
    },
    async listCertificates() {
      const arns: string[] = [];
      try {
        let token: string | undefined;
        do {
          const page = await client.send(new acm.ListCertificatesCommand({
            Includes: { keyTypes: ALL_KEY_TYPES as import('@aws-sdk/client-acm').KeyAlgorithm[] },
            MaxItems: 100,
            ...(token === undefined ? {} : { NextToken: token }),
          }));
          for (const s of page.CertificateSummaryList ?? []) if (s.CertificateArn) arns.push(s.CertificateArn);
          token = page.NextToken;
        } while (token !== undefined && arns.length < MAX_LISTED);
      } catch (err) {
        throw acmError(err, 'ListCertificates');
      }
      // Summaries differ between ACM and emulators (SANs, dates); DescribeCertificate is the one complete answer.
      const out: StoredCertificate[] = [];
      for (const arn of arns) out.push(await store.describeCertificate(arn));
      return out;
    },
    async tagsOf(arn) {
      try {
        const out = await client.send(new acm.ListTagsForCertificateCommand({ CertificateArn: arn }));
        return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
      } catch (err) {
        throw acmError(err, 'ListTagsForCertificate', arn);
      }
    },
    async certificatePemOf(arn) {
      try {
        const out = await client.send(new acm.GetCertificateCommand({ CertificateArn: arn }));
        return out.Certificate;
      } catch (err) {
        throw acmError(err, 'GetCertificate', arn);
      }
    },
    close() {
      client.destroy();
    },
  };
  return store;
}

/** The deploy engine's CertificatePort: describe an ARN, or validate + import (reusing an identical import). */
export function createCertificatePort(opts: AwsOptions): CertificatePort {
  let store: Promise<CertificateStore> | undefined;
  const getStore = () => (store ??= createAcmStore(opts));
  return {
    async describe(arn) {
      const cert = await (await getStore()).describeCertificate(arn);
      const result: { arn: string; domain?: string; notAfter?: Date } = { arn: cert.arn };
      if (cert.domainName !== undefined) result.domain = cert.domainName;
      if (cert.notAfter !== undefined) result.notAfter = cert.notAfter;
      return result;
    },
    async importPair(certFile, keyFile, ecosystem) {
      const pair = await loadAndValidatePair(certFile, keyFile);
      return importPairOnce(await getStore(), pair, ecosystem);
    },
  };
}
