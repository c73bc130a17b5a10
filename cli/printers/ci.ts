// ci init's lines for the plain printer: what it wrote, the repository variables the workflow reads, what next.
import type { CiInitResult } from '../ci/result.ts';
import { shown } from '../domain/shown.ts';
import { failureLines } from './line.ts';

export function ciInitLines(e: CiInitResult): string[] {
  if (!e.ok) return failureLines(e.error);
  return [
    `✔ ${e.action === 'replaced' ? 'Replaced' : 'Wrote'} ${shown(e.path, 200)} (${e.provider}).`,
    ...(e.roleArn ? [`  It assumes ${e.roleArn}.`] : []),
    ...(e.role && e.roleArn ? [`  Written into the workflow's credential step: role-to-assume: ${e.roleArn}`] : []),
    ...(e.role ? [`  The role is stack ${e.role.stackName}${e.role.providerCreated ? ", which also holds the account's GitHub OIDC provider" : " (the account's GitHub OIDC provider already existed)"}.`] : []),
    'The workflow reads these repository variables:',
    ...e.variables.map((v) => `  ${v.name}: ${v.why}`),
    'Next:',
    ...e.next.map((n, i) => `  ${i + 1}. ${n}`),
  ];
}
