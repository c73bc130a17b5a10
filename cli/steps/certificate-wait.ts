// --domain: while the infra stack creates the ACM certificate, watch its DNS validation. The record to wait on comes
// from DescribeCertificate's DomainValidationOptions[].ResourceRecord
// (https://docs.aws.amazon.com/acm/latest/APIReference/API_DomainValidation.html); the certificate's ARN from the
// stack event of DomainCertificate, whose physical id is the ARN. With a Route 53 zone CloudFormation writes the
// record itself; without one the user must add it at their DNS provider, so it is printed the moment it is known.
// Bounded by --domain-wait: past it the run stops (exit 1) naming the record. Without a Route 53 zone the stack
// stays in CREATE_IN_PROGRESS until the CNAME is added
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-certificatemanager-certificate.html,
// which also says Ref, so the physical id, is the certificate's ARN), so the same command run again picks it up.
import { AbortError } from '../core/errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { CertificatePort, StackEventInfo, ValidationRecord } from '../ports/deploy.ts';

/** Default --domain-wait: ACM validates a DNS record within minutes of it being visible. */
export const DOMAIN_WAIT_MS = 10 * 60_000;
/** Between two DescribeCertificate calls. */
export const DOMAIN_POLL_MS = 15_000;
/** The template's logical id of the certificate (infra/hello-world-infra.yaml, HasDomain). */
export const CERTIFICATE_LOGICAL_ID = 'DomainCertificate';

/**
 * The certificate's ARN from a stack event of DomainCertificate, once it has one. What this relies on is what
 * CloudFormation documents for AWS::CertificateManager::Certificate
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-certificatemanager-certificate.html):
 * Ref, the resource's physical id, is the certificate's ARN, and the stack stays CREATE_IN_PROGRESS until the
 * certificate is validated, so its CREATE_IN_PROGRESS events are where the ARN shows while the wait runs. The status
 * reason those events carry ("Content of DNS Record is: {Name: …, Type: CNAME, Value: …}") is quoted only by
 * community sources, never by AWS's docs: it is not parsed; the record comes from DescribeCertificate, which is.
 */
export function certificateArnOf(e: Pick<StackEventInfo, 'logicalId' | 'physicalId'>): string | undefined {
  return e.logicalId === CERTIFICATE_LOGICAL_ID && e.physicalId?.startsWith('arn:') ? e.physicalId : undefined;
}

export interface CertificateWatch {
  domain: string;
  /** The zone CloudFormation writes the record into, or null: the user adds it at another DNS provider. */
  zone: { name: string } | null;
  /** The certificate's ARN once the stack has made it. */
  arn(): string | undefined;
  boundMs: number;
  signal: AbortSignal;
  onProgress(message: string): void;
  /** Once, when the validation record is first known (`byHand`: no zone, the user must add it). */
  onRecord(record: ValidationRecord, byHand: boolean): void;
}

export const minutes = (ms: number): string => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
};

export const recordLine = (r: ValidationRecord): string => `${r.name} ${r.type} ${r.value}`;

/**
 * Polls until the certificate is ISSUED (resolves undefined), the signal aborts (undefined), or the bound passes
 * (resolves the DOMAIN_NOT_VALIDATED error for the caller to throw once the stack wait has stopped).
 */
export async function watchCertificate(certs: CertificatePort, clock: Clock, w: CertificateWatch): Promise<AbortError | undefined> {
  const started = clock.now();
  let record: ValidationRecord | undefined;
  const bound = minutes(w.boundMs);
  while (!w.signal.aborted) {
    const elapsed = clock.now() - started;
    const arn = w.arn();
    let status: string | undefined;
    if (arn) {
      // A read that fails (throttled, a blip) is tried again next round: the stack wait is what fails the step.
      const d = await certs.describe(arn).catch(() => undefined);
      status = d?.status;
      const r = d?.validation?.[0];
      if (r && !record) {
        record = r;
        w.onRecord(r, w.zone === null);
      }
    }
    if (status === 'ISSUED') {
      w.onProgress(`certificate for ${w.domain} issued after ${minutes(elapsed)}`);
      return undefined;
    }
    if (status === 'FAILED' || status === 'VALIDATION_TIMED_OUT') return notValidated(w, record, `ACM marked the certificate ${status}`);
    if (elapsed >= w.boundMs) return notValidated(w, record, `it was not validated within ${bound} (--domain-wait)`);
    const what = record ? `validation record ${recordLine(record)}${w.zone ? ` in zone ${w.zone.name}` : ' at your DNS provider'}` : 'the certificate and its validation record';
    w.onProgress(`waiting for ${what}: ${minutes(elapsed)} of at most ${bound}`);
    await clock.sleep(DOMAIN_POLL_MS, w.signal);
  }
  return undefined;
}

function notValidated(w: CertificateWatch, record: ValidationRecord | undefined, why: string): AbortError {
  const rec = record ? `the CNAME ${recordLine(record)}` : 'its validation CNAME (not known yet: `aws acm describe-certificate` shows it)';
  const where = w.zone ? `CloudFormation adds it to the Route 53 zone ${w.zone.name}; check that the zone is the one the domain's registrar delegates to` : `add ${rec} at your DNS provider`;
  return new AbortError('DOMAIN_NOT_VALIDATED', `The certificate for ${w.domain} is not issued: ${why}. It waits for ${rec}.`, {
    hint: `${where}. CloudFormation keeps waiting for the certificate meanwhile; run the same command again (with a longer --domain-wait if needed): it waits for the stack in flight, then goes on.`,
  });
}
