// Reads facts out of a certificate with Node's own X.509 parser: names, validity, fingerprint, key type. Only
// public material is handled here; nothing in this file ever formats a private key.
import { type KeyObject, X509Certificate } from 'node:crypto';

/** Key types ACM imports and an Application Load Balancer serves; anything else is refused before upload. */
export const SUPPORTED_KEY_TYPES = ['rsa2048', 'rsa3072', 'rsa4096', 'ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521'] as const;
export type KeyType = (typeof SUPPORTED_KEY_TYPES)[number];

/** ACM's KeyAlgorithm names (ListCertificates Includes.keyTypes, DescribeCertificate KeyAlgorithm). */
export const ACM_KEY_ALGORITHM: Record<KeyType, string> = {
  rsa2048: 'RSA_2048',
  rsa3072: 'RSA_3072',
  rsa4096: 'RSA_4096',
  'ecdsa-p256': 'EC_prime256v1',
  'ecdsa-p384': 'EC_secp384r1',
  'ecdsa-p521': 'EC_secp521r1',
};

const CURVES: Record<string, KeyType> = { prime256v1: 'ecdsa-p256', 'P-256': 'ecdsa-p256', secp384r1: 'ecdsa-p384', 'P-384': 'ecdsa-p384', secp521r1: 'ecdsa-p521', 'P-521': 'ecdsa-p521' };

export interface KeyDescription {
  /** Set when the key is one we accept. */
  keyType: KeyType | undefined;
  /** Human words for messages, e.g. "RSA 1024-bit" or "Ed25519". */
  description: string;
}

export function describeKey(key: KeyObject): KeyDescription {
  const kind = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (kind === 'rsa') {
    const bits = details.modulusLength ?? 0;
    const keyType = SUPPORTED_KEY_TYPES.find((t) => t === `rsa${bits}`);
    return { keyType, description: `RSA ${bits}-bit` };
  }
  if (kind === 'ec') {
    const curve = details.namedCurve ?? 'unknown curve';
    return { keyType: CURVES[curve], description: `ECDSA ${curve}` };
  }
  return { keyType: undefined, description: kind === undefined ? 'an unknown key type' : kind === 'rsa-pss' ? 'RSA-PSS' : kind.toUpperCase() };
}

export interface CertInfo {
  /** The subject as one line, e.g. "CN=hello-deploy.local". */
  subject: string;
  commonName: string | undefined;
  /** DNS names and IP addresses from subjectAltName, in certificate order. */
  sans: string[];
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER certificate as colon-separated upper-case hex (same form as `openssl x509 -fingerprint -sha256`). */
  fingerprintSha256: string;
  serialNumber: string;
  keyType: KeyType | undefined;
  keyDescription: string;
  selfSigned: boolean;
}

export function certInfo(cert: X509Certificate): CertInfo {
  const key = describeKey(cert.publicKey);
  const subjectLines = cert.subject.split('\n').filter((l) => l !== '');
  const cn = subjectLines.find((l) => l.startsWith('CN='));
  return {
    subject: subjectLines.join(', '),
    commonName: cn === undefined ? undefined : cn.slice(3),
    sans: parseSubjectAltName(cert.subjectAltName),
    notBefore: cert.validFromDate,
    notAfter: cert.validToDate,
    fingerprintSha256: cert.fingerprint256,
    serialNumber: cert.serialNumber.toLowerCase(),
    keyType: key.keyType,
    keyDescription: key.description,
    // Not checkIssued(): OpenSSL refuses it for a leaf whose keyUsage lacks keyCertSign, which ours rightly does.
    selfSigned: cert.issuer === cert.subject && cert.verify(cert.publicKey),
  };
}

export function certInfoFromPem(pem: string): CertInfo {
  return certInfo(new X509Certificate(pem));
}

/**
 * Node prints subjectAltName as `DNS:a, IP Address:127.0.0.1, …`, quoting (JSON-style) any value that holds
 * a comma or quote. DNS names and IP addresses are kept; other kinds (email, URI) are not part of a TLS name.
 */
export function parseSubjectAltName(text: string | undefined): string[] {
  if (text === undefined) return [];
  const names: string[] = [];
  const entry = /(DNS|IP Address|[A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g;
  for (const m of text.matchAll(entry)) {
    const [, kind, raw = ''] = m;
    if (kind !== 'DNS' && kind !== 'IP Address') continue;
    names.push(raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
  }
  return names;
}

/** Whole days from `now` until `notAfter` (negative once expired). */
export function daysUntil(notAfter: Date, now: Date = new Date()): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
}
