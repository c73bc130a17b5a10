// deploy --domain (issue 16), the deploy side: the flag, the Route 53 zone lookup against moto (hosted zones made in
// moto), the plan text, the certificate wait's messages and bound, the "zone not in Route 53" path (a FAKE stack and
// FAKE certificate port: moto 5.2.5 models no AWS::CertificateManager::Certificate, so no stack of it ever waits on a
// validation record), and the smoke check's certificate verification against real TLS servers on 127.0.0.1.
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
import { parseDomainName } from '../cli/domain/domain-name.ts';
import { resolveDeployOptions } from '../cli/deploy/options.ts';
import { AbortError, UsageError } from '../cli/core/errors.ts';
import { createDnsZones } from '../cli/adapters/aws/route53.ts';
import { findHostedZone } from '../cli/steps/domain-zone.ts';
import { deployInfraStack } from '../cli/steps/deploy-infra-stack.ts';
import { checkPrerequisites } from '../cli/steps/check-prerequisites.ts';
import { reportResult } from '../cli/steps/report-result.ts';
import { DOMAIN_POLL_MS, watchCertificate } from '../cli/steps/certificate-wait.ts';
import { createSmoke } from '../cli/adapters/smoke.ts';
import type { CertificatePort, DescribedCertificate, StackPort } from '../cli/ports/deploy.ts';
import { DIGEST, REPOSITORY, FakeClock, deployOptions, fakeRolloutReads, fakeStacks, recordingIO, stepCtx, UNUSED_DNS } from './support/fake-ports.ts';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { ROOT } from './support/paths.ts';

const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const RECORD = { name: '_0123abcd.hello.example.com.', type: 'CNAME', value: '_4567ef.xyz.acm-validations.aws.' };

/** FAKE ACM: the certificate the stack made, pending validation with its record, issued from `issueAt` reads on. */
function fakeCerts(issueAt = Infinity): CertificatePort & { reads: number } {
  const port = {
    reads: 0,
    async describe(arn: string): Promise<DescribedCertificate> {
      port.reads += 1;
      return { arn, status: port.reads >= issueAt ? 'ISSUED' : 'PENDING_VALIDATION', validation: [RECORD] };
    },
    importPair: async () => assert.fail('no import with --domain'),
  };
  return port;
}

describe('--domain: the flag', () => {
  test('a DNS host name, lower-cased, one trailing dot dropped; anything else is DOMAIN_INVALID (exit 2)', () => {
    assert.equal(parseDomainName(' Hello.Example.COM. '), 'hello.example.com');
    for (const bad of ['', 'localhost', '*.example.com', '-a.example.com', 'a_b.example.com', 'a..example.com', '10.0.0.1', `${'a'.repeat(64)}.example.com`, 'hello.example.com/x', 'héllo.example.com']) {
      assert.throws(() => parseDomainName(bad), (e: UsageError) => e.code === 'DOMAIN_INVALID' && e.exitCode === 2, bad);
    }
  });

  test('with --domain no certificate flag is needed, and none is taken; --domain-wait is a duration that goes with it', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'hd-domain-'));
    const env = { cwd, projectDir: ROOT, imageTag: 't', resolveRegion: async () => 'us-east-1' };
    try {
      const o = await resolveDeployOptions({ ecosystem: 'dom', email: 'ops@example.com', domain: 'Hello.Example.com', domainWait: '3m' }, env);
      assert.deepEqual(o.certificate, { kind: 'managed' });
      assert.deepEqual(o.domain, { name: 'hello.example.com' });
      assert.equal(o.domainWaitMs, 180_000);
      await assert.rejects(resolveDeployOptions({ ecosystem: 'dom', email: 'ops@example.com', domain: 'hello.example.com', certArn: ARN }, env), (e: UsageError) => e.exitCode === 2 && /--domain makes its own ACM certificate/.test(e.message));
      await assert.rejects(resolveDeployOptions({ ecosystem: 'dom', email: 'ops@example.com', certArn: ARN, domainWait: '3m' }, env), (e: UsageError) => /--domain-wait goes with --domain/.test(e.message));
      await assert.rejects(resolveDeployOptions({ ecosystem: 'dom', email: 'ops@example.com', domain: 'a..b' }, env), (e: UsageError) => e.exitCode === 2 && /is not a DNS host name/.test(e.message));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('the plan says what --domain makes, that nothing is imported, and the bound of the wait', () => {
    const options = deployOptions({ certificate: { kind: 'managed' }, domain: { name: 'hello.example.com' }, domainWaitMs: 300_000 });
    const infra = deployInfraStack.describe({ options } as never);
    assert.match(infra, /an ACM certificate for hello\.example\.com with DNS validation \(it renews itself\)/);
    assert.match(infra, /its validation CNAME in the Route 53 zone that holds it/);
    assert.match(infra, /an alias A record hello\.example\.com → the load balancer \(IPv4 only, so no AAAA\)/);
    assert.match(infra, /watched for at most 5m00s \(--domain-wait\)/);
    const prereq = checkPrerequisites.describe({ options } as never);
    assert.match(prereq, /public Route 53 hosted zone holding hello\.example\.com \(ListHostedZonesByName, longest match\); no self-signed certificate is imported/);
    assert.match(reportResult.describe({ options } as never), /verify for hello\.example\.com \(no -k\)/);
  });
});

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

