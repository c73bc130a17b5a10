// Checks a certificate + private key pair the way ACM and an ALB will, but locally and before any upload, so a bad
// pair fails with a precise message (exit 2) instead of an opaque ValidationException. Messages name files and
// facts, never file contents: a mistaken path must not print somebody's key.
import { type KeyObject, X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { UsageError } from '../../core/errors.ts';
import { type CertInfo, certInfo, describeKey } from './inspect.ts';
import { MAX_CERT_FILE_BYTES, PemFileError, readRegularFile } from './pem-file.ts';
import { shown } from '../shown.ts';

/** ACM refuses private keys larger than this (5 KB). */
export const MAX_PRIVATE_KEY_BYTES = 5120;

export interface PemPair {
  /** The leaf certificate only. */
  certificatePem: string;
  /** PEM for upload: PKCS#8 for RSA, SEC1 ("EC PRIVATE KEY") for ECDSA, the forms ACM's import guide shows. */
  privateKeyPem: string;
  /** Intermediate certificates that followed the leaf in the certificate file, if any. */
  chainPem?: string;
}

export interface ValidatedPair extends PemPair {
  info: CertInfo;
}

export interface PairLabels {
  /** How to name the certificate in messages, e.g. its path. */
  cert: string;
  key: string;
}

interface PemBlock {
  label: string;
  text: string;
}

function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
  for (const m of text.matchAll(re)) blocks.push({ label: m[1] ?? '', text: `${m[0]}\n` });
  return blocks;
}

const SUPPORTED_WORDS = 'RSA 2048/3072/4096-bit or ECDSA P-256/P-384/P-521';

function parseCertificate(text: string, label: string): { leaf: X509Certificate; leafPem: string; chainPem?: string } {
  const blocks = pemBlocks(text);
  const certs = blocks.filter((b) => b.label === 'CERTIFICATE');
  if (certs.length === 0) {
    const hasKey = blocks.some((b) => b.label.endsWith('PRIVATE KEY'));
    throw new UsageError('CERT_INVALID', hasKey ? `${label} holds a private key, not a certificate.` : `${label} is not a PEM certificate (no "BEGIN CERTIFICATE" block).`, {
      hint: hasKey ? 'Did you swap the certificate and key files?' : 'ACM needs PEM text; convert DER with `openssl x509 -inform der -in FILE -out cert.pem`.',
    });
  }
  const [first, ...rest] = certs;
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(first?.text ?? '');
  } catch {
    throw new UsageError('CERT_INVALID', `${label} has a "BEGIN CERTIFICATE" block that does not parse as an X.509 certificate.`, {
      hint: 'Check the file was copied whole (no edited characters or added spaces).',
    });
  }
  rest.forEach((b, i) => {
    try {
      new X509Certificate(b.text);
    } catch {
      throw new UsageError('CERT_INVALID', `Certificate ${i + 2} in ${label} (the chain) does not parse.`, { hint: 'Check the chain was copied whole.' });
    }
  });
  const chainPem = rest.length > 0 ? rest.map((b) => b.text).join('') : undefined;
  return chainPem === undefined ? { leaf, leafPem: first?.text ?? '' } : { leaf, leafPem: first?.text ?? '', chainPem };
}

function parsePrivateKey(text: string, label: string): KeyObject {
  const blocks = pemBlocks(text);
  const keys = blocks.filter((b) => b.label.endsWith('PRIVATE KEY'));
  const encrypted = keys.some((b) => b.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(b.text));
  if (encrypted) {
    throw new UsageError('KEY_ENCRYPTED', `${label} is encrypted with a passphrase; ACM only imports unencrypted keys.`, {
      hint: 'Decrypt a copy with `openssl pkey -in key.pem -out key-plain.pem` and keep that copy at mode 0600.',
    });
  }
  if (keys.length !== 1) {
    const hasCert = blocks.some((b) => b.label === 'CERTIFICATE');
    const message = keys.length > 1 ? `${label} holds ${keys.length} private keys; give a file with exactly one.`
      : hasCert ? `${label} holds a certificate, not a private key.` : `${label} is not a PEM private key (no "BEGIN PRIVATE KEY" block).`;
    throw new UsageError('KEY_INVALID', message, { hint: hasCert ? 'Did you swap the certificate and key files?' : 'Give the PEM private key that belongs to the certificate.' });
  }
  const block = keys[0]?.text ?? '';
  if (Buffer.byteLength(block) > MAX_PRIVATE_KEY_BYTES) {
    throw new UsageError('KEY_TOO_LARGE', `${label} is larger than the ${MAX_PRIVATE_KEY_BYTES} bytes ACM accepts.`, { hint: `Use a ${SUPPORTED_WORDS} key.` });
  }
  try {
    return createPrivateKey({ key: block, format: 'pem' });
  } catch {
    throw new UsageError('KEY_INVALID', `${label} has a private key block that does not parse.`, { hint: 'Check the file was copied whole, or regenerate the pair.' });
  }
}

/** The private key in the PEM form ACM's import guide shows (PKCS#8 for RSA, SEC1 for EC). */
export function acmPrivateKeyPem(key: KeyObject): string {
  const pem = key.asymmetricKeyType === 'ec' ? key.export({ type: 'sec1', format: 'pem' }) : key.export({ type: 'pkcs8', format: 'pem' });
  return pem.toString();
}

/**
 * Validates PEM text: the certificate parses, the key parses and is unencrypted, both are a supported type, the key
 * belongs to the certificate, and the certificate is inside its validity window at `now`.
 */
