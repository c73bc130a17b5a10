// A rehearsal's own lines for the plain printer: the fidelity report, and a closing result that says what was
// rehearsed (and that nothing was sent to AWS). Only `created` gets a ✔.
import { rolloutLine, type RolloutEvent } from '../domain/rollout.ts';
import { rolloutSummaryLine, type FidelityEvent, type FidelityMark, type FidelityReport, type RehearsalResult, type RehearsalSummary } from '../rehearsal/events.ts';
import { failureLines, secs } from './line.ts';

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
  if (f.rollout) lines.push(`  ${rolloutSummaryLine(f.rollout)}`);
  lines.push(`  Wall time: ${f.timings.map((t) => `${t.step} ${t.outcome === 'succeeded' ? secs(t.durationMs) : t.outcome}`).join(', ')}; total ${secs(f.totalMs)}`);
  return lines;
}

export function rehearsalLines(e: FidelityEvent | RehearsalResult | RolloutEvent): string[] {
  if (e.type === 'rollout') return [`  [${e.step}] ${rolloutLine(e)}`];
  if (e.type === 'fidelity') return fidelityLines(e);
  if (e.ok) {
    const r = e.rehearsal;
    const p = r.probes;
    const built = !r.skipped.some((s) => s.what === 'push-image');
    return [
      `\n✔ Rehearsal passed${p ? `: ${p.url} (${p.runtime}) answered "${p.root.body.trim()}", ${p.health.path} ${p.health.status}, certificate fingerprint matches` : ''}`,
      ...(r.loadBalancer ? [`  through the load balancer: ${r.loadBalancer.url} (HAProxy for the listener's ${r.loadBalancer.port.template}, ${r.loadBalancer.sslPolicy}${r.loadBalancer.servername ? `, SNI and Host ${r.loadBalancer.servername}` : ''}): / and ${r.loadBalancer.health.path} answered, listener certificate served, TLS 1.1 and plain HTTP refused; timings scaled by ${r.loadBalancer.timeScale}`] : []),
      `  stacks (in the emulator): ${e.stacks.ecr}, ${e.stacks.infra}`,
      `  image: ${e.image}${built ? '' : ' (never built or pushed: no Docker engine)'}`,
      ...closingLines(r),
    ];
  }
  // Refused before it started (bad flags): nothing ran, so there is nothing to summarise.
  if (!e.rehearsal) return failureLines(e.error);
  return [`\n✘ Rehearsal failed: ${e.error.message}`, ...(e.error.hint ? [`  hint: ${e.error.hint}`] : []), ...closingLines(e.rehearsal)];
}

function closingLines(r: RehearsalSummary): string[] {
  const lines: string[] = [];
  if (r.kept) {
    lines.push('  Left running (--keep):');
    for (const s of r.started) lines.push(`    ${s.what}${s.endpoint ? ` ${s.endpoint}` : ''}${s.pid ? ` pid ${s.pid}` : ''} — stop: ${s.stop}`);
    if (r.workDir) lines.push(`    folder ${r.workDir} — remove: rm -rf ${r.workDir}`);
  }
  lines.push('  Nothing was sent to AWS: every call went to the emulator, with fake credentials.');
  return lines;
}
