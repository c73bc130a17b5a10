// The write half of the job summary (the markdown is cli/deploy/summary.ts): appended to the file GitHub Actions
// names in $GITHUB_STEP_SUMMARY, when it names one
// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#adding-a-job-summary).
import { appendFile } from 'node:fs/promises';
import type { DeployResult } from '../deploy/result.ts';
import { stepSummary, type SummaryContext } from '../deploy/summary.ts';
import { shown } from '../domain/shown.ts';

export async function appendStepSummary(result: DeployResult, ctx: SummaryContext, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    await appendFile(file, stepSummary(result, ctx));
  } catch (e) {
    // The deploy itself is done: a summary that cannot be written is said, and changes nothing about the exit code.
    process.stderr.write(`⚠ could not append the job summary to ${shown(file)}: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}
