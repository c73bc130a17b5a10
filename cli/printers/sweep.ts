// `destroy --stale`'s own lines for the plain printer: the sweep's report (what is stale, what it costs, what is
// kept and why), each ecosystem's start and outcome around its destroy's step lines, and the closing verdict.
import type { StalePlanEvent, SweepEvent } from '../sweep/result.ts';
import type { EngineEvent } from '../core/events.ts';
import { perMonth } from '../domain/cost.ts';
import { failureLines } from './line.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function stalePlanLines(e: StalePlanEvent): string[] {
  const out = [`hello-deploy destroy --stale: git remote ${e.remote} has ${e.branches} branch${e.branches === 1 ? '' : 'es'}; region ${e.region}${e.emulator ? ' (an emulator)' : ''}`];
  if (e.stale.length) {
    out.push(`Stale (the branch is gone from ${e.remote}): ${plural(e.stale.length, 'ecosystem')}`);
    const rows = e.stale.map((s) => [s.ecosystem, s.branch, s.state, s.monthly !== undefined ? `~${perMonth(s.monthly)}` : s.unread ? 'unread' : '-']);
    const head = ['ECOSYSTEM', 'BRANCH', 'STATE', 'COST'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`;
    out.push(line(head), ...rows.map(line));
    out.push(`  deleting them saves ~${perMonth(e.savesMonthly)}${e.unpriced.length ? ` (without ${e.unpriced.join(', ')}, whose cost could not be read)` : ''} (${e.costBasis}${e.emulator ? '; nothing is billed on an emulator: what the same would cost on AWS' : ''})`);
  } else out.push(`No stale ecosystem: every recorded branch is still on ${e.remote}.`);
  if (e.live.length) out.push(`Kept, the branch is still there: ${e.live.join(', ')}`);
  if (e.unowned.length) out.push(`Kept, no branch recorded (deployed with --ecosystem, or by an older hello-deploy), so never stale: ${e.unowned.join(', ')}`);
  return out;
}

export function sweepLines(e: Exclude<SweepEvent, EngineEvent>): string[] {
  switch (e.type) {
    case 'stale-plan':
      return stalePlanLines(e);
    case 'stale-start':
      return [`\n── ${e.index}/${e.total}: destroying ${e.ecosystem} (branch ${e.branch}) ──`];
    case 'stale-destroyed':
      return e.succeeded ? [`✔ ${e.ecosystem} destroyed${e.deleted.length ? `: ${e.deleted.join('; ')}` : ''}`] : [`✘ ${e.ecosystem} not destroyed: ${e.error?.message ?? 'failed'}`];
    case 'result':
      if (!e.ok) {
        return [
          ...(e.deleted?.length ? ['', `Deleted: ${e.deleted.join(', ')}`] : []),
          ...(e.failed ?? []).map((f) => `Failed: ${f.ecosystem}: ${f.error.message}`),
          ...(e.notDeleted?.length ? [`Not deleted (stopped first): ${e.notDeleted.join(', ')}`] : []),
          ...failureLines(e.error),
        ];
      }
      if (e.nothingToDelete) return ['\n✔ Nothing to delete: no ecosystem is stale.'];
      if (e.dryRun) return [`\n✔ Dry run: ${plural(e.stale.length, 'stale ecosystem')} listed, nothing deleted. Run without --dry-run to delete ${e.stale.length === 1 ? 'it' : 'them'}.`];
      return [`\n✔ ${plural(e.deleted.length, 'stale ecosystem')} destroyed: ${e.deleted.join(', ')}; saves ~${perMonth(e.savesMonthly)}.`];
  }
}
