// Runs a plan: a small DAG of steps. A step starts when every step it comes `after` has succeeded or been skipped,
// so independent work (the docker build and the ECR stack) overlaps. The runner reports everything as events and
// never prints. The first failure stops new steps from starting; steps already running are allowed to finish
// (a half-pushed image or a half-deployed stack is worse than waiting a few seconds), except a read-only step:
// it changes nothing, so it is stopped (its signal aborts) and the run ends without waiting for it, as a
// validation running beside a failed preflight. While the host's gate is held, likewise: running steps finish and
// nothing new starts until it is released.
import type { EngineEvent, PlannedStep, StepId, ResourceChange } from './events.ts';
import type { Host, Question } from './host.ts';
import { HelloDeployError, InterruptedError, toHelloDeployError } from './errors.ts';

export type StepOutcome = { status: 'succeeded'; summary?: string } | { status: 'skipped'; reason: string };

/** What a step may do besides its own work: report, and ask through the host. */
export interface StepIO {
  readonly signal: AbortSignal;
  progress(message: string, current?: number, total?: number): void;
  log(stream: 'stdout' | 'stderr', line: string): void;
  info(message: string): void;
  warn(message: string): void;
  stackEvent(e: { stack: string; logicalId: string; resourceType: string; status: string; reason?: string; timestamp: string }): void;
  changeSet(stack: string, changes: ResourceChange[]): void;
  /**
   * A product's own event from inside a step (a deploy's `rollout`: cli/deploy/result.ts), stamped with the step.
   * Core does not know its shape; the product's event type lists it, and its printers show it.
   */
  emit(e: { type: string; [field: string]: unknown }): void;
  ask(q: Question): Promise<boolean>;
}

export interface Step<C> {
  id: StepId;
  title: string;
  after: StepId[];
  /**
   * The step changes nothing anywhere (it only reads and checks): when another step fails, it is stopped through
   * its signal and the run does not wait for it.
   */
  readOnly?: boolean;
  /** The dry-run description: what the step will do with this context, in words. */
  describe(ctx: C): string;
  run(ctx: C, io: StepIO): Promise<StepOutcome>;
}

export interface RunSummary {
  ok: boolean;
  failed?: { step: StepId; error: HelloDeployError };
  outcomes: Partial<Record<StepId, StepOutcome | 'failed' | 'not-run'>>;
}

export function planOf<C>(steps: Step<C>[], ctx: C): PlannedStep[] {
  return steps.map((s) => ({ id: s.id, title: s.title, description: s.describe(ctx), after: s.after }));
}

