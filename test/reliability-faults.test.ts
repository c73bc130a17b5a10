// Nothing hangs, nothing dead-ends, nothing is accepted that AWS would refuse. Each test reproduces a fault an
// outside red team found against moto: an endpoint that stops answering or dies mid-deploy, a stack someone else
// keeps busy, "No updates are to be performed" from CreateChangeSet, two deploys of one ecosystem at once, and a
// repository deleted behind CloudFormation's back. The CLI runs as a user runs it (bin/hello-deploy.js, built
// dist/), with --image so no Docker engine is needed (an image of this machine's platform in a loopback registry,
// whose manifest the deploy reads for its architecture), against moto on 127.0.0.1. The shapes moto cannot make (a
// stack held in progress, a collision at the exact moment) run over the named fake.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { DescribeStacksCommand, ValidateTemplateCommand } from '@aws-sdk/client-cloudformation';
import { CreateRepositoryCommand, DeleteRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { createCloudFormationPorts, type CloudFormationLike } from '../cli/adapters/aws/cloudformation.ts';
import { callLimits, clientConfig, TIMEOUT_ENV } from '../cli/adapters/aws/config.ts';
import { AbortError } from '../cli/core/errors.ts';
import type { DeployStackRequest } from '../cli/ports/deploy.ts';
import { BIN, runCli, type CliRun } from './support/cli.ts';
import { FakeCloudFormation, awsError } from './support/fake-cloudformation.ts';
import { FAKE_AWS_ENV, startMoto, type Moto } from './support/moto.ts';
import { cfnClient, motoClientConfig, readTemplate } from './support/stacks.ts';
import { startStallProxy, type StallProxy } from './support/stall-proxy.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { ROOT } from './support/paths.ts';
import { assertNoSecrets } from './support/secrets.ts';
import { startTokenRegistry, type TokenRegistry } from './support/token-registry.ts';
import { pushHostImage } from './support/oci-push.ts';

const QUEUE = JSON.stringify({ Resources: { MyQueue: { Type: 'AWS::SQS::Queue' } }, Outputs: { QueueName: { Value: 'the-queue' } } });
const QUEUE_V2 = JSON.stringify({ Resources: { MyQueue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } } }, Outputs: { QueueName: { Value: 'the-queue' } } });
const STACK = 'AWS::CloudFormation::Stack';

function request(stackName: string, templateBody: string, method: 'change-set' | 'direct', parameters: Record<string, string> = {}) {
  const progress: string[] = [];
  const req: DeployStackRequest = {
    stackName,
    templateBody,
    parameters,
    tags: {},
    capabilities: [],
    method,
    onEvent: () => {},
    onProgress: (m) => progress.push(m),
    confirmChanges: async () => true,
    confirmRecreate: async () => true,
  };
  return { req, progress };
}

/** The fake, with a hook that runs before a command of that name reaches it (to play "another deploy"). */
function withHook(fake: FakeCloudFormation, commandName: string, hook: (n: number) => void): CloudFormationLike {
  let n = 0;
  return {
    send(command: object) {
      if (command.constructor.name === commandName) hook(++n);
      return fake.send(command);
    },
  };
}

