// The deploy service: plan, run, and one closing `result` event. The command layer builds the context (validated
// options and real adapters); the wizard and the non-interactive front ends both call this, unchanged.
import type { Host } from '../core/host.ts';
import type { DeployEvent } from './result.ts';
import { planOf, runSteps } from '../core/runner.ts';
import { HelloDeployError, InterruptedError } from '../core/errors.ts';
import { deployPlan } from './plan.ts';
import { type DeployContext } from '../steps/context.ts';
import { stackNames } from '../domain/names.ts';
import { unpinnedImageWarning } from '../domain/image-ref.ts';
import type { CostEstimate } from '../domain/cost.ts';

export interface DeployOutcome {
  ok: boolean;
  url?: string;
  error?: HelloDeployError;
}

const STILL_MOVING = /_IN_PROGRESS$/;

/** `cost`: the estimate of what this deploy runs (cli/deploy/cost.ts), carried in the plan event when the command made one. */
export async function runDeploy(ctx: DeployContext, host: Host<DeployEvent>, signal: AbortSignal, extra: { cost?: CostEstimate } = {}): Promise<DeployOutcome> {
  const { options, state } = ctx;
  const steps = deployPlan(options);
  host.emit({ type: 'plan', ecosystem: options.ecosystem, region: options.region ?? 'default', steps: planOf(steps, ctx), ...(extra.cost ? { details: { cost: extra.cost } } : {}) });
  const unpinned = options.image === undefined ? undefined : unpinnedImageWarning(options.image);
  if (unpinned !== undefined) host.emit({ type: 'warn', message: unpinned });
  if (options.endpointUrl && options.deployMethod === 'direct') {
    host.emit({ type: 'info', message: 'Stacks are deployed with CreateStack/UpdateStack (direct), the default with --endpoint-url: emulators give no outputs on a CREATE change set. --deploy-method change-set uses change sets.' });
  }
  const summary = await runSteps(steps, ctx, host, signal);
  const names = stackNames(options.ecosystem);

  if (summary.ok && state.url && state.imageId) {
    host.emit({
      type: 'result',
      ok: true,
      url: state.url,
      stacks: names,
      image: state.imageId,
      created: { ...(state.infraOutputs ?? {}), ...(state.repository ? { RepositoryUri: state.repository.uri } : {}) },
      ...(options.domain ? { domain: options.domain.name } : {}),
    });
    return { ok: true, url: state.url };
  }

  let error = summary.failed?.error ?? new InterruptedError('The deployment stopped before it finished.');
  // After a failure or Ctrl-C, say what is still moving in AWS: CloudFormation carries on without us.
  const inProgress: string[] = [];
  for (const stack of new Set(state.stacksTouched)) {
    const status = await ctx.ports.stacks.describeStatus(stack).catch(() => undefined);
    if (status && STILL_MOVING.test(status)) inProgress.push(`${stack} (${status})`);
  }
  if (error instanceof InterruptedError && inProgress.length) {
    error = new InterruptedError(`Interrupted. Still in progress in AWS: ${inProgress.join(', ')}.`, {
      hint: `CloudFormation finishes these on its own. To cancel an update: aws cloudformation cancel-update-stack --stack-name <name>. To resume, run the same command again: it waits for the stack, then deploys.`,
    });
  }
  host.emit({ type: 'result', ok: false, error: error.toJSON(), ...(inProgress.length ? { inProgress } : {}) });
  return { ok: false, error };
}
