// Waiting for a stack to come to rest: someone else's operation, our own delete, and our own create or update.
import { AbortError } from '../../../core/errors.ts';
import type { DeployStackRequest } from '../../../ports/deploy.ts';
import type { Cfn } from './client.ts';
import { stackFailure } from './diagnose.ts';
import { EventStream } from './events.ts';
import { isBusy, type StackOps } from './stack-ops.ts';

const SUCCESS = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);

/** Waits (bounded) for an operation already running on the stack, e.g. from another terminal or CI. */
export async function settle(ops: StackOps, req: DeployStackRequest, stack: Cfn.Stack | undefined): Promise<Cfn.Stack | undefined> {
  const deadline = ops.now() + ops.settleTimeoutMs;
  let last = '';
  while (stack?.StackStatus && isBusy(stack.StackStatus)) {
    if (stack.StackStatus !== last) {
      last = stack.StackStatus;
      req.onProgress(`Stack ${req.stackName} is ${last} from an earlier operation; waiting for it to finish`);
    }
    if (ops.now() >= deadline) {
      throw new AbortError('STACK_BUSY', `Stack ${req.stackName} stayed ${last} for ${Math.round(ops.settleTimeoutMs / 60_000)} min; gave up waiting.`, {
        hint: `Watch it in the CloudFormation console (or aws cloudformation describe-stacks --stack-name ${req.stackName}${ops.regionFlag()}); deploy again once it has finished.`,
      });
    }
    await ops.pause(req);
    stack = await ops.describe(stack.StackId ?? req.stackName);
  }
  if (last && stack) req.onProgress(`Stack ${req.stackName} settled in ${stack.StackStatus}`);
  return stack;
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
        hint: `Delete the resources that block it, then: aws cloudformation delete-stack --stack-name ${req.stackName}${ops.regionFlag()}`,
      });
    }
    if (ops.now() >= deadline) throw ops.timeout(req.stackName, now.StackStatus ?? '');
    await ops.pause(req);
  }
}

/** Streams events until the stack reaches a terminal state; success returns the stack, failure throws. */
export async function follow(ops: StackOps, req: DeployStackRequest, stackId: string, events: EventStream, create: boolean): Promise<Cfn.Stack> {
  const deadline = ops.now() + ops.deployTimeoutMs;
  for (;;) {
    await events.poll();
    const stack = await ops.describe(stackId);
    const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
    if (!isBusy(status)) {
      await events.poll();
      if (stack && SUCCESS.has(status)) return stack;
      throw stackFailure(req.stackName, stack, status, events.emitted, create, ops.regionFlag());
    }
    if (ops.now() >= deadline) throw ops.timeout(req.stackName, status);
    await ops.pause(req);
  }
}
