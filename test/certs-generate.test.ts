// The generated pair, judged by independent tools: the system openssl parses and verifies it, the key matches the
// certificate, and a real node:tls handshake pinned to the certificate succeeds. Both key types.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { runGenerateCerts } from '../cli/certs/run.ts';
import type { GenerateCertsResult } from '../cli/certs/report.ts';
import { freePort } from './support/ports.ts';

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let root: string;
before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'certs-generate-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

for (const keyType of ['rsa2048', 'ecdsa-p256'] as const) {
  describe(`generate-certs --key-type ${keyType}`, () => {
    let result: GenerateCertsResult;
    let text: string;
    before(async () => {
      result = await runGenerateCerts({ out: keyType, keyType, days: '90' }, { cwd: root });
      text = openssl('x509', '-in', result.certPath, '-text', '-noout');
    });

    test('writes cert.pem and a PKCS#8 key.pem with mode 0600 in a 0700 directory', () => {
      assert.equal(result.certPath, path.join(root, keyType, 'cert.pem'));
      assert.equal(result.keyPath, path.join(root, keyType, 'key.pem'));
      assert.equal(statSync(result.keyPath).mode & 0o777, 0o600);
      assert.equal(result.keyFileMode, '0600');
      assert.equal(statSync(path.dirname(result.keyPath)).mode & 0o777, 0o700);
      const key = readFileSync(result.keyPath, 'utf8');
      assert.match(key, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    });

    test('openssl shows an X.509 v3 server certificate: SANs, key usage, serverAuth, CA:FALSE', () => {
      assert.match(text, /Version: 3 \(0x2\)/);
      assert.match(text, /Subject: CN ?= ?hello-deploy\.local/);
      assert.match(text, /X509v3 Subject Alternative Name:\s*\n\s*DNS:hello-deploy\.local, DNS:localhost, IP Address:127\.0\.0\.1\n/);
      assert.match(text, /X509v3 Extended Key Usage:\s*\n\s*TLS Web Server Authentication\n/);
      assert.match(text, /X509v3 Basic Constraints: critical\s*\n\s*CA:FALSE/);
      const usage = keyType === 'rsa2048' ? 'Digital Signature, Key Encipherment' : 'Digital Signature';
      assert.match(text, new RegExp(`X509v3 Key Usage: critical\\s*\\n\\s*${usage}\\n`));
    });

    test('the algorithms are ones ACM imports and an ALB serves', () => {
      if (keyType === 'rsa2048') {
        assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
        assert.match(text, /Public-Key: \(2048 bit\)/);
      } else {
        assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
        assert.match(text, /NIST CURVE: P-256/);
      }
    });

    test('the serial is positive and 128 bits long', () => {
      const serialLine = /Serial Number:\s*\n?\s*([0-9a-f:]+)/i.exec(text)?.[1] ?? '';
      assert.doesNotMatch(text, /Serial Number:.*Negative/i);
      const hex = serialLine.replaceAll(':', '');
      assert.equal(BigInt(`0x${hex}`).toString(2).length, 128);
      assert.equal(hex.toLowerCase(), result.serialNumber.replace(/^0+/, ''));
    });

    test('the validity is the requested number of days', () => {
      const start = new Date(result.notBefore).getTime();
      const end = new Date(result.notAfter).getTime();
      assert.equal(end - start, 90 * 86_400_000);
      assert.ok(start <= Date.now(), 'valid from now (backdated for clock skew)');
      assert.ok(Date.now() - start < 10 * 60_000, 'not backdated by more than a few minutes');
      const opensslEnd = /Not After : (.+)/.exec(text)?.[1] ?? '';
      assert.equal(new Date(opensslEnd).getTime(), end);
    });

    test('openssl verify accepts it as self-signed, and the fingerprint matches', () => {
      assert.match(openssl('verify', '-CAfile', result.certPath, result.certPath), /: OK\n$/);
      const fp = openssl('x509', '-in', result.certPath, '-noout', '-fingerprint', '-sha256');
      assert.equal(fp.trim().split('=')[1], result.fingerprintSha256);
    });

    test('the key matches the certificate (same public key from both)', () => {
      const fromCert = openssl('x509', '-in', result.certPath, '-noout', '-pubkey');
      const fromKey = openssl('pkey', '-in', result.keyPath, '-pubout');
      assert.equal(fromKey, fromCert);
      assert.match(fromCert, /BEGIN PUBLIC KEY/);
    });

    test('a node:tls client pinned to the certificate completes a handshake for each SAN', async () => {
      const cert = readFileSync(result.certPath);
      const key = readFileSync(result.keyPath);
      const port = await freePort();
      const server = tls.createServer({ cert, key }, (s) => s.end('pinned'));
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      try {
        for (const servername of ['hello-deploy.local', 'localhost', undefined]) {
          const { authorized, fingerprint, body } = await new Promise<{ authorized: boolean; fingerprint: string; body: string }>((resolve, reject) => {
            const socket = tls.connect({ host: '127.0.0.1', port, ca: cert, ...(servername ? { servername } : {}) }, () => {
              let body = '';
              socket.on('data', (d: Buffer) => (body += d.toString()));
              socket.on('end', () => resolve({ authorized: socket.authorized, fingerprint: socket.getPeerCertificate().fingerprint256, body }));
            });
            socket.on('error', reject);
          });
          assert.equal(authorized, true, `authorized for ${servername ?? '127.0.0.1 (IP SAN)'}`);
          assert.equal(fingerprint, result.fingerprintSha256);
          assert.equal(body, 'pinned');
        }
        // And the pin is real: a name the certificate does not carry is refused.
        await assert.rejects(new Promise((resolve, reject) => {
          const socket = tls.connect({ host: '127.0.0.1', port, ca: cert, servername: 'not-in-the-cert.example' }, () => resolve(socket.end()));
          socket.on('error', reject);
        }), /ERR_TLS_CERT_ALTNAME_INVALID|does not match/);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
}

describe('names', () => {
  test('--common-name and --san go into subjectAltName; an IP becomes an IP SAN', async () => {
    const r = await runGenerateCerts({ out: 'names', commonName: 'App.Example.com', san: ['*.api.example.com,10.1.2.3', '::1'], keyType: 'ecdsa-p256' }, { cwd: root });
    assert.equal(r.commonName, 'app.example.com');
    assert.deepEqual(r.sans, ['app.example.com', '*.api.example.com', '10.1.2.3', '0:0:0:0:0:0:0:1']);
    const text = openssl('x509', '-in', r.certPath, '-text', '-noout');
    assert.match(text, /DNS:app\.example\.com, DNS:\*\.api\.example\.com, IP Address:10\.1\.2\.3, IP Address:0:0:0:0:0:0:0:1/);
  });

  test('with --san only, the first SAN is the common name and localhost is not added', async () => {
    const r = await runGenerateCerts({ out: 'san-only', san: ['svc.internal'], keyType: 'ecdsa-p256' }, { cwd: root });
    assert.equal(r.subject, 'CN=svc.internal');
    assert.deepEqual(r.sans, ['svc.internal']);
  });
});
