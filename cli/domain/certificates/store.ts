// The certificate store the rest of hello-deploy talks to (ACM behind it: cli/aws/acm.ts), and the operations on
// top of it that generate-certs, the wizard and the deploy engine share: import with our tags, rotate in place,
// reuse an earlier import of the same pair, and find certificates with their expiry. ACM never renews imported
// certificates, so every listing carries an expiry status and a warning when fewer than 30 days remain.
import { AbortError } from '../../core/errors.ts';
import { certInfoFromPem, daysUntil } from './inspect.ts';
import type { PemPair } from './pair.ts';

export const MANAGED_BY = 'hello-deploy';
export const EXPIRY_WARNING_DAYS = 30;

export interface StoredCertificate {
  arn: string;
  domainName: string | undefined;
  sans: string[];
  notBefore: Date | undefined;
  notAfter: Date | undefined;
  /** ISSUED, EXPIRED, … */
  status: string | undefined;
  /** IMPORTED, AMAZON_ISSUED, PRIVATE */
  type: string | undefined;
  keyAlgorithm: string | undefined;
  serial: string | undefined;
  inUseBy: string[];
  /** DomainValidationOptions[].ResourceRecord: what DNS validation looks for (ACM-issued certificates). */
  validation?: { name: string; type: string; value: string }[];
  /** ELIGIBLE or INELIGIBLE: whether ACM renews it (an imported certificate never is). */
  renewalEligibility?: string | undefined;
  /** RenewalSummary.RenewalStatus (PENDING_AUTO_RENEWAL, SUCCESS, …) once ACM has started a renewal. */
  renewalStatus?: string | undefined;
}

/** What cli/aws/acm.ts implements. Every method throws a HelloDeployError (AbortError for AWS failures). */
export interface CertificateStore {
  /** The region the store works in (resolved from flags, env or profile). */
  readonly region: string;
  importCertificate(pair: PemPair, tags: Record<string, string>): Promise<string>;
  /** ImportCertificate with CertificateArn: same ARN, new content; listeners using it keep working. */
  reimportCertificate(arn: string, pair: PemPair): Promise<string>;
  describeCertificate(arn: string): Promise<StoredCertificate>;
  /** Every certificate in the region, of every key type and status. */
  listCertificates(): Promise<StoredCertificate[]>;
  tagsOf(arn: string): Promise<Record<string, string>>;
  /** The certificate body ACM holds (GetCertificate), for recognising a pair already imported. */
  certificatePemOf(arn: string): Promise<string | undefined>;
}

export interface ExpiryStatus {
  daysLeft: number | undefined;
  state: 'ok' | 'expiring' | 'expired' | 'unknown';
  /** Set for 'expiring' and 'expired': a sentence that says what to do. */
  warning?: string;
}

export function expiryStatus(cert: { arn: string; notAfter: Date | undefined }, now: Date = new Date(), warnDays = EXPIRY_WARNING_DAYS): ExpiryStatus {
  if (cert.notAfter === undefined) return { daysLeft: undefined, state: 'unknown' };
  const daysLeft = daysUntil(cert.notAfter, now);
  const rotate = `rotate it with \`hello-deploy generate-certs --force --rotate ${cert.arn}\``;
  if (cert.notAfter.getTime() <= now.getTime()) {
    return { daysLeft, state: 'expired', warning: `Certificate ${cert.arn} expired on ${cert.notAfter.toISOString()}; ACM does not renew imported certificates: ${rotate}.` };
  }
  if (daysLeft < warnDays) {
    return { daysLeft, state: 'expiring', warning: `Certificate ${cert.arn} expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${cert.notAfter.toISOString()}) and ACM does not renew imported certificates: ${rotate}.` };
  }
  return { daysLeft, state: 'ok' };
}

export function managedTags(ecosystem: string): Record<string, string> {
  return { Ecosystem: ecosystem, ManagedBy: MANAGED_BY };
}

