// destroy's DELETE_FAILED, resume, timeout and Ctrl-C, on FakeCloudFormation: a FAKE, because moto cannot produce
// them (its DeleteStack deletes in the call itself and never ends in DELETE_FAILED or DELETE_IN_PROGRESS). The
// adapter is the real one; the ECR and ACM ports beside it are in-memory fakes, named so. Everything moto can do is
// in destroy-e2e.test.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createCloudFormationPorts } from '../cli/adapters/aws/cloudformation.ts';
import { InterruptedError, HelloDeployError } from '../cli/core/errors.ts';
import { NonInteractiveHost, type Host, type Question } from '../cli/core/host.ts';
import type { StackEventInfo } from '../cli/ports/deploy.ts';
import type { CertificateCleanupPort, DestroyPorts, ImageRepositoryPort, LeftoverPorts, StackDeleteRequest } from '../cli/ports/destroy.ts';
import type { DestroyContext } from '../cli/destroy/context.ts';
import { DEFAULT_TIMEOUT_MS, type DestroyOptions } from '../cli/destroy/options.ts';
import { runDestroy } from '../cli/destroy/run.ts';
import type { DestroyEvent } from '../cli/destroy/result.ts';
import { FakeCloudFormation } from './support/fake-cloudformation.ts';

const STACK = 'dx-hello-world-infra';
const TEMPLATE = JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' }, Queue: { Type: 'AWS::SQS::Queue' } } });
const NOT_EMPTY = 'The bucket you tried to delete is not empty (Service: S3, Status Code: 409)';

function ports(fake: FakeCloudFormation, clock = { t: 0 }) {
  return createCloudFormationPorts({ region: 'us-east-1' }, { client: fake, pollMs: 1000, sleep: async (ms) => void (clock.t += ms), now: () => clock.t });
}

function req(fields: Partial<StackDeleteRequest> = {}) {
  const events: StackEventInfo[] = [];
  const progress: string[] = [];
  const r: StackDeleteRequest = { stackName: STACK, timeoutMs: 60_000, onEvent: (e) => events.push(e), onProgress: (m) => progress.push(m), ...fields };
  return { r, events, progress };
}

