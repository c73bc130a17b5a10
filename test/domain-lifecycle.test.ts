// The lifecycle of a --domain ecosystem (issue 16): status tells an ACM-managed certificate (renews itself) from an
// imported one and shows the alias record. ACM on moto: RequestCertificate gives a real AMAZON_ISSUED certificate,
// ImportCertificate an IMPORTED one, both read back through the adapter hello-deploy uses.
// The stack reads are a fake (named so): the template's domain variant (DomainName, HostedZoneId, the output
// DomainCertificateArn) is built in parallel, and moto 5.2.5 has no CloudFormation model for
// AWS::CertificateManager::Certificate; the fake returns the parameters and outputs that variant declares.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client, type RRType } from '@aws-sdk/client-route-53';
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

// ---------------------------------------------------------------- Route 53 on moto: zones, records, doctor --domain
// Zones and records are made with the Route 53 SDK on moto (the same calls `aws route53 create-hosted-zone` makes).
const route53 = () => new Route53Client(motoClientConfig(moto.endpoint));
async function createZone(name: string, privateZone = false): Promise<string> {
  const c = route53();
  try {
    const out = await c.send(new CreateHostedZoneCommand({
      Name: name,
      CallerReference: `${name}-${Date.now()}-${Math.random()}`,
      HostedZoneConfig: { PrivateZone: privateZone },
      ...(privateZone ? { VPC: { VPCRegion: 'us-east-1', VPCId: 'vpc-12345678' } } : {}),
    }));
    return out.HostedZone!.Id!.replace(/^\/hostedzone\//, '');
  } finally {
    c.destroy();
  }
}
async function upsert(zoneId: string, name: string, type: string, record: { value?: string; alias?: string }): Promise<void> {
  const c = route53();
  try {
    await c.send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Changes: [{
          Action: 'UPSERT',
          ResourceRecordSet: {
            Name: name,
            Type: type as RRType,
            ...(record.alias ? { AliasTarget: { HostedZoneId: 'Z35SXDOTRQ7X7K', DNSName: record.alias, EvaluateTargetHealth: false } } : { TTL: 60, ResourceRecords: [{ Value: record.value! }] }),
          },
        }],
      },
    }));
  } finally {
    c.destroy();
  }
}

test('the Route 53 reads on moto: the longest-matching public zone holds the name; the records of exactly that name, alias targets read', async () => {
  const { createDnsReads } = await import('../cli/adapters/aws/route53-reads.ts');
  const { zoneFor } = await import('../cli/domain/dns-records.ts');
  Object.assign(process.env, FAKE_AWS_ENV);
  const parent = await createZone('zones.test');
  const child = await createZone('sub.zones.test');
  await createZone('deeper.sub.zones.test', true); // private: not what browsers resolve
  await createZone('other.test');
  const dns = createDnsReads({ region: TEST_REGION, endpointUrl: moto.endpoint });
  const zones = await dns.zonesHolding('App.Deeper.Sub.Zones.Test.');
  assert.deepEqual(zones.map((z) => z.name).sort(), ['deeper.sub.zones.test', 'sub.zones.test', 'zones.test']);
  assert.equal(zoneFor('app.deeper.sub.zones.test', zones)?.id, child, 'the longest public match; the private zone is passed over');
  assert.equal(zoneFor('www.zones.test', await dns.zonesHolding('www.zones.test'))?.id, parent);
  assert.deepEqual(await dns.zonesHolding('app.nowhere.test'), []);
  await upsert(child, 'app.sub.zones.test', 'A', { alias: 'dualstack.my-alb-1.us-east-1.elb.amazonaws.com' });
  await upsert(child, 'app2.sub.zones.test', 'CNAME', { value: 'elsewhere.example.net' });
  assert.deepEqual(await dns.records(child, 'app.sub.zones.test'), [{ name: 'app.sub.zones.test', type: 'A', values: [], aliasTarget: 'dualstack.my-alb-1.us-east-1.elb.amazonaws.com', aliasZoneId: 'Z35SXDOTRQ7X7K' }]);
  assert.deepEqual(await dns.records(child, 'app2.sub.zones.test'), [{ name: 'app2.sub.zones.test', type: 'CNAME', values: ['elsewhere.example.net'] }]);
  assert.deepEqual(await dns.records(child, 'none.sub.zones.test'), []);
});

