// loadAndValidatePair on real pairs made by the system openssl (an independent tool) and by our generator: every
// kind of bad pair fails before any upload with its own typed UsageError (exit 2) and a message naming the file.
// Plus the ecosystem sanitizer and validator on concrete examples.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXIT, UsageError } from '../cli/core/errors.ts';
import { ECOSYSTEM_MAX_LENGTH, sanitizeEcosystem, validateEcosystem } from '../cli/domain/ecosystem.ts';
import { loadAndValidatePair, validatePair } from '../cli/domain/certificates/pair.ts';
import { generateSelfSigned } from '../cli/domain/certificates/generate.ts';

let dir: string;
const file = (name: string) => path.join(dir, name);
const write = (name: string, text: string) => {
  writeFileSync(file(name), text, { mode: 0o600 });
  return file(name);
};
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

/** A self-signed pair from `openssl req -x509` with the given -newkey spec (e.g. rsa:3072, ec -pkeyopt …). */
function opensslPair(name: string, newkey: string[]): { cert: string; key: string } {
  openssl('req', '-x509', ...newkey, '-nodes', '-subj', `/CN=${name}.test`, '-days', '30', '-keyout', `${name}.key`, '-out', `${name}.crt`);
  return { cert: file(`${name}.crt`), key: file(`${name}.key`) };
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof UsageError, `expected a UsageError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.exitCode, EXIT.usage);
    assert.match(err.message, message);
    assert.ok(err.hint && err.hint.length > 10, 'has a hint');
    return true;
  });
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'certs-validate-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('loadAndValidatePair accepts what ACM imports and an ALB serves', () => {
  for (const [name, newkey, keyType] of [
    ['rsa2048', ['-newkey', 'rsa:2048'], 'rsa2048'],
    ['rsa3072', ['-newkey', 'rsa:3072'], 'rsa3072'],
    ['rsa4096', ['-newkey', 'rsa:4096'], 'rsa4096'],
    ['p256', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'ecdsa-p256'],
    ['p384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'], 'ecdsa-p384'],
  ] as const) {
    test(`openssl ${name} pair`, async () => {
      const pair = opensslPair(name, [...newkey]);
      const v = await loadAndValidatePair(pair.cert, pair.key);
      assert.equal(v.info.keyType, keyType);
      assert.equal(v.info.commonName, `${name}.test`);
      assert.match(v.certificatePem, /^-----BEGIN CERTIFICATE-----/);
      // The key for upload is in the form ACM's guide shows: PKCS#8 for RSA, SEC1 for EC.
      assert.match(v.privateKeyPem, keyType.startsWith('rsa') ? /^-----BEGIN PRIVATE KEY-----/ : /^-----BEGIN EC PRIVATE KEY-----/);
      assert.equal(v.chainPem, undefined);
    });
  }

  test('an EC key with an "EC PARAMETERS" block in front (openssl ecparam -genkey) is fine', async () => {
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-out', 'ecparam.key');
    openssl('req', '-x509', '-new', '-key', 'ecparam.key', '-subj', '/CN=ecparam.test', '-days', '5', '-out', 'ecparam.crt');
    assert.match(readFileSync(file('ecparam.key'), 'utf8'), /BEGIN EC PARAMETERS/);
    const v = await loadAndValidatePair(file('ecparam.crt'), file('ecparam.key'));
    assert.equal(v.info.keyType, 'ecdsa-p256');
  });

  test('a certificate file with a chain after the leaf keeps the chain separate', async () => {
    const a = opensslPair('leaf', ['-newkey', 'rsa:2048']);
    const b = opensslPair('other', ['-newkey', 'rsa:2048']);
    const bundle = write('bundle.crt', readFileSync(a.cert, 'utf8') + readFileSync(b.cert, 'utf8'));
    const v = await loadAndValidatePair(bundle, a.key);
    assert.equal(v.info.commonName, 'leaf.test');
    assert.equal(v.chainPem, readFileSync(b.cert, 'utf8'));
  });
});

describe('loadAndValidatePair refuses bad pairs with exit 2', () => {
  test('a key from another pair (same type): PAIR_MISMATCH', async () => {
    const a = opensslPair('mm-a', ['-newkey', 'rsa:2048']);
    const b = opensslPair('mm-b', ['-newkey', 'rsa:2048']);
    await rejectsWith(loadAndValidatePair(a.cert, b.key), 'PAIR_MISMATCH', /does not belong to .*mm-a\.crt/);
  });

  test('a key of another type: PAIR_MISMATCH', async () => {
    const a = opensslPair('mt-a', ['-newkey', 'rsa:2048']);
    const b = opensslPair('mt-b', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    await rejectsWith(loadAndValidatePair(a.cert, b.key), 'PAIR_MISMATCH', /public keys differ/);
  });

  test('RSA 1024: KEY_TYPE_UNSUPPORTED', async () => {
    const p = opensslPair('rsa1024', ['-newkey', 'rsa:1024']);
    await rejectsWith(loadAndValidatePair(p.cert, p.key), 'KEY_TYPE_UNSUPPORTED', /RSA 1024-bit/);
  });

  test('Ed25519: KEY_TYPE_UNSUPPORTED', async () => {
    const p = opensslPair('ed', ['-newkey', 'ed25519']);
    await rejectsWith(loadAndValidatePair(p.cert, p.key), 'KEY_TYPE_UNSUPPORTED', /ED25519/);
  });

  test('secp256k1: KEY_TYPE_UNSUPPORTED', async () => {
    const p = opensslPair('k1', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1']);
    await rejectsWith(loadAndValidatePair(p.cert, p.key), 'KEY_TYPE_UNSUPPORTED', /secp256k1/);
  });

  test('an encrypted key: KEY_ENCRYPTED', async () => {
    const p = opensslPair('enc', ['-newkey', 'rsa:2048']);
    openssl('pkey', '-in', p.key, '-aes256', '-passout', 'pass:secret', '-out', 'enc-locked.key');
    await rejectsWith(loadAndValidatePair(p.cert, file('enc-locked.key')), 'KEY_ENCRYPTED', /encrypted with a passphrase/);
  });

  test('swapped files: CERT_INVALID with a hint to swap them', async () => {
    const p = opensslPair('swap', ['-newkey', 'rsa:2048']);
    await assert.rejects(loadAndValidatePair(p.key, p.cert), (err: UsageError) => err.code === 'CERT_INVALID' && /swap/.test(err.hint ?? ''));
  });

  test('DER instead of PEM: CERT_INVALID', async () => {
    const p = opensslPair('der', ['-newkey', 'rsa:2048']);
    openssl('x509', '-in', p.cert, '-outform', 'der', '-out', 'der.cer');
    await rejectsWith(loadAndValidatePair(file('der.cer'), p.key), 'CERT_INVALID', /not a PEM certificate/);
  });

  test('a damaged certificate: CERT_INVALID', async () => {
    const p = opensslPair('dmg', ['-newkey', 'rsa:2048']);
    const text = readFileSync(p.cert, 'utf8').split('\n');
    text[3] = 'AAAA' + (text[3] ?? '').slice(4, 20); // truncate a line in the middle of the DER
    await rejectsWith(loadAndValidatePair(write('dmg-bad.crt', text.join('\n')), p.key), 'CERT_INVALID', /does not parse/);
  });

  test('missing and unreadable files: CERT_UNREADABLE / KEY_UNREADABLE, naming the path', async () => {
    const p = opensslPair('unr', ['-newkey', 'rsa:2048']);
    await rejectsWith(loadAndValidatePair(file('nope.crt'), p.key), 'CERT_UNREADABLE', /nope\.crt" does not exist/);
    await rejectsWith(loadAndValidatePair(p.cert, dir), 'KEY_UNREADABLE', /is a directory/);
  });

  test('an expired certificate: CERT_EXPIRED; one not valid yet: CERT_NOT_YET_VALID', async () => {
    const day = 86_400_000;
    const expired = await generateSelfSigned({ commonName: { type: 'dns', value: 'old.test' }, sans: [], days: 1, keyType: 'ecdsa-p256', notBefore: new Date(Date.now() - 3 * day) });
    assert.throws(() => validatePair(expired.certificatePem, expired.privateKeyPem), (err: UsageError) => err.code === 'CERT_EXPIRED' && err.exitCode === 2);
    const future = await generateSelfSigned({ commonName: { type: 'dns', value: 'new.test' }, sans: [], days: 10, keyType: 'ecdsa-p256', notBefore: new Date(Date.now() + 2 * day) });
    assert.throws(() => validatePair(future.certificatePem, future.privateKeyPem), (err: UsageError) => err.code === 'CERT_NOT_YET_VALID' && err.exitCode === 2);
    // …and the same pairs pass when judged at a time inside their window.
    assert.equal(validatePair(expired.certificatePem, expired.privateKeyPem, { now: new Date(Date.now() - 2.5 * day) }).info.commonName, 'old.test');
  });

  test('no message ever contains key material', async () => {
    const p = opensslPair('leak', ['-newkey', 'rsa:2048']);
    const keyBody = readFileSync(p.key, 'utf8').split('\n').slice(1, -2).join('');
    const other = opensslPair('leak2', ['-newkey', 'rsa:2048']);
    // Started one at a time: a rejection that settles while an earlier one is awaited counts as unhandled.
    const attempts = [() => loadAndValidatePair(p.key, p.key), () => loadAndValidatePair(other.cert, p.key), () => loadAndValidatePair(p.cert, p.cert)];
    for (const a of attempts) {
      await assert.rejects(a(), (err: UsageError) => {
        const all = `${err.message} ${err.hint ?? ''}`;
        for (const line of keyBody.match(/.{1,40}/g) ?? []) assert.ok(!all.includes(line), 'a key fragment leaked into an error');
        return true;
      });
    }
  });

  test('a 0600 key stays usable; the file mode is not a validation concern', async () => {
    const p = opensslPair('mode', ['-newkey', 'rsa:2048']);
    chmodSync(p.key, 0o600);
    assert.equal((await loadAndValidatePair(p.cert, p.key)).info.keyType, 'rsa2048');
  });
});

describe('ecosystem names', () => {
  test('sanitizeEcosystem turns branches into valid names', () => {
    const cases: Array<[string, string]> = [
      // A branch that is already a valid name is used as it is; any other gets 6 hex of its SHA-256.
      ['main', 'main'],
      ['dev-2', 'dev-2'],
      ['Feature/ABC_12', 'feature-abc-12-162f58'],
      ['--Fix--Login--', 'fix-login-056749'],
      ['release/2024.05', 'release-2024-05-3944b0'],
      ['2024-hotfix', 'b-2024-hotfix-943d5e'],
      ['dependabot/npm_and_yarn/some-very-long-package-name-1.2.3', 'dependabot-npm-an-ec2312'],
      ['ÜBER/straße', 'ber-stra-e-dd3409'],
      // The red team's collisions: cut to 24 alike, and a dropped non-ASCII letter.
      ['feature/login-page-redesign-v1', 'feature-login-pag-c16d59'],
      ['feature/login-page-redesign-v2', 'feature-login-pag-f585e2'],
      ['Über', 'ber-32b332'],
      ['ber', 'ber'],
      // "internal" + the hash would begin with the reserved "internal-".
      ['Internal', 'b-internal-2ea184'],
    ];
    for (const [branch, expected] of cases) {
      const name = sanitizeEcosystem(branch);
      assert.equal(name, expected, branch);
      assert.equal(validateEcosystem(name), name);
      assert.ok(name.length <= ECOSYSTEM_MAX_LENGTH);
    }
  });

  test('sanitizeEcosystem refuses a branch with nothing usable', () => {
    assert.throws(() => sanitizeEcosystem('///___'), (err: UsageError) => err.code === 'ECOSYSTEM_UNUSABLE' && /--ecosystem/.test(err.hint ?? ''));
  });

  test('validateEcosystem says what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['Main', /start with a lowercase letter/],
      ['1abc', /start with a lowercase letter/],
      ['feat_x', /only contain lowercase letters, digits and hyphens/],
      ['feat--x', /two hyphens/],
      ['feat-', /end with a hyphen/],
      ['a'.repeat(25), /25 characters; the limit is 24/],
    ];
    for (const [name, message] of cases) {
      assert.throws(() => validateEcosystem(name), (err: UsageError) => err instanceof UsageError && err.code === 'ECOSYSTEM_INVALID' && message.test(err.message), name);
    }
  });
});
