// Folds the engine's events into what the progress screen shows. Pure: the same events always give the same
// model, so the screen is tested by feeding it a recorded stream, and the wizard adds nothing the engine did not say.
// It reads the common events; of a command's own it keeps only the result, typed as that command's.
import { isEngineEvent, type BareFailure, type EngineEvent, type ResourceChange, type StepId } from '../../core/events.ts';
import type { ErrorShape } from '../../core/errors.ts';
import { rolloutLine, type RolloutEvent } from '../../domain/rollout.ts';

export const LOG_TAIL = 8;

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface ResourceRow {
  logicalId: string;
  resourceType: string;
  status: string;
  reason?: string;
}

export interface StepView {
  id: StepId;
  title: string;
  description: string;
  status: StepStatus;
  startedAt?: number;
  durationMs?: number;
  summary?: string;
  reason?: string;
  error?: ErrorShape;
  /** The last LOG_TAIL lines: docker build output, push progress, progress messages. */
  tail: string[];
  /** Set once a stack event names the stack this step deploys. */
  stack?: string;
  /** The stack's own status (its stack-level events). */
  stackStatus?: string;
  /** One row per resource, in the order CloudFormation first mentioned it. */
  resources: ResourceRow[];
  /** How many resources the change set said would change (the bar's M), when known. */
  expected?: number;
  /** Set when step-progress carried numbers (e.g. layers pushed). */
  counter?: { current: number; total: number };
}

/** The result event among a command's events. */
export type ResultOf<E> = Extract<E, { type: 'result' }>;

/** `R` is the command's result event: each wizard reads its own command's fields. */
export interface ProgressModel<R = unknown> {
  ecosystem?: string;
  region?: string;
  steps: StepView[];
  /** Steps in the order they finished, for Ink's <Static>: finished work never re-renders. */
  finished: StepId[];
  warnings: string[];
  changeSets: Record<string, ResourceChange[]>;
  result?: R;
}

export const emptyProgress = <R = never>(): ProgressModel<R> => ({ steps: [], finished: [], warnings: [], changeSets: {} });

/** Docker's per-layer progress lines: `<12-hex layer id>: <status>` (Preparing, Waiting, Pushed, Layer already exists…). */
const LAYER_LINE = /^([a-f0-9]{12}): /;

/**
 * Appends a log line to a step's tail. A layer's new status replaces its old line where it stands, so a push pane
 * reads as one line per layer ("Pushed"), not stale "Waiting" lines above the news.
 */
export function push(tail: string[], line: string): string[] {
  const layer = LAYER_LINE.exec(line)?.[1];
  const at = layer === undefined ? -1 : tail.findIndex((l) => l.startsWith(`${layer}: `));
  if (at >= 0) return tail.map((l, i) => (i === at ? line : l));
  return [...tail, line].slice(-LOG_TAIL);
}

export const isComplete = (status: string) => /_COMPLETE$/.test(status) && !/ROLLBACK|DELETE/.test(status);
export const isFailed = (status: string) => /FAILED$|ROLLBACK/.test(status);

/** The failing resource of a step, if CloudFormation named one. */
export function failedResource(step: StepView): ResourceRow | undefined {
  return step.resources.find((r) => /FAILED$/.test(r.status) && r.reason) ?? step.resources.find((r) => /FAILED$/.test(r.status));
}

export function reduceProgress<E extends { type: string }>(model: ProgressModel<ResultOf<E>>, e: E | EngineEvent | BareFailure, now: number): ProgressModel<ResultOf<E>> {
  // Of a command's own events, only its result is shown (it is the one `result` in the command's event type);
  // the others (e.g. a rehearsal's fidelity report) leave the panes as they are.
  if (e.type === 'result') return { ...model, result: e as ResultOf<E> };
  // The rollout watcher's report (deploy and rehearsal alike) is one line in the infra step's pane.
  if (e.type === 'rollout') {
    const r = e as unknown as RolloutEvent;
    return reduceEngineEvent(model, { type: 'step-progress', step: r.step, message: rolloutLine(r) }, now);
  }
  return isEngineEvent(e) ? reduceEngineEvent(model, e, now) : model;
}

function reduceEngineEvent<R>(model: ProgressModel<R>, e: EngineEvent, now: number): ProgressModel<R> {
  const update = (id: StepId, f: (s: StepView) => StepView): ProgressModel<R> => {
    const known = model.steps.some((s) => s.id === id);
    const base: StepView[] = known ? model.steps : [...model.steps, { id, title: id, description: '', status: 'pending', tail: [], resources: [] }];
    return { ...model, steps: base.map((s) => (s.id === id ? f(s) : s)) };
  };
  const finish = (m: ProgressModel<R>, id: StepId): ProgressModel<R> => (m.finished.includes(id) ? m : { ...m, finished: [...m.finished, id] });

  switch (e.type) {
    case 'plan':
      return {
        ...emptyProgress<R>(),
        ecosystem: e.ecosystem,
        region: e.region,
        steps: e.steps.map((s) => ({ id: s.id, title: s.title, description: s.description, status: 'pending', tail: [], resources: [] })),
      };
    case 'step-start':
      return update(e.step, (s) => ({ ...s, title: e.title, status: 'running', startedAt: now }));
    case 'step-progress':
      return update(e.step, (s) => ({
        ...s,
        tail: push(s.tail, e.message),
        ...(e.total ? { counter: { current: e.current ?? 0, total: e.total } } : {}),
      }));
    case 'log':
      return update(e.step, (s) => ({ ...s, tail: push(s.tail, e.line) }));
    case 'info':
      return e.step ? update(e.step, (s) => ({ ...s, tail: push(s.tail, e.message) })) : model;
    case 'warn':
      return { ...(e.step ? update(e.step, (s) => ({ ...s, tail: push(s.tail, `⚠ ${e.message}`) })) : model), warnings: [...model.warnings, e.message] };
    case 'stack-event':
      return update(e.step, (s) => {
        if (e.logicalId === e.stack || e.resourceType === 'AWS::CloudFormation::Stack') return { ...s, stack: e.stack, stackStatus: e.status };
        const row: ResourceRow = { logicalId: e.logicalId, resourceType: e.resourceType, status: e.status, ...(e.reason ? { reason: e.reason } : {}) };
        const has = s.resources.some((r) => r.logicalId === e.logicalId);
        return { ...s, stack: e.stack, resources: has ? s.resources.map((r) => (r.logicalId === e.logicalId ? row : r)) : [...s.resources, row] };
      });
    case 'change-set':
      return { ...update(e.step, (s) => ({ ...s, stack: e.stack, expected: e.changes.length })), changeSets: { ...model.changeSets, [e.stack]: e.changes } };
    case 'question':
      return model;
    case 'step-succeeded':
      return finish(update(e.step, (s) => ({ ...s, status: 'succeeded', durationMs: e.durationMs, ...(e.summary ? { summary: e.summary } : {}) })), e.step);
    case 'step-skipped':
      return finish(update(e.step, (s) => ({ ...s, status: 'skipped', reason: e.reason })), e.step);
    case 'step-failed':
      return finish(update(e.step, (s) => ({ ...s, status: 'failed', durationMs: e.durationMs, error: e.error })), e.step);
  }
}

/** N of M for a stack pane: M is the change set's size when known, else every resource seen so far. */
export function stackProgress(step: StepView): { done: number; total: number } {
  const done = step.resources.filter((r) => isComplete(r.status)).length;
  return { done, total: Math.max(step.expected ?? 0, step.resources.length, done) };
}
