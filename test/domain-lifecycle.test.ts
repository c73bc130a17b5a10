// The lifecycle of a --domain ecosystem (issue 16): status tells an ACM-managed certificate (renews itself) from an
// imported one and shows the alias record. ACM on moto: RequestCertificate gives a real AMAZON_ISSUED certificate,
// ImportCertificate an IMPORTED one, both read back through the adapter hello-deploy uses.
// The stack reads are a fake (named so): the template's domain variant (DomainName, HostedZoneId, the output
// DomainCertificateArn) is built in parallel, and moto 5.2.5 has no CloudFormation model for
// AWS::CertificateManager::Certificate; the fake returns the parameters and outputs that variant declares.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { motoClientConfig, TEST_REGION } from './support/stacks.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { gatherStatus, type StatusPorts } from '../cli/status/gather.ts';
import { judge } from '../cli/status/judge.ts';
import { statusScreen } from '../cli/printers/status.ts';
import type { StackView } from '../cli/ports/stacks.ts';

let moto: Moto;
let cert: TestCert;
before(async () => {
  moto = await startMoto();
  cert = makeTestCert('imported.hello-deploy.test');
});
after(async () => {
  await moto?.stop();
  if (cert) rmSync(cert.dir, { recursive: true, force: true });
});

const ALB = 'st-dom-alb-123.us-east-1.elb.amazonaws.com';

/** A fake StackReadPort (see the file's comment): the infra stack as the domain variant of the template leaves it. */
function fakeStacks(infra: Partial<StackView>): StatusPorts['stacks'] {
  return {
    async describe(name) {
      if (!name.endsWith('-infra')) return undefined;
      return { name, status: 'CREATE_COMPLETE', outputs: {}, parameters: {}, tags: {}, ...infra };
    },
    all: async () => [],
  };
}

async function statusWith(infra: Partial<StackView>) {
  const { createCertificatePort } = await import('../cli/adapters/aws/acm.ts');
  Object.assign(process.env, FAKE_AWS_ENV);
  const certificates = createCertificatePort({ region: TEST_REGION, endpointUrl: moto.endpoint });
  const none = async () => undefined;
  const ports: StatusPorts = {
    stacks: fakeStacks(infra),
    ecs: { service: none, tasks: async () => [], describeTasks: async () => [] },
    targets: { targets: none },
    alarms: { describe: none },
    subscriptions: { list: none },
    certificates,
  };
  return gatherStatus({ ecosystem: 'st-dom', region: TEST_REGION, emulator: true, now: Date.now() }, ports);
}

test('status with --domain: the ACM-issued certificate (from the DomainCertificateArn output) renews automatically; the record points at the load balancer', async () => {
  const { ACMClient, RequestCertificateCommand } = await import('@aws-sdk/client-acm');
  const acm = new ACMClient(motoClientConfig(moto.endpoint));
  const arn = (await acm.send(new RequestCertificateCommand({ DomainName: 'app.example.com', ValidationMethod: 'DNS' }))).CertificateArn!;
  const snap = await statusWith({
    parameters: { DomainName: 'app.example.com', HostedZoneId: 'Z0123', SSLCert: '' },
    outputs: { DomainCertificateArn: arn, LoadBalancerDNSName: ALB, ServiceUrl: 'https://app.example.com' },
  });
  assert.equal(snap.certificate?.arn, arn, 'the domain certificate, not SSLCert');
  assert.equal(snap.certificate?.type, 'AMAZON_ISSUED');
  assert.deepEqual(snap.record, { name: 'app.example.com', zoneId: 'Z0123', target: ALB });
  const lines = statusScreen({ type: 'status', verdict: judge(snap), ...snap });
  assert.ok(lines.some((l) => /Certificate +app\.example\.com .*ACM-managed: renews automatically/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => l.includes(`DNS record   app.example.com A (alias) → ${ALB} (zone Z0123)`)), lines.join('\n'));
  assert.ok(!judge(snap).warnings.some((w) => w.includes('rotate it')), 'no rotation advice for a certificate ACM renews');
});

test('status with a domain whose zone is not in Route 53: no record of ours, said so', async () => {
  const { ACMClient, RequestCertificateCommand } = await import('@aws-sdk/client-acm');
  const arn = (await new ACMClient(motoClientConfig(moto.endpoint)).send(new RequestCertificateCommand({ DomainName: 'app.elsewhere.test', ValidationMethod: 'DNS' }))).CertificateArn!;
  const snap = await statusWith({ parameters: { DomainName: 'app.elsewhere.test', HostedZoneId: '' }, outputs: { DomainCertificateArn: arn, LoadBalancerDNSName: ALB } });
  assert.deepEqual(snap.record, { name: 'app.elsewhere.test' });
  const lines = statusScreen({ type: 'status', verdict: judge(snap), ...snap });
  assert.ok(lines.some((l) => /DNS record +app\.elsewhere\.test: no Route 53 zone/.test(l)), lines.join('\n'));
});

test('status without a domain: the imported SSLCert, its expiry, "never renews"; no DNS record line', async () => {
  const { ACMClient, ImportCertificateCommand } = await import('@aws-sdk/client-acm');
  const arn = (await new ACMClient(motoClientConfig(moto.endpoint)).send(new ImportCertificateCommand({ Certificate: Buffer.from(cert.certPem), PrivateKey: Buffer.from(cert.keyPem) }))).CertificateArn!;
  const snap = await statusWith({ parameters: { SSLCert: arn }, outputs: { LoadBalancerDNSName: ALB } });
  assert.equal(snap.certificate?.type, 'IMPORTED');
  assert.ok((snap.certificate?.daysLeft ?? 0) > 0);
  assert.equal(snap.record, undefined);
  const lines = statusScreen({ type: 'status', verdict: judge(snap), ...snap });
  assert.ok(lines.some((l) => /Certificate .*imported \(never renews: rotate it before it expires\), expires \d{4}-/.test(l)), lines.join('\n'));
  assert.ok(!lines.some((l) => l.includes('DNS record')));
});
