// CertificateStore over ACM (cli/certs/store.ts says what it promises), plus the deploy engine's CertificatePort.
// The SDK is imported inside the functions so `hello-deploy --help` never loads it. Private keys only ever travel
// in the ImportCertificate request body; no message built here includes one.
import { AbortError, type HelloDeployError } from '../../core/errors.ts';
import { loadAndValidatePair, type PemPair } from '../../domain/certificates/pair.ts';
import { type CertificateStore, type StoredCertificate, importPairOnce } from '../../domain/certificates/store.ts';
import { ACM_KEY_ALGORITHM } from '../../domain/certificates/inspect.ts';
import type { CertificatePort, DescribedCertificate } from '../../ports/deploy.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { mapAwsError } from './errors.ts';

type AcmModule = typeof import('@aws-sdk/client-acm');
type AcmClient = InstanceType<AcmModule['ACMClient']>;
type CertificateDetail = NonNullable<import('@aws-sdk/client-acm').DescribeCertificateCommandOutput['Certificate']>;

/** ListCertificates returns only RSA_1024/RSA_2048 unless asked for more; ask for every type we accept. */
const ALL_KEY_TYPES = [...Object.values(ACM_KEY_ALGORITHM), 'RSA_1024'];
/** A bound on paging: more certificates than this in one region is not a hello-deploy account. */
const MAX_LISTED = 1000;

/** Turns an SDK failure into the shared AWS error, with ACM's own readings of a missing or malformed ARN. */
export function acmError(err: unknown, operation: string, endpoint: string | undefined, arn?: string): HelloDeployError {
  const list = listCommand(endpoint);
  return mapAwsError(err, { service: 'ACM', operation, endpoint, subject: arn }, {
    special: ({ name, message }) => {
      if (name === 'ResourceNotFoundException') {
        return new AbortError('ACM_CERTIFICATE_NOT_FOUND', `ACM has no certificate ${arn ?? 'with that ARN'} in this account and region (${operation}).`, {
          hint: `Check the ARN, and that --region / --profile point at the account and region it lives in (\`${list}\`).`,
          cause: err,
        });
      }
      if (name === 'InvalidArnException') {
        return new AbortError('ACM_INVALID_ARN', `ACM rejected the ARN ${arn ?? '(none)'}: ${message}`, { hint: `Copy the ARN from \`${list}\`.`, cause: err });
      }
      return undefined;
    },
    // What ACM refuses in an import is nearly always the pair itself, or a re-import that changes its key usages.
    hints: { AWS_VALIDATION: 'Check the pair with `openssl x509 -in cert.pem -text -noout`; a re-import must keep the same key usages as the original.' },
  });
}

/** The AWS CLI command that lists the certificates where this run looks for them (an emulator too). */
function listCommand(endpoint: string | undefined): string {
  return `aws acm list-certificates${endpoint ? ` --endpoint-url ${endpoint}` : ''}`;
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
    validation: (c.DomainValidationOptions ?? []).flatMap((o) => (o.ResourceRecord?.Name && o.ResourceRecord.Value ? [{ name: o.ResourceRecord.Name, type: o.ResourceRecord.Type ?? 'CNAME', value: o.ResourceRecord.Value }] : [])),
    renewalEligibility: c.RenewalEligibility,
    renewalStatus: c.RenewalSummary?.RenewalStatus,
  };
}

async function resolveRegion(client: AcmClient, endpoint: string | undefined): Promise<string> {
  try {
    return await client.config.region();
  } catch (err) {
    // Only the region is resolved here; a failure names the setup, not a call that was never made.
    throw acmError(err, 'client setup', endpoint);
  }
}

/**
 * An ACM-backed store. Resolves the region now (a UsageError when none is configured) but calls nothing, so it can
 * be created right after input validation and before any file is written.
 */
export async function createAcmStore(opts: AwsOptions): Promise<CertificateStore & { close(): void }> {
  const acm: AcmModule = await import('@aws-sdk/client-acm');
  const client = new acm.ACMClient((await clientConfig(opts)) as import('@aws-sdk/client-acm').ACMClientConfig);
  const endpoint = opts.endpointUrl;
  const region = await resolveRegion(client, endpoint);

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
        if (!out.CertificateArn) throw new AbortError('ACM_FAILED', 'ACM ImportCertificate returned no certificate ARN.', { hint: `Retry; check \`${listCommand(endpoint)}\`.` });
        return out.CertificateArn;
      } catch (err) {
        throw acmError(err, 'ImportCertificate', endpoint);
      }
    },
    async reimportCertificate(arn, pair) {
      try {
        // No Tags here: ACM refuses tags on a re-import and keeps the certificate's existing ones.
        const out = await client.send(new acm.ImportCertificateCommand({ ...bodyOf(pair), CertificateArn: arn }));
        return out.CertificateArn ?? arn;
      } catch (err) {
        throw acmError(err, 'ImportCertificate', endpoint, arn);
      }
    },
    async describeCertificate(arn) {
      try {
        const out = await client.send(new acm.DescribeCertificateCommand({ CertificateArn: arn }));
        if (out.Certificate === undefined) throw new AbortError('ACM_CERTIFICATE_NOT_FOUND', `ACM described no certificate for ${arn}.`, { hint: 'Check the ARN and region.' });
        return toStored(out.Certificate, arn);
      } catch (err) {
        throw acmError(err, 'DescribeCertificate', endpoint, arn);
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
        throw acmError(err, 'ListCertificates', endpoint);
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
        throw acmError(err, 'ListTagsForCertificate', endpoint, arn);
      }
    },
    async certificatePemOf(arn) {
      try {
        const out = await client.send(new acm.GetCertificateCommand({ CertificateArn: arn }));
        return out.Certificate;
      } catch (err) {
        throw acmError(err, 'GetCertificate', endpoint, arn);
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
      const result: DescribedCertificate = { arn: cert.arn, names: cert.sans };
      if (cert.domainName !== undefined) result.domain = cert.domainName;
      if (cert.notAfter !== undefined) result.notAfter = cert.notAfter;
      if (cert.keyAlgorithm !== undefined) result.keyAlgorithm = cert.keyAlgorithm;
      if (cert.status !== undefined) result.status = cert.status;
      if (cert.validation?.length) result.validation = cert.validation;
      if (cert.type !== undefined) result.type = cert.type;
      if (cert.renewalEligibility !== undefined) result.renewalEligibility = cert.renewalEligibility;
      if (cert.renewalStatus !== undefined) result.renewalStatus = cert.renewalStatus;
      return result;
    },
    async importPair(certFile, keyFile, ecosystem) {
      const pair = await loadAndValidatePair(certFile, keyFile);
      return importPairOnce(await getStore(), pair, ecosystem);
    },
  };
}
