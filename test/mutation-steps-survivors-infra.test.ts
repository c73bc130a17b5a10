// The infra stack step (cli/steps/deploy-infra-stack.ts) over FAKE ports: what a failing rollout's hint says about
// the stack in each state it can be found in, the --domain messages while the certificate validates, and
// --replace-record's delete at the moment the stack changes. Written against mutants that survived or that no fast
// test reached (docs/mutation.md, cli/steps); the same step over moto is in test/rollout-watch-moto.test.ts and
// test/deploy-domain.test.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError, InterruptedError } from '../cli/core/errors.ts';
import type { TaskView } from '../cli/ports/ecosystem.ts';
import type { CertificatePort, DeployPorts, StackPort } from '../cli/ports/deploy.ts';
import { deployInfraStack } from '../cli/steps/deploy-infra-stack.ts';
import { DIGEST, REPOSITORY, FakeClock, UNUSED_CERTS, UNUSED_DNS, fakeRolloutReads, fakeStacks, recordingIO, stepCtx } from './support/fake-ports.ts';
import { slowStacks } from './support/slow-stacks.ts';

const INFRA = 'feature-x-hello-world-infra';
const PULL = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref x@sha256:00: not found';
const ready = { imageId: `${REPOSITORY.uri}@${DIGEST}`, certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc', infraTemplateBody: 'infra: body' };

/** A task that could not pull its image, stopped just now: diagnosed as failing at the first look that sees it. */
const pullFailed = (clock: FakeClock): TaskView => ({
  arn: 'arn:aws:ecs:us-east-1:1:task/c/aaa1', id: 'aaa1', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', taskDefinition: 'td:2',
  group: `service:feature-x-hello-world`, stoppedReason: PULL, stoppedAt: new Date(clock.t - 1), containers: [],
});

/** Runs the step over a stack that never settles, whose status DescribeStacks reports as `status` (throws: unreadable). */
async function failingRollout(status: string | Error, options: Parameters<typeof stepCtx>[1] extends infer O ? O extends { options?: infer P } ? P : never : never = {}) {
  const clock = new FakeClock();
  const reads = fakeRolloutReads({ service: {}, stopped: () => (reads.looks > 1 ? [pullFailed(clock)] : []) });
  const stacks = { ...slowStacks('UPDATE_IN_PROGRESS'), describeStatus: async () => { if (status instanceof Error) throw status; return status; } };
  const cancelled: string[] = [];
  stacks.cancelUpdate = async (name) => void cancelled.push(name);
  const ctx = stepCtx({ stacks, ecosystem: reads, certs: UNUSED_CERTS, dns: UNUSED_DNS }, { state: ready, clock, options });
  const { io, rec } = recordingIO();
  const err = await deployInfraStack.run(ctx, io).then(() => assert.fail('the rollout fails'), (e: AbortError) => e);
  assert.equal(err.code, 'ROLLOUT_FAILED');
  return { err, rec, cancelled };
}

describe('deploy-infra-stack: a failing rollout, and the stack as it is found', () => {
  test('a stack no longer changing (UPDATE_COMPLETE) is not cancelled: the hint says there is nothing to cancel', async () => {
    const { err, rec, cancelled } = await failingRollout('UPDATE_COMPLETE');
    assert.deepEqual(cancelled, []);
    assert.match(err.hint ?? '', /The stack is UPDATE_COMPLETE: nothing to cancel\.$/);
    assert.deepEqual(rec.warn, ['The stack is UPDATE_COMPLETE: nothing to cancel.']);
  });

  test('a stack whose status cannot be read is "gone", and nothing is cancelled', async () => {
    const { err, cancelled } = await failingRollout(new AbortError('AWS_ACCESS_DENIED', 'DescribeStacks denied'));
    assert.deepEqual(cancelled, []);
    assert.match(err.hint ?? '', /The stack is gone: nothing to cancel\.$/);
  });

  test('--no-cancel names the stack\'s status and the command to follow it, with the run\'s --region and --endpoint-url', async () => {
    const { err, cancelled } = await failingRollout('UPDATE_IN_PROGRESS', { noCancel: true, region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:5000' });
    assert.deepEqual(cancelled, []);
    assert.ok(
      (err.hint ?? '').endsWith(`--no-cancel: the stack (UPDATE_IN_PROGRESS) was left to the ECS deployment circuit breaker, which stops the rollout and has CloudFormation roll it back; follow it with aws cloudformation describe-stack-events --stack-name ${INFRA} --region eu-west-1 --endpoint-url http://127.0.0.1:5000.`),
      err.hint,
    );
  });

  test('--no-cancel over a stack whose status is unknown, without --region: no status and no flags are made up', async () => {
    const { err } = await failingRollout(new Error('throttled'), { noCancel: true });
    assert.ok((err.hint ?? '').endsWith(`--no-cancel: the stack was left to the ECS deployment circuit breaker, which stops the rollout and has CloudFormation roll it back; follow it with aws cloudformation describe-stack-events --stack-name ${INFRA}.`), err.hint);
  });

  test('a cancelled update names the command to follow the rollback with the run\'s region', async () => {
    const { err, cancelled } = await failingRollout('UPDATE_IN_PROGRESS', { region: 'eu-west-1' });
    assert.deepEqual(cancelled, [INFRA]);
    assert.match(err.hint ?? '', /Cancelled the update of feature-x-hello-world-infra \(CancelUpdateStack\): CloudFormation rolls it back to the previous version; follow it with aws cloudformation describe-stack-events --stack-name feature-x-hello-world-infra --region eu-west-1\.$/);
  });

  test('a stack that fails for its own reason while the rollout looks fine: that error, as it was', async () => {
    const stacks = fakeStacks({ fail: new AbortError('STACK_FAILED', 'feature-x-hello-world-infra: UPDATE_ROLLBACK_COMPLETE') });
    const ctx = stepCtx({ stacks, ecosystem: fakeRolloutReads(), certs: UNUSED_CERTS, dns: UNUSED_DNS }, { state: ready, options: { deployMethod: 'direct' } });
    await assert.rejects(deployInfraStack.run(ctx, recordingIO().io), (e: AbortError) => e.code === 'STACK_FAILED');
  });

  test('a declined change set: DECLINED naming the stack, and that only the image was pushed', async () => {
    const ctx = stepCtx({ stacks: fakeStacks(), ecosystem: fakeRolloutReads(), certs: UNUSED_CERTS, dns: UNUSED_DNS }, { state: ready, options: { deployMethod: 'change-set' } });
    await assert.rejects(deployInfraStack.run(ctx, recordingIO({ 'execute-change-set': false }).io), (e: AbortError) => {
      assert.deepEqual([e.code, e.message, e.hint], ['DECLINED', `The change set for ${INFRA} was not executed.`, 'The image is pushed; nothing else changed. Run again and confirm to deploy.']);
      return true;
    });
    assert.equal(ctx.state.infraOutputs, undefined);
  });

  test('no certificate ARN and no --domain (a broken plan) is a bug, before CloudFormation is called', async () => {
    const ctx = stepCtx({ stacks: fakeStacks(), ecosystem: fakeRolloutReads(), certs: UNUSED_CERTS, dns: UNUSED_DNS }, { state: { ...ready, certificateArn: undefined } });
    await assert.rejects(deployInfraStack.run(ctx, recordingIO().io), (e: AbortError) => e.code === 'BUG' && /no certificate ARN/.test(e.message));
    assert.deepEqual(ctx.state.stacksTouched, []);
  });

  test('no image (a broken plan) is a bug that says so', async () => {
    const ctx = stepCtx({ stacks: fakeStacks(), ecosystem: fakeRolloutReads(), certs: UNUSED_CERTS, dns: UNUSED_DNS }, { state: { ...ready, imageId: undefined } });
    await assert.rejects(deployInfraStack.run(ctx, recordingIO().io), (e: AbortError) => e.code === 'BUG' && /no image to deploy/.test(e.message));
  });
});

describe('deploy-infra-stack with --domain', () => {
  const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678';
  const RECORD = { name: '_0123abcd.hello.example.com.', type: 'CNAME', value: '_4567ef.xyz.acm-validations.aws.' };

  /**
   * FAKE ACM: the stack's certificate, pending with its record, issued from the second read on (`issued` resolves
   * then). The watchers run on the fake clock in microtasks only, so the fake stack waits on that promise, not a timer.
   */
  function certs(): CertificatePort & { issued: Promise<void> } {
    let reads = 0;
    let issue!: () => void;
    const issued = new Promise<void>((r) => (issue = r));
    return {
      issued,
      describe: async (arn: string) => {
        reads += 1;
        if (reads >= 2) issue();
        return { arn, status: reads >= 2 ? 'ISSUED' : 'PENDING_VALIDATION', validation: [RECORD] };
      },
      importPair: async () => assert.fail('no import with --domain'),
    };
  }

  /** FAKE stack: reports DomainCertificate's ARN, then finishes once ACM has issued the certificate. */
  function stackWaitingFor(acm: { issued: Promise<void> }): StackPort & { parameters: Record<string, string>[] } {
    const parameters: Record<string, string>[] = [];
    return {
      ...fakeStacks(),
      parameters,
      async deploy(req) {
        parameters.push(req.parameters);
        req.onEvent({ logicalId: 'DomainCertificate', resourceType: 'AWS::CertificateManager::Certificate', status: 'CREATE_IN_PROGRESS', timestamp: '2025-01-01T00:00:00Z', physicalId: ARN });
        await acm.issued;
        return { status: 'created', stackId: 'id', outputs: { ServiceUrl: 'https://hello.example.com' }, changes: [] };
      },
    };
  }

  function domainCtx(zone: { id: string; name: string } | null, dns: DeployPorts['dns'] = UNUSED_DNS, extra: { recordsToReplace?: { type: string; name: string; text: string }[]; deployMethod?: 'direct' | 'change-set' } = {}) {
    const acm = certs();
    const stacks = stackWaitingFor(acm);
    const ctx = stepCtx({ stacks, ecosystem: fakeRolloutReads(), certs: acm, dns }, {
      options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.com', replaceRecord: true }, deployMethod: extra.deployMethod ?? 'direct' },
      state: { imageId: ready.imageId, infraTemplateBody: 'infra: body', hostedZone: zone, ...(extra.recordsToReplace ? { recordsToReplace: extra.recordsToReplace } : {}) },
    });
    return { ctx, stacks };
  }

  test('with a Route 53 zone the validation record is an info naming the zone CloudFormation writes it into; the stack gets the zone id', async () => {
    const { ctx, stacks } = domainCtx({ id: 'Z123', name: 'example.com' });
    const { io, rec } = recordingIO();
    await deployInfraStack.run(ctx, io);
    assert.ok(rec.info.includes(`Certificate validation record ${RECORD.name} CNAME ${RECORD.value} (CloudFormation adds it to example.com)`), rec.info.join('\n'));
    assert.deepEqual(rec.warn, []);
    assert.equal(stacks.parameters[0]!['HostedZoneId'], 'Z123');
    assert.equal('SSLCert' in stacks.parameters[0]!, false, 'no listener certificate parameter: the stack makes its own');
    // The fake clock is shared with the rollout watcher's pauses, so the elapsed time is not the certificate's alone.
    assert.match(rec.progress.at(-1) ?? '', /^certificate for hello\.example\.com issued after \d+s$/);
  });

  test('without a zone the record is a warning to add it by hand, and the stack gets no HostedZoneId', async () => {
    const { ctx, stacks } = domainCtx(null);
    const { io, rec } = recordingIO();
    await deployInfraStack.run(ctx, io);
    assert.deepEqual(rec.warn, [`Add this record at your DNS provider so ACM can validate hello.example.com: ${RECORD.name} CNAME ${RECORD.value}`]);
    assert.equal('HostedZoneId' in stacks.parameters[0]!, false);
    assert.equal(stacks.parameters[0]!['DomainName'], 'hello.example.com');
  });

  test('--replace-record: the record elsewhere is deleted when the stack starts changing (direct), and kept when the change set is declined', async () => {
    const toReplace = () => [{ type: 'CNAME', name: 'hello.example.com', text: 'CNAME → old.example.net' }];
    const deleted: string[] = [];
    const dns: DeployPorts['dns'] = { ...UNUSED_DNS, deleteRecord: async (zoneId, r) => void deleted.push(`${zoneId} ${r.type} ${r.name}`) };
    const direct = domainCtx({ id: 'Z123', name: 'example.com' }, dns, { recordsToReplace: toReplace() });
    await deployInfraStack.run(direct.ctx, recordingIO().io);
    assert.deepEqual(deleted, ['Z123 CNAME hello.example.com']);
    assert.deepEqual(direct.ctx.state.recordsToReplace, []);

    deleted.length = 0;
    const declined = domainCtx({ id: 'Z123', name: 'example.com' }, dns, { recordsToReplace: toReplace(), deployMethod: 'change-set' });
    declined.ctx.ports.stacks.deploy = async (req) => ((await req.confirmChanges([])) ? assert.fail('declined') : { status: 'declined', stackId: 'id', outputs: {}, changes: [] });
    await assert.rejects(deployInfraStack.run(declined.ctx, recordingIO({ 'execute-change-set': false }).io), (e: AbortError) => e.code === 'DECLINED');
    assert.deepEqual(deleted, [], 'a declined change set changes nothing, the record included');
  });
});

describe('deploy-infra-stack: the watchers end with the stack wait, and only a verdict stops it', () => {
  test('a watcher that gives up after failed looks warns, and the stack wait goes on to success', async () => {
    const clock = new FakeClock();
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const reads = fakeRolloutReads({ service: {} });
    let looks = 0;
    reads.ecs.service = async () => {
      looks += 1;
      // CloudFormation finishes a little after the watcher gave up (real time: the watcher runs on the fake clock).
      if (looks === 3) setTimeout(finish, 20);
      throw new AbortError('AWS_UNREACHABLE', 'ECS DescribeServices: socket hang up');
    };
    const stacks = slowStacks('UPDATE_IN_PROGRESS', finished);
    const ctx = stepCtx({ stacks, ecosystem: reads, certs: UNUSED_CERTS, dns: UNUSED_DNS }, { state: ready, clock });
    const { io, rec } = recordingIO();
    const out = await deployInfraStack.run(ctx, io);
    assert.equal(out.status, 'succeeded', 'the watcher giving up is no verdict: the stack wait is not stopped');
    assert.deepEqual(rec.warn, ['Stopped watching the rollout of feature-x-hello-world after 3 failed looks (ECS DescribeServices: socket hang up); waiting on CloudFormation alone.']);
    assert.deepEqual(stacks.cancelled, []);
  });

  test('--domain: a stack that finishes while the certificate is still pending ends the certificate wait too (no waiting out --domain-wait)', async () => {
    const clock = new FakeClock();
    const t0 = clock.t;
    const certs = { describe: async (arn: string) => ({ arn, status: 'PENDING_VALIDATION' }), importPair: async () => assert.fail('no import') };
    const ctx = stepCtx({ stacks: fakeStacks({ outputs: { ServiceUrl: 'https://hello.example.com' } }), ecosystem: fakeRolloutReads(), certs, dns: UNUSED_DNS }, {
      clock,
      options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.com' }, deployMethod: 'direct' },
      state: { imageId: ready.imageId, infraTemplateBody: 'infra: body', hostedZone: { id: 'Z1', name: 'example.com' } },
    });
    const { io, rec } = recordingIO();
    assert.equal((await deployInfraStack.run(ctx, io)).status, 'succeeded');
    // The watchers take a few turns on the fake clock before the stack's end reaches them; waiting out the bound
    // would take the full 10 minutes.
    assert.ok(clock.t - t0 < 300_000, `the certificate wait went on for ${(clock.t - t0) / 1000} s of fake time after the stack was done`);
    assert.equal(rec.progress.some((m) => /at most 10m00s/.test(m) && /: [5-9]m/.test(m)), false, rec.progress.join('\n'));
  });

  test('--domain: a certificate issued while the stack is still changing ends its watch quietly, and the stack wait goes on to success', async () => {
    const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678';
    let reads = 0;
    let issue!: () => void;
    const issued = new Promise<void>((resolve) => (issue = resolve));
    // FAKE ACM: pending at the first read, issued from the second on.
    const certs: CertificatePort = {
      describe: async (arn) => {
        reads += 1;
        if (reads >= 2) issue();
        return { arn, status: reads >= 2 ? 'ISSUED' : 'PENDING_VALIDATION' };
      },
      importPair: async () => assert.fail('no import with --domain'),
    };
    let abortedAtEnd: boolean | undefined;
    // FAKE stack: names its certificate, and finishes only after the certificate watcher has returned (a few
    // microtask turns after ISSUED: both watchers run on the fake clock, so no timer may be waited on here).
    const stacks: StackPort = {
      ...fakeStacks(),
      async deploy(req) {
        req.onEvent({ logicalId: 'DomainCertificate', resourceType: 'AWS::CertificateManager::Certificate', status: 'CREATE_IN_PROGRESS', timestamp: '2025-01-01T00:00:00Z', physicalId: ARN });
        await issued;
        for (let i = 0; i < 50; i++) await Promise.resolve();
        abortedAtEnd = req.signal?.aborted;
        if (req.signal?.aborted) throw new InterruptedError(`Stopped waiting for ${req.stackName}; CloudFormation carries on with it.`);
        return { status: 'created', stackId: 'id', outputs: { ServiceUrl: 'https://hello.example.com' }, changes: [] };
      },
    };
    // The rollout watcher gives up after three failed looks: a stack wait stopped by mistake then fails this test at
    // once, instead of waiting forever on a watcher that only the step's end would stop.
    const rollout = fakeRolloutReads({ service: {} });
    rollout.ecs.service = async () => { throw new AbortError('AWS_UNREACHABLE', 'ECS DescribeServices: socket hang up'); };
    const ctx = stepCtx({ stacks, ecosystem: rollout, certs, dns: UNUSED_DNS }, {
      options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.com' }, deployMethod: 'direct' },
      state: { imageId: ready.imageId, infraTemplateBody: 'infra: body', hostedZone: { id: 'Z1', name: 'example.com' } },
    });
    const { io, rec } = recordingIO();
    const out = await deployInfraStack.run(ctx, io).catch((e: Error) => e);
    assert.ok(rec.progress.some((m) => /^certificate for hello\.example\.com issued after /.test(m)), 'the certificate watch ended before the stack did');
    assert.equal(abortedAtEnd, false, 'a certificate watch that ends without an error does not stop the stack wait');
    assert.deepEqual(out, { status: 'succeeded', summary: `${INFRA}: created` });
  });

  test('--domain: a stack that fails for its own reason while the certificate is pending fails with that reason, not a validation timeout', async () => {
    const certs = { describe: async (arn: string) => ({ arn, status: 'PENDING_VALIDATION' }), importPair: async () => assert.fail('no import') };
    const ctx = stepCtx({ stacks: fakeStacks({ fail: new AbortError('STACK_FAILED', 'feature-x-hello-world-infra: CREATE_FAILED') }), ecosystem: fakeRolloutReads(), certs, dns: UNUSED_DNS }, {
      options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.com' }, deployMethod: 'direct' },
      state: { imageId: ready.imageId, infraTemplateBody: 'infra: body', hostedZone: null },
    });
    await assert.rejects(deployInfraStack.run(ctx, recordingIO().io), (e: AbortError) => e.code === 'STACK_FAILED');
  });
});
