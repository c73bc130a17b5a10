// Waiting for a stack to come to rest: someone else's operation, our own delete, and our own create or update.
import { AbortError } from '../../../core/errors.ts';
import type { DeployStackRequest } from '../../../ports/deploy.ts';
import type { Cfn } from './client.ts';
import { stackFailure } from './diagnose.ts';
import { EventStream } from './events.ts';
import { elapsed, isBusy, type StackOps } from './stack-ops.ts';

const SUCCESS = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);

/**
 * Waits (bounded) for an operation already running on the stack, e.g. another deploy from another terminal or CI.
 * Every poll reports the status, what is still in progress and the time waited, so a long wait is never silent.
 */
export async function settle(ops: StackOps, req: DeployStackRequest, stack: Cfn.Stack | undefined): Promise<Cfn.Stack | undefined> {
  const started = ops.now();
  const deadline = started + ops.settleTimeoutMs;
  let last = '';
  while (stack?.StackStatus && isBusy(stack.StackStatus)) {
    last = stack.StackStatus;
    const busy = await inProgress(ops, stack.StackId ?? req.stackName);
    const waited = ops.now() - started;
    req.onProgress(
      `Stack ${req.stackName} is ${last} from another operation (another deploy, or someone else changing it); waiting for it to finish ` +
        `before deploying: ${elapsed(waited)} of at most ${elapsed(ops.settleTimeoutMs)}${busy ? `; in progress: ${busy}` : ''}`,
    );
    if (ops.now() >= deadline) {
      throw new AbortError('STACK_BUSY', `Stack ${req.stackName} stayed ${last} for ${elapsed(ops.now() - started)}; gave up waiting${busy ? ` (still in progress: ${busy})` : ''}.`, {
        hint: `Follow it with ${ops.watchHint(req.stackName)}; deploy again once it has finished.`,
      });
    }
    await ops.pause(req);
    stack = await ops.describe(stack.StackId ?? req.stackName);
  }
  if (last && stack) req.onProgress(`Stack ${req.stackName} settled in ${stack.StackStatus} after ${elapsed(ops.now() - started)}`);
  return stack;
}

const SHOWN = 5;

/** `Service (AWS::ECS::Service) UPDATE_IN_PROGRESS, … and 3 more`; '' when none (or when the list is unavailable). */
async function inProgress(ops: StackOps, stackRef: string): Promise<string> {
  let resources: Cfn.StackResource[];
  try {
    const out = await ops.api.send<Cfn.DescribeStackResourcesCommandOutput>('DescribeStackResources', (s) => new s.DescribeStackResourcesCommand({ StackName: stackRef }));
    resources = out.StackResources ?? [];
  } catch {
    // Only a progress detail: the next DescribeStacks reports a real failure (the endpoint, the credentials).
    return '';
  }
  const busy = resources.filter((r) => r.ResourceStatus?.endsWith('_IN_PROGRESS')).map((r) => `${r.LogicalResourceId} (${r.ResourceType}) ${r.ResourceStatus}`);
  const more = busy.length - SHOWN;
  return busy.slice(0, SHOWN).join(', ') + (more > 0 ? ` and ${more} more` : '');
}

/** Deletes a stack that cannot be deployed over (a failed create, an idle change-set stack) and waits until it is gone. */
export async function deleteAndWait(ops: StackOps, req: DeployStackRequest, stack: Cfn.Stack): Promise<void> {
  const stackId = stack.StackId ?? req.stackName;
  const events = new EventStream(ops.api, req.onEvent);
  await events.prime(stack.StackId);
  req.onProgress(`Deleting stack ${req.stackName} (${stack.StackStatus})`);
  await ops.api.send('DeleteStack', (s) => new s.DeleteStackCommand({ StackName: stackId }));
  const deadline = ops.now() + ops.deployTimeoutMs;
  for (;;) {
    await events.poll();
    // By ID, so a deleted stack reads DELETE_COMPLETE instead of "does not exist" (describe() maps both to absent).
    const now = await ops.describe(stackId);
    if (now === undefined) {
      await events.poll();
      return;
    }
    if (now.StackStatus === 'DELETE_FAILED') {
      throw new AbortError('STACK_DELETE_FAILED', `Stack ${req.stackName} could not be deleted: ${now.StackStatusReason ?? 'DELETE_FAILED'}`, {
        hint: `Delete the resources that block it, then: aws cloudformation delete-stack --stack-name ${req.stackName}${ops.cliFlags()}`,
      });
    }
    if (ops.now() >= deadline) throw ops.timeout(req.stackName, now.StackStatus ?? '');
    await ops.pause(req);
  }
}

/** Streams events until the stack reaches a terminal state; success returns the stack, failure throws. */
export async function follow(ops: StackOps, req: DeployStackRequest, stackId: string, events: EventStream, create: boolean): Promise<Cfn.Stack> {
  const timeoutMs = req.timeoutMs ?? ops.deployTimeoutMs;
  const deadline = ops.now() + timeoutMs;
  for (;;) {
    await events.poll();
    const stack = await ops.describe(stackId);
    const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
    if (!isBusy(status)) {
      await events.poll();
      if (stack && SUCCESS.has(status)) return stack;
      throw stackFailure(req.stackName, stack, status, events.emitted, create, ops.cliFlags());
    }
    if (ops.now() >= deadline) throw ops.timeout(req.stackName, status, timeoutMs, await inProgress(ops, stackId));
    await ops.pause(req);
  }
}