test('recordsElsewhere: our load balancer (also as dualstack.) is not elsewhere; any other address record is', async () => {
  const { recordsElsewhere } = await import('../cli/domain/dns-records.ts');
  const alb = 'My-Alb-1.us-east-1.elb.amazonaws.com';
  const recs = [
    { name: 'a.x.test', type: 'A', values: [], aliasTarget: 'dualstack.my-alb-1.us-east-1.elb.amazonaws.com' },
    { name: 'a.x.test', type: 'TXT', values: ['"v=spf1"'] },
    { name: 'a.x.test', type: 'AAAA', values: ['2001:db8::1'] },
  ];
  assert.deepEqual(recordsElsewhere('a.x.test', recs, alb).map((r) => r.type), ['AAAA']);
  assert.deepEqual(recordsElsewhere('a.x.test', recs, undefined).map((r) => r.type), ['A', 'AAAA'], 'not deployed yet: every address record is elsewhere');
});

test('doctor --domain on moto (the built CLI): a record of the name pointing elsewhere is refused (DOMAIN_RECORD_ELSEWHERE) unless --replace-record; a name no zone holds is a warning', async () => {
  const { runCli } = await import('./support/cli.ts');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const cwd = mkdtempSync(path.join(tmpdir(), 'hello-deploy-doctor-domain-'));
  try {
    const zone = await createZone('doctor.test');
    await upsert(zone, 'taken.doctor.test', 'A', { value: '192.0.2.10' });
    const doctor = (extra: string[]) => runCli(['doctor', '--json', '--ecosystem', 'dr-dom', '--endpoint-url', moto.endpoint, ...extra], { env: { ...FAKE_AWS_ENV }, timeout: 60_000, cwd });
    type Result = { ok: boolean; error?: { code: string; message: string; hint?: string }; domain?: { zone?: { id: string }; elsewhere: string[]; replaceRecord: boolean } };
    const result = (r: Awaited<ReturnType<typeof doctor>>) => r.events[r.events.length - 1] as unknown as Result;

    const refused = await doctor(['--domain', 'Taken.Doctor.Test']);
    assert.equal(refused.exitCode, 1, refused.stderr);
    assert.equal(result(refused).error?.code, 'DOMAIN_RECORD_ELSEWHERE');
    assert.match(result(refused).error!.message, /^taken\.doctor\.test already has "A → 192\.0\.2\.10" in zone doctor\.test, not a load balancer of dr-dom/);
    assert.match(result(refused).error!.hint!, /--replace-record/);
    assert.deepEqual(result(refused).domain, { name: 'taken.doctor.test', zone: { id: zone, name: 'doctor.test' }, elsewhere: ['A → 192.0.2.10'], replaceRecord: false });

    const replaced = await doctor(['--domain', 'taken.doctor.test', '--replace-record']);
    assert.equal(replaced.exitCode, 0, replaced.stderr);
    assert.ok(replaced.events.some((e) => e.type === 'warn' && /--replace-record, so the deploy replaces it/.test(String((e as { message?: string }).message))));

    const free = await doctor(['--domain', 'free.doctor.test']);
    assert.equal(free.exitCode, 0, free.stderr);
    assert.deepEqual(result(free).domain, { name: 'free.doctor.test', zone: { id: zone, name: 'doctor.test' }, elsewhere: [], replaceRecord: false });

    const nozone = await doctor(['--domain', 'app.not-in-route53.test']);
    assert.equal(nozone.exitCode, 0, nozone.stderr);
    assert.ok(nozone.events.some((e) => e.type === 'warn' && /No public Route 53 hosted zone holds "?app\.not-in-route53\.test/.test(String((e as { message?: string }).message))));

    const usage = await doctor(['--replace-record', '--domain', 'bad_name!']);
    assert.equal(usage.exitCode, 2);
    assert.match(result(usage).error!.message, /--domain "?bad_name!"? is not a DNS host name/);
    const alone = await doctor(['--replace-record']);
    assert.equal(alone.exitCode, 2);
    assert.match(result(alone).error!.message, /--replace-record needs --domain/);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------- destroy: the plan lists them; the leftover check looks for them
test('destroy: the plan names the stack\'s DomainCertificate and DomainRecord; a certificate and alias record still there after the stack are LEFTOVERS with their delete commands (ACM and Route 53 on moto)', async () => {
  const path = await import('node:path');
  const { domainOf } = await import('../cli/destroy/look.ts');
  const { inventoryLines } = await import('../cli/printers/destroy.ts');
  const { checkLeftovers } = await import('../cli/destroy/leftovers.ts');
  const { createCertificateCleanup } = await import('../cli/adapters/aws/destroy.ts');
  const { createDnsReads } = await import('../cli/adapters/aws/route53-reads.ts');
  const { DEFAULT_TIMEOUT_MS } = await import('../cli/destroy/options.ts');
  const { ACMClient, RequestCertificateCommand } = await import('@aws-sdk/client-acm');
  Object.assign(process.env, FAKE_AWS_ENV);
  const aws = { region: TEST_REGION, endpointUrl: moto.endpoint };
  const arn = (await new ACMClient(motoClientConfig(moto.endpoint)).send(new RequestCertificateCommand({ DomainName: 'www.destroy.test', ValidationMethod: 'DNS' }))).CertificateArn!;
  const zone = await createZone('destroy.test');
  await upsert(zone, 'www.destroy.test', 'A', { alias: ALB });

  // The infra stack as destroy's look step reads it (DescribeStackResources' physical ids: the ARN, the record name).
  const res = (logicalId: string, resourceType: string, physicalId: string) => ({ logicalId, resourceType, physicalId, status: 'CREATE_COMPLETE' });
  const infra = {
    name: 'dd-hello-world-infra', id: 'x', status: 'CREATE_COMPLETE', tags: {}, outputs: {},
    parameters: { DomainName: 'www.destroy.test', HostedZoneId: zone, SSLCert: '' },
    resources: [res('DomainCertificate', 'AWS::CertificateManager::Certificate', arn), res('DomainRecord', 'AWS::Route53::RecordSet', 'www.destroy.test')],
  };
  const domain = domainOf(infra)!;
  assert.deepEqual(domain, { name: 'www.destroy.test', certificate: arn, record: 'www.destroy.test', zoneId: zone });
  const lines = inventoryLines({ type: 'destroy-plan', ecosystem: 'dd', stacks: [{ name: infra.name, status: infra.status, resources: infra.resources }], certificates: [], domain, kept: [], nothing: false });
  assert.ok(lines.includes(`  with the infra stack: ACM certificate ${arn} (DomainCertificate, requested for www.destroy.test) and DNS record www.destroy.test (DomainRecord, alias A to the load balancer in zone ${zone})`), lines.join('\n'));
  assert.equal(domainOf({ ...infra, parameters: { SSLCert: 'arn:x' } }), undefined, 'no domain: nothing more in the plan');

  // The leftover check after the stack is gone: the named lookups and the network are FAKES finding nothing (what
  // they look for is covered by destroy-leftovers and destroy-e2e); ACM and Route 53 are moto.
  const certificates = createCertificateCleanup(aws);
  const none = async () => { throw new Error('not used by this step'); };
  const ctx = {
    options: { ecosystem: 'dd', region: TEST_REGION, endpointUrl: moto.endpoint, yes: true, keepImages: false, timeoutMs: { ...DEFAULT_TIMEOUT_MS }, retain: [], cwd: '/nonexistent', ecrTemplate: path.resolve('infra/hello-world-ecr-infra.yaml'), infraTemplate: path.resolve('infra/hello-world-infra.yaml') },
    ports: {
      stacks: { look: none, delete: none }, images: { count: none, empty: none, remove: none }, certificates,
      leftovers: {
        identity: { whoAmI: async () => ({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/t', region: TEST_REGION }) },
        files: { readable: async () => true, read: async (p: string) => (await import('node:fs')).readFileSync(p, 'utf8') },
        names: { find: async () => undefined },
        network: { ofStack: async () => [] },
        dns: createDnsReads(aws),
      },
    },
    state: { deleted: [], retained: [], kept: [], inventory: { ecosystem: 'dd', stacks: [], certificates: [], domain, kept: [], nothing: false } },
    report: () => {}, confirm: async () => true, removeFile: async () => false, fileExists: async () => false,
  };
  const io = { signal: new AbortController().signal, progress: () => {}, log: () => {}, stackEvent: () => {}, changeSet: () => {}, emit: () => {}, info: () => {}, warn: () => {}, ask: async () => false };
  try {
    await assert.rejects(checkLeftovers.run(ctx as never, io as never), (err: Error & { code?: string; hint?: string }) => {
      assert.equal(err.code, 'LEFTOVERS');
      assert.match(err.message, /^2 resources of dd are still there/);
      const hint = err.hint!.split('\n');
      assert.match(hint[1]!, new RegExp(`^  aws route53 change-resource-record-sets --hosted-zone-id ${zone} --change-batch '\\{"Changes":\\[\\{"Action":"DELETE","ResourceRecordSet":\\{"Name":"www\\.destroy\\.test","Type":"A","AliasTarget":\\{"HostedZoneId":"Z35SXDOTRQ7X7K","DNSName":"${ALB.replace(/\./g, '\\.')}"`), 'the record first');
      assert.equal(hint[2], `  aws acm delete-certificate --certificate-arn ${arn} --region ${TEST_REGION} --endpoint-url ${moto.endpoint}`);
      return true;
    });
  } finally {
    certificates.close();
  }
});
