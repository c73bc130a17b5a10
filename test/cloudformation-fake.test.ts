// The CloudFormation adapter against FakeCloudFormation, for the failure shapes moto cannot produce (see the
// fake's header). Everything moto can do is in cloudformation-adapter.test.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createCloudFormationPorts } from '../cli/adapters/aws/cloudformation.ts';
import { AbortError, BugError, EXIT, HelloDeployError, InterruptedError, toHelloDeployError } from '../cli/core/errors.ts';
import type { ResourceChange } from '../cli/core/events.ts';
import type { DeployStackRequest, StackEventInfo } from '../cli/ports/deploy.ts';
import { FakeCloudFormation, awsError } from './support/fake-cloudformation.ts';

const QUEUE_ONLY = JSON.stringify({ Resources: { MyQueue: { Type: 'AWS::SQS::Queue' } }, Outputs: { QueueName: { Value: 'the-queue' } } });
const THREE = JSON.stringify({
  Resources: { MyTopic: { Type: 'AWS::SNS::Topic' }, MyQueue: { Type: 'AWS::SQS::Queue' }, MyBucket: { Type: 'AWS::S3::Bucket' } },
});
const QUEUE_V2 = JSON.stringify({
  Resources: { MyQueue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } } },
  Outputs: { QueueName: { Value: 'the-queue' } },
});

interface Recorded {
  events: StackEventInfo[];
  progress: string[];
  asked: { changes: ResourceChange[][]; recreate: string[] };
}

function request(fields: Partial<DeployStackRequest> & { stackName: string; templateBody: string }, answers: { changes?: boolean; recreate?: boolean } = {}) {
  const rec: Recorded = { events: [], progress: [], asked: { changes: [], recreate: [] } };
  const req: DeployStackRequest = {
    parameters: {},
    tags: {},
    capabilities: [],
    method: 'change-set',
    onEvent: (e) => rec.events.push(e),
    onProgress: (m) => rec.progress.push(m),
    confirmChanges: async (c) => {
      rec.asked.changes.push(c);
      return answers.changes ?? true;
    },
    confirmRecreate: async (s) => {
      rec.asked.recreate.push(s);
      return answers.recreate ?? true;
    },
    ...fields,
  };
  return { req, rec };
}

function ports(fake: FakeCloudFormation, extra: { settleTimeoutMs?: number; now?: () => number } = {}) {
  const slept: number[] = [];
  const p = createCloudFormationPorts({ region: 'us-east-1' }, { client: fake, pollMs: 5, sleep: async (ms) => void slept.push(ms), ...extra });
  return { ...p, slept };
}

