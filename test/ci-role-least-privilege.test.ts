// Least privilege, proved: every AWS action a full deploy, status, logs, rollback and destroy make (recorded by moto's
// request recorder) must be allowed by the CI role's policy in infra/hello-world-ci-role.yaml for the resource it
// was made on, evaluated by an IAM policy simulator (@cloud-copilot/iam-simulate), and a sample of actions
// hello-deploy never makes must be denied. moto records only what the CLI sends; what CloudFormation then does with
// the caller's credentials (create the VPC, the ALB, ...) happens inside moto and is checked by the template's own
// statements, which test/ci-role-template.test.ts reads against the infra template's resource types.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { motoClientConfig } from './support/stacks.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { runCli, type CliRun } from './support/cli.ts';
import { startTokenRegistry, type TokenRegistry } from './support/token-registry.ts';
import { pushImageFor } from './support/oci-push.ts';
import { readRecordedCalls, type AwsCall } from './support/aws-actions.ts';
import { ROOT } from './support/paths.ts';
import { parseCfnYaml, type CfnValue } from '../cli/domain/cfn-yaml.ts';
import { runSimulation } from '@cloud-copilot/iam-simulate';

const HANG_GUARD_MS = 120_000;
const ECO = 'lp-e2e';
/** The access key of the test's own set-up calls, so the recording can leave them out. */
const SETUP_KEY = 'TESTSETUP';
let moto: Moto;
let cert: TestCert;
let registry: TokenRegistry | undefined;
let dir: string;
const images: Array<{ ref: string; digest: string; tag: string }> = [];

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hd-lp-'));
  moto = await startMoto({ env: { MOTO_ENABLE_RECORDING: 'True', MOTO_RECORDER_FILEPATH: path.join(dir, 'recording.jsonl') } });
  cert = makeTestCert('least-privilege.hello-deploy.test');
  registry = await startTokenRegistry();
  const platform = { os: 'linux', architecture: process.arch === 'arm64' ? 'arm64' : 'amd64' };
  for (const tag of ['v1', 'v2']) {
    const { digest } = await pushImageFor({ host: registry.host, repository: 'prebuilt/app' }, tag, platform, `release ${tag}\n`);
    images.push({ ref: `${registry.host}/prebuilt/app@${digest}`, digest, tag });
  }
});
after(async () => {
  await registry?.stop();
  await moto?.stop();
  if (cert) rmSync(cert.dir, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli([...args, '--endpoint-url', moto.endpoint], { env: { ...FAKE_AWS_ENV }, timeout: HANG_GUARD_MS });
const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`;

/** Runs what CI runs (deploy twice, status, logs, rollback, destroy) and returns the calls the CLI made. */
async function recordLifecycle(): Promise<AwsCall[]> {
  const pair = ['--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem')];
  const ecr = new ECRClient({ ...motoClientConfig(moto.endpoint), credentials: { accessKeyId: SETUP_KEY, secretAccessKey: 'testing' } });
  for (const [n, i] of images.entries()) {
    if (n > 0) await new Promise((r) => setTimeout(r, 1_100));
    // The update through a change set, as a deploy to AWS makes it (with --endpoint-url the default is direct). The
    // create stays direct: moto leaves a stack created through a change set without outputs.
    const method = n > 0 ? ['--deploy-method', 'change-set'] : [];
    const r = await cli(['deploy', '--yes', '--json', '--ecosystem', ECO, '--email', 'ops@example.com', ...pair, '--image', i.ref, ...method]);
    assert.equal(r.exitCode, 0, explain(r));
    // What a push to ECR records (the push itself went to the loopback registry): the test's own call, not the CLI's,
    // so it is dropped from the recording below by its marker access key.
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [], annotations: { tag: i.tag } });
    await ecr.send(new PutImageCommand({ repositoryName: `${ECO}-hello-world-ecr`, imageManifest: manifest, imageTag: i.tag, imageDigest: i.digest }));
  }
  ecr.destroy();
  // status exits 1 on moto (the emulator runs no task, so the ecosystem is unhealthy); what counts here is what it read.
  for (const [args, codes] of [
    [['status', '--ecosystem', ECO, '--json'], [0, 1]],
    [['status', '--all', '--json'], [0, 1]],
    [['logs', '--ecosystem', ECO, '--json'], [0, 1]],
    [['rollback', '--yes', '--json', '--ecosystem', ECO], [0]],
    [['destroy', '--yes', '--json', '--ecosystem', ECO], [0]],
  ] as const) {
    const r = await cli([...args]);
    assert.ok((codes as readonly number[]).includes(r.exitCode), `${args.join(' ')}: ${explain(r)}`);
    assert.doesNotMatch(r.stdout, /"code":"BUG/, explain(r));
  }
  await moto.settled();
  return readRecordedCalls(path.join(dir, 'recording.jsonl')).filter((c) => c.accessKeyId !== SETUP_KEY);
}

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/** The CI role's inline policy, with the template's !Sub of the partition and account resolved. */
function ciPolicy(): Record<string, unknown> {
  const tpl = parseCfnYaml(readFileSync(path.join(ROOT, 'infra/hello-world-ci-role.yaml'), 'utf8'));
  const resolve = (v: CfnValue): CfnValue => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v && typeof v === 'object') {
      const sub = (v as Record<string, CfnValue>)['Fn::Sub'];
      if (typeof sub === 'string') return sub.replaceAll('${AWS::Partition}', 'aws').replaceAll('${AWS::AccountId}', ACCOUNT);
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
    }
    return v;
  };
  const role = tpl.Resources['CiRole']!.Properties!;
  const [policy] = role['Policies'] as Array<{ PolicyDocument: CfnValue }>;
  return resolve(policy!.PolicyDocument) as Record<string, unknown>;
}

const arn = (service: string, rest: string, region = REGION) => `arn:aws:${service}:${region}:${ACCOUNT}:${rest}`;
const SLR: Record<string, string> = {
  'ecs.amazonaws.com': 'AWSServiceRoleForECS',
  'elasticloadbalancing.amazonaws.com': 'AWSServiceRoleForElasticLoadBalancing',
  'ecs.application-autoscaling.amazonaws.com': 'AWSServiceRoleForApplicationAutoScaling_ECSService',
};

/** The resource a recorded call acted on, as IAM names it; "*" for calls IAM authorizes on no resource. */
function resourceOf(c: AwsCall): string {
  const p = c.params as Record<string, string | string[] | undefined>;
  const [service, op] = c.action.split(':') as [string, string];
  const stack = p['StackName'] as string | undefined;
  if (service === 'cloudformation' && stack) return stack.startsWith('arn:') ? stack : arn('cloudformation', `stack/${stack}/0b8c2f10-0000-0000-0000-000000000000`);
  const repo = (p['repositoryName'] as string | undefined) ?? (p['repositoryNames'] as string[] | undefined)?.[0];
  if (service === 'ecr' && repo) return arn('ecr', `repository/${repo}`);
  if (c.action === 'ecs:DescribeServices') return arn('ecs', `service/${String(p['cluster'])}/${String((p['services'] as string[])[0])}`);
  if (c.action === 'ecs:DescribeClusters') return arn('ecs', `cluster/${String((p['clusters'] as string[])[0])}`);
  if (c.action === 'ecs:DescribeTasks') {
    const task = String((p['tasks'] as string[])[0]);
    return task.startsWith('arn:') ? task : arn('ecs', `task/${String(p['cluster'])}/${task}`);
  }
  if (service === 'logs' && p['logGroupName']) return arn('logs', `log-group:${String(p['logGroupName'])}:*`);
  if (service === 'sns' && p['TopicArn']) return String(p['TopicArn']);
  if (service === 'acm' && p['CertificateArn']) return String(p['CertificateArn']);
  if (c.action === 'acm:ImportCertificate') return arn('acm', 'certificate/0b8c2f10-0000-0000-0000-000000000000');
  const slr = op === 'CreateServiceLinkedRole' ? SLR[String(p['AWSServiceName'])] : String(p['RoleName'] ?? '');
  const slrService = Object.entries(SLR).find(([, name]) => name === slr)?.[0];
  if (service === 'iam' && slrService) return `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${slrService}/${slr}`;
  return '*';
}

async function decide(policy: Record<string, unknown>, action: string, resource: string, context: Record<string, string> = {}): Promise<string> {
  const r = await runSimulation({
    identityPolicies: [{ name: 'hello-deploy-ci', policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: undefined,
    request: { action, principal: `arn:aws:sts::${ACCOUNT}:assumed-role/hello-deploy-ci/GitHubActions`, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
  }, {});
  if (r.resultType === 'error') return `error: ${JSON.stringify(r.errors).slice(0, 300)}`;
  return r.overallResult;
}

/**
 * What a CI deploy sends that this run cannot record: it builds and pushes the image to ECR itself (here the image
 * comes prebuilt from a loopback registry, which stands in for ECR's storage), through Docker with an ECR token.
 */
const PUSH = ['ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchGetImage'];

test('the CI role allows every action a deploy, status, logs, rollback and destroy make, and denies the rest', async () => {
  const calls = await recordLifecycle();
  assert.ok(calls.length > 50, `recorded ${calls.length} calls`);
  // The recording saw each kind of run: a create, an update through a change set, the reads, a delete.
  const seen = new Set(calls.map((c) => c.action));
  for (const a of ['cloudformation:CreateStack', 'cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DeleteStack', 'acm:ImportCertificate', 'ecs:DescribeServices', 'logs:FilterLogEvents', 'iam:CreateServiceLinkedRole']) {
    assert.ok(seen.has(a), `${a} recorded (${[...seen].sort().join(', ')})`);
  }
  const policy = ciPolicy();
  const wanted = new Map<string, [string, string]>();
  // sts:GetCallerIdentity needs no permission: "No permissions are required to perform this operation"
  // (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
  for (const c of calls) if (c.action !== 'sts:GetCallerIdentity') wanted.set(`${c.action} ${resourceOf(c)}`, [c.action, resourceOf(c)]);
  wanted.set('ecr:GetAuthorizationToken *', ['ecr:GetAuthorizationToken', '*']);
  for (const a of PUSH) wanted.set(`${a} repo`, [a, arn('ecr', `repository/${ECO}-hello-world-ecr`)]);
  const refused: string[] = [];
  for (const [action, resource] of wanted.values()) {
    const d = await decide(policy, action, resource);
    if (d !== 'Allowed') refused.push(`${action} on ${resource}: ${d}`);
  }
  assert.deepEqual(refused, [], 'every action hello-deploy makes is allowed');

  // A sample of what hello-deploy never does, each denied.
  const never: Array<[string, string, Record<string, string>?]> = [
    ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/intruder`],
    ['iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/admin`],
    ['s3:DeleteBucket', 'arn:aws:s3:::someone-elses-bucket'],
    ['cloudformation:DeleteStack', arn('cloudformation', 'stack/prod-database/0b8c2f10-0000-0000-0000-000000000000')],
    ['cloudformation:UpdateStack', arn('cloudformation', 'stack/main-hello-world-network/0b8c2f10-0000-0000-0000-000000000000')],
    ['ecr:PutImage', arn('ecr', 'repository/payments-api')],
    ['ecr:DeleteRepository', arn('ecr', 'repository/payments-api')],
    ['iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`],
    ['iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/main-hello-world-infra-TaskRole-ABC`, { 'iam:PassedToService': 'lambda.amazonaws.com' }],
    ['iam:AttachRolePolicy', `arn:aws:iam::${ACCOUNT}:role/main-hello-world-infra-TaskRole-ABC`, { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' }],
    ['iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/admin`],
    ['ec2:TerminateInstances', arn('ec2', 'instance/i-0123456789abcdef0')],
    ['ec2:DeleteVpc', arn('ec2', 'vpc/vpc-0123456789abcdef0'), { 'aws:ResourceTag/aws:cloudformation:stack-name': 'prod-network' }],
    ['ecs:DeleteService', arn('ecs', 'service/payments/payments-api')],
    ['ecs:DescribeTasks', arn('ecs', 'task/payments/0b8c2f100000000000000000')],
    ['logs:DeleteLogGroup', arn('logs', 'log-group:/aws/lambda/payments:*')],
    ['sns:Publish', arn('sns', 'main-hello-world-alarms')],
  ];
  const allowed: string[] = [];
  for (const [action, resource, context] of never) {
    const d = await decide(policy, action, resource, context);
    if (d !== 'ImplicitlyDenied') allowed.push(`${action} on ${resource}: ${d}`);
  }
  assert.deepEqual(allowed, [], 'what hello-deploy never does is denied');
});

test('no statement allows every action of a service or everything', () => {
  const policy = ciPolicy() as { Statement: Array<{ Sid: string; Action: string | string[] }> };
  for (const s of policy.Statement) for (const a of [s.Action].flat()) assert.doesNotMatch(a, /\*/, `${s.Sid}: ${a}`);
});

/**
 * What CloudFormation calls with the caller's credentials to create, update and delete each resource type of the
 * two templates: the handler permissions of the type's CloudFormation registry schema, which cfn-lint ships
 * (cfnlint/data/schemas: providers/<region>.json maps a type to its schema file).
 */
function handlerPermissions(type: string): Map<string, string[]> {
  const lib = path.join(ROOT, '.venv', 'lib');
  const [py] = readdirSync(lib).filter((d) => d.startsWith('python'));
  const schemas = path.join(lib, py!, 'site-packages', 'cfnlint', 'data', 'schemas');
  const providers = JSON.parse(readFileSync(path.join(schemas, 'providers', 'us-east-1.json'), 'utf8')) as Record<string, string>;
  const schema = JSON.parse(readFileSync(path.join(schemas, 'resources', `${providers[type]}.json`), 'utf8')) as { handlers?: Record<string, { permissions?: string[] }> };
  return new Map(['create', 'update', 'delete'].map((h) => [h, schema.handlers?.[h]?.permissions ?? []]));
}

/** Every resource of an ecosystem `x`, as IAM names it: a handler's permission is checked against each. */
const X_RESOURCES = [
  '*',
  arn('ecr', 'repository/x-hello-world-ecr'),
  arn('elasticloadbalancing', 'loadbalancer/app/x-hw-alb/50dc6c495c0c9188'),
  arn('elasticloadbalancing', 'targetgroup/x-hw-tg/73e2d6bc24d8a067'),
  arn('elasticloadbalancing', 'listener/app/x-hw-alb/50dc6c495c0c9188/f2f7dc8efc522ab2'),
  arn('ecs', 'cluster/x-hello-world'),
  arn('ecs', 'service/x-hello-world/x-hello-world'),
  arn('ecs', 'task-definition/x-hello-world:1'),
  arn('ecs', 'task/x-hello-world/0b8c2f100000000000000000'),
  arn('logs', 'log-group:/ecs/x-hello-world:*'),
  arn('sns', 'x-hello-world-alarms'),
  arn('sns', 'x-hello-world-alarms:0b8c2f10-0000-0000-0000-000000000000'),
  arn('cloudwatch', 'alarm:x-hello-world-cpu-high'),
  `arn:aws:iam::${ACCOUNT}:role/x-hello-world-infra-TaskRole-1XYZ`,
  arn('acm', 'certificate/0b8c2f10-0000-0000-0000-000000000000'),
  'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ',
  'arn:aws:route53:::change/C0123456789ABCDEFGHIJ',
];
/** What the resources carry or the calls send (the tag CloudFormation puts on each EC2 resource, the role passed to ECS tasks, the one managed policy attached). */
const X_CONTEXT = {
  'aws:ResourceTag/aws:cloudformation:stack-name': 'x-hello-world-infra',
  'iam:PassedToService': 'ecs-tasks.amazonaws.com',
  'iam:PolicyARN': 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
};

/**
 * Handler permissions the role leaves out on purpose: each is for a property these templates do not set. A
 * template change that starts using one fails here until the role allows it.
 */
const NOT_USED: Array<[RegExp, string]> = [
  [/^kms:/, 'no customer-managed KMS key: the repository, log group and topic use AWS-owned encryption'],
  [/^acm-pca:/, 'the domain certificate is public (ACM-issued), not from a private CA'],
  [/^cognito-idp:/, 'the listener has no Cognito authenticate action'],
  [/^lambda:/, 'the scalable target is an ECS service, not a Lambda function'],
  [/^(s3|firehose):|^logs:(CreateLogDelivery|PutResourcePolicy|DeleteResourcePolicy|PutIndexPolicy|DeleteIndexPolicy|PutBearerTokenAuthentication|AssociateKmsKey|DisassociateKmsKey|PutLogGroupDeletionProtection)$/, 'the log group has no delivery, resource or index policy, KMS key, bearer token or deletion protection'],
  [/DataProtectionPolicy$/, 'no data protection policy on the log group or the topic'],
  [/^application-autoscaling:(PutScheduledAction|DeleteScheduledAction)$/, 'the scalable target has no scheduled actions'],
  [/^ec2:(CreateVpcEncryptionControl|ModifyVpcTenancy|AssociateSubnetCidrBlock|DisassociateSubnetCidrBlock|AttachVpnGateway|DetachVpnGateway)$/, 'no VPC encryption control, dedicated tenancy, IPv6 blocks or VPN gateway'],
  [/^ecs:(PutAccountSetting|PutAccountSettingDefault)$/, 'account-wide ECS settings: the cluster sets only its own'],
  [/^elasticloadbalancing:(ModifyCapacityReservation|ModifyIpPools|RegisterTargets|DeregisterTargets)$/, 'no capacity reservation or IPAM pool; ECS registers the targets, not CloudFormation (no Targets property)'],
  [/^ecr:(SetRepositoryPolicy|DeleteRepositoryPolicy|DeleteLifecyclePolicy)$/, 'the repository has no repository policy, and its lifecycle policy is only ever replaced'],
  [/^iam:(PutRolePolicy|GetRolePolicy|DeleteRolePolicy|PutRolePermissionsBoundary|DeleteRolePermissionsBoundary)$/, 'the two roles have no inline policy and no permissions boundary'],
];

test('the CI role allows what CloudFormation needs of the caller for every resource type of the two templates', async () => {
  const policy = ciPolicy();
  const types = new Set<string>();
  for (const file of ['hello-world-ecr-infra.yaml', 'hello-world-infra.yaml']) {
    for (const r of Object.values(parseCfnYaml(readFileSync(path.join(ROOT, 'infra', file), 'utf8')).Resources)) types.add(r.Type);
  }
  const missing: string[] = [];
  const checked = new Map<string, boolean>();
  for (const type of [...types].sort()) {
    for (const [handler, permissions] of handlerPermissions(type)) {
      for (const p of permissions) {
        if (NOT_USED.some(([re]) => re.test(p))) continue;
        if (!checked.has(p)) {
          let ok = false;
          for (const resource of X_RESOURCES) if ((await decide(policy, p, resource, X_CONTEXT)) === 'Allowed') { ok = true; break; }
          checked.set(p, ok);
        }
        if (!checked.get(p)) missing.push(`${type} ${handler}: ${p}`);
      }
    }
  }
  assert.ok(checked.size > 40, `${checked.size} permissions checked`);
  assert.deepEqual(missing, [], 'each is allowed on a resource of the ecosystem, or listed in NOT_USED with a reason');
});