describe('--domain: the certificate wait', () => {
  test('progress names the record and the elapsed time against the bound; issued ends the wait', async () => {
    const clock = new FakeClock();
    const progress: string[] = [];
    const records: Array<[string, boolean]> = [];
    const late = await watchCertificate(fakeCerts(4), clock, {
      domain: 'hello.example.com', zone: { name: 'example.com' }, arn: () => ARN, boundMs: 600_000, signal: new AbortController().signal,
      onProgress: (m) => progress.push(m), onRecord: (r, byHand) => records.push([r.name, byHand]),
    });
    assert.equal(late, undefined);
    assert.deepEqual(records, [[RECORD.name, false]], 'the record is announced once');
    assert.equal(progress[0], `waiting for validation record ${RECORD.name} CNAME ${RECORD.value} in zone example.com: 0s of at most 10m00s`);
    assert.equal(progress[1], `waiting for validation record ${RECORD.name} CNAME ${RECORD.value} in zone example.com: 15s of at most 10m00s`);
    assert.equal(progress.at(-1), 'certificate for hello.example.com issued after 45s');
    assert.ok(clock.slept.every((ms) => ms === DOMAIN_POLL_MS));
  });

  test('before the stack has made the certificate, the wait says so', async () => {
    const clock = new FakeClock();
    const progress: string[] = [];
    let arn: string | undefined;
    const certs = fakeCerts(2);
    const wait = watchCertificate(certs, clock, { domain: 'hello.example.com', zone: null, arn: () => arn, boundMs: 600_000, signal: new AbortController().signal, onProgress: (m) => { progress.push(m); arn = ARN; }, onRecord: () => undefined });
    assert.equal(await wait, undefined);
    assert.equal(progress[0], 'waiting for the certificate and its validation record: 0s of at most 10m00s');
  });

  test('no Route 53 zone: the CNAME is printed for the DNS provider at once, and past --domain-wait the step fails with it (exit 1) and a re-run hint', async () => {
    // FAKE stack port: CloudFormation creating a stack whose certificate waits for a record nobody adds. It reports
    // DomainCertificate's event with the ARN, then waits until the step stops waiting for it.
    const base = fakeStacks();
    let stopped = false;
    const stacks: StackPort = {
      ...base,
      async deploy(req) {
        req.onEvent({ logicalId: 'DomainCertificate', resourceType: 'AWS::CertificateManager::Certificate', status: 'CREATE_IN_PROGRESS', timestamp: new Date().toISOString(), physicalId: ARN, reason: 'Resource creation Initiated' });
        await new Promise<void>((resolve) => (req.signal!.aborted ? resolve() : req.signal!.addEventListener('abort', () => resolve(), { once: true })));
        stopped = true;
        throw new AbortError('STACK_TIMEOUT', 'stopped waiting');
      },
      describeStatus: async () => 'CREATE_IN_PROGRESS',
    };
    const clock = new FakeClock();
    const ctx = stepCtx({ stacks, ecosystem: fakeRolloutReads(), certs: fakeCerts(), dns: UNUSED_DNS }, {
      clock,
      options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.com' }, domainWaitMs: 120_000, deployMethod: 'direct' },
      state: { imageId: `${REPOSITORY.uri}@${DIGEST}`, infraTemplateBody: 'infra: body', hostedZone: null },
    });
    const { io, rec } = recordingIO();
    await assert.rejects(deployInfraStack.run(ctx, io), (e: AbortError) => {
      assert.equal(e.code, 'DOMAIN_NOT_VALIDATED');
      assert.equal(e.exitCode, 1);
      assert.match(e.message, /not validated within 2m00s \(--domain-wait\)/);
      assert.ok(e.message.includes(`the CNAME ${RECORD.name} CNAME ${RECORD.value}`));
      assert.match(e.hint ?? '', /add the CNAME .* at your DNS provider\. CloudFormation keeps waiting .* run the same command again/);
      return true;
    });
    assert.ok(stopped, 'the stack wait was stopped');
    assert.deepEqual(rec.warn, [`Add this record at your DNS provider so ACM can validate hello.example.com: ${RECORD.name} CNAME ${RECORD.value}`]);
    assert.match(rec.progress.join('\n'), /at your DNS provider: 1m45s of at most 2m00s/);
  });

  test('with a zone, the stack gets DomainName and HostedZoneId and no SSLCert', async () => {
    const stacks = fakeStacks({ outputs: { ServiceUrl: 'https://hello.example.com' } });
    const ctx = stepCtx({ stacks, ecosystem: fakeRolloutReads(), certs: fakeCerts(1), dns: UNUSED_DNS }, {
      options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.com' }, deployMethod: 'direct' },
      state: { imageId: `${REPOSITORY.uri}@${DIGEST}`, infraTemplateBody: 'infra: body', hostedZone: { id: 'Z123', name: 'example.com' } },
    });
    await deployInfraStack.run(ctx, recordingIO().io);
    const p = stacks.requests[0]!.parameters;
    assert.equal(p['DomainName'], 'hello.example.com');
    assert.equal(p['HostedZoneId'], 'Z123');
    assert.equal(p['SSLCert'], undefined);
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