describe('waits and collisions (FakeCloudFormation: moto cannot hold a stack in progress)', () => {
  test('a stack someone else keeps in progress: every poll says what is in progress and for how long; bounded', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({
      name: 'hd-held',
      status: 'UPDATE_IN_PROGRESS',
      template: QUEUE,
      history: [
        { logicalId: 'hd-held', type: STACK, status: 'UPDATE_IN_PROGRESS', reason: 'User Initiated' },
        { logicalId: 'MyQueue', type: 'AWS::SQS::Queue', status: 'UPDATE_IN_PROGRESS' },
      ],
    });
    let clock = 0;
    let polls = 0;
    const p = createCloudFormationPorts({ region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:4566' }, {
      client: fake, pollMs: 5, settleTimeoutMs: 90_000, now: () => clock, sleep: async () => void ((clock += 20_000), polls++),
    });
    const { req, progress } = request('hd-held', QUEUE_V2, 'change-set');
    await assert.rejects(p.stacks.deploy(req), (err: unknown) => {
      assert.ok(err instanceof AbortError);
      assert.equal(err.code, 'STACK_BUSY');
      assert.match(err.message, /stayed UPDATE_IN_PROGRESS for 1m 40s; gave up waiting \(still in progress: MyQueue \(AWS::SQS::Queue\) UPDATE_IN_PROGRESS\)/);
      // An emulator has no console: the hint is a command that reaches it.
      assert.doesNotMatch(err.hint ?? '', /console/i);
      assert.match(err.hint ?? '', /aws cloudformation describe-stack-events --stack-name hd-held --region eu-west-1 --endpoint-url http:\/\/127\.0\.0\.1:4566/);
      return true;
    });
    // One line per poll (never one line, then silence), each with the elapsed time, the bound and what is busy.
    assert.equal(progress.length, polls + 1, progress.join('\n'));
    assert.deepEqual(progress.map((m) => /waiting for it to finish before deploying: (\S+( \S+s)?) of at most 1m 30s; in progress: MyQueue \(AWS::SQS::Queue\) UPDATE_IN_PROGRESS$/.exec(m)?.[1]), ['0s', '20s', '40s', '1m 00s', '1m 20s', '1m 40s']);
    assert.ok(progress.every((m) => /hd-held is UPDATE_IN_PROGRESS from another operation \(another deploy/.test(m)));
    assert.ok(!fake.calls.includes('CreateChangeSetCommand'), 'nothing sent to change a busy stack');

    // Against AWS itself the console is a valid place to look.
    const aws = createCloudFormationPorts({ region: 'eu-west-1' }, { client: fake, pollMs: 5, settleTimeoutMs: 0, sleep: async () => {} });
    await assert.rejects(aws.stacks.deploy(request('hd-held', QUEUE_V2, 'change-set').req), { code: 'STACK_BUSY', hint: /CloudFormation console or aws cloudformation describe-stack-events --stack-name hd-held --region eu-west-1\)?;/ });
  });

  test('"No updates are to be performed" is no-changes on every path, with the outputs from DescribeStacks', async () => {
    for (const [method, command] of [['change-set', 'CreateChangeSetCommand'], ['direct', 'UpdateStackCommand']] as const) {
      const fake = new FakeCloudFormation();
      fake.seedStack({ name: 'hd-same', status: 'UPDATE_COMPLETE', template: QUEUE });
      fake.failNext(command, awsError('ValidationError', 'No updates are to be performed.'));
      const { stacks } = createCloudFormationPorts({ region: 'us-east-1' }, { client: fake, pollMs: 5, sleep: async () => {} });
      // A changed template, so neither our own comparison nor a change set short-circuits: the call itself says so.
      const result = await stacks.deploy(request('hd-same', QUEUE_V2, method).req);
      assert.equal(result.status, 'no-changes', method);
      assert.deepEqual(result.outputs, { QueueName: 'the-queue' }, method);
      assert.ok(fake.calls.includes(command), method);
      // After a refused change set the outputs are read afresh (direct read them just before its UpdateStack).
      if (method === 'change-set') assert.equal(fake.calls.at(-1), 'DescribeStacksCommand');
    }
  });

  // AWS answers the losing create with AlreadyExistsException; moto, whose creates are not atomic, sometimes fails it
  // on the resource the winner made (RepositoryAlreadyExistsException): the stack being there now is what counts.
  for (const [method, errorName] of [['direct', 'AlreadyExistsException'], ['change-set', 'AlreadyExistsException'], ['direct', 'RepositoryAlreadyExistsException']] as const) {
    test(`another deploy creates the stack between our look and our create (${method}, ${errorName}): waited for, then continued as an update`, async () => {
      const fake = new FakeCloudFormation();
      const create = method === 'direct' ? 'CreateStackCommand' : 'CreateChangeSetCommand';
      const client = withHook(fake, create, (n) => {
        // The other deploy's create lands first; ours then meets AlreadyExistsException, as on AWS.
        if (n === 1) {
          const stackEvent = (status: string) => ({ logicalId: 'hd-race', type: STACK, status });
          fake.seedStack({ name: 'hd-race', status: 'CREATE_IN_PROGRESS', template: QUEUE, pending: [stackEvent('CREATE_IN_PROGRESS'), stackEvent('CREATE_IN_PROGRESS'), stackEvent('CREATE_COMPLETE')] });
          fake.failNext(create, awsError(errorName, 'Stack [hd-race] already exists'));
        }
      });
      const { stacks } = createCloudFormationPorts({ region: 'us-east-1' }, { client, pollMs: 5, sleep: async () => {} });
      const { req, progress } = request('hd-race', QUEUE_V2, method);
      const result = await stacks.deploy(req);
      assert.equal(result.status, 'updated');
      assert.deepEqual(result.outputs, { QueueName: 'the-queue' });
      assert.ok(progress.some((m) => /hd-race was created by another operation meanwhile \(another deploy\?\); waiting for it to settle/.test(m)), progress.join('\n'));
      assert.ok(progress.some((m) => /hd-race is CREATE_IN_PROGRESS from another operation/.test(m)), progress.join('\n'));
      assert.equal(fake.statusOf('hd-race'), 'UPDATE_COMPLETE');
    });
  }

  test('two deploys of one stack from this machine take turns; a lock left by a dead process is taken over', async () => {
    const lockDir = mkdtempSync(path.join(tmpdir(), 'hd-locks-'));
    try {
      const fake = new FakeCloudFormation();
      const [one, two] = [request('hd-turns', QUEUE, 'direct'), request('hd-turns', QUEUE, 'direct')];
      // The lock holder's create is held until the other deploy has said it waits (at most 10 s), so the turns are
      // observed rather than left to how fast the first one happens to finish.
      const waiting = () => [one, two].some((r) => r.progress.some((m) => /Another hello-deploy/.test(m)));
      const client: CloudFormationLike = {
        async send(command: object) {
          for (let i = 0; command.constructor.name === 'CreateStackCommand' && !waiting() && i < 1000; i++) await new Promise((r) => setTimeout(r, 10));
          return fake.send(command);
        },
      };
      const { stacks } = createCloudFormationPorts({ region: 'us-east-1' }, { client, pollMs: 5, lockDir });
      const results = await Promise.all([stacks.deploy(one.req), stacks.deploy(two.req)]);
      // Either may take the lock first (both start in the same tick); the other waits for it, then finds nothing to change.
      assert.deepEqual(results.map((r) => r.status).sort(), ['created', 'no-changes']);
      const waiter = results[0].status === 'no-changes' ? one : two;
      assert.ok(waiter.progress.some((m) => new RegExp(`Another hello-deploy on this machine \\(pid ${process.pid}\\) is deploying stack hd-turns; waiting for it: \\d+s of at most 30m 00s`).test(m)), waiter.progress.join('\n'));
      assert.deepEqual(readdirSync(lockDir), [], 'released');

      // A lock whose holder died (SIGKILL, a crash) does not block the next deploy.
      const key = createHash('sha256').update('aws\nus-east-1\nhd-turns').digest('hex').slice(0, 24);
      const dead = spawnSync(process.execPath, ['-e', '0']).pid;
      writeFileSync(path.join(lockDir, `${key}.lock`), String(dead));
      const again = request('hd-turns', QUEUE, 'direct');
      assert.equal((await stacks.deploy(again.req)).status, 'no-changes');
      assert.ok(!again.progress.some((m) => /Another hello-deploy/.test(m)), again.progress.join('\n'));
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  });

  test('a stack that keeps changing under us: DEPLOY_IN_PROGRESS with a hint, never a raw SDK error', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: 'hd-twice', status: 'UPDATE_COMPLETE', template: QUEUE });
    const busy = () => fake.failNext('UpdateStackCommand', awsError('ValidationError', 'Stack:arn:aws:cloudformation:us-east-1:123456789012:stack/hd-twice/1 is in UPDATE_IN_PROGRESS state and can not be updated.'));
    const client = withHook(fake, 'UpdateStackCommand', busy);
    const { stacks } = createCloudFormationPorts({ region: 'us-east-1' }, { client, pollMs: 5, sleep: async () => {} });
    const { req, progress } = request('hd-twice', QUEUE_V2, 'direct');
    await assert.rejects(stacks.deploy(req), (err: unknown) => {
      assert.ok(err instanceof AbortError, String(err));
      assert.equal(err.code, 'DEPLOY_IN_PROGRESS');
      assert.match(err.message, /hd-twice started changing by another operation, twice/);
      assert.match(err.hint ?? '', /Another deploy of this ecosystem seems to be running/);
      return true;
    });
    assert.equal(fake.calls.filter((c) => c === 'UpdateStackCommand').length, 2);
    assert.equal(progress.filter((m) => /started changing by another operation meanwhile/.test(m)).length, 1);
  });
});

