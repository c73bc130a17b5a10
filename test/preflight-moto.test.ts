// The preflight and the service-linked roles against moto, through the real adapters (createDeployPorts): every
// check is made to fail by creating what AWS would trip over first (a log group named like the stack's, a full VPC
// quota, a 1024-bit certificate, …), and a missing IAM permission is moto's own AccessDenied (moto checks IAM
// policies once INITIAL_NO_AUTH_ACTION_COUNT requests have passed): nothing here is faked.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACMClient, ImportCertificateCommand } from '@aws-sdk/client-acm';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client, CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { ECRClient, CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { ECSClient, CreateClusterCommand } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client, CreateLoadBalancerCommand, CreateTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient, CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, ListRolesCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { SNSClient, CreateTopicCommand } from '@aws-sdk/client-sns';
import { AbortError } from '../cli/core/errors.ts';
import { createDeployPorts, type LiveDeployPorts } from '../cli/adapters/deploy-ports.ts';
import { runPreflight, type PreflightInput } from '../cli/steps/preflight.ts';
import { PREFLIGHT_CHECKS } from '../cli/steps/preflight-checks.ts';
import { ensureServiceLinkedRoles, lookServiceLinkedRoles } from '../cli/steps/service-linked-roles.ts';
import type { PreflightReport } from '../cli/domain/preflight/report.ts';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { cfnClient, createStackAndWait, motoClientConfig, readTemplate } from './support/stacks.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';

const ECR = readTemplate('hello-world-ecr-infra.yaml');
const INFRA = readTemplate('hello-world-infra.yaml');
const DAY = 86_400_000;

let moto: Moto;
let ports: LiveDeployPorts;
let cert: TestCert;
let work: string;
const cfg = () => motoClientConfig(moto.endpoint);

