// The runner's contract with steps and printers that test/runner.test.ts does not pin: the events a step's io
// produces (stamped with the step), the plan, skipped steps, summaries, foreign errors, and the names in "not run"
// reasons. Written against surviving mutants of `npm run mutate` (docs/mutation.md); the DAG ordering, failure and
// interruption stories are in runner.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSteps, planOf, type Step, type StepIO, type StepOutcome } from '../cli/core/runner.ts';
import { NonInteractiveHost } from '../cli/core/host.ts';
import type { EngineEvent } from '../cli/core/events.ts';

function step(id: string, after: string[], run: (io: StepIO) => Promise<StepOutcome>, title = `Title of ${id}`): Step<unknown> {
  return { id, title, after, describe: (ctx) => `${id} with ${JSON.stringify(ctx)}`, run: (_ctx, io) => run(io) };
}

const ok = async (): Promise<StepOutcome> => ({ status: 'succeeded' });

async function run(steps: Step<unknown>[], signal = new AbortController().signal) {
  const events: EngineEvent[] = [];
  const summary = await runSteps(steps, { n: 1 }, new NonInteractiveHost((e) => events.push(e)), signal);
  return { summary, events, of: (type: string) => events.filter((e) => e.type === type) };
}

test('planOf: each step with its id, title, description of the context and predecessors', () => {
  assert.deepEqual(planOf([step('a', [], ok), step('b', ['a'], ok, 'B')], { n: 1 }), [
    { id: 'a', title: 'Title of a', description: 'a with {"n":1}', after: [] },
    { id: 'b', title: 'B', description: 'b with {"n":1}', after: ['a'] },
  ]);
});

test('a step after an unknown step is a mistake in the plan, refused before anything starts', async () => {
  let started = false;
  const events: EngineEvent[] = [];
  await assert.rejects(
    runSteps([step('a', [], async () => ((started = true), { status: 'succeeded' })), step('b', ['nope'], ok)], {}, new NonInteractiveHost((e) => events.push(e)), new AbortController().signal),
    /step b comes after unknown step nope/,
  );
  assert.equal(started, false);
  assert.deepEqual(events, []);
});

test("a step's io: every report is an event stamped with the step; questions go to the host", async () => {
  const { events, summary } = await run([
    step('s', [], async (io) => {
      io.progress('plain');
      io.progress('counted', 2, 5);
      io.progress('current only', 1);
      io.log('stderr', 'a line');
      io.info('fyi');
      io.warn('careful');
      io.stackEvent({ stack: 'st', logicalId: 'L', resourceType: 'T', status: 'CREATE_COMPLETE', timestamp: 't0' });
      io.changeSet('st', [{ action: 'Add', logicalId: 'L', resourceType: 'T' }]);
      io.emit({ type: 'rollout', phase: 'x' });
      const yes = await io.ask({ kind: 'confirm', id: 'q', message: 'ok?', default: true });
      return { status: 'succeeded', summary: `answered ${yes}` };
    }),
  ]);
  assert.equal(summary.ok, true);
  const between = events.slice(1, -2);
  assert.deepEqual(between, [
    { type: 'step-progress', step: 's', message: 'plain' },
    { type: 'step-progress', step: 's', message: 'counted', current: 2, total: 5 },
    { type: 'step-progress', step: 's', message: 'current only', current: 1 },
    { type: 'log', step: 's', stream: 'stderr', line: 'a line' },
    { type: 'info', step: 's', message: 'fyi' },
    { type: 'warn', step: 's', message: 'careful' },
    { type: 'stack-event', step: 's', stack: 'st', logicalId: 'L', resourceType: 'T', status: 'CREATE_COMPLETE', timestamp: 't0' },
    { type: 'change-set', step: 's', stack: 'st', changes: [{ action: 'Add', logicalId: 'L', resourceType: 'T' }] },
    { type: 'rollout', phase: 'x', step: 's' } as unknown as EngineEvent,
  ]);
  assert.deepEqual(events[0], { type: 'step-start', step: 's', title: 'Title of s' });
  assert.deepEqual(events.at(-2), { type: 'question', id: 'q', message: 'ok?', answer: true, answeredBy: 'default' });
  const done = events.at(-1) as Extract<EngineEvent, { type: 'step-succeeded' }>;
  assert.equal(done.type, 'step-succeeded');
  assert.equal(done.summary, 'answered true');
  assert.ok(done.durationMs >= 0);
});

test('a skipped step is reported with its reason and its dependents still run; a success without a summary has no summary key', async () => {
  const { summary, of } = await run([step('a', [], async () => ({ status: 'skipped', reason: 'no Docker' })), step('b', ['a'], ok)]);
  assert.equal(summary.ok, true);
  assert.deepEqual(summary.outcomes, { a: { status: 'skipped', reason: 'no Docker' }, b: { status: 'succeeded' } });
  assert.deepEqual(of('step-skipped'), [{ type: 'step-skipped', step: 'a', reason: 'no Docker' }]);
  const [b] = of('step-succeeded');
  assert.ok(b && !('summary' in b), JSON.stringify(b));
});