describe('every AWS client is bounded', () => {
  test('connect and request timeouts and the standard retry strategy; HELLO_DEPLOY_AWS_TIMEOUT_MS overrides for tests', async () => {
    const saved = process.env[TIMEOUT_ENV];
    try {
      delete process.env[TIMEOUT_ENV];
      const config = await clientConfig({ region: 'us-east-1' });
      assert.deepEqual(config.requestHandler, { connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true, socketTimeout: 30_000 });
      assert.equal(config.maxAttempts, 3);
      assert.equal(config.retryMode, 'standard');
      assert.deepEqual(callLimits({ [TIMEOUT_ENV]: '1500' }), { connectMs: 1_500, requestMs: 1_500, attempts: 3 });
      assert.deepEqual(callLimits({ [TIMEOUT_ENV]: 'soon' }), callLimits({}));
    } finally {
      if (saved === undefined) delete process.env[TIMEOUT_ENV];
      else process.env[TIMEOUT_ENV] = saved;
    }
  });
});

describe('against moto', () => {
  let moto: Moto;
  let cert: TestCert;
  const env = (extra: Record<string, string> = {}) => ({ ...FAKE_AWS_ENV, ...extra });
  let registry: TokenRegistry;
  let image = '';
  const deployArgs = (ecosystem: string, endpoint: string, extra: string[] = []) => [
    'deploy', '--yes', '--json', '--ecosystem', ecosystem, '--email', 'ops@example.com',
    '--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem'),
    '--endpoint-url', endpoint, '--image', image, ...extra,
  ];
  type Result = { type: 'result'; ok: boolean; error?: { code: string; message: string; hint?: string } };
  const result = (r: CliRun) => r.events.at(-1) as Result;
  const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`;

  /** Runs the CLI as runCli does, and calls `then` once, as soon as its output matches `when`. */
  async function runCliUntil(args: string[], extraEnv: Record<string, string>, when: RegExp, then: () => void): Promise<CliRun> {
    const child = execa(process.execPath, [BIN, ...args], { cwd: ROOT, env: env({ CI: 'true', ...extraEnv }), reject: false, stdin: 'ignore', timeout: 120_000 });
    let out = '';
    let done = false;
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!done && when.test(out)) {
        done = true;
        then();
      }
    });
    const r = await child;
    const stdout = String(r.stdout);
    assertNoSecrets(`${stdout}\n${String(r.stderr)}`, `the output of hello-deploy ${args.join(' ')}`);
    const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as CliRun['events'][number]);
    return { exitCode: r.exitCode ?? -1, stdout, stderr: String(r.stderr), events };
  }

  before(async () => {
    Object.assign(process.env, FAKE_AWS_ENV);
    moto = await startMoto();
    cert = makeTestCert('faults.hello-deploy.test');
    registry = await startTokenRegistry();
    image = await pushHostImage(registry.host, 'prebuilt/app', 'v1');
    // moto runs cfn-lint inside ValidateTemplate and loads it on the first call (seconds on a busy machine): load it
    // now, so the short timeouts of the stall test below meet only the stall.
    const cfn = cfnClient(moto.endpoint);
    await cfn.send(new ValidateTemplateCommand({ TemplateBody: readTemplate('hello-world-infra.yaml') })).finally(() => cfn.destroy());
  });
  after(async () => {
    await moto?.stop();
    await registry?.stop();
    rmSync(cert.dir, { recursive: true, force: true });
  });

  test('change-set method on the ECR stack: a re-run is no-changes (CreateChangeSet refused it) with the outputs', async () => {
    await moto.reset();
    const cfn = createCloudFormationPorts({ region: 'us-east-1', endpointUrl: moto.endpoint }, { pollMs: 100 });
    try {
      const body = readTemplate('hello-world-ecr-infra.yaml');
      const ecr = (method: 'change-set' | 'direct') => request('cs-hello-world-ecr', body, method, { Ecosystem: 'cs' }).req;
      const created = await cfn.stacks.deploy(ecr('direct'));
      assert.equal(created.status, 'created');
      for (let i = 0; i < 2; i++) {
        // moto answers CreateChangeSet itself with "No updates are to be performed" (AWS makes a FAILED change set).
        const again = await cfn.stacks.deploy(ecr('change-set'));
        assert.equal(again.status, 'no-changes');
        assert.deepEqual(again.outputs, created.outputs);
        assert.equal(again.outputs['RepositoryName'], 'cs-hello-world-ecr');
      }
      // moto gap, asserted as it is: a stack moto creates through a CREATE change set never gets outputs, not even
      // from DescribeStacks later (its change set does not rebuild them); --endpoint-url defaults to direct for that.
      const viaChangeSet = await cfn.stacks.deploy(request('cs2-hello-world-ecr', body, 'change-set', { Ecosystem: 'cs2' }).req);
      assert.equal(viaChangeSet.status, 'created');
      assert.deepEqual(viaChangeSet.outputs, {});
    } finally {
      cfn.destroy();
    }
  });

  test('an endpoint that stops answering during the infra stack: exit 1, bounded, naming the endpoint', async () => {
    await moto.reset();
    const proxy: StallProxy = await startStallProxy(moto.port);
    try {
      const started = Date.now();
      // Stall as the infra stack's create goes out: moto takes a while over it, so the answer never comes back.
      const run = await runCliUntil(deployArgs('fault-stall', proxy.endpoint), { [TIMEOUT_ENV]: '5000' }, /Creating stack fault-stall-hello-world-infra/, () => proxy.stall());
      const elapsed = Date.now() - started;
      assert.equal(run.exitCode, 1, explain(run));
      const { error } = result(run);
      assert.equal(error?.code, 'AWS_UNREACHABLE', explain(run));
      assert.match(error?.message ?? '', new RegExp(`${proxy.endpoint.replace(/[.:/]/g, '\\$&')} stopped answering \\(timed out after 3 attempts\\)`));
      assert.match(error?.message ?? '', /fault-stall-hello-world-infra/);
      assert.match(error?.hint ?? '', new RegExp(`Check that ${proxy.endpoint.replace(/[.:/]/g, '\\$&')} \\(from --endpoint-url\\) is up and answering`));
      const failed = run.events.find((e) => e.type === 'step-failed');
      assert.equal(failed?.['step'], 'deploy-infra-stack');
      // 3 attempts of 5 s and the backoff between them, then the end-of-run report fails fast: well under a minute.
      assert.ok(elapsed < 45_000, `took ${elapsed} ms`);
    } finally {
      await proxy.close();
    }
  });

  test('an emulator killed mid-deploy: exit 1 naming it; a re-run against a fresh emulator converges', async () => {
    const doomed = await startMoto();
    let fresh: Moto | undefined;
    try {
      let killed = false;
      const run = await runCliUntil(deployArgs('fault-kill', doomed.endpoint), {}, /Creating stack fault-kill-hello-world-infra/, () => {
        killed = true;
        process.kill(doomed.pid, 'SIGKILL');
      });
      assert.ok(killed, explain(run));
      assert.equal(run.exitCode, 1, explain(run));
      const { error } = result(run);
      assert.equal(error?.code, 'AWS_UNREACHABLE', explain(run));
      assert.ok(error?.message.includes(doomed.endpoint), error?.message);
      assert.ok(error?.hint?.includes(doomed.endpoint), error?.hint);

      fresh = await startMoto();
      const again = await runCli(deployArgs('fault-kill', fresh.endpoint), { env: env(), timeout: 180_000 });
      assert.equal(again.exitCode, 0, explain(again));
      assert.equal(result(again).ok, true);
    } finally {
      await doomed.stop();
      await fresh?.stop();
    }
  });

  test('two deploys of one ecosystem at once: each ends in success or a clear refusal; the stacks end COMPLETE', async () => {
    await moto.reset();
    const [a, b] = await Promise.all([0, 1].map(() => runCli(deployArgs('fault-twin', moto.endpoint), { env: env(), timeout: 240_000 })));
    for (const r of [a!, b!]) {
      const res = result(r);
      assert.equal(res.type, 'result', explain(r));
      if (r.exitCode !== 0) {
        assert.equal(r.exitCode, 1, explain(r));
        assert.ok(['DEPLOY_IN_PROGRESS', 'STACK_BUSY'].includes(res.error?.code ?? ''), explain(r));
      }
      assert.doesNotMatch(`${r.stdout}${r.stderr}`, /AlreadyExistsException/, 'never a raw SDK error');
      // The method was defaulted to direct on an emulator endpoint, and the run said so.
      assert.ok(r.events.some((e) => e.type === 'info' && /direct\), the default with --endpoint-url/.test(String(e['message']))), explain(r));
    }
    assert.ok(a!.exitCode === 0 || b!.exitCode === 0, `${explain(a!)}\n---\n${explain(b!)}`);
    const cfn = cfnClient(moto.endpoint);
    try {
      for (const name of ['fault-twin-hello-world-ecr', 'fault-twin-hello-world-infra']) {
        const stacks = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks ?? [];
        assert.equal(stacks.length, 1, name);
        assert.match(stacks[0]?.StackStatus ?? '', /^(CREATE|UPDATE)_COMPLETE$/, name);
      }
    } finally {
      cfn.destroy();
    }
  });

  test('a repository deleted out of band: exit 1 with the command that recreates it; following it converges', async () => {
    await moto.reset();
    const first = await runCli(deployArgs('fault-repo', moto.endpoint), { env: env() });
    assert.equal(first.exitCode, 0, explain(first));
    const ecr = new ECRClient(motoClientConfig(moto.endpoint));
    const cfn = cfnClient(moto.endpoint);
    try {
      await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'fault-repo-hello-world-ecr', force: true }));
      const r = await runCli(deployArgs('fault-repo', moto.endpoint), { env: env() });
      assert.equal(r.exitCode, 1, explain(r));
      const { error } = result(r);
      assert.equal(error?.code, 'ECR_REPOSITORY_MISSING', explain(r));
      assert.match(error?.message ?? '', /Repository fault-repo-hello-world-ecr of stack fault-repo-hello-world-ecr no longer exists/);
      // On an emulator the hint recreates the repository: moto fails to delete a stack whose repository is gone
      // (and keeps its exports, so the stack could not be created again). Against AWS it deletes the ECR stack.
      assert.ok(error?.hint?.includes(`aws ecr create-repository --repository-name fault-repo-hello-world-ecr --region us-east-1 --endpoint-url ${moto.endpoint}`), error?.hint);
      assert.equal(r.events.find((e) => e.type === 'step-failed')?.['step'], 'deploy-ecr-stack');
      assert.equal(r.events.filter((e) => e.type === 'stack-event').length, 0, 'CloudFormation saw nothing to change');

      // What the hint says, through the SDK; then the same deploy goes through.
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'fault-repo-hello-world-ecr' }));
      const fixed = await runCli(deployArgs('fault-repo', moto.endpoint), { env: env() });
      assert.equal(fixed.exitCode, 0, explain(fixed));
    } finally {
      ecr.destroy();
      cfn.destroy();
    }
  });
});
