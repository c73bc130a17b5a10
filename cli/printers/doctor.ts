// doctor's own lines for the plain printer: every check with its mark and what it found, then the verdict.
import type { CheckReport } from '../domain/preflight/report.ts';
import type { DoctorResult, RoleReport } from '../doctor/result.ts';
import { failureLines } from './line.ts';

const MARK = { ok: '✔', problems: '✘', skipped: '–' } as const;

function checkLines(checks: CheckReport[] | undefined): string[] {
  return (checks ?? []).flatMap((c) => [
    `  ${MARK[c.status]} ${c.title}${c.status === 'skipped' ? `: skipped (${c.skipped ?? 'not applicable'})` : c.status === 'problems' ? `: ${c.problems.length} problem${c.problems.length === 1 ? '' : 's'} (below)` : ''}`,
    ...c.notes.map((n) => `      ${n}`),
  ]);
}

function roleLines(roles: RoleReport[] | undefined): string[] {
  if (!roles?.length) return [];
  const word = { present: 'exists', created: 'created', missing: 'missing (the deploy creates it)', unknown: 'not known (GetRole denied)' } as const;
  return [`  Service-linked roles: ${roles.map((r) => `${r.roleName} ${word[r.state]}`).join('; ')}`];
}

export function doctorLines(e: DoctorResult): string[] {
  if (!e.ok) return [...(e.checks ? ['', ...checkLines(e.checks)] : []), ...roleLines(e.roles), ...failureLines(e.error)];
  return [`\n✔ Nothing in the way of deploying ecosystem ${e.ecosystem} to ${e.region} (account ${e.account}); nothing was changed.`, ...checkLines(e.checks), ...roleLines(e.roles)];
}
