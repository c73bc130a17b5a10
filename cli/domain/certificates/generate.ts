// Makes a self-signed X.509 v3 server certificate with @peculiar/x509 on Node's WebCrypto (no openssl process):
// keys and signatures come from Node's own crypto, so the result is the same on every machine with Node 22.
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { BugError } from '../../core/errors.ts';
import { type CertInfo, certInfoFromPem } from './inspect.ts';
import type { GeneratedKeyType, SubjectName } from './defaults.ts';
import { loadX509 } from './x509.ts';

// The default common name (defaults.ts) is a name no public DNS will ever answer for; these SANs let local tests pin it.
export { DEFAULT_COMMON_NAME, DEFAULT_DAYS, DEFAULT_KEY_TYPE } from './defaults.ts';
export const DEFAULT_SANS: readonly SubjectName[] = [{ type: 'dns', value: 'localhost' }, { type: 'ip', value: '127.0.0.1' }];
const CLOCK_SKEW_MS = 5 * 60_000;

export interface GenerateRequest {
  commonName: SubjectName;
  /** Extra names; the common name is always put first in subjectAltName too (clients ignore the CN). */
  sans: readonly SubjectName[];
  days: number;
  keyType: GeneratedKeyType;
  /** Start of validity; defaults to five minutes ago. Tests use it to make short-lived or expired pairs. */
  notBefore?: Date;
}

export interface GeneratedPair {
  certificatePem: string;
  /** PKCS#8 ("BEGIN PRIVATE KEY"). Handle with care: never print it. */
  privateKeyPem: string;
  info: CertInfo;
}

// RSASSA-PKCS1-v1_5 with SHA-256 and ECDSA P-256 with SHA-256: what ACM imports and every ALB policy serves.
const ALGORITHMS = {
  rsa2048: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 },
  'ecdsa-p256': { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
} as const;

/**
 * 16 random bytes with the top bit set: the serial is always exactly 128 bits long (127 of them random), and the
 * library DER-encodes it as a positive INTEGER (a leading 0x00 octet), so it is never read as negative.
 */
function serialNumberHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) | 0x80;
  return bytes.toString('hex');
}

export async function generateSelfSigned(req: GenerateRequest): Promise<GeneratedPair> {
  const x509 = await loadX509();
  const algorithm = ALGORITHMS[req.keyType];
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  // Backdated a little so a peer (or ACM) whose clock runs slightly behind does not see "not yet valid".
  const notBefore = req.notBefore ?? new Date(Date.now() - CLOCK_SKEW_MS);
  const notAfter = new Date(notBefore.getTime() + req.days * 86_400_000);

  const names = [req.commonName, ...req.sans].filter((n, i, all) => all.findIndex((m) => m.type === n.type && m.value === n.value) === i);
  const usage = req.keyType === 'rsa2048'
    ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment // RSA key exchange needs keyEncipherment
    : x509.KeyUsageFlags.digitalSignature;

  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumberHex(),
    name: [{ CN: [req.commonName.value] }],
    notBefore,
    notAfter,
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(usage, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: n.type, value: n.value }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      // Self-signed: the authority key id is our own, which lets `openssl verify -CAfile cert.pem cert.pem` link it.
      await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
    ],
  });

  const certificatePem = `${cert.toString('pem').trimEnd()}\n`;
  const privateKeyPem = KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
  const info = certInfoFromPem(certificatePem);
  if (!info.selfSigned) throw new BugError('the generated certificate does not verify against its own key');
  return { certificatePem, privateKeyPem, info };
}