test('a step that throws something not ours fails as a BUG; the steps after it are "not run" naming it by title', async () => {
  const { summary, of } = await run([
    step('a', [], async () => { throw new TypeError('x is undefined'); }, 'Read things'),
    step('b', ['a'], ok),
    step('c', ['b'], ok),
  ]);
  assert.equal(summary.ok, false);
  assert.equal(summary.failed?.step, 'a');
  assert.equal(summary.failed?.error.code, 'BUG');
  const [failed] = of('step-failed') as Array<Extract<EngineEvent, { type: 'step-failed' }>>;
  assert.equal(failed!.error.code, 'BUG');
  assert.equal(failed!.error.message, 'x is undefined');
  assert.match(failed!.error.hint ?? '', /bug in hello-deploy/);
  assert.deepEqual(of('step-skipped'), [
    { type: 'step-skipped', step: 'b', reason: 'not run: "Read things" failed' },
    { type: 'step-skipped', step: 'c', reason: 'not run: "Read things" failed' },
  ]);
  assert.deepEqual(summary.outcomes, { a: 'failed', b: 'not-run', c: 'not-run' });
});

test('aborted before any step: none starts, each is "not run: interrupted", and the run fails as an interruption of the first', async () => {
  const stop = new AbortController();
  stop.abort();
  const { summary, of } = await run([step('a', [], ok), step('b', ['a'], ok)], stop.signal);
  assert.equal(summary.ok, false);
  assert.deepEqual(of('step-start'), []);
  assert.deepEqual(of('step-skipped').map((e) => (e as { reason: string }).reason), ['not run: interrupted', 'not run: interrupted']);
  assert.equal(summary.failed?.step, 'a');
  assert.equal(summary.failed?.error.code, 'INTERRUPTED');
  assert.equal(summary.failed?.error.exitCode, 130);
});

test('aborted during the last step, which still succeeds: the interruption is charged to the last step', async () => {
  const stop = new AbortController();
  const { summary } = await run([step('a', [], ok), step('b', ['a'], async () => (stop.abort(), { status: 'succeeded' }))], stop.signal);
  assert.equal(summary.ok, false);
  assert.equal(summary.failed?.step, 'b');
  assert.equal(summary.failed?.error.code, 'INTERRUPTED');
});

test('durations are the time a step took, failed or not', async () => {
  const { of } = await run([step('a', [], ok), step('b', [], async () => { throw new Error('no'); })]);
  const durations = [...of('step-succeeded'), ...of('step-failed')].map((e) => (e as { durationMs: number }).durationMs);
  assert.equal(durations.length, 2);
  for (const d of durations) assert.ok(d >= 0 && d < 60_000, `durationMs ${d}`);
});

test('the interruption of a run aborted before it started says "Interrupted."', async () => {
  const stop = new AbortController();
  stop.abort();
  const { summary } = await run([step('a', [], ok)], stop.signal);
  assert.equal(summary.failed?.error.message, 'Interrupted.');
});

test('a read-only step that ignores its stop signal is not waited for, and one that then fails is still "stopped", not failed', async () => {
  let release!: () => void;
  const never = new Promise<void>((resolve) => (release = resolve));
  const readOnly = (id: string, body: (io: StepIO) => Promise<StepOutcome>): Step<unknown> => ({ ...step(id, [], body), readOnly: true });
  const steps = [
    step('fails', [], async () => { await new Promise((r) => setTimeout(r, 5)); throw new Error('broke'); }, 'Fails'),
    // Ignores its signal: the run must end without it.
    readOnly('deaf', async () => (await never, { status: 'succeeded' })),
    // Rejects when stopped, as an aborted AWS call does: that is not a second failure.
    readOnly('listens', (io) => new Promise((_resolve, reject) => io.signal.addEventListener('abort', () => reject(new Error('aborted'))))),
  ];
  const done = run(steps);
  const timeout = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5_000).unref());
  const outcome = await Promise.race([done, timeout]);
  release();
  assert.notEqual(outcome, 'waited', 'the run waited for a read-only step after a failure');
  const { summary, of } = await done;
  assert.equal(summary.failed?.step, 'fails');
  assert.deepEqual(summary.outcomes, { fails: 'failed', deaf: 'not-run', listens: 'not-run' });
  assert.deepEqual(of('step-failed').map((e) => (e as { step: string }).step), ['fails']);
  assert.deepEqual(of('step-skipped').map((e) => (e as { reason: string }).reason), [
    'stopped: "Fails" failed, and this step changes nothing',
    'stopped: "Fails" failed, and this step changes nothing',
  ]);
});
