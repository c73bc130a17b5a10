// The runner over small synthetic steps: ordering, overlap, failure and interruption as events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSteps, planOf, type Step } from '../cli/core/runner.ts';
import { NonInteractiveHost } from '../cli/core/host.ts';
import { AbortError } from '../cli/core/errors.ts';
import { Gate } from '../cli/core/gate.ts';
import type { EngineEvent, StepId } from '../cli/core/events.ts';

const tick = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function step(id: StepId, after: StepId[], body: (log: string[]) => Promise<void>, log: string[]): Step<unknown> {
  return {
    id,
    title: id,
    after,
    describe: () => `does ${id}`,
    async run() {
      log.push(`start ${id}`);
      await body(log);
      log.push(`end ${id}`);
      return { status: 'succeeded' };
    },
  };
}

test('steps start when their predecessors finish, and independent steps overlap', async () => {
  const log: string[] = [];
  const events: EngineEvent[] = [];
  const steps = [
    step('prerequisites', [], () => tick(5), log),
    step('deploy-ecr-stack', ['prerequisites'], () => tick(60), log),
    step('docker-build', ['prerequisites'], () => tick(20), log),
    step('tag-image', ['deploy-ecr-stack', 'docker-build'], () => tick(1), log),
  ];
  const summary = await runSteps(steps, {}, new NonInteractiveHost((e) => events.push(e)), new AbortController().signal);
  assert.equal(summary.ok, true);
  // The build starts before the ECR stack ends: they overlap.
  assert.ok(log.indexOf('start docker-build') < log.indexOf('end deploy-ecr-stack'), log.join(', '));
  // Tagging waits for both.
  assert.ok(log.indexOf('start tag-image') > log.indexOf('end deploy-ecr-stack'));
  assert.deepEqual(events.filter((e) => e.type === 'step-succeeded').map((e) => (e as { step: string }).step).sort(), ['deploy-ecr-stack', 'docker-build', 'prerequisites', 'tag-image']);
  assert.deepEqual(planOf(steps, {}).map((p) => p.description), ['does prerequisites', 'does deploy-ecr-stack', 'does docker-build', 'does tag-image']);
});

test('a failure stops later steps, which are reported as not run with the reason', async () => {
  const log: string[] = [];
  const events: EngineEvent[] = [];
  const steps = [
    step('prerequisites', [], () => tick(1), log),
    step('validate-templates', ['prerequisites'], async () => { throw new AbortError('TEMPLATE_INVALID', 'bad template', { hint: 'fix it' }); }, log),
    step('deploy-ecr-stack', ['validate-templates'], () => tick(1), log),
  ];
  const summary = await runSteps(steps, {}, new NonInteractiveHost((e) => events.push(e)), new AbortController().signal);
  assert.equal(summary.ok, false);
  assert.equal(summary.failed?.step, 'validate-templates');
  assert.equal(summary.failed?.error.exitCode, 1);
  const failedEvent = events.find((e) => e.type === 'step-failed');
  assert.deepEqual(failedEvent && 'error' in failedEvent ? failedEvent.error : undefined, { code: 'TEMPLATE_INVALID', message: 'bad template', hint: 'fix it' });
  const skipped = events.find((e) => e.type === 'step-skipped');
  assert.deepEqual(skipped, { type: 'step-skipped', step: 'deploy-ecr-stack', reason: 'not run: "validate-templates" failed' });
  assert.ok(!log.includes('start deploy-ecr-stack'));
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

// Guards the README's "the first failure stops new steps" for steps that do NOT depend on the failed one: A fails
// while an unrelated B is still running, and C (after B only) must never start, ending "not run" naming A. The
// order is forced with deferred promises: A fails only once B has started, and B finishes only once A's failure
// has been reported. Checked by planting the break in cli/core/runner.ts (the loop starting ready steps despite
// a failure: `if (!failed && !signal.aborted)` → `if (!signal.aborted)`): this test failed, C started.
test('a failure stops independent steps too: C, waiting only on a B still running when A failed, never starts', async () => {
  const log: string[] = [];
  const events: EngineEvent[] = [];
  const bStarted = deferred();
  const aReported = deferred();
  const steps = [
    step('a', [], async () => { await bStarted.promise; throw new AbortError('PREFLIGHT_FAILED', 'A is broken'); }, log),
    step('b', [], async () => { bStarted.resolve(); await aReported.promise; }, log),
    step('c', ['b'], async () => undefined, log),
  ];
  const host = new NonInteractiveHost((e) => {
    events.push(e);
    if (e.type === 'step-failed' && e.step === 'a') aReported.resolve();
  });
  const summary = await runSteps(steps, {}, host, new AbortController().signal);
  assert.equal(summary.failed?.step, 'a');
  // B really was running when A failed, and was let finish (it is not read-only).
  assert.deepEqual(log, ['start a', 'start b', 'end b']);
  assert.ok(events.findIndex((e) => e.type === 'step-failed') < events.findIndex((e) => e.type === 'step-succeeded' && e.step === 'b'));
  assert.deepEqual(summary.outcomes, { a: 'failed', b: { status: 'succeeded' }, c: 'not-run' });
  assert.ok(!events.some((e) => e.type === 'step-start' && e.step === 'c'), 'C never started');
  assert.deepEqual(events.filter((e) => e.type === 'step-skipped'), [{ type: 'step-skipped', step: 'c', reason: 'not run: "a" failed' }]);
});

test('a read-only step beside a failed one is stopped through its signal and not waited for; one that changes things is', async () => {
  const log: string[] = [];
  const events: EngineEvent[] = [];
  let validateSignal: AbortSignal | undefined;
  const steps: Step<unknown>[] = [
    step('prerequisites', [], async () => { await tick(5); throw new AbortError('PREFLIGHT_FAILED', 'a log group is in the way'); }, log),
    {
      id: 'validate-templates', title: 'validate', after: [], readOnly: true, describe: () => 'reads',
      async run(_ctx, io) {
        validateSignal = io.signal;
        io.progress('still validating');
        // Minutes, unless stopped: what moto's cfn-lint inside ValidateTemplate feels like.
        await new Promise<void>((resolve) => { const t = setTimeout(resolve, 60_000); io.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }); });
        io.progress('said after being stopped');
        return { status: 'succeeded' };
      },
    },
    step('docker-build', [], () => tick(40), log),
    step('deploy-ecr-stack', ['prerequisites', 'validate-templates'], () => tick(1), log),
  ];
  const started = Date.now();
  const summary = await runSteps(steps, {}, new NonInteractiveHost((e) => events.push(e)), new AbortController().signal);
  assert.ok(Date.now() - started < 5_000, 'the run did not wait for the read-only step');
  assert.equal(summary.failed?.step, 'prerequisites');
  assert.equal(validateSignal?.aborted, true, 'the read-only step was told to stop');
  assert.ok(log.includes('end docker-build'), 'a step that changes things is waited for');
  const said = events.map((e) => ('message' in e ? e.message : 'reason' in e ? `${e.step}: ${e.reason}` : e.type));
  assert.ok(!said.includes('said after being stopped'), 'a stopped step says nothing more');
  assert.ok(said.includes('validate-templates: stopped: "prerequisites" failed, and this step changes nothing'), said.join('\n'));
  assert.ok(!events.some((e) => e.type === 'step-succeeded' && e.step === 'validate-templates'));
});

