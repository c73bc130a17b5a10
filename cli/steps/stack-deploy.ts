// Shared by the two stack steps: deploy one stack through the StackPort, relaying its events, and asking the
// host before a change set runs or a rolled-back stack is deleted. The default answers are "yes": the user
// asked to deploy, and --yes exists to take the defaults.
import type { StepIO } from '../core/runner.ts';
import type { StepCtx } from './context.ts';
import type { DeployStackResult, StackEventInfo } from '../ports/deploy.ts';
import { BRANCH_TAG } from '../domain/ecosystem.ts';

export async function deployStack(
  { options, ports, state }: StepCtx<'stacks'>,
  io: StepIO,
  req: { stackName: string; templateBody: string; parameters: Record<string, string>; capabilities: string[]; timeoutMs: number; signal?: AbortSignal; onExecute?: () => void; beforeExecute?: () => Promise<void>; onStackEvent?: (e: StackEventInfo) => void },
): Promise<DeployStackResult> {
  state.stacksTouched.push(req.stackName);
  const { onExecute, beforeExecute, onStackEvent, ...stack } = req;
  // Direct creates and updates start changing the stack at once; a change set, once it is confirmed. What must
  // happen before the stack changes (beforeExecute) happens only once the user said yes.
  if (options.deployMethod === 'direct') {
    await beforeExecute?.();
    onExecute?.();
  }
  return ports.stacks.deploy({
    ...stack,
    tags: { Ecosystem: options.ecosystem, ManagedBy: 'hello-deploy', ...(state.branchTag ? { [BRANCH_TAG]: state.branchTag } : {}) },
    method: options.deployMethod,
    signal: req.signal ?? io.signal,
    onEvent: (e) => {
      onStackEvent?.(e);
      io.stackEvent({ stack: req.stackName, ...e });
    },
    onProgress: (m) => io.progress(m),
    confirmChanges: async (changes) => {
      io.changeSet(req.stackName, changes);
      const yes = await io.ask({ kind: 'confirm', id: `execute-change-set:${req.stackName}`, message: `Execute ${changes.length} change(s) to ${req.stackName}?`, default: true, details: changes });
      if (yes) {
        await beforeExecute?.();
        onExecute?.();
      }
      return yes;
    },
    confirmRecreate: (status) =>
      io.ask({ kind: 'confirm', id: `recreate-stack:${req.stackName}`, message: `${req.stackName} is ${status} and cannot be updated. Delete it and create it again?`, default: true }),
  });
}

/** How a stack step's summary (describeResult) ends when the stack was already as asked. */
const NO_CHANGES = ': no changes';

/** Whether a stack step's summary says the stack needed no changes (the wizard's result screen says so). */
export const saysNoChanges = (summary: string | undefined): boolean => summary?.split(';')[0]?.endsWith(NO_CHANGES) ?? false;

export function describeResult(stackName: string, r: DeployStackResult): string {
  switch (r.status) {
    case 'no-changes':
      return `${stackName}${NO_CHANGES}`;
    case 'declined':
      return `${stackName}: change set not executed`;
    default:
      return `${stackName}: ${r.status}`;
  }
}
