// The prerequisite checks, written once: the deploy's first step (check-prerequisites.ts) and the wizard's
// checklist (through WizardServices, cli/commands/wizard-services.ts) run these same functions over the same
// narrow ports, so a prerequisite cannot pass in one front end and fail in the other. Each resolves to a result
// instead of throwing: the step rethrows the error as it was (exit code intact), the wizard shows it on its row.
import { AbortError, toHelloDeployError, type HelloDeployError } from '../core/errors.ts';
import { expiryStatus, type ExpiryStatus } from '../domain/certificates/store.ts';
import { parseProfile } from '../domain/parsers.ts';
import type { CertificatePort, DockerPort, FileCheck, Identity, IdentityPort } from '../ports/deploy.ts';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: HelloDeployError };

/** Runs f, catching what it throws as the failed result. */
export async function checked<T>(f: () => Promise<T>): Promise<Checked<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (err) {
    return { ok: false, error: toHelloDeployError(err) };
  }
}

/** The value, or the check's own error thrown again: what a step does with a failed check. */
export function valueOf<T>(r: Checked<T>): T {
  if (!r.ok) throw r.error;
  return r.value;
}

/**
 * AWS credentials and region: STS GetCallerIdentity. A profile name AWS could never find is refused first, with
 * its fix and without a call (the deploy's flags were parsed already; the wizard's profile is typed in place).
 */
export function checkIdentity(identity: IdentityPort, profile?: string): Promise<Checked<Identity>> {
  return checked(async () => {
    if (profile !== undefined) parseProfile(profile);
    return identity.whoAmI();
  });
}

/** The Docker engine answers (only asked when an image has to be built: not with --image). */
export function checkDocker(docker: Pick<DockerPort, 'ping'>): Promise<Checked<{ serverVersion: string }>> {
  return checked(() => docker.ping());
}

/** The one error for missing project files, naming every one of them (the checklist shows it on its row too). */
export function templatesMissing(missing: readonly string[]): AbortError {
  const message = missing.length === 1 ? `Template ${missing[0]} is missing or unreadable.` : `Templates ${missing.join(', ')} are missing or unreadable.`;
  return new AbortError('TEMPLATE_MISSING', message, { hint: 'Run hello-deploy from the project folder, or reinstall the package.' });
}

export type TemplatesChecked = { ok: true; value: string[] } | { ok: false; error: AbortError; missing: string[] };

/** The templates (and whatever else the caller names, e.g. the Dockerfile) are readable; the failure lists what is not. */
export async function checkTemplates(files: Pick<FileCheck, 'readable'>, paths: readonly string[]): Promise<TemplatesChecked> {
  const missing: string[] = [];
  for (const p of paths) if (!(await files.readable(p))) missing.push(p);
  return missing.length === 0 ? { ok: true, value: [...paths] } : { ok: false, error: templatesMissing(missing), missing };
}

export type CertificateToCheck = { kind: 'arn'; arn: string } | { kind: 'pair'; certFile: string; keyFile: string };

export interface CertificateChecked {
  arn: string;
  domain?: string;
  notAfter?: Date;
  /** For a pair: an identical earlier import was reused instead of importing again. */
  reused?: boolean;
  /** ACM never renews imported certificates: 'expiring' under 30 days, 'expired' past its date. */
  expiry: ExpiryStatus;
}

/**
 * The HTTPS listener's certificate in ACM: an ARN must exist (DescribeCertificate); a local pair is validated and
 * imported tagged with the ecosystem, or an identical earlier import is reused.
 */
export function checkCertificate(certs: CertificatePort, certificate: CertificateToCheck, ecosystem: string, now: Date = new Date()): Promise<Checked<CertificateChecked>> {
  return checked(async () => {
    const found = certificate.kind === 'arn' ? await certs.describe(certificate.arn) : await certs.importPair(certificate.certFile, certificate.keyFile, ecosystem);
    return { ...found, expiry: expiryStatus({ arn: found.arn, notAfter: found.notAfter }, now) };
  });
}