const savedEnv = { ...process.env };
before(async () => {
  // The adapters find credentials as the CLI does (the SDK's chain): the fake ones, never a real account's.
  Object.assign(process.env, FAKE_AWS_ENV, { AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' });
  delete process.env.AWS_PROFILE;
  moto = await startMoto();
  ports = await createDeployPorts({ endpointUrl: moto.endpoint, region: 'us-east-1' });
  cert = makeTestCert('preflight.hello-deploy.test');
  work = mkdtempSync(path.join(tmpdir(), 'hd-preflight-'));
});
after(async () => {
  process.env = savedEnv;
  ports?.close();
  await moto?.stop();
  for (const d of [cert?.dir, work]) if (d) rmSync(d, { recursive: true, force: true });
});
beforeEach(async () => moto.reset());

async function input(ecosystem: string, over: Partial<PreflightInput> = {}): Promise<PreflightInput> {
  return { ecosystem, identity: await ports.identity.whoAmI(), templates: { ecr: ECR, infra: INFRA }, certificate: { kind: 'pair', certFile: path.join(cert.dir, 'cert.pem'), keyFile: path.join(cert.dir, 'key.pem') }, now: new Date(), ...over };
}
const check = (r: PreflightReport, id: string) => r.checks.find((c) => c.id === id)!;

/** A VPC with two subnets in two zones, as a load balancer needs. */
async function network(): Promise<{ vpcId: string; subnets: string[] }> {
  const ec2 = new EC2Client(cfg());
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
  const subnets = [];
  for (const [i, az] of ['us-east-1a', 'us-east-1b'].entries()) subnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.9.${i}.0/24`, AvailabilityZone: az }))).Subnet!.SubnetId!);
  return { vpcId, subnets };
}

describe('names', () => {
  test('a clean account: all seven names free, and the report lists them', async () => {
    const report = await runPreflight(await input('pf-clean'), ports.preflight, PREFLIGHT_CHECKS);
    const names = check(report, 'names');
    assert.equal(names.status, 'ok', JSON.stringify(names));
    assert.match(names.notes[0]!, /^7 of 7 fixed names free/);
  });

  test('each of the seven, created outside the stacks first, is a problem naming it with the command that removes it', async () => {
    const eco = 'pf-taken';
    const { vpcId, subnets } = await network();
    await new ECRClient(cfg()).send(new CreateRepositoryCommand({ repositoryName: `${eco}-hello-world-ecr` }));
    const elb = new ElasticLoadBalancingV2Client(cfg());
    await elb.send(new CreateLoadBalancerCommand({ Name: `${eco}-hw-alb`, Subnets: subnets, Type: 'application' }));
    await elb.send(new CreateTargetGroupCommand({ Name: `${eco}-hw-tg`, VpcId: vpcId, Protocol: 'HTTPS', Port: 5000, TargetType: 'ip' }));
    await new ECSClient(cfg()).send(new CreateClusterCommand({ clusterName: `${eco}-hello-world` }));
    await new CloudWatchLogsClient(cfg()).send(new CreateLogGroupCommand({ logGroupName: `/ecs/${eco}-hello-world` }));
    await new SNSClient(cfg()).send(new CreateTopicCommand({ Name: `${eco}-hello-world-alarms` }));
    await new CloudWatchClient(cfg()).send(new PutMetricAlarmCommand({ AlarmName: `${eco}-hello-world-cpu-high`, MetricName: 'CPUUtilization', Namespace: 'AWS/ECS', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 70, ComparisonOperator: 'GreaterThanThreshold' }));

    const names = check(await runPreflight(await input(eco), ports.preflight, PREFLIGHT_CHECKS), 'names');
    assert.equal(names.status, 'problems');
    const said = names.problems.map((p) => `${p.message} | ${p.fix}`);
    for (const [label, name, command] of [
      ['ECR repository', `${eco}-hello-world-ecr`, 'aws ecr delete-repository'],
      ['load balancer', `${eco}-hw-alb`, 'aws elbv2 delete-load-balancer'],
      ['target group', `${eco}-hw-tg`, 'aws elbv2 delete-target-group'],
      ['ECS cluster', `${eco}-hello-world`, 'aws ecs delete-cluster'],
      ['CloudWatch Logs log group', `/ecs/${eco}-hello-world`, 'aws logs delete-log-group'],
      ['SNS topic', `${eco}-hello-world-alarms`, 'aws sns delete-topic'],
      ['CloudWatch alarm', `${eco}-hello-world-cpu-high`, 'aws cloudwatch delete-alarms'],
    ] as const) {
      assert.ok(said.some((s) => s.includes(`the ${label} "${name}" already exists`) && s.includes(command)), `${label} ${name}:\n${said.join('\n')}`);
    }
    assert.equal(names.problems.length, 7);
  });

  test("a resource the ecosystem's own stack holds is a re-deploy, not a collision", async () => {
    const eco = 'pf-ours';
    // The real ECR stack, and an infra stack holding the log group under its logical id.
    await createStackAndWait(cfnClient(moto.endpoint), { stackName: `${eco}-hello-world-ecr`, templateBody: ECR, parameters: { Ecosystem: eco } });
    const group = `Resources:\n  LogGroup:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: /ecs/${eco}-hello-world\n`;
    await createStackAndWait(cfnClient(moto.endpoint), { stackName: `${eco}-hello-world-infra`, templateBody: group });
    // The same name in another ecosystem's stack is still a collision for this one.
    await new CloudWatchLogsClient(cfg()).send(new CreateLogGroupCommand({ logGroupName: '/ecs/pf-other-hello-world' }));
    assert.equal(check(await runPreflight(await input(eco), ports.preflight, PREFLIGHT_CHECKS), 'names').status, 'ok');
    assert.equal(check(await runPreflight(await input('pf-other'), ports.preflight, PREFLIGHT_CHECKS), 'names').problems.length, 1);
  });
});

describe('quotas', () => {
  test("VPCs per Region from moto's Service Quotas; the load balancer quotas, which it lacks, from AWS's documented defaults, and said so", async () => {
    const quotas = check(await runPreflight(await input('pf-quota'), ports.preflight, PREFLIGHT_CHECKS), 'quotas');
    assert.equal(quotas.status, 'ok', JSON.stringify(quotas));
    assert.match(quotas.notes[0]!, /^VPCs per Region: 1 of 5 used, 1 more needed \(Service Quotas, applied value\)$/);
    assert.match(quotas.notes[1]!, /^Application Load Balancers per Region: 0 of 50 used, 1 more needed \(AWS's documented default; Service Quotas gave no value: GetServiceQuota: NoSuchResourceException; GetAWSDefaultServiceQuota: not answered by this endpoint\)$/);
    assert.match(quotas.notes[2]!, /^Target Groups per Region: 0 of 3000 used, 1 more needed \(AWS's documented default/);
  });

  test('a full VPC quota is a problem with the quota increase command; a re-deploy whose stack holds its VPC needs none more', async () => {
    const ec2 = new EC2Client(cfg());
    for (let i = 0; i < 4; i++) await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${20 + i}.0.0/16` }));
    const quotas = check(await runPreflight(await input('pf-full'), ports.preflight, PREFLIGHT_CHECKS), 'quotas');
    assert.equal(quotas.problems.length, 1);
    assert.match(quotas.problems[0]!.message, /VPCs per Region in us-east-1 is full: 5 of 5 in use and this deploy needs 1 more \(quota from Service Quotas, applied value\)/);
    assert.match(quotas.problems[0]!.fix, /--service-code vpc --quota-code L-F678F1CE --desired-value 6/);

    const vpcOnly = 'Resources:\n  VPC:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.30.0.0/16\n';
    await ec2.send(new CreateVpcCommand({ CidrBlock: '10.31.0.0/16' })).catch(() => undefined);
    await createStackAndWait(cfnClient(moto.endpoint), { stackName: 'pf-again-hello-world-infra', templateBody: vpcOnly });
    const again = check(await runPreflight(await input('pf-again'), ports.preflight, PREFLIGHT_CHECKS), 'quotas');
    assert.match(again.notes[0]!, /VPCs per Region: \d+ of 5 used, 0 more needed/);
  });
});

