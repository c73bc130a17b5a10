// deploy --local --domain, the pieces a rehearsal adds for a domain: the generated pair is made for the name (CN and
// first SAN), and the load balancer probes send the name as SNI and Host (a real TLS server on loopback records
// both). And the whole rehearsal with the real CLI on the launcher: a hosted zone made in the emulator's Route 53,
// the infra stack given DomainName and HostedZoneId, its ACM certificate ISSUED through that zone, the alias record
// pointing at the ALB, both read back into the fidelity report, and the zone deleted at teardown.
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
import { runCli } from './support/cli.ts';
import { BASE_IMAGE } from './support/paths.ts';

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

test('deploy --local --domain on the launcher: the stack gets the domain, its certificate is ISSUED through the emulator\'s zone, the alias points at the ALB, the report reads both back, teardown deletes the zone', async () => {
  const cache = mkdtempSync(path.join(tmpdir(), 'hello-deploy-rehearsal-domain-xdg-'));
  try {
    const r = await runCli(['deploy', '--local', '--yes', '--json', '--ecosystem', 'rd-domain', '--domain', 'App.Rehearse.Test'], {
      env: { HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE, XDG_CACHE_HOME: cache, AWS_PROFILE: 'hello-deploy-no-such-profile', LOCALSTACK_AUTH_TOKEN: '' },
      timeout: 600_000,
    });
    const explain = `exit ${r.exitCode}\n${r.stdout.slice(-6000)}\n${r.stderr.slice(-2000)}`;
    assert.equal(r.exitCode, 0, explain);
    type Fid = { logicalId: string; mark: string; detail?: string };
    const result = r.events.at(-1) as unknown as { ok: boolean; created: Record<string, string>; rehearsal: { fidelity: { resources: Fid[]; notRehearsed: { what: string }[] }; loadBalancer?: { servername?: string } } };
    assert.equal(result.ok, true, explain);
    // The stack got DomainName (ServiceUrl and the certificate output exist only then) and HostedZoneId.
    assert.equal(result.created.ServiceUrl, 'https://app.rehearse.test');
    const certArn = result.created.DomainCertificateArn ?? '';
    assert.match(certArn, /^arn:aws:acm:us-east-1:\d{12}:certificate\//);
    const made = JSON.stringify(r.events.filter((e) => e.type === 'info'));
    const zone = /Made the public hosted zone rehearse\.test \(([A-Z0-9]+)\)/.exec(made)?.[1];
    assert.ok(zone, made.slice(0, 3000));
    const infra = r.events.find((e) => e.type === 'step-succeeded' && (e as { step?: string }).step === 'deploy-infra-stack');
    assert.ok(infra, explain);
    // The fidelity report reads both from their own APIs: the certificate ISSUED in the emulator's ACM, the alias
    // record in the zone, pointing at the load balancer's DNS name.
    const row = (id: string) => result.rehearsal.fidelity.resources.find((x) => x.logicalId === id);
    assert.deepEqual(row('DomainCertificate'), { ...row('DomainCertificate'), mark: 'created', detail: `DescribeCertificate: ${certArn}, AMAZON_ISSUED for app.rehearse.test, status ISSUED` });
    const alb = (result.created.LoadBalancerDNSName ?? '').toLowerCase();
    assert.ok(alb, JSON.stringify(result.created));
    assert.equal(row('DomainRecord')?.mark, 'created');
    assert.equal(row('DomainRecord')?.detail, `ListResourceRecordSets: A app.rehearse.test alias → ${alb} in zone ${zone}`);
    // What cannot be rehearsed is still said.
    const notRehearsed = result.rehearsal.fidelity.notRehearsed.map((x) => x.what);
    for (const what of ['public DNS resolution', 'ACM issuance and renewal', 'a trusted chain']) assert.ok(notRehearsed.includes(what), JSON.stringify(notRehearsed));
    // Teardown deleted the zone (with the alias and the validation CNAME) before the emulator stopped.
    assert.match(JSON.stringify(r.events.filter((e) => (e as { step?: string }).step === 'teardown')), /stopped hosted zone rehearse\.test \(emulator Route 53\)/);
    assert.ok(!r.events.some((e) => e.type === 'warn' && (e as { step?: string }).step === 'teardown'), JSON.stringify(r.events.filter((e) => e.type === 'warn')));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
