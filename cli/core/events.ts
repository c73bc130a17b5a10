// The one typed channel between an engine and whatever shows it (line printer, NDJSON printer, Ink wizard).
// Events are plain data: they serialise to NDJSON unchanged, and every printer reads the same stream. Core knows
// only what every command's run has in common (a plan of steps, their progress, questions, and a closing result);
// each product adds its own events and result fields in its own folder (cli/deploy/result.ts, cli/rehearsal/events.ts).
import type { ErrorShape } from './errors.ts';

/** A step's id. Core runs any plan; each product names its own steps. */
export type StepId = string;

export interface PlannedStep {
  id: StepId;
  title: string;
  /** What the step will do, in words: the dry-run description sits beside the real action. */
  description: string;
  after: StepId[];
}

export interface ResourceChange {
  action: 'Add' | 'Modify' | 'Remove' | 'Import' | 'Dynamic' | string;
  logicalId: string;
  resourceType: string;
  /** 'True' | 'False' | 'Conditional' when CloudFormation says; undefined for adds. */
  replacement?: string;
}

/** The events every command's run emits, whatever the product: the plan, then each step's life. */
export type EngineEvent =
  // `details`: what a product adds to its plan, as plain data (the deploy's cost estimate); core does not read it.
  | { type: 'plan'; ecosystem: string; region: string; steps: PlannedStep[]; details?: Readonly<Record<string, unknown>> }
  | { type: 'step-start'; step: StepId; title: string }
  | { type: 'step-progress'; step: StepId; message: string; current?: number; total?: number }
  | { type: 'log'; step: StepId; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'info'; step?: StepId; message: string }
  | { type: 'warn'; step?: StepId; message: string }
  | {
      type: 'stack-event';
      step: StepId;
      stack: string;
      logicalId: string;
      resourceType: string;
      status: string;
      reason?: string;
      timestamp: string;
    }
  | { type: 'change-set'; step: StepId; stack: string; changes: ResourceChange[] }
  | { type: 'question'; id: string; message: string; answer: unknown; answeredBy: 'user' | 'default' }
  | { type: 'step-succeeded'; step: StepId; durationMs: number; summary?: string }
  | { type: 'step-skipped'; step: StepId; reason: string }
  | { type: 'step-failed'; step: StepId; durationMs: number; error: ErrorShape };

const ENGINE_EVENT_TYPES: ReadonlySet<string> = new Set<EngineEvent['type']>([
  'plan', 'step-start', 'step-progress', 'log', 'info', 'warn', 'stack-event', 'change-set', 'question', 'step-succeeded', 'step-skipped', 'step-failed',
]);

/** True for the common events; a printer or a view handles these itself and leaves the rest to the product. */
export function isEngineEvent(e: { type: string }): e is EngineEvent {
  return ENGINE_EVENT_TYPES.has(e.type);
}

// Never present at run time (a symbol key is not serialised either): it only lets the type checker tell one
// command's result from another's, since their fields alone may look alike.
declare const resultOf: unique symbol;

/**
 * The last event of a run: `ok` with the command's own success fields, or not, with the error and the command's
 * own failure fields. `Command` names whose result it is, so a deploy's host cannot be handed a rehearsal's result.
 * The failure fields are optional, so a bare failure (a refusal before the run) is every command's failure.
 */
export type ResultEvent<Command extends string, Ok extends object = object, Fail extends object = object> =
  | ({ type: 'result'; ok: true; readonly [resultOf]?: Command } & Ok)
  | (BareFailure & { readonly [resultOf]?: Command } & Partial<Fail>);

export interface BareFailure {
  type: 'result';
  ok: false;
  error: ErrorShape;
}

export type EventOf<E extends { type: string }, T extends E['type']> = Extract<E, { type: T }>;
