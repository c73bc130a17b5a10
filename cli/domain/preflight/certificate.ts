// Whether an ACM certificate fits the HTTPS listener, from what DescribeCertificate says. Each rule is one the
// listener's create would fail on, minutes into the stack:
// - same region: a load balancer uses certificates of its own region only (an ARN names its region);
// - key: the ALB listener serves RSA 2048, 3072 and 4096-bit keys and ECDSA P-256, P-384 and P-521
//   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html);
//   ACM also holds RSA 1024-bit imports, which the listener refuses;
// - status ISSUED (a certificate pending validation, expired or revoked is not served), and not past NotAfter;
// - a name: the listener needs a certificate that covers a domain name (CN or a subjectAltName).
import { ACM_KEY_ALGORITHM, SUPPORTED_KEY_TYPES } from '../certificates/inspect.ts';
import type { Problem } from './report.ts';

/** ACM's KeyAlgorithm values an ALB HTTPS listener accepts. */
export const LISTENER_KEY_ALGORITHMS: readonly string[] = SUPPORTED_KEY_TYPES.map((t) => ACM_KEY_ALGORITHM[t]);

export interface CertificateFacts {
  arn: string;
  keyAlgorithm?: string;
  status?: string;
  notAfter?: Date;
  domain?: string;
  names?: readonly string[];
}

/** The region in an ACM ARN (arn:aws:acm:<region>:<account>:certificate/<id>). */
export const arnRegion = (arn: string): string | undefined => arn.split(':')[3] || undefined;

const NEW_PAIR = 'make a fitting pair with `hello-deploy generate-certs --force --key-type rsa2048` and deploy with --cert/--key, or pass another --cert-arn';

export function certificateProblems(c: CertificateFacts, region: string, now: Date): Problem[] {
  const problems: Problem[] = [];
  const where = arnRegion(c.arn);
  if (where !== undefined && where !== region) {
    problems.push({
      message: `the certificate ${c.arn} is in ${where}, but the load balancer is created in ${region}; a listener uses certificates of its own region only`,
      fix: `import or request the certificate in ${region} (\`hello-deploy generate-certs --import-acm --region ${region}\`), or deploy to ${where}`,
    });
  }
  if (c.keyAlgorithm !== undefined && !LISTENER_KEY_ALGORITHMS.includes(c.keyAlgorithm)) {
    problems.push({ message: `the certificate's key is ${c.keyAlgorithm}; an ALB HTTPS listener serves only ${LISTENER_KEY_ALGORITHMS.join(', ')}`, fix: NEW_PAIR });
  }
  if (c.notAfter !== undefined && c.notAfter.getTime() <= now.getTime()) {
    problems.push({ message: `the certificate expired on ${c.notAfter.toISOString()}`, fix: `rotate it: \`hello-deploy generate-certs --force --import-acm --rotate ${c.arn}\`, or ${NEW_PAIR}` });
  } else if (c.status !== undefined && c.status !== 'ISSUED') {
    problems.push({ message: `the certificate's status is ${c.status}, not ISSUED; a listener serves issued certificates only`, fix: c.status === 'PENDING_VALIDATION' ? 'finish its validation (the DNS or e-mail records ACM asked for), then run again' : NEW_PAIR });
  }
  const names = [c.domain, ...(c.names ?? [])].filter((n): n is string => typeof n === 'string' && n.trim() !== '');
  if (names.length === 0) problems.push({ message: 'the certificate covers no name (no domain name and no subjectAltName)', fix: NEW_PAIR });
  return problems;
}
