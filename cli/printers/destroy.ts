// destroy's own lines for the plain printer: what will be deleted (before the confirmation), and the outcome.
import type { DestroyPlanEvent, DestroyResult } from '../destroy/result.ts';
import { failureLines } from './line.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The list a person reads before typing the ecosystem name: everything that goes, and what stays. */
export function inventoryLines(e: DestroyPlanEvent): string[] {
  if (e.nothing) return [`\nNothing of ecosystem ${e.ecosystem} exists here: nothing to delete.`];
  const out = [`\nThis deletes ecosystem ${e.ecosystem}:`];
  for (const s of e.stacks) {
    out.push(`  stack ${s.name} (${s.status}), ${plural(s.resources.length, 'resource')}:`);
    for (const r of s.resources) out.push(`      ${r.logicalId} (${r.resourceType})${r.physicalId ? ` ${r.physicalId}` : ''}`);
  }
  const d = e.domain;
  if (d?.certificate || d?.record) {
    // The stack's own: CloudFormation deletes them with it (the listener first, then the certificate it used).
    const what = [d.certificate ? `ACM certificate ${d.certificate} (DomainCertificate, requested for ${d.name})` : '', d.record ? `DNS record ${d.record} (DomainRecord, alias A to the load balancer${d.zoneId ? ` in zone ${d.zoneId}` : ''})` : ''].filter(Boolean);
    out.push(`  with the infra stack: ${what.join(' and ')}`);
  }
  if (d && !d.record) out.push(`  (no DNS record of ${d.name} in the stack: a record at your DNS provider stays; remove it there)`);
  if (e.repository && !e.repository.keep) out.push(`  ${plural(e.repository.images, 'image')} in repository ${e.repository.name}`);
  for (const c of e.certificates.filter((x) => x.action === 'delete')) out.push(`  certificate ${c.arn}${c.domain ? ` (${c.domain})` : ''}, imported by hello-deploy for ${e.ecosystem}, once nothing uses it`);
  if (e.answersFile) out.push(`  saved answers ${e.answersFile}`);
  if (e.kept.length) out.push('Kept:', ...e.kept.map((k) => `  ${k}`));
  if (e.saves) out.push(`Deleting it saves ~$${e.saves.monthly.toFixed(2)}/mo at ${plural(e.saves.tasks.low, 'task')} (up to $${e.saves.high.toFixed(2)}/mo at ${e.saves.tasks.high}; ${e.saves.architecture}; ${e.saves.basis})`);
  return out;
}

export function destroyLines(e: DestroyPlanEvent | DestroyResult): string[] {
  if (e.type === 'destroy-plan') return inventoryLines(e);
  const tail = [...(e.retained?.length ? ['Retained (left in the account, outside any stack):', ...e.retained.map((r) => `  ${r}`)] : []), ...(e.kept?.length ? ['Kept:', ...e.kept.map((k) => `  ${k}`)] : [])];
  if (!e.ok) return [...(e.deleted?.length ? ['Deleted before it stopped:', ...e.deleted.map((d) => `  ${d}`)] : []), ...tail, ...failureLines(e.error)];
  // The last step's verdict: proved empty, or only what the emulator keeps (the step's warning above names each).
  const gaps = (e.leftovers ?? []).filter((l) => l.emulatorGap).length;
  const check = e.verified ? [`✔ Nothing of ${e.ecosystem} is left.`] : gaps ? [`⚠ Nothing of ${e.ecosystem} is left but ${plural(gaps, 'resource')} the emulator's CloudFormation does not delete (above).`] : [];
  if (e.nothingToDelete) return [`\n✔ Nothing to delete: ecosystem ${e.ecosystem} does not exist here.`, ...check];
  return [`\n✔ Ecosystem ${e.ecosystem} destroyed.`, ...e.deleted.map((d) => `  deleted ${d}`), ...tail, ...check];
}
