// Plain lines for a rehearsal: the deploy's line printer for every step event, plus the fidelity report and a
// closing result that says what was rehearsed (and that nothing was sent to AWS). Only `created` gets a ✔.
import type { EngineEvent, FidelityMark, FidelityReport } from '../core/events.ts';
import { linePrinter } from './line.ts';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

const HEADINGS: Record<FidelityMark, string> = {
  created: '✔ created in the emulator',
  partial: '◐ partially emulated',
  'not-emulated': '✘ not emulated (the emulator skipped it)',
  'static-only': '· checked statically only (ValidateTemplate, cfn-lint)',
  'not-checked': '✘ not checked at all',
};

export function fidelityLines(f: FidelityReport): string[] {
  const lines: string[] = [];
  const e = f.emulator;
  lines.push(`\nFidelity report${e ? ` (${e.engine}${e.version ? ` ${e.version}` : ''} at ${e.endpoint})` : ''}: ${f.resources.length} resources in both templates`);
  for (const mark of Object.keys(HEADINGS) as FidelityMark[]) {
    const rs = f.resources.filter((r) => r.mark === mark);
    if (!rs.length) continue;
    lines.push(`  ${HEADINGS[mark]}: ${rs.length}`);
    if (mark === 'created') lines.push(`    ${rs.map((r) => r.logicalId).join(', ')}`);
    else for (const r of rs) lines.push(`    ${r.logicalId} (${r.resourceType})${r.detail ? `: ${r.detail}` : ''}`);
  }
  if (f.notRehearsed.length) {
    lines.push('  Not rehearsed:');
    for (const n of f.notRehearsed) lines.push(`    - ${n.what}: ${n.reason}`);
  }
  lines.push(`  Wall time: ${f.timings.map((t) => `${t.step} ${t.outcome === 'succeeded' ? secs(t.durationMs) : t.outcome}`).join(', ')}; total ${secs(f.totalMs)}`);
  return lines;
}

export function rehearsalLinePrinter(write: (s: string) => void = (s) => process.stdout.write(s)): (e: EngineEvent) => void {
  const base = linePrinter(write);
  const out = (s: string) => write(`${s}\n`);
  return (e) => {
    if (e.type === 'fidelity') {
      for (const l of fidelityLines(e)) out(l);
      return;
    }
    if (e.type === 'result' && e.rehearsal) {
      const r = e.rehearsal;
      if (e.ok) {
        const p = r.probes;
        out(`\n✔ Rehearsal passed${p ? `: ${p.url} (${p.runtime}) answered "${p.root.body.trim()}", ${p.health.path} ${p.health.status}, certificate fingerprint matches` : ''}`);
        out(`  stacks (in the emulator): ${e.stacks.ecr}, ${e.stacks.infra}`);
        const built = !r.skipped.some((s) => s.what === 'push-image');
        out(`  image: ${e.image}${built ? '' : ' (never built or pushed: no Docker engine)'}`);
      } else {
        out(`\n✘ Rehearsal failed: ${e.error.message}`);
        if (e.error.hint) out(`  hint: ${e.error.hint}`);
      }
      if (r.kept) {
        out('  Left running (--keep):');
        for (const s of r.started) out(`    ${s.what}${s.endpoint ? ` ${s.endpoint}` : ''}${s.pid ? ` pid ${s.pid}` : ''} — stop: ${s.stop}`);
        if (r.workDir) out(`    folder ${r.workDir} — remove: rm -rf ${r.workDir}`);
      }
      out('  Nothing was sent to AWS: every call went to the emulator, with fake credentials.');
      return;
    }
    base(e);
  };
}
