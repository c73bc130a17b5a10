// The markdown a deploy appends to GitHub Actions' job summary ($GITHUB_STEP_SUMMARY) when that variable is set:
// the URL, the image digest, the stacks and the monthly cost estimate, from the deploy's own result. Pure; the
// command writes it. Every value is escaped, so a branch or an output cannot add markdown or HTML of its own.
import type { CpuArchitecture } from '../domain/architecture.ts';
import { costSummary, type CostEstimate } from '../domain/cost.ts';
import { escapeInvisible } from '../domain/shown.ts';
import type { DeployResult } from './result.ts';

/** Markdown-inert text: each punctuation mark markdown or HTML could read is backslash-escaped, and no line breaks. */
export function escapeMarkdown(text: string): string {
  return escapeInvisible(text.replace(/[\r\n]+/g, ' ')).replace(/[\\`*_{}[\]()#+\-.!|<>~&"']/g, (c) => `\\${c}`);
}

export interface SummaryContext {
  ecosystem: string;
  region?: string;
  architecture: CpuArchitecture;
  /** The deploy's estimate (cli/deploy/cost.ts); the row is left out without one. */
  cost?: CostEstimate;
}

const perLine = (c: CostEstimate, key: string) => `$${(c.lines.find((l) => l.key === key)?.monthly ?? 0).toFixed(2)}/mo`;

export function stepSummary(r: DeployResult, ctx: SummaryContext): string {
  const eco = escapeMarkdown(ctx.ecosystem);
  if (!r.ok) {
    return [
      `### ✘ hello-deploy: ecosystem ${eco} not deployed`,
      '',
      `**${escapeMarkdown(r.error.code)}**: ${escapeMarkdown(r.error.message)}`,
      ...(r.error.hint ? ['', escapeMarkdown(r.error.hint)] : []),
      ...(r.inProgress?.length ? ['', `Still in progress: ${r.inProgress.map(escapeMarkdown).join(', ')}`] : []),
      '',
    ].join('\n');
  }
  const cost = ctx.cost;
  const at = r.image.lastIndexOf('@');
  const digest = at === -1 ? undefined : r.image.slice(at + 1);
  const row = (what: string, value: string) => `| ${what} | ${value} |`;
  return [
    `### ✔ hello-deploy: ecosystem ${eco} deployed${ctx.region ? ` in ${escapeMarkdown(ctx.region)}` : ''}`,
    '',
    '| | |',
    '|---|---|',
    // A plain URL becomes a link (<…> is markdown's autolink); anything else stays escaped text.
    row('URL', /^https?:\/\/[A-Za-z0-9.:/-]+$/.test(r.url) ? `<${r.url}>` : escapeMarkdown(r.url)),
    row('image', escapeMarkdown(at === -1 ? r.image : r.image.slice(0, at))),
    row('digest', digest ? escapeMarkdown(digest) : 'not pinned by digest'),
    row('ECR stack', escapeMarkdown(r.stacks.ecr)),
    row('infra stack', escapeMarkdown(r.stacks.infra)),
    ...(cost ? [row('cost', `about ${escapeMarkdown(costSummary(cost))}, ${escapeMarkdown(cost.architecture)}, public IPv4 ${escapeMarkdown(perLine(cost, 'ipv4'))} (${escapeMarkdown(cost.basis)}; without ${escapeMarkdown(cost.excludes)})`)] : []),
    '',
  ].join('\n');
}