describe('the certificate', () => {
  function rsa1024(): { cert: string; key: string } {
    const c = path.join(work, 'weak.crt');
    const k = path.join(work, 'weak.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:1024', '-nodes', '-subj', '/CN=weak.test', '-days', '30', '-keyout', k, '-out', c], { stdio: 'ignore' });
    return { cert: readFileSync(c, 'utf8'), key: readFileSync(k, 'utf8') };
  }
  const importInto = async (region: string, pem: { cert: string; key: string }) =>
    (await new ACMClient({ ...cfg(), region }).send(new ImportCertificateCommand({ Certificate: Buffer.from(pem.cert), PrivateKey: Buffer.from(pem.key) }))).CertificateArn!;

  test('an imported RSA 2048 certificate fits; after its NotAfter it is expired, with the rotate command', async () => {
    const arn = await importInto('us-east-1', { cert: cert.certPem, key: cert.keyPem });
    const fits = check(await runPreflight(await input('pf-cert', { certificate: { kind: 'arn', arn } }), ports.preflight, PREFLIGHT_CHECKS), 'certificate');
    assert.equal(fits.status, 'ok', JSON.stringify(fits));
    assert.match(fits.notes[0]!, /RSA_2048, ISSUED, valid until .* for preflight\.hello-deploy\.test/);
    const later = check(await runPreflight(await input('pf-cert', { certificate: { kind: 'arn', arn }, now: new Date(Date.now() + 40 * DAY) }), ports.preflight, PREFLIGHT_CHECKS), 'certificate');
    assert.match(later.problems[0]!.message, /expired on/);
    assert.match(later.problems[0]!.fix, new RegExp(`--rotate ${arn}`));
  });

  test('a 1024-bit key, a certificate in another region and an unknown ARN are each refused with a fix', async () => {
    const weak = await importInto('us-east-1', rsa1024());
    const problem = async (arn: string) => check(await runPreflight(await input('pf-cert', { certificate: { kind: 'arn', arn } }), ports.preflight, PREFLIGHT_CHECKS), 'certificate').problems[0]!;
    assert.match((await problem(weak)).message, /key is RSA_1024; an ALB HTTPS listener serves only RSA_2048/);
    const west = await importInto('us-west-2', { cert: cert.certPem, key: cert.keyPem });
    assert.match((await problem(west)).message, /is in us-west-2, but the load balancer is created in us-east-1/);
    const unknown = (await problem('arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000'));
    assert.match(`${unknown.message} ${unknown.fix}`, /certificate/i);
  });

  test('without a certificate (doctor with none) the check is skipped and says why', async () => {
    const { certificate: _c, ...rest } = await input('pf-cert');
    const c = check(await runPreflight(rest, ports.preflight, PREFLIGHT_CHECKS), 'certificate');
    assert.equal(c.status, 'skipped');
    assert.match(c.skipped!, /no certificate given/);
  });
});