describe('the stack delete adapter (FakeCloudFormation)', () => {
  test('DELETE_FAILED comes back with the resource, its type and its reason; retaining it then deletes the stack', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: STACK, status: 'CREATE_COMPLETE', template: TEMPLATE });
    fake.failDelete('Bucket', NOT_EMPTY);
    const p = ports(fake);
    const first = req();
    const out = await p.deletes.delete(first.r);
    assert.deepEqual(out, { status: 'failed', reason: 'The following resource(s) failed to delete: [Bucket]. ', failed: [{ logicalId: 'Bucket', resourceType: 'AWS::S3::Bucket', reason: NOT_EMPTY }] });
    assert.ok(first.events.some((e) => e.logicalId === 'Queue' && e.status === 'DELETE_COMPLETE'), 'the live events were relayed');
    // A retry without retaining fails the same way (the bucket still holds objects).
    assert.equal((await p.deletes.delete(req().r)).status, 'failed');
    const kept = await p.deletes.delete(req({ retain: ['Bucket', 'NotInThisStack'] }).r);
    assert.equal(kept.status, 'deleted');
    assert.deepEqual(kept.status === 'deleted' && kept.retained.map((r) => r.logicalId), ['Bucket']);
    assert.equal(fake.statusOf(STACK), undefined);
  });

  test('--retain on a stack that is not DELETE_FAILED is not sent (CloudFormation refuses RetainResources there)', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: STACK, status: 'CREATE_COMPLETE', template: TEMPLATE });
    const out = await ports(fake).deletes.delete(req({ retain: ['Bucket'] }).r);
    assert.deepEqual(out.status === 'deleted' && out.retained, []);
  });

  test('a stack already DELETE_IN_PROGRESS (an interrupted run) is waited for, not deleted again: resumed', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({
      name: STACK, status: 'DELETE_IN_PROGRESS', template: TEMPLATE,
      // The first poll still sees it deleting; the next ones see it end.
      pending: [{ logicalId: STACK, type: 'AWS::CloudFormation::Stack', status: 'DELETE_IN_PROGRESS' }, { logicalId: 'Queue', type: 'AWS::SQS::Queue', status: 'DELETE_COMPLETE' }, { logicalId: 'Bucket', type: 'AWS::S3::Bucket', status: 'DELETE_COMPLETE' }, { logicalId: STACK, type: 'AWS::CloudFormation::Stack', status: 'DELETE_COMPLETE' }],
    });
    const { r, progress } = req();
    const out = await ports(fake).deletes.delete(r);
    assert.equal(out.status, 'deleted');
    assert.equal(out.status === 'deleted' && out.resumed, true);
    assert.ok(!fake.calls.includes('DeleteStackCommand'), 'no second DeleteStack');
    assert.match(progress[0]!, /already being deleted/);
  });

  test('a deletion that outlasts --timeout: STACK_TIMEOUT naming what is still deleting, and that re-running resumes', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: STACK, status: 'DELETE_IN_PROGRESS', template: TEMPLATE, history: [{ logicalId: STACK, type: 'AWS::CloudFormation::Stack', status: 'DELETE_IN_PROGRESS' }] });
    await assert.rejects(ports(fake).deletes.delete(req({ timeoutMs: 5_000 }).r), (err: HelloDeployError) => {
      assert.equal(err.code, 'STACK_TIMEOUT');
      assert.match(err.message, /^Stack dx-hello-world-infra is still DELETE_IN_PROGRESS after 5s; stopped waiting\.$/);
      assert.match(err.hint ?? '', /run the same destroy again to resume/);
      return true;
    });
  });

  test('Ctrl-C stops the wait with InterruptedError; CloudFormation carries on', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: STACK, status: 'DELETE_IN_PROGRESS', template: TEMPLATE });
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(ports(fake).deletes.delete(req({ signal: ac.signal }).r), InterruptedError);
  });
});