export function validatePair(certText: string, keyText: string, opts: { labels?: PairLabels; now?: Date } = {}): ValidatedPair {
  const labels = opts.labels ?? { cert: 'The certificate', key: 'The private key' };
  const now = opts.now ?? new Date();
  const { leaf, leafPem, chainPem } = parseCertificate(certText, labels.cert);
  const key = parsePrivateKey(keyText, labels.key);
  let info: CertInfo;
  let spkiOfCert: Buffer;
  try {
    info = certInfo(leaf);
    spkiOfCert = leaf.publicKey.export({ type: 'spki', format: 'der' });
    if (Number.isNaN(info.notAfter.getTime()) || Number.isNaN(info.notBefore.getTime())) throw new Error('bad validity dates');
  } catch {
    // Node parses the outer structure lazily: a damaged public key or date only fails when it is read.
    throw new UsageError('CERT_INVALID', `${labels.cert} parses, but its public key or validity dates cannot be read.`, {
      hint: 'Check the file was copied whole, or regenerate the pair.',
    });
  }

  const keyKind = describeKey(key);
  if (info.keyType === undefined || keyKind.keyType === undefined) {
    const what = info.keyType === undefined ? `The certificate's key is ${info.keyDescription}` : `The private key is ${keyKind.description}`;
    throw new UsageError('KEY_TYPE_UNSUPPORTED', `${what}; hello-deploy imports only ${SUPPORTED_WORDS} keys (what ACM imports and an ALB serves).`, {
      hint: 'Generate a supported pair with `hello-deploy generate-certs --key-type rsa2048` (or ecdsa-p256).',
    });
  }
  // checkPrivateKey does the maths; comparing the SPKI encodings also catches a key of the same type but another pair.
  const spkiOfKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  if (!safeCheckPrivateKey(leaf, key) || !spkiOfKey.equals(spkiOfCert)) {
    throw new UsageError('PAIR_MISMATCH', `${labels.key} does not belong to ${labels.cert}: their public keys differ.`, {
      hint: 'Give the key the certificate was made with, or generate a fresh pair with `hello-deploy generate-certs`.',
    });
  }
  if (info.notAfter.getTime() <= now.getTime()) {
    throw new UsageError('CERT_EXPIRED', `${labels.cert} expired on ${info.notAfter.toISOString()}; ACM refuses expired certificates.`, {
      hint: 'Generate a new pair (`hello-deploy generate-certs --force`), then rotate the imported one with --rotate <arn>.',
    });
  }
  if (info.notBefore.getTime() > now.getTime()) {
    throw new UsageError('CERT_NOT_YET_VALID', `${labels.cert} is not valid until ${info.notBefore.toISOString()}; ACM refuses certificates before their start date.`, {
      hint: "Check this machine's clock, or wait until the start date.",
    });
  }
  const pair: ValidatedPair = { certificatePem: leafPem, privateKeyPem: acmPrivateKeyPem(key), info };
  if (chainPem !== undefined) pair.chainPem = chainPem;
  return pair;
}

function safeCheckPrivateKey(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false; // e.g. an RSA certificate against an EC key: OpenSSL may raise instead of answering no
  }
}

/** How a pair's two files are named in messages: the flags they came from (--cert, --key), or plain words. */
export interface PairSource {
  cert: string;
  key: string;
}

async function readPem(file: string, what: 'certificate' | 'key', name: string): Promise<string> {
  const cert = what === 'certificate';
  try {
    return await readRegularFile(file, cert ? MAX_CERT_FILE_BYTES : MAX_PRIVATE_KEY_BYTES);
  } catch (err) {
    if (!(err instanceof PemFileError)) throw err;
    const { kind, detail } = err.problem;
    const message = `${name} ${detail}.`;
    if (kind === 'too-large') {
      throw cert
        ? new UsageError('CERT_INVALID', message, { hint: 'Give the PEM certificate (and its chain), not another file.' })
        : new UsageError('KEY_TOO_LARGE', `${message} ACM accepts a private key of at most ${MAX_PRIVATE_KEY_BYTES} bytes.`, { hint: `Give the PEM private key only (a ${SUPPORTED_WORDS} key).` });
    }
    throw new UsageError(cert ? 'CERT_UNREADABLE' : 'KEY_UNREADABLE', message, {
      hint: cert ? 'Give the path of a PEM certificate file (e.g. app/certs/cert.pem).' : 'Give the path of the PEM private key file (e.g. app/certs/key.pem).',
    });
  }
}

/**
 * Reads and validates a user-supplied pair (for `deploy --cert <file> --key <file>`, the rehearsal, the wizard and
 * the ACM import). `source` names the files in messages: the flags they came from, else "Certificate file …".
 */
export async function loadAndValidatePair(certPath: string, keyPath: string, opts: { now?: Date; source?: PairSource } = {}): Promise<ValidatedPair> {
  const [certName, keyName] = opts.source ? [`${opts.source.cert} ${shown(certPath, 160)}`, `${opts.source.key} ${shown(keyPath, 160)}`] : [`Certificate file ${shown(certPath, 160)}`, `Key file ${shown(keyPath, 160)}`];
  // One after the other: the certificate's problem is the one reported when both files are bad.
  const certText = await readPem(certPath, 'certificate', certName);
  const keyText = await readPem(keyPath, 'key', keyName);
  return validatePair(certText, keyText, { labels: { cert: certName, key: keyName }, now: opts.now ?? new Date() });
}

/** The pair's problem as a message, or undefined when it is usable: for options that collect every problem at once. */
export async function pairProblem(certPath: string, keyPath: string, source?: PairSource): Promise<string | undefined> {
  try {
    await loadAndValidatePair(certPath, keyPath, source ? { source } : {});
    return undefined;
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
}
