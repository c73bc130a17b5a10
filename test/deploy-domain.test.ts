// deploy --domain (issue 16), the deploy side against moto and real servers: the Route 53 zone lookup against moto
// (hosted zones made in moto), the smoke check's certificate verification against real TLS servers on 127.0.0.1, and
// the CLI. The flag, the plan text and the certificate wait (fakes only) are in test/deploy-domain-units.test.ts.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AbortError } from '../cli/core/errors.ts';
import { createDnsZones } from '../cli/adapters/aws/route53.ts';
import { findHostedZone } from '../cli/steps/domain-zone.ts';
import { reportResult } from '../cli/steps/report-result.ts';
import { createSmoke } from '../cli/adapters/smoke.ts';
import { FakeClock, recordingIO, stepCtx } from './support/fake-ports.ts';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';

const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';

describe('--domain: the Route 53 zone, on moto', () => {
  let moto: Moto;
  before(async () => {
    moto = await startMoto();
    const cfg = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: FAKE_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: FAKE_AWS_ENV.AWS_SECRET_ACCESS_KEY } };
    const r53 = new Route53Client(cfg);
    const ec2 = new EC2Client(cfg);
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
    const zone = (Name: string, ref: string, privateVpc?: string) =>
      r53.send(new CreateHostedZoneCommand({ Name, CallerReference: ref, ...(privateVpc ? { HostedZoneConfig: { PrivateZone: true }, VPC: { VPCId: privateVpc, VPCRegion: 'us-east-1' } } : {}) }));
    await zone('example.com', 'a');
    await zone('deep.example.com', 'b');
    // A private zone of the very name asked for: browsers and ACM never see it, so it must not be picked.
    await zone('inner.example.com', 'c', vpc);
    await zone('example.org', 'd');
    r53.destroy();
    ec2.destroy();
  });
  after(async () => moto?.stop());

  test('the longest public suffix wins; a private zone is passed over; no zone at all is undefined', async () => {
    const env = { ...process.env };
    Object.assign(process.env, FAKE_AWS_ENV);
    const dns = createDnsZones({ endpointUrl: moto.endpoint, region: 'us-east-1' });
    try {
      assert.equal((await findHostedZone(dns, 'hello.example.com'))?.name, 'example.com');
      assert.equal((await findHostedZone(dns, 'a.b.deep.example.com'))?.name, 'deep.example.com');
      assert.equal((await findHostedZone(dns, 'deep.example.com'))?.name, 'deep.example.com');
      const inner = await findHostedZone(dns, 'app.inner.example.com');
      assert.equal(inner?.name, 'example.com');
      assert.equal(inner?.private, false);
      assert.match(inner!.id, /^[A-Z0-9]+$/, 'the id without /hostedzone/, as the template takes it');
      assert.equal(await findHostedZone(dns, 'hello.example.net'), undefined);
    } finally {
      dns.close();
      process.env = env;
    }
  });

  test('the prerequisites step records the zone, or null with the "add it yourself" plan', async () => {
    const env = { ...process.env };
    Object.assign(process.env, FAKE_AWS_ENV);
    const dns = createDnsZones({ endpointUrl: moto.endpoint, region: 'us-east-1' });
    const { lookUpZone } = await import('../cli/steps/domain-setup.ts');
    try {
      const found = stepCtx({ dns }, { options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.org' } } });
      const a = recordingIO();
      await lookUpZone(found, a.io);
      assert.equal(found.state.hostedZone?.name, 'example.org');
      assert.match(a.rec.info.join('\n'), /its validation CNAME in the Route 53 zone example\.org \(CloudFormation adds it\)/);
      const none = stepCtx({ dns }, { options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.net' } } });
      const b = recordingIO();
      await lookUpZone(none, b.io);
      assert.equal(none.state.hostedZone, null);
      assert.match(b.rec.info.join('\n'), /no Route 53 zone holds hello\.example\.net, so the validation CNAME and the record pointing hello\.example\.net at the load balancer are yours to add/);
    } finally {
      dns.close();
      process.env = env;
    }
  });
});

describe('--domain: the smoke check verifies chain and name', () => {
  let work = '';
  const servers: https.Server[] = [];
  let selfSigned = 0;
  let caSigned = 0;
  let caPem = '';
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
  const serve = (cert: string, key: string) =>
    new Promise<number>((resolve) => {
      const s = https.createServer({ cert: readFileSync(path.join(work, cert)), key: readFileSync(path.join(work, key)) }, (_req, res) => res.end('Hello World!'));
      servers.push(s);
      s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port));
    });
  // The domain resolves to loopback by an injected resolver: no DNS query leaves this machine.
  const lookup: net.LookupFunction = (_host, options, cb) => {
    if ((options as { all?: boolean }).all) (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    else cb(null, '127.0.0.1', 4);
  };
  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'hd-domain-tls-'));
    writeFileSync(path.join(work, 'san.ext'), 'subjectAltName=DNS:hello.example.test\n');
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'self.key', '-out', 'self.pem', '-days', '1', '-subj', '/CN=hello.example.test', '-addext', 'subjectAltName=DNS:hello.example.test');
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=hello-deploy test CA');
    openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=hello.example.test');
    openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', 'leaf.pem', '-extfile', 'san.ext');
    caPem = readFileSync(path.join(work, 'ca.pem'), 'utf8');
    selfSigned = await serve('self.pem', 'self.key');
    caSigned = await serve('leaf.pem', 'leaf.key');
  });
  after(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('a self-signed certificate for the very name is refused: DOMAIN_TLS_UNTRUSTED (exit 1)', async () => {
    await assert.rejects(createSmoke({ lookup }).httpsGet(`https://hello.example.test:${selfSigned}/`, 5_000, { verifyFor: 'hello.example.test' }), (e: AbortError) => {
      assert.equal(e.code, 'DOMAIN_TLS_UNTRUSTED');
      assert.equal(e.exitCode, 1);
      assert.match(e.message, /served a certificate a browser would refuse for hello\.example\.test: .*DEPTH_ZERO_SELF_SIGNED_CERT/);
      return true;
    });
    // Without --domain the same server passes: the self-signed path is unchanged.
    assert.equal((await createSmoke({ lookup }).httpsGet(`https://hello.example.test:${selfSigned}/`, 5_000)).status, 200);
  });

  test('a chain to a trusted CA, for the name, passes; the same chain for another name is refused', async () => {
    const smoke = createSmoke({ lookup, ca: caPem });
    assert.deepEqual(await smoke.httpsGet(`https://hello.example.test:${caSigned}/`, 5_000, { verifyFor: 'hello.example.test' }), { status: 200, body: 'Hello World!' });
    await assert.rejects(smoke.httpsGet(`https://other.example.test:${caSigned}/`, 5_000, { verifyFor: 'other.example.test' }), (e: AbortError) => e.code === 'DOMAIN_TLS_UNTRUSTED' && /ERR_TLS_CERT_ALTNAME_INVALID/.test(e.message));
    // Node's own CAs (no injected one) do not know the test CA.
    await assert.rejects(createSmoke({ lookup }).httpsGet(`https://hello.example.test:${caSigned}/`, 5_000, { verifyFor: 'hello.example.test' }), (e: AbortError) => e.code === 'DOMAIN_TLS_UNTRUSTED');
  });

  test('the result step fails at once on an untrusted chain (no five-minute retry), and says the certificate renews on success', async () => {
    const clock = new FakeClock();
    const url = `https://hello.example.test:${selfSigned}`;
    const ctx = stepCtx({ smoke: { ...createSmoke({ lookup }), httpProbe: async () => 'refused' as const }, subscriptions: { list: async () => [] } as never }, {
      clock, options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.test' } }, state: { infraOutputs: { ServiceUrl: url } },
    });
    await assert.rejects(reportResult.run(ctx, recordingIO().io), (e: AbortError) => e.code === 'DOMAIN_TLS_UNTRUSTED');
    assert.deepEqual(clock.slept, []);
    const ok = stepCtx({ smoke: { ...createSmoke({ lookup, ca: caPem }), httpProbe: async () => 'refused' as const }, subscriptions: { list: async () => [] } as never }, {
      clock, options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.test' } }, state: { infraOutputs: { ServiceUrl: `https://hello.example.test:${caSigned}` } },
    });
    const done = await reportResult.run(ok, recordingIO().io);
    assert.match(JSON.stringify(done), /with a trusted certificate for hello\.example\.test \(ACM renews it automatically\)/);
  });
});

describe('--domain: the CLI', () => {
  test('a bad --domain is exit 2, refused before any AWS call (the endpoint is a closed port)', async () => {
    const { runCli } = await import('./support/cli.ts');
    const cwd = mkdtempSync(path.join(tmpdir(), 'hd-domain-cli-'));
    try {
      const r = await runCli(['deploy', '--yes', '--ecosystem', 'dom', '--email', 'ops@example.com', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9', '--domain', '*.example.com', '--cert-arn', ARN], { cwd, env: FAKE_AWS_ENV });
      assert.equal(r.exitCode, 2, r.stderr + r.stdout);
      const out = r.stderr + r.stdout;
      assert.match(out, /--domain "\*\.example\.com" is a wildcard/);
      assert.match(out, /--domain makes its own ACM certificate: leave out --cert-arn, --cert and --key/);
      assert.match(out, /Nothing was sent to AWS/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
