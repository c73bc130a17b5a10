// destroy's last step, "Check nothing is left", over FAKE lookups (named so): which leftover is an emulator's known
// gap and which is real, on AWS and on an emulator, what --keep-images and retained resources leave out, and a
// lookup the identity may not make. The real adapters on moto are in destroy-e2e.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AbortError, HelloDeployError } from '../cli/core/errors.ts';
import type { StepIO } from '../cli/core/runner.ts';
import type { DestroyContext } from '../cli/destroy/context.ts';
import { checkLeftovers } from '../cli/destroy/leftovers.ts';
import { DEFAULT_TIMEOUT_MS, type DestroyOptions } from '../cli/destroy/options.ts';
import { aimedAt, classifyLeftovers, type Leftover, type NetworkResource } from '../cli/domain/leftovers.ts';
import type { NamedKind } from '../cli/domain/preflight/names.ts';
import type { LeftoverPorts } from '../cli/ports/destroy.ts';

const ENDPOINT = 'http://127.0.0.1:5000';

/** FAKE lookups: `named` answers for the names it holds, `network` is what the tag filter returns; every call is recorded. */
function fakeLookups(named: Partial<Record<NamedKind, string[]>>, network: NetworkResource[] = [], deny: NamedKind[] = []) {
  const asked: string[] = [];
  const ports: LeftoverPorts = {
    identity: { whoAmI: async () => ({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/fake', region: 'eu-west-1' }) },
    files: { readable: async (p) => existsSync(p), read: async (p) => readFileSync(p, 'utf8') },
    names: {
      find: async (kind, name) => {
        asked.push(`${kind} ${name}`);
        if (deny.includes(kind)) throw new AbortError('AWS_ACCESS_DENIED', `AccessDenied on ${kind}`);
        return named[kind]?.includes(name) ? { name } : undefined;
      },
    },
    network: { ofStack: async () => network },
  };
  return { ports, asked };
}

const base: DestroyOptions = {
  ecosystem: 'lx', region: 'eu-west-1', yes: true, keepImages: false, timeoutMs: { ...DEFAULT_TIMEOUT_MS }, retain: [], cwd: '/nonexistent',
  ecrTemplate: path.resolve('infra/hello-world-ecr-infra.yaml'), infraTemplate: path.resolve('infra/hello-world-infra.yaml'),
};

function context(ports: LeftoverPorts, opts: Partial<DestroyOptions> = {}, retainedIds?: string[]): DestroyContext {
  const none = async () => { throw new Error('not used by this step'); };
  return {
    options: { ...base, ...opts },
    ports: { stacks: { look: none, delete: none }, images: { count: none, empty: none, remove: none }, certificates: { managed: none, describe: none, delete: none }, leftovers: ports },
    state: { deleted: [], retained: [], kept: [], ...(retainedIds ? { retainedIds } : {}) },
    report: () => {},
    confirm: async () => true,
    removeFile: async () => false,
    fileExists: async () => false,
  };
}

/** A FAKE StepIO that records what the step says. */
function io() {
  const said = { info: [] as string[], warn: [] as string[] };
  const x: StepIO = {
    signal: new AbortController().signal, progress: () => {}, log: () => {}, stackEvent: () => {}, changeSet: () => {}, emit: () => {},
    info: (m) => void said.info.push(m), warn: (m) => void said.warn.push(m), ask: async () => false,
  };
  return { io: x, said };
}

const VPC: NetworkResource = { type: 'AWS::EC2::VPC', id: 'vpc-1', logicalId: 'VPC' };
const IGW: NetworkResource = { type: 'AWS::EC2::InternetGateway', id: 'igw-1', logicalId: 'InternetGateway', attachedVpc: 'vpc-1' };

test('classification: on AWS everything found is a real leftover; on an emulator only the types it is known to keep are gaps', () => {
  const found: Leftover[] = [
    { type: 'AWS::EC2::VPC', name: 'vpc-1', deleteCommand: 'x' },
    { type: 'AWS::Logs::LogGroup', name: '/ecs/lx-hello-world', deleteCommand: 'y' },
    { type: 'AWS::ElasticLoadBalancingV2::TargetGroup', name: 'lx-hw-tg', deleteCommand: 'z' },
  ];
  const aws = classifyLeftovers(found, false);
  assert.deepEqual(aws.gaps, []);
  // In the order they can be deleted: the target group before the log group, the VPC last.
  assert.deepEqual(aws.real.map((l) => l.type), ['AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::Logs::LogGroup', 'AWS::EC2::VPC']);
  assert.ok(aws.real.every((l) => l.emulatorGap === undefined));
  const emu = classifyLeftovers(found, true);
  assert.deepEqual(emu.gaps.map((l) => [l.type, l.emulatorGap]), [['AWS::ElasticLoadBalancingV2::TargetGroup', true], ['AWS::EC2::VPC', true]]);
  assert.deepEqual(emu.real.map((l) => l.type), ['AWS::Logs::LogGroup']);
});

test('aimedAt adds --endpoint-url after every --region, also inside a $(…) lookup, and leaves an ARN\'s region alone', () => {
  assert.equal(aimedAt('aws x --region eu-west-1', 'eu-west-1', undefined), 'aws x --region eu-west-1');
  assert.equal(
    aimedAt('aws elbv2 delete-target-group --region eu-west-1 --target-group-arn "$(aws elbv2 describe-target-groups --region eu-west-1)"', 'eu-west-1', ENDPOINT),
    `aws elbv2 delete-target-group --region eu-west-1 --endpoint-url ${ENDPOINT} --target-group-arn "$(aws elbv2 describe-target-groups --region eu-west-1 --endpoint-url ${ENDPOINT})"`,
  );
  assert.equal(aimedAt('aws sns delete-topic --region eu-west-1 --topic-arn arn:aws:sns:eu-west-1:1:t', 'eu-west-1', ENDPOINT), `aws sns delete-topic --region eu-west-1 --endpoint-url ${ENDPOINT} --topic-arn arn:aws:sns:eu-west-1:1:t`);
});

test('on AWS, a log group re-created after the stack went: LEFTOVERS naming it, the hint with its delete command; every templated name was looked up', async () => {
  const { ports, asked } = fakeLookups({ 'log-group': ['/ecs/lx-hello-world'] });
  const ctx = context(ports);
  await assert.rejects(checkLeftovers.run(ctx, io().io), (err: HelloDeployError) => {
    assert.equal(err.code, 'LEFTOVERS');
    assert.equal(err.exitCode, 1);
    assert.match(err.message, /^1 resource of lx is still there after its stacks were deleted:\n {2}- AWS::Logs::LogGroup "\/ecs\/lx-hello-world"$/);
    assert.match(err.hint ?? '', /aws logs delete-log-group --log-group-name \/ecs\/lx-hello-world --region eu-west-1$/);
    return true;
  });
  assert.deepEqual(ctx.state.leftovers, [{ type: 'AWS::Logs::LogGroup', name: '/ecs/lx-hello-world', deleteCommand: 'aws logs delete-log-group --log-group-name /ecs/lx-hello-world --region eu-west-1' }]);
  assert.equal(ctx.state.verified, false);
  assert.deepEqual(asked.sort(), ['cloudwatch-alarm lx-hello-world-cpu-high', 'ecr-repository lx-hello-world-ecr', 'ecs-cluster lx-hello-world', 'load-balancer lx-hw-alb', 'log-group /ecs/lx-hello-world', 'sns-topic lx-hello-world-alarms', 'target-group lx-hw-tg']);
});

test('on AWS, a VPC and its gateway left (say, retained by hand earlier): real leftovers, the gateway detached and deleted before the VPC', async () => {
  const { ports } = fakeLookups({}, [VPC, IGW]);
  await assert.rejects(checkLeftovers.run(context(ports), io().io), (err: HelloDeployError) => {
    assert.equal(err.code, 'LEFTOVERS');
    assert.deepEqual((err.hint ?? '').split('\n').slice(1), [
      '  aws ec2 detach-internet-gateway --internet-gateway-id igw-1 --vpc-id vpc-1 --region eu-west-1 && aws ec2 delete-internet-gateway --internet-gateway-id igw-1 --region eu-west-1',
      '  aws ec2 delete-vpc --vpc-id vpc-1 --region eu-west-1',
    ]);
    return true;
  });
});

test('on an emulator, only its known gaps left: a warning that says so, emulatorGap on each, commands aimed at the endpoint, exit 0', async () => {
  const { ports } = fakeLookups({ 'target-group': ['lx-hw-tg'], 'ecs-cluster': ['lx-hello-world'] }, [VPC, IGW]);
  const ctx = context(ports, { endpointUrl: ENDPOINT });
  const { io: x, said } = io();
  const out = await checkLeftovers.run(ctx, x);
  assert.deepEqual(out, { status: 'succeeded', summary: 'only the emulator\'s known gaps are left (4 resources)' });
  assert.equal(said.warn.length, 1);
  assert.match(said.warn[0]!, /^4 resources of lx left in the emulator: moto's CloudFormation does not delete these; on AWS CloudFormation does\./);
  assert.ok(ctx.state.leftovers!.every((l) => l.emulatorGap === true && l.deleteCommand.includes(`--endpoint-url ${ENDPOINT}`)));
  assert.equal(ctx.state.verified, false);
});

test('on an emulator, a leftover of a type it does delete is real: LEFTOVERS, with the gaps still listed as gaps', async () => {
  const { ports } = fakeLookups({ 'target-group': ['lx-hw-tg'], 'sns-topic': ['lx-hello-world-alarms'] });
  const ctx = context(ports, { endpointUrl: ENDPOINT });
  await assert.rejects(checkLeftovers.run(ctx, io().io), (err: HelloDeployError) => err.code === 'LEFTOVERS' && /AWS::SNS::Topic "lx-hello-world-alarms"/.test(err.message) && !/TargetGroup/.test(err.message));
  assert.deepEqual(ctx.state.leftovers!.map((l) => [l.type, l.emulatorGap ?? false]), [['AWS::ElasticLoadBalancingV2::TargetGroup', true], ['AWS::SNS::Topic', false]]);
});

test('nothing found: verified, "nothing of lx is left"', async () => {
  const ctx = context(fakeLookups({}).ports);
  assert.deepEqual(await checkLeftovers.run(ctx, io().io), { status: 'succeeded', summary: 'nothing of lx is left' });
  assert.deepEqual([ctx.state.leftovers, ctx.state.verified], [[], true]);
});

test('--keep-images: the ECR repository is not looked up, and the step says so', async () => {
  const { ports, asked } = fakeLookups({ 'ecr-repository': ['lx-hello-world-ecr'] });
  const { io: x, said } = io();
  assert.equal((await checkLeftovers.run(context(ports, { keepImages: true }), x)).status, 'succeeded');
  assert.ok(!asked.some((a) => a.startsWith('ecr-repository')), asked.join(', '));
  assert.deepEqual(said.info, ['not checked: stack lx-hello-world-ecr and its repository (--keep-images)']);
});

test('resources the run retained are listed as retained, not as leftovers', async () => {
  const { ports, asked } = fakeLookups({ 'log-group': ['/ecs/lx-hello-world'] }, [VPC]);
  const ctx = context(ports, {}, ['lx-hello-world-infra/LogGroup', 'lx-hello-world-infra/VPC']);
  const { io: x, said } = io();
  assert.deepEqual(await checkLeftovers.run(ctx, x), { status: 'succeeded', summary: 'nothing of lx is left' });
  assert.ok(!asked.includes('log-group /ecs/lx-hello-world'));
  assert.deepEqual(said.info, ['not checked: LogGroup (AWS::Logs::LogGroup) /ecs/lx-hello-world: retained', 'not checked: VPC (AWS::EC2::VPC) vpc-1: retained']);
});

test('a lookup the identity may not make is a warning and leaves the run unverified; it does not fail the destroy', async () => {
  const ctx = context(fakeLookups({}, [], ['sns-topic']).ports);
  const { io: x, said } = io();
  assert.deepEqual(await checkLeftovers.run(ctx, x), { status: 'succeeded', summary: 'not verified: 1 lookup not permitted' });
  assert.match(said.warn[0]!, /^could not check the SNS topic lx-hello-world-alarms: AccessDenied on sns-topic$/);
  assert.equal(ctx.state.verified, false);
});
