// Failure diagnosis: turns a stack that failed, or is stuck in a state we cannot deploy over, into the error to act on.
import { AbortError } from '../../../core/errors.ts';
import type { StackEventInfo } from '../../../ports/deploy.ts';
import type { Cfn } from './client.ts';

/**
 * The error for a stack that ended failed or rolled back. The first resource that failed (oldest event) is the
 * cause; later ones usually say "Resource creation cancelled" because CloudFormation stopped their siblings.
 */
export function stackFailure(
  stackName: string,
  stack: Cfn.Stack | undefined,
  status: string,
  events: StackEventInfo[],
  create: boolean,
  cliFlags = '',
): AbortError {
  const isStackLevel = (e: StackEventInfo) => e.resourceType === 'AWS::CloudFormation::Stack' && e.logicalId === stackName;
  const failed = events.filter((e) => e.status.endsWith('_FAILED') && e.reason && !isStackLevel(e));
  const first = failed.find((e) => !/cancelled/i.test(e.reason ?? '')) ?? failed[0];
  let detail: string;
  if (first) {
    detail = `${first.logicalId} (${first.resourceType}) ${first.status}: ${first.reason}`;
  } else if (stack?.StackStatusReason) {
    detail = `stack status reason: ${stack.StackStatusReason}`;
  } else {
    const stackEvent = [...events].reverse().find((e) => isStackLevel(e) && e.reason && e.reason !== 'User Initiated');
    detail = stackEvent ? `stack status reason: ${stackEvent.reason}` : 'CloudFormation gave no reason';
  }
  const hint = create
    ? `Fix the cause, then deploy again; the rolled-back stack must be deleted first (hello-deploy offers to, or: aws cloudformation delete-stack --stack-name ${stackName}${cliFlags}).`
    : `CloudFormation put the stack back as it was; fix the cause and deploy again (all events: aws cloudformation describe-stack-events --stack-name ${stackName}${cliFlags}).`;
  return new AbortError('STACK_FAILED', `Stack ${stackName} ended in ${status}: ${detail}`, { hint });
}

/** A failed stack CloudFormation can only delete, and the user said no to deleting it. */
export function cannotUpdate(stackName: string, status: string, cliFlags: string): AbortError {
  const rolledBack = status === 'ROLLBACK_COMPLETE';
  const what = rolledBack ? 'a failed create rolled it back' : 'it failed';
  return new AbortError(
    rolledBack ? 'STACK_ROLLBACK_COMPLETE' : 'STACK_NOT_UPDATABLE',
    `Stack ${stackName} is in ${status} (${what}); CloudFormation cannot update it, only delete it.`,
    { hint: `Delete it with: aws cloudformation delete-stack --stack-name ${stackName}${cliFlags} (or answer yes when asked), then deploy again.` },
  );
}

/** An update whose rollback failed: only the user can finish the rollback (resources may need fixing by hand). */
export function updateRollbackFailed(stackName: string, cliFlags: string): AbortError {
  return new AbortError('STACK_UPDATE_ROLLBACK_FAILED', `Stack ${stackName} is in UPDATE_ROLLBACK_FAILED and cannot be updated.`, {
    hint: `Finish the rollback first: aws cloudformation continue-update-rollback --stack-name ${stackName}${cliFlags}, then deploy again.`,
  });
}
