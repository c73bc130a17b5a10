// Deploy directly (--deploy-method direct): CreateStack or UpdateStack with no change set and no confirmation.
import type { DeployStackRequest, DeployStackResult } from '../../../ports/deploy.ts';
import { isValidation, type Cfn } from './client.ts';
import { EventStream } from './events.ts';
import { follow } from './settle.ts';
import { NO_CHANGES, outputsOf, type StackOps } from './stack-ops.ts';

export async function deployDirect(ops: StackOps, req: DeployStackRequest, stack: Cfn.Stack | undefined): Promise<DeployStackResult> {
  const { api } = ops;
  const events = new EventStream(api, req.onEvent);
  await events.prime(stack?.StackId);
  if (stack?.StackId === undefined) {
    req.onProgress(`Creating stack ${req.stackName}`);
    const out = await api.send<Cfn.CreateStackCommandOutput>('CreateStack', (s) => new s.CreateStackCommand(ops.common(req)));
    const stackId = out.StackId ?? req.stackName;
    events.track(stackId);
    const final = await follow(ops, req, stackId, events, true);
    return { status: 'created', stackId, outputs: outputsOf(final), changes: [] };
  }
  const stackId = stack.StackId;
  if (await unchanged(ops, req, stack)) return ops.noChanges(stackId, stack);
  req.onProgress(`Updating stack ${req.stackName}`);
  try {
    await api.send('UpdateStack', (s) => new s.UpdateStackCommand({ ...ops.common(req), StackName: stackId }));
  } catch (err) {
    if (isValidation(err, NO_CHANGES)) return ops.noChanges(stackId, stack);
    throw err;
  }
  const final = await follow(ops, req, stackId, events, false);
  return { status: 'updated', stackId, outputs: outputsOf(final), changes: [] };
}

/**
 * Same template text, parameters and tags as deployed: nothing to update. AWS would answer UpdateStack with
 * "No updates are to be performed"; moto updates anyway, so this check is what makes a re-run a no-op there.
 */
async function unchanged(ops: StackOps, req: DeployStackRequest, stack: Cfn.Stack): Promise<boolean> {
  const current = await ops.api.send<Cfn.GetTemplateCommandOutput>('GetTemplate', (s) => new s.GetTemplateCommand({ StackName: stack.StackId, TemplateStage: 'Original' }));
  if (current.TemplateBody !== req.templateBody) return false;
  const params = Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']));
  const tags = Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  // Parameters we do not pass (MaxTasks) come back with their template defaults: with the template unchanged
  // they are unchanged too, so only the ones we pass are compared.
  return Object.entries(req.parameters).every(([k, v]) => params[k] === v) && sameRecord(tags, req.tags);
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}
