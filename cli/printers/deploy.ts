// A deploy's own lines for the plain printer: how its result reads.
import type { DeployResult, RolloutEvent } from '../deploy/result.ts';
import { rolloutLine } from '../domain/rollout.ts';
import { failureLines } from './line.ts';
import type { CostEstimate } from '../domain/cost.ts';
import { costLines } from './cost.ts';

/** The plan's cost estimate (cli/deploy/cost.ts), under the steps: what the deploy will cost once it runs. */
export function deployPlanDetails(details: Readonly<Record<string, unknown>>): string[] {
  const cost = details['cost'] as CostEstimate | undefined;
  return cost ? costLines(cost, false, 'once deployed').map((l, i) => (i === 0 ? `  cost: ${l}` : `    ${l}`)) : [];
}

export function deployLines(e: DeployResult | RolloutEvent): string[] {
  if (e.type === 'rollout') return [`  [${e.step}] ${rolloutLine(e)}`];
  if (!e.ok) return [...failureLines(e.error), ...(e.inProgress ?? []).map((s) => `  still in progress: ${s}`)];
  return [
    `\n✔ Deployed: ${e.url}`,
    `  stacks: ${e.stacks.ecr}, ${e.stacks.infra}`,
    `  image:  ${e.image}`,
    ...(e.domain ? [`  certificate: trusted, ACM-managed for ${e.domain}; it renews automatically (no -k needed)`] : []),
    '  Confirm the SNS subscription e-mail to receive CPU alarms.',
  ];
}
