// Deploy through a change set: create it, show its changes for confirmation, then execute it or discard it.
import { AbortError } from '../../../core/errors.ts';
import type { ResourceChange } from '../../../core/events.ts';
import type { DeployStackRequest, DeployStackResult } from '../../../ports/deploy.ts';
import { isValidation, type Cfn } from './client.ts';
import { EventStream } from './events.ts';
import { follow } from './settle.ts';
import { NO_CHANGES, outputsOf, type StackOps } from './stack-ops.ts';

export async function deployViaChangeSet(ops: StackOps, req: DeployStackRequest, stack: Cfn.Stack | undefined): Promise<DeployStackResult> {
  const { api } = ops;
  const create = stack === undefined || stack.StackStatus === 'REVIEW_IN_PROGRESS';
  const events = new EventStream(api, req.onEvent);
  await events.prime(stack?.StackId);
  const changeSetName = `hello-deploy-${ops.now().toString(36)}`;
  req.onProgress(`Creating change set ${changeSetName} for stack ${req.stackName}`);
  let created: Cfn.CreateChangeSetCommandOutput;
  try {
    created = await api.send<Cfn.CreateChangeSetCommandOutput>(
      'CreateChangeSet',
      (s) =>
        new s.CreateChangeSetCommand({
          ...ops.common(req),
          ChangeSetName: changeSetName,
          ChangeSetType: create ? 'CREATE' : 'UPDATE',
          IncludeNestedStacks: false,
          Description: 'hello-deploy',
        }),
    );
  } catch (err) {
    // Some endpoints (moto, for one) refuse an empty change set outright instead of making a FAILED one.
    if (stack?.StackId && isValidation(err, NO_CHANGES)) return ops.noChanges(stack.StackId);
    throw err;
  }
  const changeSetId = created.Id ?? changeSetName;
  const stackId = created.StackId ?? stack?.StackId ?? req.stackName;
  events.track(stackId);

  const described = await waitForChangeSet(ops, req, changeSetId);
  if (described.status === 'FAILED') {
    if (NO_CHANGES.test(described.reason)) {
      await api.send('DeleteChangeSet', (s) => new s.DeleteChangeSetCommand({ ChangeSetName: changeSetId }));
      return ops.noChanges(stackId);
    }
    await discard(ops, changeSetId, create ? stackId : undefined);
    throw new AbortError('CHANGE_SET_FAILED', `CloudFormation could not make a change set for ${req.stackName}: ${described.reason || described.status}`, {
      hint: 'Fix the template or parameters it names, then deploy again.',
    });
  }
  const changes = described.changes;
  if (!(await req.confirmChanges(changes))) {
    await discard(ops, changeSetId, create ? stackId : undefined);
    return { status: 'declined', stackId, outputs: create ? {} : outputsOf(stack), changes };
  }
  req.onProgress(`Executing change set ${changeSetName}`);
  try {
    await api.send('ExecuteChangeSet', (s) => new s.ExecuteChangeSetCommand({ ChangeSetName: changeSetId }));
  } catch (err) {
    // E.g. another deploy changed the stack since: this change set is stale. Tidy it away; the caller decides.
    await api.send('DeleteChangeSet', (s) => new s.DeleteChangeSetCommand({ ChangeSetName: changeSetId })).catch(() => undefined);
    throw err;
  }
  const final = await follow(ops, req, stackId, events, create);
  return { status: create ? 'created' : 'updated', stackId, outputs: outputsOf(final), changes };
}

/** Deletes an unexecuted change set, and the empty REVIEW_IN_PROGRESS stack a CREATE change set made. */
async function discard(ops: StackOps, changeSetId: string, reviewStackId: string | undefined): Promise<void> {
  await ops.api.send('DeleteChangeSet', (s) => new s.DeleteChangeSetCommand({ ChangeSetName: changeSetId }));
  if (reviewStackId === undefined) return;
  const stack = await ops.describe(reviewStackId);
  if (stack?.StackStatus === 'REVIEW_IN_PROGRESS') await ops.api.send('DeleteStack', (s) => new s.DeleteStackCommand({ StackName: reviewStackId }));
}

async function waitForChangeSet(ops: StackOps, req: DeployStackRequest, changeSetId: string): Promise<{ status: string; reason: string; changes: ResourceChange[] }> {
  const deadline = ops.now() + ops.deployTimeoutMs;
  const describe = (token?: string) =>
    ops.api.send<Cfn.DescribeChangeSetCommandOutput>('DescribeChangeSet', (s) => new s.DescribeChangeSetCommand({ ChangeSetName: changeSetId, ...(token ? { NextToken: token } : {}) }));
  for (;;) {
    const first = await describe();
    const status = first.Status ?? '';
    if (status === 'CREATE_COMPLETE') {
      const changes = toChanges(first.Changes);
      // The change list is paged; the status is the same on every page.
      for (let token = first.NextToken; token; ) {
        const page = await describe(token);
        changes.push(...toChanges(page.Changes));
        token = page.NextToken;
      }
      return { status, reason: first.StatusReason ?? '', changes };
    }
    if (status === 'FAILED' || status.startsWith('DELETE_')) return { status: 'FAILED', reason: first.StatusReason ?? status, changes: [] };
    if (ops.now() >= deadline) throw ops.timeout(req.stackName, `change set ${status}`);
    await ops.pause(req);
  }
}

function toChanges(changes: Cfn.Change[] | undefined): ResourceChange[] {
  const out: ResourceChange[] = [];
  for (const c of changes ?? []) {
    const rc = c.ResourceChange;
    if (c.Type !== 'Resource' || !rc) continue;
    const change: ResourceChange = { action: rc.Action ?? 'Dynamic', logicalId: rc.LogicalResourceId ?? '', resourceType: rc.ResourceType ?? '' };
    if (rc.Replacement) change.replacement = rc.Replacement;
    out.push(change);
  }
  return out;
}
