// Plain lines for scripts and CI logs: one line per event, prefixed by the step, no colours, no cursor tricks.
import type { EngineEvent, StepId } from '../core/events.ts';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function linePrinter(write: (s: string) => void = (s) => process.stdout.write(s)): (e: EngineEvent) => void {
  const titles = new Map<StepId, string>();
  const out = (s: string) => write(`${s}\n`);
  return (e) => {
    switch (e.type) {
      case 'plan':
        out(`hello-deploy: ecosystem ${e.ecosystem}, region ${e.region}, ${e.steps.length} steps`);
        e.steps.forEach((s, i) => { titles.set(s.id, s.title); out(`  ${i + 1}. ${s.title}: ${s.description}`); });
        break;
      case 'step-start':
        out(`▶ ${e.title}`);
        break;
      case 'step-progress':
        out(`  [${e.step}] ${e.message}${e.total ? ` (${e.current ?? 0}/${e.total})` : ''}`);
        break;
      case 'log':
        out(`  [${e.step}] │ ${e.line}`);
        break;
      case 'info':
        out(`  ${e.step ? `[${e.step}] ` : ''}${e.message}`);
        break;
      case 'warn':
        out(`  ⚠ ${e.step ? `[${e.step}] ` : ''}${e.message}`);
        break;
      case 'stack-event':
        out(`  [${e.step}] ${e.stack} ${e.logicalId} ${e.resourceType} ${e.status}${e.reason ? `: ${e.reason}` : ''}`);
        break;
      case 'change-set':
        out(`  [${e.step}] change set for ${e.stack}: ${e.changes.length} change(s)`);
        for (const c of e.changes) out(`    ${c.action.padEnd(7)} ${c.logicalId} (${c.resourceType})${c.replacement && c.replacement !== 'False' ? ` replacement: ${c.replacement}` : ''}`);
        break;
      case 'question':
        out(`  ? ${e.message} → ${String(e.answer)}${e.answeredBy === 'default' ? ' (default, non-interactive)' : ''}`);
        break;
      case 'step-succeeded':
        out(`✔ ${titles.get(e.step) ?? e.step} (${secs(e.durationMs)})${e.summary ? `: ${e.summary}` : ''}`);
        break;
      case 'step-skipped':
        out(`- ${titles.get(e.step) ?? e.step}: skipped, ${e.reason}`);
        break;
      case 'step-failed':
        out(`✘ ${titles.get(e.step) ?? e.step} (${secs(e.durationMs)}): ${e.error.message}`);
        if (e.error.hint) out(`  hint: ${e.error.hint}`);
        break;
      case 'result':
        if (e.ok) {
          out(`\n✔ Deployed: ${e.url}`);
          out(`  stacks: ${e.stacks.ecr}, ${e.stacks.infra}`);
          out(`  image:  ${e.image}`);
          out('  Confirm the SNS subscription e-mail to receive CPU alarms.');
        } else {
          out(`\n✘ ${e.error.message}`);
          if (e.error.hint) out(`  hint: ${e.error.hint}`);
          for (const s of e.inProgress ?? []) out(`  still in progress: ${s}`);
        }
        break;
    }
  };
}