export async function runSteps<C>(steps: Step<C>[], ctx: C, host: Host, signal: AbortSignal): Promise<RunSummary> {
  const ids = new Set(steps.map((s) => s.id));
  for (const s of steps) for (const d of s.after) if (!ids.has(d)) throw new Error(`step ${s.id} comes after unknown step ${d}`);

  const outcomes: RunSummary['outcomes'] = {};
  const running = new Map<StepId, Promise<void>>();
  let failed: RunSummary['failed'];
  // Read-only steps get a signal of their own (the run's, and their abandonment); an abandoned one says nothing more.
  const stoppers = new Map<StepId, AbortController>();
  const abandoned = new Set<StepId>();
  const emitFor = (step: StepId) => (e: EngineEvent) => {
    if (!abandoned.has(step)) host.emit(e);
  };

  const ioFor = (step: StepId, stepSignal: AbortSignal): StepIO => {
    const emit = emitFor(step);
    return {
      signal: stepSignal,
      progress: (message, current, total) => emit({ type: 'step-progress', step, message, ...(current === undefined ? {} : { current }), ...(total === undefined ? {} : { total }) }),
      log: (stream, line) => emit({ type: 'log', step, stream, line }),
      info: (message) => emit({ type: 'info', step, message }),
      warn: (message) => emit({ type: 'warn', step, message }),
      stackEvent: (e) => emit({ type: 'stack-event', step, ...e }),
      changeSet: (stack, changes) => emit({ type: 'change-set', step, stack, changes }),
      // The host is the product's (Host<DeployEvent> and the like): it takes the product's events too.
      emit: (e) => emit({ ...e, step } as unknown as EngineEvent),
      ask: (q) => host.ask(q),
    };
  };

  const start = (step: Step<C>) => {
    const began = Date.now();
    const emit = emitFor(step.id);
    let stepSignal = signal;
    if (step.readOnly) {
      const stopper = new AbortController();
      stoppers.set(step.id, stopper);
      stepSignal = AbortSignal.any([signal, stopper.signal]);
    }
    host.emit({ type: 'step-start', step: step.id, title: step.title });
    const p = (async () => {
      try {
        if (signal.aborted) throw new InterruptedError('Interrupted before this step started.');
        const outcome = await step.run(ctx, ioFor(step.id, stepSignal));
        if (abandoned.has(step.id)) return;
        outcomes[step.id] = outcome;
        if (outcome.status === 'skipped') emit({ type: 'step-skipped', step: step.id, reason: outcome.reason });
        else emit({ type: 'step-succeeded', step: step.id, durationMs: Date.now() - began, ...(outcome.summary ? { summary: outcome.summary } : {}) });
      } catch (err) {
        if (abandoned.has(step.id)) return;
        // After Ctrl-C, whatever a step then fails with (a docker child killed by the same SIGINT, a wait cut
        // short) is the interruption, not a fault to fix: exit 130, with what it stopped named.
        const error = signal.aborted && !(err instanceof InterruptedError) ? new InterruptedError(`Interrupted: ${toHelloDeployError(err).message}`) : toHelloDeployError(err);
        outcomes[step.id] = 'failed';
        emit({ type: 'step-failed', step: step.id, durationMs: Date.now() - began, error: error.toJSON() });
        failed ??= { step: step.id, error };
      } finally {
        running.delete(step.id);
        stoppers.delete(step.id);
      }
    })();
    running.set(step.id, p);
  };

  /** After a failure: stop the read-only steps still running, and stop waiting for them. */
  const abandonReadOnly = () => {
    for (const [id, stopper] of stoppers) {
      if (abandoned.has(id)) continue;
      abandoned.add(id);
      stopper.abort();
      running.delete(id);
    }
  };

  const ready = (s: Step<C>) =>
    outcomes[s.id] === undefined && !running.has(s.id) && s.after.every((d) => { const o = outcomes[d]; return typeof o === 'object'; });

  // A held gate (the person is deciding whether to stop) starts nothing: wait for it to open, for an abort, or
  // for a running step to end, then look again.
  const gate = host.gate;
  let aborted: Promise<void> | undefined;
  for (;;) {
    if (!failed && !signal.aborted && gate?.held) {
      aborted ??= new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      await Promise.race([gate.opened(), aborted, ...running.values()]);
      continue;
    }
    if (!failed && !signal.aborted) for (const s of steps) if (ready(s)) start(s);
    if (failed) abandonReadOnly();
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  for (const s of steps) {
    if (outcomes[s.id] === undefined) {
      outcomes[s.id] = 'not-run';
      // Named by title, as a person saw it in the plan: step ids are for the event stream, not for sentences.
      const failedTitle = failed ? (steps.find((x) => x.id === failed!.step)?.title ?? failed.step) : undefined;
      const reason = abandoned.has(s.id) && failedTitle
        ? `stopped: "${failedTitle}" failed, and this step changes nothing`
        : failedTitle ? `not run: "${failedTitle}" failed` : signal.aborted ? 'not run: interrupted' : 'not run';
      host.emit({ type: 'step-skipped', step: s.id, reason });
    }
  }
  if (!failed && signal.aborted) failed = { step: steps.find((s) => outcomes[s.id] === 'not-run')?.id ?? steps[steps.length - 1]!.id, error: new InterruptedError('Interrupted.') };
  return failed ? { ok: false, failed, outcomes } : { ok: true, outcomes };
}

export type { EngineEvent };