/** In-memory FAKES of the ECR and ACM ports and of the leftover check's lookups (finding nothing): these tests are about the stacks. */
const noImages: ImageRepositoryPort = { count: async () => undefined, empty: async () => 0, remove: async () => false };
const noCertificates: CertificateCleanupPort = { managed: async () => [], describe: async () => undefined, delete: async () => ({ deleted: true }) };
const noLeftovers: LeftoverPorts = {
  identity: { whoAmI: async () => ({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/fake', region: 'us-east-1' }) },
  files: { readable: async (p) => existsSync(p), read: async (p) => readFileSync(p, 'utf8') },
  names: { find: async () => undefined },
  network: { ofStack: async () => [] },
};

const options: DestroyOptions = {
  ecosystem: 'dx', region: 'us-east-1', yes: true, keepImages: false, timeoutMs: { ...DEFAULT_TIMEOUT_MS }, retain: [], cwd: '/nonexistent',
  ecrTemplate: path.resolve('infra/hello-world-ecr-infra.yaml'), infraTemplate: path.resolve('infra/hello-world-infra.yaml'),
};

function context(p: Omit<DestroyPorts, 'leftovers'>, opts: Partial<DestroyOptions> = {}): DestroyContext {
  return { options: { ...options, ...opts }, ports: { ...p, leftovers: noLeftovers }, state: { deleted: [], retained: [], kept: [] }, report: () => {}, confirm: async () => true, removeFile: async () => false, fileExists: async () => false };
}

/** A host that answers each question as scripted by its id (a person at the prompt), recording everything. */
class ScriptedHost implements Host<DestroyEvent> {
  readonly events: DestroyEvent[] = [];
  constructor(private readonly answers: Record<string, boolean>) {}
  emit = (e: DestroyEvent) => void this.events.push(e);
  async ask(q: Question): Promise<boolean> {
    return this.answers[q.id] ?? q.default;
  }
}

describe('destroy over a DELETE_FAILED stack (FakeCloudFormation)', () => {
  test('--yes neither retains nor retries: exit 1, STACK_DELETE_FAILED naming the resource, its type and reason, with the --retain command', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: STACK, status: 'CREATE_COMPLETE', template: TEMPLATE });
    fake.failDelete('Bucket', NOT_EMPTY);
    const events: DestroyEvent[] = [];
    const out = await runDestroy(context({ stacks: ports(fake).deletes, images: noImages, certificates: noCertificates }), new NonInteractiveHost<DestroyEvent>((e) => events.push(e as DestroyEvent)), new AbortController().signal);
    assert.equal(out.ok, false);
    const result = events.at(-1) as Extract<DestroyEvent, { type: 'result'; ok: false }>;
    assert.equal(result.error.code, 'STACK_DELETE_FAILED');
    assert.equal(result.error.message, `Stack ${STACK} could not be deleted (DELETE_FAILED): Bucket (AWS::S3::Bucket): ${NOT_EMPTY}`);
    assert.match(result.error.hint ?? '', /hello-deploy destroy --ecosystem dx --region us-east-1 --retain Bucket --yes$/);
    const questions = events.filter((e) => e.type === 'question').map((e) => (e as { id: string; answer: unknown }).id);
    assert.deepEqual(questions, ['retain-infra', 'retry-infra'], 'both offered, both answered no by default');
  });

  test('at the prompt, "retain" finishes the deletion and the result lists the retained resource', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: STACK, status: 'CREATE_COMPLETE', template: TEMPLATE });
    fake.failDelete('Bucket', NOT_EMPTY);
    const host = new ScriptedHost({ 'retain-infra': true });
    const out = await runDestroy(context({ stacks: ports(fake).deletes, images: noImages, certificates: noCertificates }, { yes: false }), host, new AbortController().signal);
    assert.equal(out.ok, true);
    const result = host.events.at(-1) as Extract<DestroyEvent, { type: 'result'; ok: true }>;
    assert.deepEqual(result.retained, [`Bucket (AWS::S3::Bucket), from stack ${STACK}`]);
    // The last step ran (over a fake that finds nothing) and says so.
    assert.deepEqual([result.leftovers, result.verified], [[], true]);
  });

  test('at the prompt, "retry" after the blocker is fixed deletes the stack', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: STACK, status: 'CREATE_COMPLETE', template: TEMPLATE });
    fake.failDelete('Bucket', NOT_EMPTY);
    const host = new ScriptedHost({});
    host.ask = async (q) => {
      if (q.id === 'retry-infra') fake.fixDelete('Bucket'); // the person emptied the bucket meanwhile
      return q.id === 'retry-infra';
    };
    const out = await runDestroy(context({ stacks: ports(fake).deletes, images: noImages, certificates: noCertificates }, { yes: false }), host, new AbortController().signal);
    assert.equal(out.ok, true);
    assert.equal(fake.statusOf(STACK), undefined);
  });

  test('Ctrl-C while a stack is deleting: exit 130 naming what is still being deleted, and the command that resumes', async () => {
    const fake = new FakeCloudFormation();
    fake.seedStack({ name: STACK, status: 'DELETE_IN_PROGRESS', template: TEMPLATE });
    const ac = new AbortController();
    const events: DestroyEvent[] = [];
    const host = new NonInteractiveHost<DestroyEvent>((e) => {
      events.push(e as DestroyEvent);
      if ((e as { type: string }).type === 'step-progress') ac.abort();
    });
    const out = await runDestroy(context({ stacks: ports(fake).deletes, images: noImages, certificates: noCertificates }), host, ac.signal);
    assert.equal(out.error?.exitCode, 130);
    const result = events.at(-1) as Extract<DestroyEvent, { type: 'result'; ok: false }>;
    assert.equal(result.error.code, 'INTERRUPTED');
    assert.match(result.error.message, new RegExp(`still being deleted in AWS: ${STACK} \\(DELETE_IN_PROGRESS\\)`));
    assert.match(result.error.hint ?? '', /Run the same command again to resume .*hello-deploy destroy --ecosystem dx/);
    assert.deepEqual(result.inProgress, [`${STACK} (DELETE_IN_PROGRESS)`]);
  });
});
