// rollback's own lines for the plain printer: which image it deploys instead of which, then the deploy's own lines
// (a rollback is a deploy of an earlier image: its progress and result read as a deploy's).
import type { DeployResult, RolloutEvent } from '../deploy/result.ts';
import type { RollbackChosen } from '../rollback/result.ts';
import { deployLines } from './deploy.ts';

export type RollbackOwnEvent = RollbackChosen | DeployResult | RolloutEvent;

export function rollbackLines(e: RollbackOwnEvent): string[] {
  if (e.type === 'result' || e.type === 'rollout') return deployLines(e);
  const what = e.chosenBy === 'to' ? 'the image --to named' : 'the image pushed before the running one';
  return [
    `Rolling back ${e.stack} to ${what}:`,
    `  now:     ${e.from}`,
    `  back to: ${e.to}${e.tags.length ? ` (tags ${e.tags.join(', ')})` : ''}${e.pushedAt ? `, pushed ${e.pushedAt}` : ''}`,
    `  kept:    alarm e-mail ${e.kept.email}, ${e.kept.domain ? `domain ${e.kept.domain} (its ACM certificate)` : `certificate ${e.kept.certificateArn}`}${e.kept.architecture ? `, ${e.kept.architecture}` : ''}`,
  ];
}