describe('service-linked roles', () => {
  const roles = async () => ((await new IAMClient(cfg()).send(new ListRolesCommand({}))).Roles ?? []).map((r) => `${r.Path}${r.RoleName}`).sort();

  test('a fresh account: each role the stack relies on is created, for the right service; a second run finds them there', async () => {
    const first = await ensureServiceLinkedRoles(ports.serviceRoles, INFRA);
    assert.deepEqual(first.map((r) => `${r.role.roleName}:${r.state}`), ['AWSServiceRoleForECS:created', 'AWSServiceRoleForElasticLoadBalancing:created', 'AWSServiceRoleForApplicationAutoScaling_ECSService:created']);
    // moto names them its own way; the path carries the service principal, as in AWS.
    const made = await roles();
    for (const service of ['ecs.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'ecs.application-autoscaling.amazonaws.com']) assert.ok(made.some((r) => r.startsWith(`/aws-service-role/${service}/`)), made.join('\n'));
    const second = await ensureServiceLinkedRoles(ports.serviceRoles, INFRA);
    assert.deepEqual(second.map((r) => r.state), ['present', 'present', 'present']);
    assert.deepEqual(await roles(), made, 'nothing more was created');
  });

  test('a role GetRole finds is left alone (no create); doctor only looks', async () => {
    const iam = new IAMClient(cfg());
    const trust = (service: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
    await iam.send(new CreateRoleCommand({ RoleName: 'AWSServiceRoleForECS', Path: '/aws-service-role/ecs.amazonaws.com/', AssumeRolePolicyDocument: trust('ecs.amazonaws.com') }));
    assert.deepEqual((await lookServiceLinkedRoles(ports.serviceRoles, INFRA)).map((r) => r.state), ['present', 'missing', 'missing']);
    assert.equal((await roles()).length, 1, 'looking creates nothing');
    const ensured = await ensureServiceLinkedRoles(ports.serviceRoles, INFRA);
    assert.equal(ensured[0]!.state, 'present');
    assert.ok(!(await roles()).some((r) => r.startsWith('/aws-service-role/ecs.amazonaws.com/') && !r.endsWith('AWSServiceRoleForECS')), 'no second ECS role');
  });
});

describe('missing permissions, as moto enforces them', () => {
  let authMoto: Moto;
  const ADMIN = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  before(async () => {
    // The first requests (creating the users below) pass unchecked; every later one is checked against IAM.
    authMoto = await startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: '3' } });
  });
  after(async () => authMoto?.stop());

  async function user(name: string, statements: object[]): Promise<LiveDeployPorts> {
    const iam = new IAMClient({ ...motoClientConfig(authMoto.endpoint), credentials: ADMIN });
    await iam.send(new CreateUserCommand({ UserName: name }));
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    process.env.AWS_ACCESS_KEY_ID = key.AccessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = key.SecretAccessKey;
    delete process.env.AWS_SESSION_TOKEN;
    return createDeployPorts({ endpointUrl: authMoto.endpoint, region: 'us-east-1' });
  }

  test('a denied CreateServiceLinkedRole is SERVICE_LINKED_ROLE_DENIED, with the command for an administrator; a denied lookup is a finding, the rest still reported', async () => {
    const saved = { ...process.env };
    let p: LiveDeployPorts | undefined;
    try {
      p = await user('deployer', [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        // A query-protocol call: moto answers a denied JSON-protocol call (CloudWatch Logs) in XML, which no SDK parses.
        { Effect: 'Deny', Action: ['iam:CreateServiceLinkedRole', 'elasticloadbalancing:DescribeTargetGroups'], Resource: '*' },
      ]);
      {
        const live = p;
        await assert.rejects(ensureServiceLinkedRoles(live.serviceRoles, INFRA), (e: unknown) => {
          assert.ok(e instanceof AbortError && e.code === 'SERVICE_LINKED_ROLE_DENIED', String(e));
          assert.match(e.message, /AWSServiceRoleForECS does not exist yet/);
          assert.match(e.hint!, /aws iam create-service-linked-role --aws-service-name ecs\.amazonaws\.com/);
          return true;
        });
        const identity = await live.identity.whoAmI();
        const report = await runPreflight({ ecosystem: 'pf-denied', identity, templates: { ecr: ECR, infra: INFRA }, now: new Date() }, live.preflight, PREFLIGHT_CHECKS);
        const names = check(report, 'names');
        assert.equal(names.problems.length, 1, JSON.stringify(names));
        assert.match(names.problems[0]!.message, /ELBv2 DescribeTargetGroups \(target group pf-denied-hw-tg\): access denied/);
        assert.match(names.problems[0]!.fix, /elasticloadbalancing:DescribeTargetGroups/);
        // The quotas still report what they could read, and the count they could not.
        const quotas = check(report, 'quotas');
        assert.equal(quotas.problems.length, 1);
        assert.match(quotas.problems[0]!.message, /DescribeTargetGroups/);
        assert.deepEqual(quotas.notes.map((n) => n.split(':')[0]), ['VPCs per Region', 'Application Load Balancers per Region']);
      }
    } finally {
      p?.close();
      process.env = saved;
    }
  });
});