export interface CertificateQuery {
  /** Matches the certificate's domain name or any SAN, case-insensitively; a `*.example.com` entry matches one label. */
  domain?: string;
  /** Every given tag must be present with this value. */
  tags?: Record<string, string>;
  /** Only certificates of type IMPORTED (default true): the ones that need rotating. */
  importedOnly?: boolean;
  now?: Date;
  warnDays?: number;
}

export interface FoundCertificate extends StoredCertificate {
  tags: Record<string, string>;
  expiry: ExpiryStatus;
}

function nameMatches(pattern: string, domain: string): boolean {
  const p = pattern.toLowerCase();
  const d = domain.toLowerCase();
  if (p === d) return true;
  if (!p.startsWith('*.')) return false;
  const rest = d.split('.').slice(1).join('.');
  return d.includes('.') && rest === p.slice(2);
}

/** Certificates matching a domain and/or tags, each with its tags and expiry status, soonest expiry first. */
export async function findCertificates(store: CertificateStore, query: CertificateQuery): Promise<FoundCertificate[]> {
  const now = query.now ?? new Date();
  const all = await store.listCertificates();
  const found: FoundCertificate[] = [];
  for (const cert of all) {
    if ((query.importedOnly ?? true) && cert.type !== undefined && cert.type !== 'IMPORTED') continue;
    if (query.domain !== undefined) {
      const names = [cert.domainName, ...cert.sans].filter((n): n is string => n !== undefined);
      if (!names.some((n) => nameMatches(n, query.domain ?? ''))) continue;
    }
    const tags = await store.tagsOf(cert.arn);
    if (query.tags !== undefined && !Object.entries(query.tags).every(([k, v]) => tags[k] === v)) continue;
    found.push({ ...cert, tags, expiry: expiryStatus(cert, now, query.warnDays) });
  }
  return found.sort((a, b) => (a.notAfter?.getTime() ?? Infinity) - (b.notAfter?.getTime() ?? Infinity));
}

/** Imports a new certificate tagged Ecosystem=<ecosystem>, ManagedBy=hello-deploy. */
export async function importPair(store: CertificateStore, pair: PemPair, ecosystem: string): Promise<{ arn: string }> {
  return { arn: await store.importCertificate(pair, managedTags(ecosystem)) };
}

/** Describes `arn` and refuses ACM-issued certificates (they renew themselves and cannot be re-imported). */
export async function requireImported(store: CertificateStore, arn: string): Promise<StoredCertificate> {
  const cert = await store.describeCertificate(arn);
  if (cert.type !== undefined && cert.type !== 'IMPORTED') {
    throw new AbortError('ACM_NOT_IMPORTED', `Certificate ${arn} is ${cert.type}, not imported; only imported certificates can be re-imported.`, {
      hint: 'ACM renews the certificates it issues by itself; use --import-acm to import a new one instead.',
    });
  }
  return cert;
}

/** Re-imports into an existing ARN; ACM keeps the ARN and its tags (tags cannot be passed on a re-import). */
export async function rotateCertificate(store: CertificateStore, arn: string, pair: PemPair): Promise<{ arn: string; previous: StoredCertificate }> {
  const previous = await requireImported(store, arn);
  return { arn: await store.reimportCertificate(arn, pair), previous };
}

/**
 * The deploy engine's "import unless already there": an imported certificate tagged for this ecosystem whose body is
 * byte-for-byte this certificate (same SHA-256 fingerprint) is reused; otherwise the pair is imported.
 */
export async function importPairOnce(store: CertificateStore, pair: PemPair, ecosystem: string): Promise<{ arn: string; reused: boolean; notAfter: Date }> {
  const mine = certInfoFromPem(pair.certificatePem);
  const candidates = await findCertificates(store, { tags: managedTags(ecosystem) });
  for (const c of candidates) {
    const body = await store.certificatePemOf(c.arn);
    if (body !== undefined && certInfoFromPem(body).fingerprintSha256 === mine.fingerprintSha256) {
      return { arn: c.arn, reused: true, notAfter: mine.notAfter };
    }
  }
  const { arn } = await importPair(store, pair, ecosystem);
  return { arn, reused: false, notAfter: mine.notAfter };
}