describe('CloudFormation adapter, failure shapes (FakeCloudFormation)', () => {
  test('a stack in ROLLBACK_COMPLETE: recreate is asked, the stack is deleted, then created again', async () => {
    const fake = new FakeCloudFormation();
    const oldId = fake.seedStack({ name: 'hd-rb', status: 'ROLLBACK_COMPLETE', template: QUEUE_ONLY });
    const { stacks } = ports(fake);
    const { req, rec } = request({ stackName: 'hd-rb', templateBody: QUEUE_ONLY });
    const result = await stacks.deploy(req);

    assert.deepEqual(rec.asked.recreate, ['ROLLBACK_COMPLETE']);
    assert.equal(result.status, 'created');
    assert.notEqual(result.stackId, oldId, 'a new stack, not the rolled-back one');
    assert.deepEqual(result.outputs, { QueueName: 'the-queue' });
    assert.deepEqual(result.changes, [{ action: 'Add', logicalId: 'MyQueue', resourceType: 'AWS::SQS::Queue' }]);
    const del = fake.calls.indexOf('DeleteStackCommand');
    assert.ok(del >= 0 && del < fake.calls.indexOf('CreateChangeSetCommand'), `delete before create: ${fake.calls.join(' ')}`);
    assert.equal(fake.statusOf('hd-rb'), 'CREATE_COMPLETE');
    // The deletion and the new create were both streamed, oldest first.
    const stackStatuses = rec.events.filter((e) => e.logicalId === 'hd-rb').map((e) => e.status);
    assert.deepEqual(stackStatuses, ['DELETE_IN_PROGRESS', 'DELETE_COMPLETE', 'REVIEW_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
  });

  test('a stack in ROLLBACK_COMPLETE with recreate declined: AbortError, nothing deleted', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: 'hd-rb2', status: 'ROLLBACK_COMPLETE', template: QUEUE_ONLY });
    const { stacks } = ports(fake);
    const { req, rec } = request({ stackName: 'hd-rb2', templateBody: QUEUE_ONLY }, { recreate: false });
    await assert.rejects(stacks.deploy(req), (err: unknown) => {
      assert.ok(err instanceof AbortError);
      assert.equal(err.code, 'STACK_ROLLBACK_COMPLETE');
      assert.equal(err.exitCode, EXIT.failure);
      assert.match(err.hint ?? '', /aws cloudformation delete-stack --stack-name hd-rb2 --region us-east-1/);
      return true;
    });
    assert.deepEqual(rec.asked.recreate, ['ROLLBACK_COMPLETE']);
    assert.ok(!fake.calls.includes('DeleteStackCommand'));
    assert.ok(!fake.calls.includes('CreateChangeSetCommand'));
    assert.equal(fake.statusOf('hd-rb2'), 'ROLLBACK_COMPLETE');
  });

  for (const method of ['change-set', 'direct'] as const) {
    test(`a resource failure (${method}): AbortError names the FIRST failed resource, its type and reason; exit 1`, async () => {
      const fake = new FakeCloudFormation();
      fake.failResource('MyQueue', 'Resource handler returned message: "Queue name is too long"');
      const { stacks } = ports(fake);
      const { req, rec } = request({ stackName: `hd-fail-${method}`, templateBody: THREE, method });
      await assert.rejects(stacks.deploy(req), (err: unknown) => {
        assert.ok(err instanceof AbortError);
        assert.equal(err.code, 'STACK_FAILED');
        assert.equal(err.exitCode, 1);
        assert.match(err.message, /ROLLBACK_COMPLETE/);
        assert.match(err.message, /MyQueue \(AWS::SQS::Queue\) CREATE_FAILED: Resource handler returned message: "Queue name is too long"/);
        assert.doesNotMatch(err.message, /MyBucket|cancelled/, 'the cancelled siblings (newer events) are not the cause');
        return true;
      });
      // Events arrived oldest first, across the fake's small pages, each exactly once.
      const times = rec.events.map((e) => e.timestamp);
      assert.deepEqual(times, [...times].sort());
      assert.equal(new Set(rec.events.map((e) => `${e.timestamp}`)).size, rec.events.length);
      assert.ok(rec.events.some((e) => e.logicalId === 'MyBucket' && e.reason === 'Resource creation cancelled'));
    });
  }

  test('an update that fails and rolls back: STACK_FAILED with the resource, stack back to UPDATE_ROLLBACK_COMPLETE', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: 'hd-upd', status: 'CREATE_COMPLETE', template: QUEUE_ONLY });
    fake.failResource('MyQueue', 'VisibilityTimeout out of range');
    const { stacks } = ports(fake);
    const { req } = request({ stackName: 'hd-upd', templateBody: QUEUE_V2 });
    await assert.rejects(stacks.deploy(req), /hd-upd ended in UPDATE_ROLLBACK_COMPLETE: MyQueue \(AWS::SQS::Queue\) UPDATE_FAILED: VisibilityTimeout out of range/);
    assert.equal(fake.statusOf('hd-upd'), 'UPDATE_ROLLBACK_COMPLETE');
  });

  test('an update the ECS circuit breaker rolled back ends in UPDATE_ROLLBACK_COMPLETE: a failure (STACK_FAILED, exit 1), never success', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: 'hd-cb', status: 'UPDATE_COMPLETE', template: QUEUE_ONLY });
    // The reason CloudFormation gives for an AWS::ECS::Service whose deployment circuit breaker tripped.
    fake.failResource('MyQueue', 'Error occurred during operation \'ECS Deployment Circuit Breaker was triggered\'.');
    const { stacks } = ports(fake);
    const { req } = request({ stackName: 'hd-cb', templateBody: QUEUE_V2 });
    await assert.rejects(stacks.deploy(req), (e: AbortError) => e.code === 'STACK_FAILED' && e.exitCode === 1 && /UPDATE_ROLLBACK_COMPLETE: .*Circuit Breaker was triggered/.test(e.message));
    assert.equal(fake.statusOf('hd-cb'), 'UPDATE_ROLLBACK_COMPLETE');
  });

  test('--timeout reached while the update is still going: STACK_TIMEOUT naming its state and how to resume (cancel is offered only for UPDATE_IN_PROGRESS)', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: 'hd-slow', status: 'CREATE_COMPLETE', template: QUEUE_ONLY });
    let clock = 0;
    const { stacks } = ports(fake, { now: () => (clock += 10_000) });
    const { req } = request({ stackName: 'hd-slow', templateBody: QUEUE_V2, timeoutMs: 5_000 });
    await assert.rejects(stacks.deploy(req), (e: AbortError) => {
      assert.equal(e.code, 'STACK_TIMEOUT');
      assert.equal(e.exitCode, 1);
      // The fake walks the update at each poll: the bound (5 s) is reached in its cleanup phase, which cannot be cancelled.
      assert.match(e.message, /^Stack hd-slow is still UPDATE_COMPLETE_CLEANUP_IN_PROGRESS after 5s; stopped waiting/);
      assert.match(e.hint ?? '', /run the same hello-deploy deploy again \(it waits for the operation in flight, then deploys\)\.$/);
      assert.doesNotMatch(e.hint ?? '', /cancel-update-stack/);
      return true;
    });
  });

  test('a stack UPDATE_IN_PROGRESS from elsewhere: waited for, then deployed', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({
      name: 'hd-busy',
      status: 'UPDATE_IN_PROGRESS',
      template: QUEUE_ONLY,
      pending: [
        { logicalId: 'hd-busy', type: 'AWS::CloudFormation::Stack', status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' },
        { logicalId: 'hd-busy', type: 'AWS::CloudFormation::Stack', status: 'UPDATE_COMPLETE' },
      ],
    });
    const { stacks, slept } = ports(fake);
    const { req, rec } = request({ stackName: 'hd-busy', templateBody: QUEUE_V2 });
    const result = await stacks.deploy(req);

    assert.equal(result.status, 'updated');
    assert.deepEqual(result.changes, [{ action: 'Modify', logicalId: 'MyQueue', resourceType: 'AWS::SQS::Queue', replacement: 'False' }]);
    assert.ok(rec.progress.some((m) => /UPDATE_COMPLETE_CLEANUP_IN_PROGRESS .*waiting/.test(m)), rec.progress.join('\n'));
    assert.ok(rec.progress.some((m) => /settled in UPDATE_COMPLETE/.test(m)), rec.progress.join('\n'));
    assert.ok(slept.length > 0 && slept.every((ms) => ms === 5), 'polled with the configured interval');
    // Nothing was sent to change the stack before it settled.
    const firstChange = fake.calls.indexOf('CreateChangeSetCommand');
    assert.ok(fake.calls.slice(0, firstChange).every((c) => c.startsWith('Describe')), fake.calls.join(' '));
    // Only this operation's events are streamed, not the earlier operation's.
    assert.deepEqual(
      rec.events.filter((e) => e.logicalId === 'hd-busy').map((e) => e.status),
      ['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE'],
    );
  });

  test('a stack that stays in progress: STACK_BUSY after the bounded wait', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: 'hd-stuck', status: 'UPDATE_IN_PROGRESS', template: QUEUE_ONLY });
    let clock = 0;
    const { stacks } = ports(fake, { settleTimeoutMs: 60_000, now: () => (clock += 10_000) });
    const { req } = request({ stackName: 'hd-stuck', templateBody: QUEUE_V2 });
    await assert.rejects(stacks.deploy(req), (err: unknown) => {
      assert.ok(err instanceof AbortError);
      assert.equal(err.code, 'STACK_BUSY');
      assert.match(err.message, /UPDATE_IN_PROGRESS/);
      assert.match(err.hint ?? '', /deploy again once it has finished/);
      return true;
    });
    assert.ok(!fake.calls.includes('CreateChangeSetCommand'));
  });

  test('Ctrl-C while waiting on a stack in progress: InterruptedError (exit 130) at the next poll, nothing sent to change it', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: 'hd-wait', status: 'UPDATE_IN_PROGRESS', template: QUEUE_ONLY });
    const controller = new AbortController();
    let polls = 0;
    // An hour of patience: only the signal can end this wait.
    const p = createCloudFormationPorts({ region: 'us-east-1' }, {
      client: fake, pollMs: 5, settleTimeoutMs: 3_600_000,
      sleep: async () => { if (++polls === 3) controller.abort(); },
    });
    const { req } = request({ stackName: 'hd-wait', templateBody: QUEUE_V2, signal: controller.signal });
    await assert.rejects(p.stacks.deploy(req), (err: unknown) => {
      assert.ok(err instanceof InterruptedError, String(err));
      assert.equal(err.exitCode, 130);
      assert.match(err.message, /hd-wait/);
      return true;
    });
    assert.equal(polls, 3);
    assert.ok(!fake.calls.includes('CreateChangeSetCommand') && !fake.calls.includes('CancelUpdateStackCommand'));
  });

  // Guards: a change set CloudFormation could not make for a real reason is a failure (CHANGE_SET_FAILED, exit 1,
  // the reason shown), never "no changes" with stale outputs; the change set is deleted, and on a first create so
  // is the empty REVIEW_IN_PROGRESS stack it made; and the FAILED "didn't contain changes" one stays no-changes.
  // Checked by planting each break once in the product: every FAILED change set treated as no-changes
  // (change-set.ts `if (true || NO_CHANGES.test(...))`) failed the first two tests; discard() without the review
  // stack failed the first; "didn't contain changes" dropped from NO_CHANGES (stack-ops.ts) failed the third.
  const UNRESOLVED = 'Unresolved resource dependencies [MissingTopic] in the Resources block of the template';
  test('a change set FAILED for a real reason, first create: CHANGE_SET_FAILED (exit 1) with the reason; change set and REVIEW_IN_PROGRESS stack deleted', async () => {
    const fake = new FakeCloudFormation();
    fake.failChangeSet(UNRESOLVED);
    const { stacks } = ports(fake);
    const { req, rec } = request({ stackName: 'hd-csf', templateBody: QUEUE_ONLY });
    await assert.rejects(stacks.deploy(req), (err: unknown) => {
      assert.ok(err instanceof AbortError, String(err));
      assert.equal(err.code, 'CHANGE_SET_FAILED');
      assert.equal(err.exitCode, 1);
      assert.ok(err.message.includes(UNRESOLVED), err.message);
      return true;
    });
    assert.deepEqual(rec.asked.changes, [], 'nothing to confirm: there is no change set to execute');
    assert.ok(!fake.calls.includes('ExecuteChangeSetCommand'));
    assert.ok(fake.calls.includes('DeleteChangeSetCommand'), fake.calls.join(' '));
    assert.deepEqual(fake.changeSetNames(), []);
    assert.ok(fake.calls.includes('DeleteStackCommand'), `the REVIEW_IN_PROGRESS stack is removed: ${fake.calls.join(' ')}`);
    assert.notEqual(fake.statusOf('hd-csf'), 'REVIEW_IN_PROGRESS');
  });

  test('a change set FAILED for a real reason, update: CHANGE_SET_FAILED, change set deleted, the live stack left alone', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: 'hd-csf2', status: 'UPDATE_COMPLETE', template: QUEUE_ONLY });
    fake.failChangeSet(UNRESOLVED);
    const { stacks } = ports(fake);
    const { req } = request({ stackName: 'hd-csf2', templateBody: QUEUE_V2 });
    await assert.rejects(stacks.deploy(req), (err: unknown) => err instanceof AbortError && err.code === 'CHANGE_SET_FAILED' && err.exitCode === 1 && err.message.includes(UNRESOLVED));
    assert.ok(fake.calls.includes('DeleteChangeSetCommand'));
    assert.deepEqual(fake.changeSetNames(), []);
    assert.ok(!fake.calls.includes('DeleteStackCommand'), 'a stack with resources is never deleted for a failed change set');
    assert.equal(fake.statusOf('hd-csf2'), 'UPDATE_COMPLETE');
  });

  test('a change set FAILED because it "didn\'t contain changes" is no-changes, with the outputs, and the change set deleted', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: 'hd-empty', status: 'UPDATE_COMPLETE', template: QUEUE_ONLY });
    const { stacks } = ports(fake);
    const { req, rec } = request({ stackName: 'hd-empty', templateBody: QUEUE_ONLY });
    const result = await stacks.deploy(req);
    assert.equal(result.status, 'no-changes');
    assert.deepEqual(result.outputs, { QueueName: 'the-queue' });
    assert.deepEqual(rec.asked.changes, []);
    assert.ok(fake.calls.includes('DeleteChangeSetCommand'));
    assert.deepEqual(fake.changeSetNames(), []);
    assert.ok(!fake.calls.includes('DeleteStackCommand') && !fake.calls.includes('ExecuteChangeSetCommand'));
  });

  test('direct update answered "No updates are to be performed" is no-changes', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: 'hd-same', status: 'UPDATE_COMPLETE', template: QUEUE_ONLY });
    const { stacks } = ports(fake);
    // Different text (so the template comparison cannot short-circuit), same resources: AWS says "No updates".
    const { req } = request({ stackName: 'hd-same', templateBody: `${QUEUE_ONLY}\n`, method: 'direct' });
    const result = await stacks.deploy(req);
    assert.equal(result.status, 'no-changes');
    assert.deepEqual(result.outputs, { QueueName: 'the-queue' });
    assert.ok(fake.calls.includes('UpdateStackCommand'));
  });

  test('ValidateTemplate reports the parameter keys and the capabilities AWS names', async () => {
    const fake = new FakeCloudFormation();
    const { templates } = ports(fake);
    const body = JSON.stringify({
      Parameters: { Ecosystem: { Type: 'String' }, ImageUri: { Type: 'String' } },
      Resources: { TaskRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: { Ref: 'Ecosystem' } } } },
    });
    assert.deepEqual(await templates.validate(body), { parameters: ['Ecosystem', 'ImageUri'], capabilities: ['CAPABILITY_NAMED_IAM'] });
    await assert.rejects(templates.validate('x'.repeat(51_201)), { code: 'TEMPLATE_TOO_LARGE' });
  });

  test('AWS errors become AbortErrors with a code and a hint', async () => {
    const fake = new FakeCloudFormation();
    fake.failNext('CreateChangeSetCommand', awsError('AccessDenied', 'User: arn:aws:iam::123456789012:user/x is not authorized to perform: cloudformation:CreateChangeSet'));
    const { stacks } = ports(fake);
    await assert.rejects(stacks.deploy(request({ stackName: 'hd-denied', templateBody: QUEUE_ONLY }).req), (err: unknown) => {
      assert.ok(err instanceof AbortError);
      assert.equal(err.code, 'AWS_ACCESS_DENIED');
      assert.match(err.message, /cloudformation:CreateChangeSet/);
      assert.ok(err.hint);
      return true;
    });
    fake.failNext('DescribeStacksCommand', awsError('ExpiredToken', 'The security token included in the request is expired'));
    await assert.rejects(stacks.describeStatus('hd-denied'), { code: 'AWS_CREDENTIALS_EXPIRED' });
  });

  test('every kind of AWS failure gets its code, a message naming the operation and the stack, and a hint', async () => {
    // Shapes AWS produces and moto does not; the operation named is the one that failed, not the port method.
    const cases: Array<{ command: string; error: Error; code: string; exitCode: number }> = [
      { command: 'CreateChangeSetCommand', error: awsError('Throttling', 'Rate exceeded'), code: 'AWS_THROTTLED', exitCode: EXIT.failure },
      { command: 'CreateChangeSetCommand', error: awsError('LimitExceededException', 'Limit on the number of stacks exceeded'), code: 'AWS_LIMIT_EXCEEDED', exitCode: EXIT.failure },
      { command: 'CreateChangeSetCommand', error: awsError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_NAMED_IAM]'), code: 'STACK_CAPABILITIES', exitCode: EXIT.failure },
      { command: 'CreateChangeSetCommand', error: awsError('ValidationError', "Parameter 'Ecosystem' must be one of AllowedValues"), code: 'AWS_VALIDATION', exitCode: EXIT.failure },
      { command: 'CreateChangeSetCommand', error: awsError('InvalidClientTokenId', 'The security token included in the request is invalid.'), code: 'AWS_CREDENTIALS_INVALID', exitCode: EXIT.failure },
      { command: 'CreateChangeSetCommand', error: awsError('InternalFailure', 'We encountered an internal error'), code: 'AWS_ERROR', exitCode: EXIT.failure },
      { command: 'CreateChangeSetCommand', error: new Error('Region is missing'), code: 'AWS_REGION', exitCode: EXIT.usage },
    ];
    for (const c of cases) {
      const fake = new FakeCloudFormation();
      fake.failNext(c.command, c.error);
      const { stacks } = ports(fake);
      await assert.rejects(stacks.deploy(request({ stackName: 'hd-kinds', templateBody: QUEUE_ONLY }).req), (err: unknown) => {
        assert.ok(err instanceof HelloDeployError, `${c.error.name}: ${String(err)}`);
        assert.equal(err.code, c.code, c.error.name);
        assert.equal(err.exitCode, c.exitCode, c.error.name);
        assert.ok(err.hint, `${c.error.name} has a hint`);
        if (c.code === 'AWS_REGION') {
          // Nothing was sent, so there is no AWS answer to quote: the message says what is missing instead.
          assert.match(err.message, /No AWS region is configured \(CloudFormation needs one\)/);
        } else {
          assert.match(err.message, /^CloudFormation CreateChangeSet \(stack hd-kinds\)/, c.error.name);
          assert.ok(err.message.includes(c.error.message), `${c.error.name}: AWS's words are quoted`);
        }
        return true;
      });
    }
  });

  test("a failure that is not AWS's (the adapter's own) is not dressed up as an AWS error: main reports it as BUG", async () => {
    // A client answering DescribeStacks with nothing breaks an assumption of ours, not of AWS.
    const { stacks } = createCloudFormationPorts({ region: 'us-east-1' }, { client: { send: async () => undefined } });
    await assert.rejects(stacks.describeStatus('hd-any'), (err: unknown) => {
      assert.ok(err instanceof TypeError, String(err));
      const reported = toHelloDeployError(err);
      assert.ok(reported instanceof BugError);
      assert.equal(reported.code, 'BUG');
      return true;
    });
  });
});
