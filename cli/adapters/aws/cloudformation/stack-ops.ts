// What every stack operation shares: looking a stack up, the pause between polls, deadlines, and request fields.
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { AbortError, InterruptedError } from '../../../core/errors.ts';
import type { DeployStackRequest, DeployStackResult } from '../../../ports/deploy.ts';
import { isValidation, type CfnApi, type Cfn, type CloudFormationDeps } from './client.ts';

export const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;
const DOES_NOT_EXIST = /does not exist/i;

/** REVIEW_IN_PROGRESS is an idle stack waiting for a change set, not an operation to wait for. */
export function isBusy(status: string): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

/** 75 s → `1m 15s`; 42 s → `42s`. */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

export function outputsOf(stack: Cfn.Stack | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of stack?.Outputs ?? []) if (o.OutputKey && o.OutputValue !== undefined) out[o.OutputKey] = o.OutputValue;
  return out;
}

export class StackOps {
  readonly sleep: (ms: number) => Promise<void>;
  readonly pollMs: number;
  readonly settleTimeoutMs: number;
  readonly deployTimeoutMs: number;
  readonly now: () => number;
  /** Where the per-stack deploy locks of this machine live. */
  readonly lockDir: string;

  constructor(
    readonly api: CfnApi,
    deps: CloudFormationDeps,
  ) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.pollMs = deps.pollMs ?? 2_000;
    this.settleTimeoutMs = deps.settleTimeoutMs ?? 30 * 60_000;
    this.deployTimeoutMs = deps.deployTimeoutMs ?? 60 * 60_000;
    this.now = deps.now ?? Date.now;
    this.lockDir = deps.lockDir ?? path.join(tmpdir(), `hello-deploy-${userInfo().uid}`, 'locks');
  }

  /**
   * ` --region r --endpoint-url u` for the AWS CLI commands our hints suggest, as far as the user named them: a
   * command shown for an emulator must reach the emulator, not AWS.
   */
  cliFlags(): string {
    const { region, endpointUrl } = this.api.opts;
    return `${region ? ` --region ${region}` : ''}${endpointUrl ? ` --endpoint-url ${endpointUrl}` : ''}`;
  }

  /** Where to follow a stack: the AWS CLI, and the console only when the stack lives in AWS (no --endpoint-url). */
  watchHint(stackName: string): string {
    const cli = `aws cloudformation describe-stack-events --stack-name ${stackName}${this.cliFlags()}`;
    return this.api.opts.endpointUrl ? cli : `the CloudFormation console or ${cli}`;
  }

  /** "Nothing to change" is success; the outputs are read afresh with DescribeStacks. */
  async noChanges(stackId: string, known?: Cfn.Stack): Promise<DeployStackResult> {
    const stack = known ?? (await this.describe(stackId));
    return { status: 'no-changes', stackId, outputs: outputsOf(stack), changes: [] };
  }

  /** The live stack by name (or any stack by ID); undefined when there is none. */
  async describe(ref: string): Promise<Cfn.Stack | undefined> {
    try {
      const out = await this.api.send<Cfn.DescribeStacksCommandOutput>('DescribeStacks', (s) => new s.DescribeStacksCommand({ StackName: ref }));
      const stack = out.Stacks?.[0];
      return stack && stack.StackStatus !== 'DELETE_COMPLETE' ? stack : undefined;
    } catch (err) {
      if (isValidation(err, DOES_NOT_EXIST)) return undefined;
      throw err;
    }
  }

  /**
   * One poll interval of a wait, cut short by Ctrl-C: CloudFormation carries on without us, and the engine then
   * names the stack as still in progress with how to cancel or resume it. Waiting it out could take an hour.
   */
  async pause(req: Pick<DeployStackRequest, 'stackName' | 'signal'>): Promise<void> {
    const stop = () => new InterruptedError(`Stopped waiting for ${req.stackName}; CloudFormation carries on with it.`);
    if (req.signal?.aborted) throw stop();
    await this.sleep(this.pollMs);
    if (req.signal?.aborted) throw stop();
  }

  /**
   * The wait outlasted its bound: say what is still moving, and how to resume (a new deploy waits for the operation
   * in flight, then deploys) or cancel. CancelUpdateStack applies only to an UPDATE_IN_PROGRESS stack
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn--stack-update-cancel.html).
   */
  timeout(stackName: string, status: string, waitedMs = this.deployTimeoutMs, busy = ''): AbortError {
    const cancel = status === 'UPDATE_IN_PROGRESS' ? `, or cancel the update (CloudFormation rolls it back): aws cloudformation cancel-update-stack --stack-name ${stackName}${this.cliFlags()}` : '';
    return new AbortError('STACK_TIMEOUT', `Stack ${stackName} is still ${status} after ${elapsed(waitedMs)}; stopped waiting${busy ? `. Still in progress: ${busy}` : ''}.`, {
      hint: `CloudFormation carries on without us: follow it with ${this.watchHint(stackName)}. To resume, run the same hello-deploy deploy again (it waits for the operation in flight, then deploys)${cancel}.`,
    });
  }

  /** The fields CreateStack, UpdateStack and CreateChangeSet share. */
  common(req: DeployStackRequest) {
    return {
      StackName: req.stackName,
      TemplateBody: req.templateBody,
      Parameters: Object.entries(req.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Tags: Object.entries(req.tags).map(([Key, Value]) => ({ Key, Value })),
      Capabilities: req.capabilities as Cfn.Capability[],
    };
  }
}
