// The moto launcher's acm_certificate extension (localstack/moto_ext/acm_certificate.py) and the infra template's
// optional domain (issue 16), on the launcher: the real template deployed both ways, with a hosted zone made in moto's
// Route 53. What moto does by itself is pinned beside it: it issues every requested certificate on a timer
// (MOTO_ACM_VALIDATION_WAIT, 60 s by default), whatever DNS says, and has no CloudFormation model for the certificate.
// Route 53 is called over its REST API directly (test/support/route53.ts: the project has no Route 53 SDK client).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { ACMClient, DescribeCertificateCommand, ImportCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { DeleteStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startMoto, type Moto } from './support/moto.ts';
import { createZone, records, upsertCname } from './support/route53.ts';
import { cfnClient, createStackAndWait, describeStack, motoClientConfig, readTemplate, stackResources, waitForTerminal } from './support/stacks.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { INFRA_PARSED, withoutDomain } from './support/template-stacks.ts';

const INFRA = readTemplate('hello-world-infra.yaml');
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/x-hello-world-ecr:test';
const ZONE_NAME = 'example.test';

async function certificate(acm: ACMClient, arn: string) {
  const c = (await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate;
  assert.ok(c, arn);
  return c;
}

let testCert: TestCert;
before(() => {
  testCert = makeTestCert('hello-deploy.test');
});
after(() => {
  if (testCert) rmSync(testCert.dir, { recursive: true, force: true });
});

describe('plain moto: issues a requested certificate on a timer, DNS or not (what the extension replaces)', () => {
  test('with MOTO_ACM_VALIDATION_WAIT=0 a DNS-validated certificate is ISSUED with no record anywhere', async () => {
    const moto = await startMoto({ env: { MOTO_ACM_VALIDATION_WAIT: '0' } });
    const acm = new ACMClient(motoClientConfig(moto.endpoint));
    try {
      const arn = (await acm.send(new RequestCertificateCommand({ DomainName: 'plain.example.test', ValidationMethod: 'DNS' }))).CertificateArn!;
      await new Promise((r) => setTimeout(r, 1100)); // moto compares whole seconds waited with the setting
      assert.equal((await certificate(acm, arn)).Status, 'ISSUED');
    } finally {
      acm.destroy();
      await moto.stop();
    }
  });
});

describe('on the launcher', () => {
  let moto: Moto;
  let acm: ACMClient;
  let cfn: CloudFormationClient;
  let elb: ElasticLoadBalancingV2Client;
  let zoneId: string;
  let sslCert: string;

  before(async () => {
    // The same zero wait: the extension must not issue on the timer.
    moto = await startMoto({ launcher: true, env: { MOTO_ACM_VALIDATION_WAIT: '0' } });
    acm = new ACMClient(motoClientConfig(moto.endpoint));
    cfn = cfnClient(moto.endpoint);
    elb = new ElasticLoadBalancingV2Client(motoClientConfig(moto.endpoint));
    zoneId = await createZone(moto.endpoint, ZONE_NAME);
    sslCert = (await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(testCert.certPem), PrivateKey: Buffer.from(testCert.keyPem) }))).CertificateArn!;
  });
  after(async () => {
    acm?.destroy();
    cfn?.destroy();
    elb?.destroy();
    await moto?.stop();
  });

  const params = (eco: string, over: Record<string, string> = {}) => ({ Ecosystem: eco, EmailAddress: 'ops@example.com', ImageId: IMAGE, ...over });

  async function listenerCertificate(eco: string): Promise<{ arn: string; dnsName: string }> {
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: [`${eco}-hw-alb`] }))).LoadBalancers?.[0];
    assert.ok(lb?.LoadBalancerArn);
    const [listener] = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
    return { arn: listener?.Certificates?.[0]?.CertificateArn ?? '', dnsName: lb.DNSName ?? '' };
  }

  test('RequestCertificate (DNS) stays PENDING_VALIDATION until its validation CNAME is in a zone, then is ISSUED', async () => {
    const arn = (await acm.send(new RequestCertificateCommand({ DomainName: `api.${ZONE_NAME}`, ValidationMethod: 'DNS' }))).CertificateArn!;
    await new Promise((r) => setTimeout(r, 1100));
    const pending = await certificate(acm, arn);
    assert.equal(pending.Status, 'PENDING_VALIDATION');
    const record = pending.DomainValidationOptions?.[0]?.ResourceRecord;
    assert.ok(record?.Name && record.Value);
    assert.equal(record.Type, 'CNAME');
    // A wrong value does not validate; the right one does.
    await upsertCname(moto.endpoint, zoneId, record.Name, 'wrong.acm-validations.aws.');
    assert.equal((await certificate(acm, arn)).Status, 'PENDING_VALIDATION');
    await upsertCname(moto.endpoint, zoneId, record.Name, record.Value);
    const issued = await certificate(acm, arn);
    assert.equal(issued.Status, 'ISSUED');
    assert.equal(issued.Type, 'AMAZON_ISSUED');
  });

  test('without a domain: CREATE_COMPLETE exactly as before — the listener presents SSLCert, no certificate or record', async () => {
    const made = await createStackAndWait(cfn, { stackName: 'hello-world-infra-nodom', templateBody: INFRA, parameters: params('nodom', { SSLCert: sslCert }), capabilities: ['CAPABILITY_IAM'] });
    assert.equal(made.status, 'CREATE_COMPLETE', made.reason);
    const l = await listenerCertificate('nodom');
    assert.equal(l.arn, sslCert);
    assert.equal(made.outputs.ServiceUrl, `https://${l.dnsName}`);
    assert.equal(made.outputs.DomainCertificateArn, undefined);
    const rows = await stackResources(cfn, 'hello-world-infra-nodom');
    const types = rows.map((r) => r.ResourceType);
    assert.ok(!types.includes('AWS::CertificateManager::Certificate') && !types.includes('AWS::Route53::RecordSet'), types.join());
    // Not even as anonymous rows (plain moto lists one for each resource whose Condition is false).
    assert.deepEqual(rows.filter((r) => !r.LogicalResourceId), []);
    assert.equal(rows.length, Object.keys(withoutDomain(INFRA_PARSED)).length);
  });

  test('with DomainName and HostedZoneId: CREATE_COMPLETE; the stack\'s ACM certificate on the listener, issued through the CNAME it wrote; the alias A record', async () => {
    const domain = `hello.${ZONE_NAME}`;
    const made = await createStackAndWait(cfn, {
      stackName: 'hello-world-infra-dom', templateBody: INFRA, parameters: params('dom', { DomainName: domain, HostedZoneId: zoneId }), capabilities: ['CAPABILITY_IAM'],
    });
    assert.equal(made.status, 'CREATE_COMPLETE', made.reason);
    assert.equal(made.outputs.ServiceUrl, `https://${domain}`);
    const certArn = made.outputs.DomainCertificateArn ?? '';
    const l = await listenerCertificate('dom');
    assert.equal(l.arn, certArn, 'the listener presents the stack\'s certificate, not SSLCert (empty here)');
    const c = await certificate(acm, certArn);
    assert.equal(c.Status, 'ISSUED');
    assert.equal(c.Type, 'AMAZON_ISSUED');
    assert.equal(c.DomainName, domain);
    const rows = await stackResources(cfn, 'hello-world-infra-dom');
    assert.equal(rows.find((r) => r.LogicalResourceId === 'DomainCertificate')?.PhysicalResourceId, certArn);
    assert.ok(rows.find((r) => r.LogicalResourceId === 'DomainRecord'));

    const validation = c.DomainValidationOptions?.[0]?.ResourceRecord;
    const inZone = await records(moto.endpoint, zoneId);
    const cname = inZone.find((r) => r.type === 'CNAME' && r.name === validation?.Name?.replace(/\.$/, ''));
    assert.deepEqual(cname?.values, [validation?.Value], 'CloudFormation wrote the validation CNAME');
    const alias = inZone.filter((r) => r.name === domain);
    // moto keeps the AliasTarget as given: the ALB's DNS name and moto's fixed canonical zone ID for every ALB.
    assert.deepEqual(alias, [{ name: domain, type: 'A', values: [], alias: { dnsName: l.dnsName, zoneId: 'Z2P70J7EXAMPLE' } }]);

    // Deleting the stack deletes the certificate and the alias; the validation CNAME stays, as on AWS.
    await cfn.send(new DeleteStackCommand({ StackName: 'hello-world-infra-dom' }));
    await waitForTerminal(cfn, made.stack.StackId ?? 'hello-world-infra-dom');
    await assert.rejects(certificate(acm, certArn), /ResourceNotFound|not found/i);
    const after = await records(moto.endpoint, zoneId);
    assert.deepEqual(after.filter((r) => r.name === domain), []);
    assert.ok(after.some((r) => r.type === 'CNAME' && r.name === validation?.Name?.replace(/\.$/, '')));
  });

  test('with DomainName only (DNS elsewhere): CREATE_IN_PROGRESS while the certificate waits; the CNAME added by hand completes it', async () => {
    const domain = `manual.${ZONE_NAME}`;
    const { CreateStackCommand } = await import('@aws-sdk/client-cloudformation');
    await cfn.send(new CreateStackCommand({
      StackName: 'hello-world-infra-man', TemplateBody: INFRA, Capabilities: ['CAPABILITY_IAM'],
      Parameters: Object.entries(params('man', { DomainName: domain })).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await describeStack(cfn, 'hello-world-infra-man')).StackStatus, 'CREATE_IN_PROGRESS');
    const rows = await stackResources(cfn, 'hello-world-infra-man');
    assert.equal(rows.find((r) => r.LogicalResourceId === 'DomainRecord'), undefined, 'no zone, no alias record');
    const certArn = rows.find((r) => r.LogicalResourceId === 'DomainCertificate')?.PhysicalResourceId ?? '';
    const c = await certificate(acm, certArn);
    assert.equal(c.Status, 'PENDING_VALIDATION');
    const record = c.DomainValidationOptions?.[0]?.ResourceRecord;
    assert.ok(record?.Name && record.Value);
    // "At the DNS provider": here the same moto zone, written by the test, not by CloudFormation.
    await upsertCname(moto.endpoint, zoneId, record.Name, record.Value);
    const done = await waitForTerminal(cfn, 'hello-world-infra-man', 10_000);
    assert.equal(done.StackStatus, 'CREATE_COMPLETE');
    assert.equal((await certificate(acm, certArn)).Status, 'ISSUED');
    assert.equal((await listenerCertificate('man')).arn, certArn);
  });
});
