// StackPort over CloudFormation: picks the way to deploy a stack from the state it is in, and maps failures at the port.
import type { DeployStackRequest, DeployStackResult, StackPort } from '../../../ports/deploy.ts';
import { deployViaChangeSet } from './change-set.ts';
import { cannotUpdate, updateRollbackFailed } from './diagnose.ts';
import { deployDirect } from './direct.ts';
import { deleteAndWait, settle } from './settle.ts';
import type { StackOps } from './stack-ops.ts';
import { checkSize } from './template.ts';

// A failed create leaves a stack that can only be deleted, never updated.
const NEEDS_RECREATE = new Set(['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED', 'DELETE_FAILED']);

export function createStackPort(ops: StackOps): StackPort {
  const { api } = ops;
  return {
    async describeStatus(stackName: string): Promise<string | undefined> {
      try {
        return (await ops.describe(stackName))?.StackStatus;
      } catch (err) {
        throw api.failure(err, `stack ${stackName}`);
      }
    },

    async cancelUpdate(stackName: string): Promise<void> {
      try {
        await api.send('CancelUpdateStack', (s) => new s.CancelUpdateStackCommand({ StackName: stackName }));
      } catch (err) {
        throw api.failure(err, `stack ${stackName}`);
      }
    },

    async deploy(req: DeployStackRequest): Promise<DeployStackResult> {
      try {
        checkSize(req.templateBody);
        return await run(ops, req);
      } catch (err) {
        throw api.failure(err, `stack ${req.stackName}`);
      }
    },
  };
}

async function run(ops: StackOps, req: DeployStackRequest): Promise<DeployStackResult> {
  let stack = await settle(ops, req, await ops.describe(req.stackName));
  const status = stack?.StackStatus ?? '';
  if (stack && NEEDS_RECREATE.has(status)) {
    if (!(await req.confirmRecreate(status))) throw cannotUpdate(req.stackName, status, ops.regionFlag());
    await deleteAndWait(ops, req, stack);
    stack = undefined;
  } else if (status === 'UPDATE_ROLLBACK_FAILED') {
    throw updateRollbackFailed(req.stackName, ops.regionFlag());
  } else if (stack && status === 'REVIEW_IN_PROGRESS' && req.method === 'direct') {
    // CreateStack refuses a name held by an idle change-set stack; it has no resources, so it can go.
    await deleteAndWait(ops, req, stack);
    stack = undefined;
  }
  return req.method === 'direct' ? deployDirect(ops, req, stack) : deployViaChangeSet(ops, req, stack);
}
