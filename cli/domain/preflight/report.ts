// What the preflight finds, check by check, and the one error a run stops with: every problem at once, each with
// its fix, before any stack is touched (exit 1, nothing changed).
import { AbortError } from '../../core/errors.ts';

export interface Problem {
  message: string;
  fix: string;
}

export type CheckStatus = 'ok' | 'problems' | 'skipped';

export interface CheckReport {
  id: string;
  title: string;
  status: CheckStatus;
  problems: Problem[];
  /** What was checked and against what (e.g. a quota and where its value came from). */
  notes: string[];
  /** Why a check did not run (doctor without a certificate to check). */
  skipped?: string;
}

export interface PreflightReport {
  checks: CheckReport[];
}

export const problemsOf = (r: PreflightReport): Array<Problem & { check: string }> => r.checks.flatMap((c) => c.problems.map((p) => ({ ...p, check: c.title })));

/** One line per check for a report that passed, e.g. `Names: 7 free`. */
export function checkSummary(c: CheckReport): string {
  if (c.status === 'skipped') return `${c.title}: skipped (${c.skipped ?? 'not applicable'})`;
  if (c.status === 'problems') return `${c.title}: ${c.problems.length} problem${c.problems.length === 1 ? '' : 's'}`;
  return `${c.title}: ${c.notes[0] ?? 'ok'}`;
}

const DEPLOY_HINT = 'Fix each problem above with its fix, then run again; `hello-deploy doctor` checks the same without changing anything.';

/** The failure a deploy (or doctor, with its own hint) stops with, or undefined when nothing stands in the way. */
export function preflightError(report: PreflightReport, hint = DEPLOY_HINT): AbortError | undefined {
  const all = problemsOf(report);
  if (all.length === 0) return undefined;
  const lines = all.map((p, i) => `  ${i + 1}. ${p.check}: ${p.message}.\n     fix: ${p.fix}`);
  return new AbortError('PREFLIGHT_FAILED', `The preflight found ${all.length === 1 ? 'a problem' : `${all.length} problems`} AWS would fail the stacks on, minutes in; nothing was changed:\n${lines.join('\n')}`, { hint });
}
