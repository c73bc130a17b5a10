// deploy --local --domain, the pieces a rehearsal adds for a domain: the generated pair is made for the name (CN and
// first SAN), and the load balancer probes send the name as SNI and Host (a real TLS server on loopback records
// both). The full domain rehearsal needs the launcher's ACM model and deploy's --domain flag, built in parallel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { httpsGet } from '../cli/adapters/emulator/probe.ts';
import { createRehearsalPorts } from '../cli/adapters/rehearsal-ports.ts';
import { checkLocalFlags } from '../cli/rehearsal/options.ts';

test('the rehearsal pair for --domain names the domain (CN and SAN), and the probes send it as SNI and Host', async () => {
  const workDir = mkdtempSync(path.join(tmpdir(), 'hello-deploy-rehearsal-domain-'));
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'hello-deploy-rehearsal-domain-cache-'));
  try {
    const ports = createRehearsalPorts({ options: { engine: 'moto', localstackImage: 'x', workDir, appDir: workDir }, projectDirs: [workDir], packageRoot: workDir, label: 'test', cacheDir });
    const certFile = path.join(workDir, 'certs', 'cert.pem');
    const keyFile = path.join(workDir, 'certs', 'key.pem');
    const { fingerprint } = await ports.generatePair(certFile, keyFile, 'app.rehearse.test');
    const cert = new X509Certificate(readFileSync(certFile));
    assert.match(cert.subject, /CN=app\.rehearse\.test/);
    assert.match(cert.subjectAltName ?? '', /^DNS:app\.rehearse\.test, DNS:localhost, IP Address:127\.0\.0\.1$/);
    assert.equal(cert.checkHost('app.rehearse.test'), 'app.rehearse.test');

    const seen: Array<{ sni: string | false | null; host: string | undefined }> = [];
    const server = https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) => {
      seen.push({ sni: (req.socket as import('node:tls').TLSSocket).servername, host: req.headers.host });
      res.end('hello world');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const named = await httpsGet(url, 5_000, { servername: 'app.rehearse.test' });
      assert.equal(named.status, 200);
      assert.equal(named.fingerprint, fingerprint, 'the pair made for the name is served');
      await httpsGet(url, 5_000);
      assert.deepEqual(seen[0], { sni: 'app.rehearse.test', host: 'app.rehearse.test' });
      assert.equal(seen[1]!.sni, false, 'without a domain: no SNI (an IP address), as before');
      assert.match(seen[1]!.host ?? '', /^127\.0\.0\.1:\d+$/);
    } finally {
      server.close();
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('deploy --local --domain: a name that is not a DNS name is refused before anything starts (exit 2)', () => {
  assert.throws(() => checkLocalFlags({ local: true, domain: '*.example.com' }, { available: true, version: '1' } as never), (e: Error & { code?: string }) => {
    assert.match(e.message, /--domain "\*\.example\.com" is a wildcard/);
    return true;
  });
  assert.doesNotThrow(() => checkLocalFlags({ local: true, domain: 'App.Example.com.' }, { available: true, version: '1' } as never));
});
