// destroy's service: plan, run the steps, and one closing `result` event: what was deleted, retained and kept, or
// the error and, after Ctrl-C or a timeout, what is still being deleted in AWS (a re-run resumes it).
import type { Host } from '../core/host.ts';
import { planOf, runSteps } from '../core/runner.ts';
import { InterruptedError, type HelloDeployError } from '../core/errors.ts';
import { stackNames } from '../domain/names.ts';
import type { DestroyContext } from './context.ts';
import { rerunCommand } from './options.ts';
import { destroySteps } from './plan.ts';
import type { DestroyEvent } from './result.ts';

export async function runDestroy(ctx: DestroyContext, host: Host<DestroyEvent>, signal: AbortSignal): Promise<{ ok: boolean; error?: HelloDeployError }> {
  const { options, state } = ctx;
  host.emit({ type: 'plan', ecosystem: options.ecosystem, region: options.region ?? 'default', steps: planOf(destroySteps, ctx) });
  const summary = await runSteps(destroySteps, ctx, host, signal);
  const tally = {
    ecosystem: options.ecosystem,
    deleted: state.deleted,
    retained: state.retained,
    kept: [...(state.inventory?.kept ?? []), ...state.kept],
    leftovers: state.leftovers ?? [],
    verified: state.verified === true,
  };
  if (summary.ok) {
    host.emit({ type: 'result', ok: true, ...tally, nothingToDelete: state.inventory?.nothing === true });
    return { ok: true };
  }
  let error = summary.failed?.error ?? new InterruptedError('destroy stopped before it finished.');
  const inProgress = error.code === 'INTERRUPTED' || error.code === 'STACK_TIMEOUT' ? await stillDeleting(ctx) : [];
  if (error.code === 'INTERRUPTED') {
    // CloudFormation goes on deleting without us; the person needs to know what, and that re-running picks it up.
    error = new InterruptedError(
      inProgress.length ? `Stopped waiting; still being deleted in AWS: ${inProgress.join(', ')}. Nothing else was started.` : `Stopped: ${error.message}`,
      { hint: `Run the same command again to resume (what is gone stays gone; a stack still deleting is waited for): ${rerunCommand(options)}` },
    );
  }
  host.emit({ type: 'result', ok: false, error: error.toJSON(), ...tally, inProgress });
  return { ok: false, error };
}

/** The stacks still DELETE_IN_PROGRESS (asked afresh, without the run's aborted signal). */
async function stillDeleting(ctx: DestroyContext): Promise<string[]> {
  const names = stackNames(ctx.options.ecosystem);
  const out: string[] = [];
  for (const name of [names.infra, names.ecr]) {
    const s = await ctx.ports.stacks.look(name).catch(() => undefined);
    if (s && s.status.endsWith('_IN_PROGRESS')) out.push(`${name} (${s.status})`);
  }
  return out;
}
