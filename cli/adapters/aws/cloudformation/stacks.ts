// StackPort over CloudFormation: picks the way to deploy a stack from the state it is in, and maps failures at the port.
import { AbortError } from '../../../core/errors.ts';
import type { DeployStackRequest, DeployStackResult, StackPort } from '../../../ports/deploy.ts';
import { sdkErrorFacts } from '../errors.ts';
import { deployViaChangeSet } from './change-set.ts';
import { isValidation } from './client.ts';
import { cannotUpdate, updateRollbackFailed } from './diagnose.ts';
import { deployDirect } from './direct.ts';
import { withStackLock } from './lock.ts';
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

    async describeTags(stackName: string): Promise<Record<string, string> | undefined> {
      try {
        const stack = await ops.describe(stackName);
        return stack && Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
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
        return await withStackLock(ops, req, () => run(ops, req));
      } catch (err) {
        throw api.failure(err, `stack ${req.stackName}`);
      }
    },
  };
}

/**
 * Deploys, and once more if another deploy got in between our look at the stack and our change to it: it created
 * the stack first (AlreadyExistsException), or started an operation on it. The second pass waits for that
 * operation to settle (reporting it), then deploys over it as an update; a second collision is refused.
 */
async function run(ops: StackOps, req: DeployStackRequest): Promise<DeployStackResult> {
  for (let pass = 1; ; pass++) {
    const out = await deployOnce(ops, req);
    if ('result' in out) return out.result;
    if (pass >= 2) {
      throw new AbortError('DEPLOY_IN_PROGRESS', `Stack ${req.stackName} ${out.raced} by another operation, twice, while this deploy was making its own change: ${sdkErrorFacts(out.err).message}`, {
        hint: `Another deploy of this ecosystem seems to be running (another terminal or CI). Let it finish (follow it with ${ops.watchHint(req.stackName)}), then run again.`,
        cause: out.err,
      });
    }
    req.onProgress(`Stack ${req.stackName} ${out.raced} by another operation meanwhile (another deploy?); waiting for it to settle, then deploying over it`);
  }
}

/** One pass: the result, or how another operation collided with ours (anything else is thrown). */
type Pass = { result: DeployStackResult } | { raced: string; err: unknown };

const BUSY_STATE = /is in [A-Z_]+_IN_PROGRESS state and can ?not be updated/i;

/** What another operation did to the stack, when `err` says our create or update collided with it. */
async function collision(ops: StackOps, stackName: string, err: unknown, creating: boolean): Promise<string | undefined> {
  const { name } = sdkErrorFacts(err);
  if (name === 'AlreadyExistsException') return 'was created';
  if (isValidation(err, BUSY_STATE)) return 'started changing';
  // The change set went stale under us: the stack changed (or another change set ran) after we made it.
  if (name === 'InvalidChangeSetStatusException' || name === 'InvalidChangeSetStatus') return 'changed';
  // Our create failed otherwise, yet the stack is there now: someone else's create won. (AWS says
  // AlreadyExistsException; moto, whose creates are not atomic, can fail on the resource the other one made.)
  const operation = ops.api.operationOf(err);
  if (!creating || (operation !== 'CreateStack' && operation !== 'CreateChangeSet')) return undefined;
  const now = await ops.describe(stackName).catch(() => undefined);
  return now && now.StackStatus !== 'REVIEW_IN_PROGRESS' ? 'was created' : undefined;
}

async function deployOnce(ops: StackOps, req: DeployStackRequest): Promise<Pass> {
  let stack = await settle(ops, req, await ops.describe(req.stackName));
  const status = stack?.StackStatus ?? '';
  if (stack && NEEDS_RECREATE.has(status)) {
    if (!(await req.confirmRecreate(status))) throw cannotUpdate(req.stackName, status, ops.cliFlags());
    await deleteAndWait(ops, req, stack);
    stack = undefined;
  } else if (status === 'UPDATE_ROLLBACK_FAILED') {
    throw updateRollbackFailed(req.stackName, ops.cliFlags());
  } else if (stack && status === 'REVIEW_IN_PROGRESS' && req.method === 'direct') {
    // CreateStack refuses a name held by an idle change-set stack; it has no resources, so it can go.
    await deleteAndWait(ops, req, stack);
    stack = undefined;
  }
  const creating = stack === undefined || stack.StackStatus === 'REVIEW_IN_PROGRESS';
  try {
    return { result: req.method === 'direct' ? await deployDirect(ops, req, stack) : await deployViaChangeSet(ops, req, stack) };
  } catch (err) {
    const raced = await collision(ops, req.stackName, err, creating);
    if (raced === undefined) throw err;
    return { raced, err };
  }
}
