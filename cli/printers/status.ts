// status's plain screen: what was read, section by section, with what an emulator does not report said so rather
// than invented; warnings; then the verdict as the last line (stdout when healthy, stderr with the first reason
// when not). Under --watch on a terminal each refresh redraws the screen in place; elsewhere each is preceded by a
// timestamp line.
import type { StatusAllEvent, StatusEvent, StatusOutput, StatusResult } from '../status/result.ts';
import { perMonth } from '../domain/cost.ts';
import { costLines } from './cost.ts';
import type { EngineEvent } from '../core/events.ts';
import { failureLines } from './line.ts';
import { escapeInvisible } from '../domain/shown.ts';

const GAP = 'not reported by the emulator';
const when = (iso: string | undefined) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '?');
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const label = (s: string) => `  ${s.padEnd(12)} `;
const indent = ' '.repeat(15);

/** ACM-managed (--domain) or imported: only the first renews itself. */
function certificateKind(c: NonNullable<StatusEvent['certificate']>): string {
  if (c.type === 'AMAZON_ISSUED') return `, ACM-managed: renews automatically${c.renewalEligibility ? ` (renewal ${c.renewalEligibility}${c.renewalStatus ? `, ${c.renewalStatus}` : ''})` : ''}`;
  if (c.type === 'IMPORTED') return ', imported (never renews: rotate it before it expires)';
  return '';
}

export function statusScreen(e: StatusEvent): string[] {
  const gap = (onAws: string) => (e.emulator ? GAP : onAws);
  const out: string[] = [`hello-deploy status: ecosystem ${e.ecosystem}, ${e.region}${e.emulator ? ' (an emulator)' : ''}, read at ${when(e.at)}`];
  out.push(`${label('URL')}${e.url ?? (e.stacks.infra ? 'no ServiceUrl output' : 'none (no infra stack)')}`);
  const stacks = [e.stacks.infra, e.stacks.ecr].filter((s) => s !== undefined);
  stacks.forEach((s, i) => out.push(`${i === 0 ? label('Stacks') : indent}${s.name} ${s.status}${s.reason ? ` (${s.reason})` : ''}, last change ${when(s.updatedAt)}`));
  if (e.image) out.push(`${label('Image')}${e.image}${e.architecture ? ` (${e.architecture})` : ''}`);
  const svc = e.service;
  if (svc) {
    out.push(`${label('Service')}${svc.name} ${svc.status}: ${svc.running} of ${svc.desired} running, ${svc.pending} pending; task definition ${svc.taskDefinition.split('/').pop()}`);
    for (const d of svc.deployments)
      out.push(`${indent}deployment ${d.status}: rollout ${d.rolloutState ?? gap('state not given')}${d.rolloutStateReason ? ` (${d.rolloutStateReason})` : ''}; ${d.desired} desired, ${d.running} running, ${d.pending} pending, ${d.failedTasks} failed; ${d.taskDefinition.split('/').pop()}`);
    const digests = e.runningDigests ?? [];
    out.push(`${indent}running image digest: ${digests.length ? digests.join(', ') : e.runningTasks ? gap('not reported by ECS yet') : `no running task${e.emulator ? ` (${GAP}: it runs no tasks)` : ''}`}`);
    if (svc.events.length) {
      out.push(`${label('Events')}${when(svc.events[0]!.at)} ${svc.events[0]!.message}`);
      for (const ev of svc.events.slice(1)) out.push(`${indent}${when(ev.at)} ${ev.message}`);
    } else out.push(`${label('Events')}${gap('none')}`);
  } else out.push(`${label('Service')}${e.unread.some((u) => u.what === 'service') ? 'could not be read (below)' : 'not found'}`);
  if (e.stopped) out.push(`${label('Stopped')}${e.stopped.length ? e.stopped.map((g) => `${g.count} × ${g.reason} (last ${when(g.lastAt)}; ${g.tasks.join(', ')})`).join(`\n${indent}`) : 'none recently'}`);
  if (e.targets) out.push(`${label('Targets')}${e.targets.length ? e.targets.map((t) => `${t.id}${t.port ? `:${t.port}` : ''} ${t.state}${t.reason ? ` (${t.reason})` : ''}`).join(`\n${indent}`) : `none registered${e.emulator ? ` (${GAP}: it runs no tasks)` : ''}`}`);
  else if (!e.unread.some((u) => u.what === 'target health')) out.push(`${label('Targets')}${gap('no target group')}`);
  if (e.alarm) out.push(`${label('Alarm')}${e.alarm.name} ${e.alarm.state}${e.alarm.reason ? `: ${e.alarm.reason}` : ''}`);
  else if (!e.unread.some((u) => u.what === 'alarm')) out.push(`${label('Alarm')}${gap('no alarm found')}`);
  if (e.subscriptions) out.push(`${label('Alarm e-mail')}${e.subscriptions.length ? e.subscriptions.map((s) => `${s.endpoint} (${s.protocol}) ${s.pending ? '⚠ PendingConfirmation' : 'confirmed'}`).join(`\n${indent}`) : gap('no subscription')}`);
  else if (!e.unread.some((u) => u.what.includes('subscriptions'))) out.push(`${label('Alarm e-mail')}${gap('no alarm topic')}`);
  const c = e.certificate;
  if (c) out.push(`${label('Certificate')}${c.domain ?? c.arn}${c.status ? ` ${c.status}` : ''}${certificateKind(c)}${c.notAfter ? `, ${c.type === 'AMAZON_ISSUED' ? 'valid until' : 'expires'} ${c.notAfter.slice(0, 10)} (${c.daysLeft! < 0 ? 'expired' : `in ${plural(c.daysLeft!, 'day')}`})` : ''}`);
  const r = e.record;
  if (r) out.push(`${label('DNS record')}${r.zoneId ? `${r.name} A (alias) → ${r.target ?? 'the load balancer'} (zone ${r.zoneId})` : `${r.name}: no Route 53 zone, the record is at your DNS provider (a CNAME to the load balancer)`}`);
  // On an emulator nothing is billed: the figure is what the same resources would cost on AWS.
  if (e.cost) out.push(...costLines(e.cost, e.emulator).map((l, i) => (i === 0 ? `${label('Cost')}${l}` : `${indent}${l}`)));
  for (const u of e.unread) out.push(`  ✘ could not read the ${u.what}: ${u.reason}`);
  for (const w of e.verdict.warnings) if (!w.startsWith('could not read')) out.push(`  ⚠ ${w}`);
  return out;
}

