// destroy's side of the stack adapter: what a stack holds (to name it before deleting), and deleting it with live
// progress until it is gone. A stack already DELETE_IN_PROGRESS (an earlier, interrupted destroy) is waited for,
// not deleted again, so re-running resumes. DELETE_FAILED is returned with each failed resource and its reason, for
// the caller to retry or retain; only a wait that outlasts the request's timeout throws (STACK_TIMEOUT).
import { AbortError } from '../../../core/errors.ts';
import type { StackEventInfo } from '../../../ports/deploy.ts';
import type { FailedResource, StackDeleteOutcome, StackDeleteRequest, StackResourceView, StackView } from '../../../ports/destroy.ts';
import type { Cfn } from './client.ts';
import { EventStream } from './events.ts';
import { sdkErrorFacts } from '../errors.ts';
import { elapsed, isBusy, outputsOf, type StackOps } from './stack-ops.ts';

const STACK_TYPE = 'AWS::CloudFormation::Stack';

async function resourcesOf(ops: StackOps, stackRef: string): Promise<Cfn.StackResource[]> {
  const out = await ops.api.send<Cfn.DescribeStackResourcesCommandOutput>('DescribeStackResources', (s) => new s.DescribeStackResourcesCommand({ StackName: stackRef }));
  return out.StackResources ?? [];
}

function view(r: Cfn.StackResource): StackResourceView {
  return { logicalId: r.LogicalResourceId ?? '', resourceType: r.ResourceType ?? '', status: r.ResourceStatus ?? '', ...(r.PhysicalResourceId ? { physicalId: r.PhysicalResourceId } : {}) };
}

export async function lookStack(ops: StackOps, stackName: string): Promise<StackView | undefined> {
  const stack = await ops.describe(stackName);
  if (!stack) return undefined;
  const id = stack.StackId ?? stackName;
  return {
    name: stack.StackName ?? stackName,
    id,
    status: stack.StackStatus ?? '',
    parameters: Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? ''])),
    tags: Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    outputs: outputsOf(stack),
    // moto lists some resources with no logical id (its scaling target and policy, subscription, alarm): nameless.
    resources: (await resourcesOf(ops, id)).filter((r) => r.LogicalResourceId).map(view),
  };
}

/** Each resource's latest status in this operation's events (the stack's own line left out). */
function latest(events: StackEventInfo[], stackName: string): Map<string, StackEventInfo> {
  const out = new Map<string, StackEventInfo>();
  for (const e of events) if (!(e.resourceType === STACK_TYPE && e.logicalId === stackName)) out.set(e.logicalId, e);
  return out;
}