test('an abort lets the running step finish, starts nothing new, and reports an interruption (exit 130)', async () => {
  const log: string[] = [];
  const controller = new AbortController();
  const steps = [
    step('prerequisites', [], async () => { controller.abort(); await tick(10); }, log),
    step('validate-templates', ['prerequisites'], () => tick(1), log),
  ];
  const summary = await runSteps(steps, {}, new NonInteractiveHost(() => {}), controller.signal);
  assert.equal(summary.ok, false);
  assert.equal(summary.failed?.error.exitCode, 130);
  assert.deepEqual(log, ['start prerequisites', 'end prerequisites']);
});

test('a step that fails after Ctrl-C (its docker child got the same SIGINT) is an interruption, exit 130, with its message kept', async () => {
  const controller = new AbortController();
  const steps = [
    step('docker-build', [], async () => {
      controller.abort();
      throw new AbortError('DOCKER_BUILD_FAILED', 'docker build exited with signal SIGINT');
    }, []),
  ];
  const summary = await runSteps(steps, {}, new NonInteractiveHost(() => {}), controller.signal);
  assert.equal(summary.failed?.error.exitCode, 130);
  assert.equal(summary.failed?.error.code, 'INTERRUPTED');
  assert.match(summary.failed?.error.message ?? '', /SIGINT/);
});

/** A --yes host with a gate, as the wizard's host has one. */
function gatedHost(gate: Gate) {
  const host = new NonInteractiveHost(() => {});
  return Object.assign(host, { gate });
}

test('a held gate lets the running step finish and starts nothing new; releasing it continues the plan', async () => {
  const log: string[] = [];
  const gate = new Gate();
  const steps = [
    step('prerequisites', [], async () => { gate.hold(); await tick(5); }, log),
    step('validate-templates', ['prerequisites'], () => tick(1), log),
    step('deploy-ecr-stack', ['validate-templates'], () => tick(1), log),
  ];
  const done = runSteps(steps, {}, gatedHost(gate), new AbortController().signal);
  await tick(60);
  assert.deepEqual(log, ['start prerequisites', 'end prerequisites'], 'nothing starts while the gate is held');
  assert.equal(gate.held, true);
  gate.release();
  const summary = await done;
  assert.equal(summary.ok, true);
  assert.deepEqual(log, ['start prerequisites', 'end prerequisites', 'start validate-templates', 'end validate-templates', 'start deploy-ecr-stack', 'end deploy-ecr-stack']);
});

test('an abort while the gate is held ends the run at once: the waiting steps are not run (exit 130)', async () => {
  const log: string[] = [];
  const gate = new Gate();
  const controller = new AbortController();
  const steps = [
    step('prerequisites', [], async () => { gate.hold(); }, log),
    step('validate-templates', ['prerequisites'], () => tick(1), log),
  ];
  const done = runSteps(steps, {}, gatedHost(gate), controller.signal);
  await tick(20);
  controller.abort(); // the gate stays held: the abort alone must end the wait
  const summary = await done;
  assert.equal(summary.failed?.error.exitCode, 130);
  assert.equal(summary.outcomes['validate-templates'], 'not-run');
  assert.deepEqual(log, ['start prerequisites', 'end prerequisites']);
});

test('the non-interactive host answers with the default and says so', async () => {
  const events: EngineEvent[] = [];
  const host = new NonInteractiveHost((e) => events.push(e));
  assert.equal(await host.ask({ kind: 'confirm', id: 'q', message: 'Go?', default: true }), true);
  assert.equal(await host.ask({ kind: 'confirm', id: 'q2', message: 'Delete?', default: false }), false);
  assert.deepEqual(events.map((e) => (e.type === 'question' ? e.answeredBy : e.type)), ['default', 'default']);
});