export function statusAllScreen(e: StatusAllEvent): string[] {
  const out = [`hello-deploy status --all: ${plural(e.ecosystems.length, 'ecosystem')} of hello-deploy in ${e.region}${e.emulator ? ' (an emulator)' : ''}, read at ${when(e.at)}`];
  if (!e.ecosystems.length) return [...out, '  none'];
  const rows = e.ecosystems.map((r) => [r.ecosystem, r.state, r.ageDays === undefined ? '?' : `${r.ageDays}d`, r.monthly === undefined ? (r.unread ? 'unread' : '-') : `~${perMonth(r.monthly)}`, r.cost ? `${r.cost.tasks.expected} (${r.cost.tasks.low}–${r.cost.tasks.high}) ${r.cost.architecture}` : '-', r.cost?.ipv4Monthly !== undefined ? perMonth(r.cost.ipv4Monthly) : '-', r.branch ?? '-', r.url ?? '-', r.image ?? '-']);
  const head = ['ECOSYSTEM', 'STATE', 'AGE', 'COST', 'TASKS', 'IPV4', 'BRANCH', 'URL', 'IMAGE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`;
  const priced = e.ecosystems.filter((r) => r.monthly !== undefined).length;
  const total = `${plural(priced, 'ecosystem')} cost ~${perMonth(e.totalMonthly).replace('/mo', '/month')}${e.branchGone ? `; ${e.branchGone} of them ${e.branchGone === 1 ? "has" : "have"} no branch on origin any more (as of the last fetch; destroy --stale deletes them)` : ''}${e.noBranch ? `; ${e.noBranch} record no git branch` : ''}`;
  // An estimate of this checkout's template, not the deployed one, is named: another branch may run another template.
  const onCheckout = e.ecosystems.filter((r) => r.pricedOnCheckout !== undefined).map((r) => `${r.ecosystem} (${escapeInvisible(r.pricedOnCheckout!)})`);
  const checkoutNote = onCheckout.length ? [`  ⚠ priced on this checkout's infra template, the deployed one could not be read: ${onCheckout.join('; ')}`] : [];
  return [...out, line(head), ...rows.map(line), `  ${total}`, `  cost: ${e.costBasis}, for each ecosystem's desired task count and deployed template`, ...checkoutNote];
}

function resultLines(e: StatusResult): string[] {
  if (e.ok) return [`✔ ${e.all ? 'every ecosystem is settled' : `ecosystem ${e.ecosystem} is healthy`}${e.warnings.length ? ` (${plural(e.warnings.length, 'warning')} above)` : ''}`];
  if (e.error.code !== 'ECOSYSTEM_UNHEALTHY') return failureLines(e.error);
  // The verdict is the last line: the other reasons and the hint come first.
  return ['', ...(e.reasons ?? []).slice(1).map((r) => `  also: ${r}`), ...(e.error.hint ? [`  hint: ${e.error.hint}`] : []), `✘ ${e.error.message}`];
}

/** The plain lines of status's own events. `watch`: a refresh redraws in place on a terminal, else gets a timestamp line. */
export function statusLines(opts: { watchSeconds?: number; tty: boolean } = { tty: false }) {
  let first = true;
  return (e: Exclude<StatusOutput, EngineEvent>): string[] => {
    if (e.type === 'result') return resultLines(e);
    const lines = e.type === 'status' ? statusScreen(e) : statusAllScreen(e);
    if (opts.watchSeconds === undefined) return lines;
    const lead = opts.tty ? '\x1b[H\x1b[2J' : first ? '' : `\n--- refreshed at ${when(e.at)} ---`;
    first = false;
    return opts.tty ? [`${lead}${lines[0]}`, ...lines.slice(1), `  (refreshed every ${plural(opts.watchSeconds, 'second')}; Ctrl-C ends with the last verdict)`] : [...(lead ? [lead] : []), ...lines];
  };
}