export async function deleteStack(ops: StackOps, req: StackDeleteRequest): Promise<StackDeleteOutcome> {
  let stack = await ops.describe(req.stackName);
  if (!stack) return { status: 'absent' };
  // By ID from here on: a deleted stack then reads DELETE_COMPLETE instead of "does not exist".
  const stackId = stack.StackId ?? req.stackName;
  const started = ops.now();
  const deadline = started + req.timeoutMs;
  const events = new EventStream(ops.api, req.onEvent);
  await events.prime(stack.StackId);

  // Another operation (an update, a rollback) must end before CloudFormation takes a delete.
  while (stack && isBusy(stack.StackStatus ?? '') && stack.StackStatus !== 'DELETE_IN_PROGRESS') {
    req.onProgress(`Stack ${req.stackName} is ${stack.StackStatus} from another operation; waiting for it to end before deleting it (${elapsed(ops.now() - started)})`);
    if (ops.now() >= deadline) throw timeout(ops, req, stack.StackStatus ?? '', []);
    await ops.pause(req);
    stack = await ops.describe(stackId);
  }
  if (!stack) return { status: 'absent' };
  const total = (await resourcesOf(ops, stackId)).length;
  const resumed = stack.StackStatus === 'DELETE_IN_PROGRESS';
  let retained: FailedResource[] = [];
  if (resumed) {
    req.onProgress(`Stack ${req.stackName} is already being deleted (an earlier run, or someone else); waiting until it is gone`);
  } else {
    if (stack.StackStatus === 'DELETE_FAILED' && req.retain?.length) {
      // RetainResources is accepted only for a stack in DELETE_FAILED, and names resources that failed to delete
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStack.html).
      retained = (await failedResources(ops, stackId, [])).filter((r) => req.retain!.includes(r.logicalId));
    }
    const retain = retained.map((r) => r.logicalId);
    req.onProgress(`Deleting stack ${req.stackName}${retain.length ? `, retaining ${retain.join(', ')}` : ''}`);
    try {
      await ops.api.send('DeleteStack', (s) => new s.DeleteStackCommand({ StackName: stackId, ...(retain.length ? { RetainResources: retain } : {}) }));
    } catch (err) {
      // moto 5 deletes in the DeleteStack call itself and answers a resource's failure as the call's error, with
      // the stack already gone (measured: DependencyViolation on the VPC). What counts is whether the stack is.
      if (ops.api.operationOf(err) !== 'DeleteStack' || (await ops.describe(stackId)) !== undefined) throw err;
      const warning = `DeleteStack answered an error, yet stack ${req.stackName} is gone: ${sdkErrorFacts(err).message}`;
      return { status: 'deleted', resumed, resources: total, retained, warning };
    }
  }
  for (;;) {
    await events.poll();
    const now = await ops.describe(stackId);
    if (now === undefined) {
      await events.poll();
      return { status: 'deleted', resumed, resources: total, retained };
    }
    if (now.StackStatus === 'DELETE_FAILED') {
      await events.poll();
      return { status: 'failed', ...(now.StackStatusReason ? { reason: now.StackStatusReason } : {}), failed: await failedResources(ops, stackId, events.emitted) };
    }
    const last = latest(events.emitted, req.stackName);
    const gone = [...last.values()].filter((e) => e.status === 'DELETE_COMPLETE' || e.status === 'DELETE_SKIPPED').length;
    const busy = [...last.values()].filter((e) => e.status.endsWith('_IN_PROGRESS')).map((e) => e.logicalId);
    req.onProgress(`Deleting ${req.stackName}: ${gone} of ${total} resources gone, ${elapsed(ops.now() - started)}${busy.length ? `; deleting ${busy.slice(0, 4).join(', ')}${busy.length > 4 ? ` and ${busy.length - 4} more` : ''}` : ''}`, Math.min(gone, total), total);
    if (ops.now() >= deadline) throw timeout(ops, req, now.StackStatus ?? '', busy);
    await ops.pause(req);
  }
}

/** The resources in DELETE_FAILED, each with its reason (from DescribeStackResources, else this run's events). */
async function failedResources(ops: StackOps, stackId: string, events: StackEventInfo[]): Promise<FailedResource[]> {
  const reasons = new Map(events.filter((e) => e.status === 'DELETE_FAILED' && e.reason).map((e) => [e.logicalId, e.reason!]));
  return (await resourcesOf(ops, stackId))
    .filter((r) => r.ResourceStatus === 'DELETE_FAILED')
    .map((r) => ({
      logicalId: r.LogicalResourceId ?? '',
      resourceType: r.ResourceType ?? '',
      ...(r.PhysicalResourceId ? { physicalId: r.PhysicalResourceId } : {}),
      reason: r.ResourceStatusReason ?? reasons.get(r.LogicalResourceId ?? '') ?? 'CloudFormation gave no reason',
    }));
}

function timeout(ops: StackOps, req: StackDeleteRequest, status: string, busy: string[]): AbortError {
  return new AbortError('STACK_TIMEOUT', `Stack ${req.stackName} is still ${status} after ${elapsed(req.timeoutMs)}${busy.length ? ` (still deleting: ${busy.join(', ')})` : ''}; stopped waiting.`, {
    hint: `CloudFormation carries on without us: run the same destroy again to resume waiting, or follow it with ${ops.watchHint(req.stackName)}.`,
  });
}
