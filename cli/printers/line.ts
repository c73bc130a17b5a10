// Plain lines for scripts and CI logs: one line per event, prefixed by the step, no colours, no cursor tricks.
// This printer knows the events every command shares; a command hands in the lines for its own events (a deploy's
// result, a rehearsal's fidelity report and result: cli/printers/deploy.ts, cli/printers/rehearsal.ts).
import { isEngineEvent, type EngineEvent, type StepId } from '../core/events.ts';
import type { ErrorShape } from '../core/errors.ts';

export const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** The lines for a command's own events: everything its stream carries besides the common ones. */
export type OwnLines<E extends { type: string }> = (e: Exclude<E, EngineEvent>) => string[];

/**
 * Progress goes to stdout; diagnostics (warnings, a failed step, a failed run's closing lines) go to stderr, so a
 * script that keeps stdout still sees why a run failed, and a log of stderr holds every reason.
 */
export function linePrinter<E extends { type: string }>(
  own: OwnLines<E>,
  write: (s: string) => void = (s) => process.stdout.write(s),
  writeDiagnostic: (s: string) => void = (s) => process.stderr.write(s),
  /** The lines for what a product adds to its plan (`details`: the deploy's cost estimate). */
  planDetails?: (details: Readonly<Record<string, unknown>>) => string[],
): (e: E) => void {
  const titles = new Map<StepId, string>();
  return (e) => {
    // Whatever is not a common event is the command's own, by the definition of its event type.
    const lines = isEngineEvent(e) ? [...engineLines(e, titles), ...(e.type === 'plan' && e.details && planDetails ? planDetails(e.details) : [])] : own(e as Exclude<E, EngineEvent>);
    const out = isDiagnostic(e) ? writeDiagnostic : write;
    for (const l of lines) out(`${l}\n`);
  };
}

function isDiagnostic(e: { type: string; ok?: unknown }): boolean {
  return e.type === 'warn' || e.type === 'step-failed' || (e.type === 'result' && e.ok === false);
}

/** How any command's run ends when it fails: the message and its hint. */
export function failureLines(error: ErrorShape): string[] {
  return [`\n✘ ${error.message}`, ...(error.hint ? [`  hint: ${error.hint}`] : [])];
}

/** `titles` is filled from the plan, so a step's end is named as its start was. */
function engineLines(e: EngineEvent, titles: Map<StepId, string>): string[] {
  const title = (step: StepId) => titles.get(step) ?? step;
  const at = (step: StepId | undefined) => (step ? `[${step}] ` : '');
  switch (e.type) {
    case 'plan':
      for (const s of e.steps) titles.set(s.id, s.title);
      return [`hello-deploy: ecosystem ${e.ecosystem}, region ${e.region}, ${e.steps.length} steps`, ...e.steps.map((s, i) => `  ${i + 1}. ${s.title}: ${s.description}`)];
    case 'step-start':
      return [`▶ ${e.title}`];
    case 'step-progress':
      return [`  [${e.step}] ${e.message}${e.total ? ` (${e.current ?? 0}/${e.total})` : ''}`];
    case 'log':
      return [`  [${e.step}] │ ${e.line}`];
    case 'info':
      return [`  ${at(e.step)}${e.message}`];
    case 'warn':
      return [`  ⚠ ${at(e.step)}${e.message}`];
    case 'stack-event':
      return [`  [${e.step}] ${e.stack} ${e.logicalId} ${e.resourceType} ${e.status}${e.reason ? `: ${e.reason}` : ''}`];
    case 'change-set':
      return [
        `  [${e.step}] change set for ${e.stack}: ${e.changes.length} change(s)`,
        ...e.changes.map((c) => `    ${c.action.padEnd(7)} ${c.logicalId} (${c.resourceType})${c.replacement && c.replacement !== 'False' ? ` replacement: ${c.replacement}` : ''}`),
      ];
    case 'question':
      return [`  ? ${e.message} → ${String(e.answer)}${e.answeredBy === 'default' ? ' (default, non-interactive)' : ''}`];
    case 'step-succeeded':
      return [`✔ ${title(e.step)} (${secs(e.durationMs)})${e.summary ? `: ${e.summary}` : ''}`];
    case 'step-skipped':
      return [`- ${title(e.step)}: skipped, ${e.reason}`];
    case 'step-failed':
      return [`✘ ${title(e.step)} (${secs(e.durationMs)}): ${e.error.message}`, ...(e.error.hint ? [`  hint: ${e.error.hint}`] : [])];
  }
}
