// The CloudFormation adapter: StackPort (deploy one stack, following its events) and TemplateCheck
// (ValidateTemplate) over @aws-sdk/client-cloudformation v3. The SDK is loaded with import() on first use, so
// `--help` never pays for it; a client-like object can be injected for failure shapes an emulator cannot produce.
import type * as Cfn from '@aws-sdk/client-cloudformation';
import { clientConfig, type AwsOptions } from './config.ts';
import { AbortError, HelloDeployError, InterruptedError } from '../../core/errors.ts';
import type { ResourceChange } from '../../core/events.ts';
import type { DeployStackRequest, DeployStackResult, StackEventInfo, StackPort, TemplateCheck } from '../../ports/deploy.ts';

type Sdk = typeof import('@aws-sdk/client-cloudformation');

/** What the adapter needs from a client: the SDK's CloudFormationClient, or a fake with the same `send`. */
export interface CloudFormationLike {
  send(command: object): Promise<unknown>;
}

export interface CloudFormationDeps {
  client?: CloudFormationLike;
  sleep?: (ms: number) => Promise<void>;
  /** Time between DescribeStacks/DescribeStackEvents polls: ~2 s is gentle on the API; tests use less. */
  pollMs?: number;
  /** How long to wait for an operation someone else started on the stack before giving up. */
  settleTimeoutMs?: number;
  /** How long to follow our own operation (an ECS service that never stabilises can hold a stack for hours). */
  deployTimeoutMs?: number;
  now?: () => number;
}

export interface CloudFormationPorts {
  stacks: StackPort;
  templates: TemplateCheck;
  /** Closes the SDK client's sockets (a no-op for an injected client). */
  destroy(): void;
}

// TemplateBody's API limit; larger templates need TemplateURL (S3), which hello-deploy does not do.
const MAX_TEMPLATE_BYTES = 51_200;
const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;
const SUCCESS = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);
// A failed create leaves a stack that can only be deleted, never updated.
const NEEDS_RECREATE = new Set(['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED', 'DELETE_FAILED']);

/** REVIEW_IN_PROGRESS is an idle stack waiting for a change set, not an operation to wait for. */
function isBusy(status: string): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

let sdkPromise: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
  sdkPromise ??= import('@aws-sdk/client-cloudformation');
  return sdkPromise;
}

export function createCloudFormationPorts(opts: AwsOptions, deps: CloudFormationDeps = {}): CloudFormationPorts {
  const api = new CfnApi(opts, deps);
  return {
    stacks: new CloudFormationStacks(api, opts, deps),
    templates: {
      validate: (body) => validateTemplate(api, body),
    },
    destroy: () => api.destroy(),
  };
}

/** Lazily builds the client and sends commands built from the lazily loaded SDK module. */
class CfnApi {
  private client: Promise<CloudFormationLike> | undefined;
  private real: Cfn.CloudFormationClient | undefined;

  constructor(
    private readonly opts: AwsOptions,
    deps: CloudFormationDeps,
  ) {
    if (deps.client) this.client = Promise.resolve(deps.client);
  }

  async send<O>(make: (sdk: Sdk) => object): Promise<O> {
    const sdk = await loadSdk();
    this.client ??= clientConfig(this.opts).then((config) => {
      this.real = new sdk.CloudFormationClient(config as Cfn.CloudFormationClientConfig);
      return this.real;
    });
    const client = await this.client;
    return (await client.send(make(sdk))) as O;
  }

  destroy(): void {
    this.real?.destroy();
  }
}

function errorName(err: unknown): string {
  return typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : '';
}

function errorMessage(err: unknown): string {
  if (err instanceof AggregateError && err.message === '') return err.errors.map(errorMessage).join('; ');
  if (err instanceof Error) return err.message || String((err as { code?: unknown }).code ?? err.name);
  return String(err);
}

function isValidation(err: unknown, pattern?: RegExp): boolean {
  return errorName(err) === 'ValidationError' && (pattern === undefined || pattern.test(errorMessage(err)));
}

const DOES_NOT_EXIST = /does not exist/i;

/** Turns an SDK failure into an AbortError the user can act on. The SDK has already retried throttling. */
export function sdkError(err: unknown, what: string): HelloDeployError {
  if (err instanceof HelloDeployError) return err;
  const name = errorName(err);
  const message = errorMessage(err);
  const netCode = typeof err === 'object' && err !== null ? String((err as { code?: unknown }).code ?? '') : '';
  const abort = (code: string, text: string, hint: string) => new AbortError(code, `${what}: ${text}`, { hint, cause: err });
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return abort('AWS_NO_CREDENTIALS', message, 'Configure credentials (aws configure, aws sso login, or AWS_PROFILE / --profile), then run again.');
  }
  if (/^(ExpiredToken|ExpiredTokenException|RequestExpired|TokenRefreshRequired)$/.test(name) || /token.*expired/i.test(message)) {
    return abort('AWS_CREDENTIALS_EXPIRED', message, 'Your AWS session expired: refresh it (e.g. aws sso login) and run again.');
  }
  if (/^(InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|InvalidSignatureException|IncompleteSignature)$/.test(name)) {
    return abort('AWS_CREDENTIALS_INVALID', message, 'AWS rejected the credentials: check the access key and profile in use (aws sts get-caller-identity).');
  }
  if (/^(AccessDenied|AccessDeniedException|UnauthorizedOperation)$/.test(name) || /not authorized to perform/i.test(message)) {
    return abort('AWS_ACCESS_DENIED', message, 'The identity in use lacks a CloudFormation permission: grant it (see the action named above) or use another profile.');
  }
  if (/^(Throttling|ThrottlingException|TooManyRequestsException|RequestLimitExceeded)$/.test(name) || /rate exceeded/i.test(message)) {
    return abort('AWS_THROTTLED', message, 'AWS kept throttling the calls even after retries: wait a minute and run again.');
  }
  if (/region is missing/i.test(message)) {
    return abort('AWS_REGION_MISSING', message, 'Pass --region, set AWS_REGION, or set a region in your AWS profile.');
  }
  if (/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH)$/.test(netCode) || name === 'TimeoutError') {
    return abort('AWS_UNREACHABLE', message, 'CloudFormation could not be reached: check the network, proxy settings, and --endpoint-url if you use one.');
  }
  if (name === 'InsufficientCapabilitiesException' || /requires capabilities/i.test(message)) {
    return abort('STACK_CAPABILITIES', message, 'The template needs a capability (e.g. CAPABILITY_NAMED_IAM) that was not passed.');
  }
  if (name === 'LimitExceededException') {
    return abort('AWS_LIMIT_EXCEEDED', message, 'An account quota was reached: delete unused stacks or ask AWS for a higher limit.');
  }
  return abort('AWS_ERROR', name && name !== 'Error' ? `${name}: ${message}` : message, 'See the message from AWS above; run again once it is fixed.');
}

async function validateTemplate(api: CfnApi, body: string): Promise<{ parameters: string[]; capabilities: string[] }> {
  checkSize(body);
  try {
    const out = await api.send<Cfn.ValidateTemplateCommandOutput>((s) => new s.ValidateTemplateCommand({ TemplateBody: body }));
    return {
      parameters: (out.Parameters ?? []).flatMap((p) => (p.ParameterKey ? [p.ParameterKey] : [])),
      capabilities: out.Capabilities ?? [],
    };
  } catch (err) {
    if (!isValidation(err)) throw sdkError(err, 'ValidateTemplate');
    throw new AbortError('TEMPLATE_INVALID', `CloudFormation rejected the template: ${rootCause(errorMessage(err))}`, {
      hint: 'Fix the template (cfn-lint <file> points at the line), then run again.',
      cause: err,
    });
  }
}

/**
 * moto wraps every ValidateTemplate failure as "Stack with id <cause> does not exist"; ValidateTemplate names no
 * stack, so that wrapper can only be the emulator's, and the cause inside is what the user needs.
 */
function rootCause(message: string): string {
  const wrapped = /^Stack with id ([\s\S]+) does not exist$/.exec(message);
  return wrapped?.[1] ?? message;
}

function checkSize(body: string): void {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_TEMPLATE_BYTES) {
    throw new AbortError('TEMPLATE_TOO_LARGE', `The template is ${bytes} bytes; CloudFormation accepts at most ${MAX_TEMPLATE_BYTES} inline.`, {
      hint: 'Shorten the template (comments count too).',
    });
  }
}

function outputsOf(stack: Cfn.Stack | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of stack?.Outputs ?? []) if (o.OutputKey && o.OutputValue !== undefined) out[o.OutputKey] = o.OutputValue;
  return out;
}

function toEventInfo(e: Cfn.StackEvent): StackEventInfo {
  const info: StackEventInfo = {
    logicalId: e.LogicalResourceId ?? '',
    resourceType: e.ResourceType ?? '',
    status: e.ResourceStatus ?? '',
    timestamp: (e.Timestamp instanceof Date ? e.Timestamp : new Date(e.Timestamp ?? 0)).toISOString(),
  };
  if (e.ResourceStatusReason) info.reason = e.ResourceStatusReason;
  return info;
}

/**
 * Follows DescribeStackEvents (newest first, paged) and emits each event once, oldest first. Priming marks the
 * events that existed before this operation as seen, so only this operation's events are shown; comparing with
 * the stack's own newest event (not the local clock) keeps clock skew out of it.
 */
class EventStream {
  private readonly seen = new Set<string>();
  private floor = 0;
  private stackRef: string | undefined;
  /** Every event this stream emitted, oldest first. */
  readonly emitted: StackEventInfo[] = [];

  constructor(
    private readonly api: CfnApi,
    private readonly onEvent: (e: StackEventInfo) => void,
  ) {}

  async prime(stackId: string | undefined): Promise<void> {
    this.stackRef = stackId;
    if (stackId === undefined) return;
    const page = await this.api.send<Cfn.DescribeStackEventsCommandOutput>((s) => new s.DescribeStackEventsCommand({ StackName: stackId }));
    for (const e of page.StackEvents ?? []) {
      if (e.EventId) this.seen.add(e.EventId);
      this.floor = Math.max(this.floor, e.Timestamp ? new Date(e.Timestamp).getTime() : 0);
    }
  }

  track(stackId: string): void {
    this.stackRef = stackId;
  }

  async poll(): Promise<void> {
    const ref = this.stackRef;
    if (ref === undefined) return;
    const fresh: Cfn.StackEvent[] = [];
    let token: string | undefined;
    // Bounded: a stack's history can be long, and what is older than the floor was seen already.
    for (let pages = 0; pages < 50; pages++) {
      const page = await this.api.send<Cfn.DescribeStackEventsCommandOutput>((s) => new s.DescribeStackEventsCommand({ StackName: ref, NextToken: token }));
      let reachedSeen = false;
      for (const e of page.StackEvents ?? []) {
        const at = e.Timestamp ? new Date(e.Timestamp).getTime() : 0;
        if ((e.EventId && this.seen.has(e.EventId)) || at < this.floor) {
          reachedSeen = true;
          continue;
        }
        fresh.push(e);
      }
      token = page.NextToken;
      if (reachedSeen || !token) break;
    }
    for (const e of fresh.reverse()) {
      if (e.EventId) {
        if (this.seen.has(e.EventId)) continue;
        this.seen.add(e.EventId);
      }
      const info = toEventInfo(e);
      this.emitted.push(info);
      this.onEvent(info);
    }
  }
}

class CloudFormationStacks implements StackPort {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pollMs: number;
  private readonly settleTimeoutMs: number;
  private readonly deployTimeoutMs: number;
  private readonly now: () => number;

  constructor(
    private readonly api: CfnApi,
    private readonly opts: AwsOptions,
    deps: CloudFormationDeps,
  ) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.pollMs = deps.pollMs ?? 2_000;
    this.settleTimeoutMs = deps.settleTimeoutMs ?? 30 * 60_000;
    this.deployTimeoutMs = deps.deployTimeoutMs ?? 60 * 60_000;
    this.now = deps.now ?? Date.now;
  }

  async describeStatus(stackName: string): Promise<string | undefined> {
    try {
      return (await this.describe(stackName))?.StackStatus;
    } catch (err) {
      throw sdkError(err, `DescribeStacks ${stackName}`);
    }
  }

  async cancelUpdate(stackName: string): Promise<void> {
    try {
      await this.api.send((s) => new s.CancelUpdateStackCommand({ StackName: stackName }));
    } catch (err) {
      throw sdkError(err, `CancelUpdateStack ${stackName}`);
    }
  }

  async deploy(req: DeployStackRequest): Promise<DeployStackResult> {
    try {
      checkSize(req.templateBody);
      return await this.run(req);
    } catch (err) {
      throw sdkError(err, `Stack ${req.stackName}`);
    }
  }

  /**
   * One poll interval of a wait, cut short by Ctrl-C: CloudFormation carries on without us, and the engine then
   * names the stack as still in progress with how to cancel or resume it. Waiting it out could take an hour.
   */
  private async pause(req: DeployStackRequest): Promise<void> {
    const stop = () => new InterruptedError(`Stopped waiting for ${req.stackName}; CloudFormation carries on with it.`);
    if (req.signal?.aborted) throw stop();
    await this.sleep(this.pollMs);
    if (req.signal?.aborted) throw stop();
  }

  private async run(req: DeployStackRequest): Promise<DeployStackResult> {
    let stack = await this.settle(req, await this.describe(req.stackName));
    const status = stack?.StackStatus ?? '';
    if (stack && NEEDS_RECREATE.has(status)) {
      if (!(await req.confirmRecreate(status))) throw this.cannotUpdate(req.stackName, status);
      await this.deleteAndWait(req, stack);
      stack = undefined;
    } else if (status === 'UPDATE_ROLLBACK_FAILED') {
      throw new AbortError('STACK_UPDATE_ROLLBACK_FAILED', `Stack ${req.stackName} is in UPDATE_ROLLBACK_FAILED and cannot be updated.`, {
        hint: `Finish the rollback first: aws cloudformation continue-update-rollback --stack-name ${req.stackName}${this.regionFlag()}, then deploy again.`,
      });
    } else if (stack && status === 'REVIEW_IN_PROGRESS' && req.method === 'direct') {
      // CreateStack refuses a name held by an idle change-set stack; it has no resources, so it can go.
      await this.deleteAndWait(req, stack);
      stack = undefined;
    }
    return req.method === 'direct' ? this.direct(req, stack) : this.viaChangeSet(req, stack);
  }

  private regionFlag(): string {
    return this.opts.region ? ` --region ${this.opts.region}` : '';
  }

  private cannotUpdate(stackName: string, status: string): AbortError {
    const what = status === 'ROLLBACK_COMPLETE' ? 'a failed create rolled it back' : 'it failed';
    return new AbortError(
      status === 'ROLLBACK_COMPLETE' ? 'STACK_ROLLBACK_COMPLETE' : 'STACK_NOT_UPDATABLE',
      `Stack ${stackName} is in ${status} (${what}); CloudFormation cannot update it, only delete it.`,
      { hint: `Delete it with: aws cloudformation delete-stack --stack-name ${stackName}${this.regionFlag()} (or answer yes when asked), then deploy again.` },
    );
  }

  /** The live stack by name (or any stack by ID); undefined when there is none. */
  private async describe(ref: string): Promise<Cfn.Stack | undefined> {
    try {
      const out = await this.api.send<Cfn.DescribeStacksCommandOutput>((s) => new s.DescribeStacksCommand({ StackName: ref }));
      const stack = out.Stacks?.[0];
      return stack && stack.StackStatus !== 'DELETE_COMPLETE' ? stack : undefined;
    } catch (err) {
      if (isValidation(err, DOES_NOT_EXIST)) return undefined;
      throw err;
    }
  }

  /** Waits (bounded) for an operation already running on the stack, e.g. from another terminal or CI. */
  private async settle(req: DeployStackRequest, stack: Cfn.Stack | undefined): Promise<Cfn.Stack | undefined> {
    const deadline = this.now() + this.settleTimeoutMs;
    let last = '';
    while (stack?.StackStatus && isBusy(stack.StackStatus)) {
      if (stack.StackStatus !== last) {
        last = stack.StackStatus;
        req.onProgress(`Stack ${req.stackName} is ${last} from an earlier operation; waiting for it to finish`);
      }
      if (this.now() >= deadline) {
        throw new AbortError('STACK_BUSY', `Stack ${req.stackName} stayed ${last} for ${Math.round(this.settleTimeoutMs / 60_000)} min; gave up waiting.`, {
          hint: `Watch it in the CloudFormation console (or aws cloudformation describe-stacks --stack-name ${req.stackName}${this.regionFlag()}); deploy again once it has finished.`,
        });
      }
      await this.pause(req);
      stack = await this.describe(stack.StackId ?? req.stackName);
    }
    if (last && stack) req.onProgress(`Stack ${req.stackName} settled in ${stack.StackStatus}`);
    return stack;
  }

  private async deleteAndWait(req: DeployStackRequest, stack: Cfn.Stack): Promise<void> {
    const stackId = stack.StackId ?? req.stackName;
    const events = new EventStream(this.api, req.onEvent);
    await events.prime(stack.StackId);
    req.onProgress(`Deleting stack ${req.stackName} (${stack.StackStatus})`);
    await this.api.send((s) => new s.DeleteStackCommand({ StackName: stackId }));
    const deadline = this.now() + this.deployTimeoutMs;
    for (;;) {
      await events.poll();
      // By ID, so a deleted stack reads DELETE_COMPLETE instead of "does not exist" (describe() maps both to absent).
      const now = await this.describe(stackId);
      if (now === undefined) {
        await events.poll();
        return;
      }
      if (now.StackStatus === 'DELETE_FAILED') {
        throw new AbortError('STACK_DELETE_FAILED', `Stack ${req.stackName} could not be deleted: ${now.StackStatusReason ?? 'DELETE_FAILED'}`, {
          hint: `Delete the resources that block it, then: aws cloudformation delete-stack --stack-name ${req.stackName}${this.regionFlag()}`,
        });
      }
      if (this.now() >= deadline) throw this.timeout(req.stackName, now.StackStatus ?? '');
      await this.pause(req);
    }
  }

  private timeout(stackName: string, status: string): AbortError {
    return new AbortError('STACK_TIMEOUT', `Stack ${stackName} is still ${status} after ${Math.round(this.deployTimeoutMs / 60_000)} min; stopped waiting.`, {
      hint: `CloudFormation carries on without us: follow it in the console or with aws cloudformation describe-stack-events --stack-name ${stackName}${this.regionFlag()}.`,
    });
  }

  private common(req: DeployStackRequest) {
    return {
      StackName: req.stackName,
      TemplateBody: req.templateBody,
      Parameters: Object.entries(req.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Tags: Object.entries(req.tags).map(([Key, Value]) => ({ Key, Value })),
      Capabilities: req.capabilities as Cfn.Capability[],
    };
  }

  private async viaChangeSet(req: DeployStackRequest, stack: Cfn.Stack | undefined): Promise<DeployStackResult> {
    const create = stack === undefined || stack.StackStatus === 'REVIEW_IN_PROGRESS';
    const events = new EventStream(this.api, req.onEvent);
    await events.prime(stack?.StackId);
    const changeSetName = `hello-deploy-${this.now().toString(36)}`;
    req.onProgress(`Creating change set ${changeSetName} for stack ${req.stackName}`);
    const created = await this.api.send<Cfn.CreateChangeSetCommandOutput>(
      (s) =>
        new s.CreateChangeSetCommand({
          ...this.common(req),
          ChangeSetName: changeSetName,
          ChangeSetType: create ? 'CREATE' : 'UPDATE',
          IncludeNestedStacks: false,
          Description: 'hello-deploy',
        }),
    );
    const changeSetId = created.Id ?? changeSetName;
    const stackId = created.StackId ?? stack?.StackId ?? req.stackName;
    events.track(stackId);

    const described = await this.waitForChangeSet(req, changeSetId);
    if (described.status === 'FAILED') {
      if (NO_CHANGES.test(described.reason)) {
        await this.api.send((s) => new s.DeleteChangeSetCommand({ ChangeSetName: changeSetId }));
        return { status: 'no-changes', stackId, outputs: outputsOf(await this.describe(stackId)), changes: [] };
      }
      await this.discard(changeSetId, create ? stackId : undefined);
      throw new AbortError('CHANGE_SET_FAILED', `CloudFormation could not make a change set for ${req.stackName}: ${described.reason || described.status}`, {
        hint: 'Fix the template or parameters it names, then deploy again.',
      });
    }
    const changes = described.changes;
    if (!(await req.confirmChanges(changes))) {
      await this.discard(changeSetId, create ? stackId : undefined);
      return { status: 'declined', stackId, outputs: create ? {} : outputsOf(stack), changes };
    }
    req.onProgress(`Executing change set ${changeSetName}`);
    await this.api.send((s) => new s.ExecuteChangeSetCommand({ ChangeSetName: changeSetId }));
    const final = await this.follow(req, stackId, events, create);
    return { status: create ? 'created' : 'updated', stackId, outputs: outputsOf(final), changes };
  }

  /** Deletes an unexecuted change set, and the empty REVIEW_IN_PROGRESS stack a CREATE change set made. */
  private async discard(changeSetId: string, reviewStackId: string | undefined): Promise<void> {
    await this.api.send((s) => new s.DeleteChangeSetCommand({ ChangeSetName: changeSetId }));
    if (reviewStackId === undefined) return;
    const stack = await this.describe(reviewStackId);
    if (stack?.StackStatus === 'REVIEW_IN_PROGRESS') await this.api.send((s) => new s.DeleteStackCommand({ StackName: reviewStackId }));
  }

  private async waitForChangeSet(req: DeployStackRequest, changeSetId: string): Promise<{ status: string; reason: string; changes: ResourceChange[] }> {
    const deadline = this.now() + this.deployTimeoutMs;
    for (;;) {
      const first = await this.api.send<Cfn.DescribeChangeSetCommandOutput>((s) => new s.DescribeChangeSetCommand({ ChangeSetName: changeSetId }));
      const status = first.Status ?? '';
      if (status === 'CREATE_COMPLETE') {
        const changes = toChanges(first.Changes);
        // The change list is paged; the status is the same on every page.
        for (let token = first.NextToken; token; ) {
          const page = await this.api.send<Cfn.DescribeChangeSetCommandOutput>((s) => new s.DescribeChangeSetCommand({ ChangeSetName: changeSetId, NextToken: token }));
          changes.push(...toChanges(page.Changes));
          token = page.NextToken;
        }
        return { status, reason: first.StatusReason ?? '', changes };
      }
      if (status === 'FAILED' || status.startsWith('DELETE_')) return { status: 'FAILED', reason: first.StatusReason ?? status, changes: [] };
      if (this.now() >= deadline) throw this.timeout(req.stackName, `change set ${status}`);
      await this.pause(req);
    }
  }

  private async direct(req: DeployStackRequest, stack: Cfn.Stack | undefined): Promise<DeployStackResult> {
    const events = new EventStream(this.api, req.onEvent);
    await events.prime(stack?.StackId);
    if (stack?.StackId === undefined) {
      req.onProgress(`Creating stack ${req.stackName}`);
      const out = await this.api.send<Cfn.CreateStackCommandOutput>((s) => new s.CreateStackCommand(this.common(req)));
      const stackId = out.StackId ?? req.stackName;
      events.track(stackId);
      const final = await this.follow(req, stackId, events, true);
      return { status: 'created', stackId, outputs: outputsOf(final), changes: [] };
    }
    const stackId = stack.StackId;
    if (await this.unchanged(req, stack)) return { status: 'no-changes', stackId, outputs: outputsOf(stack), changes: [] };
    req.onProgress(`Updating stack ${req.stackName}`);
    try {
      await this.api.send((s) => new s.UpdateStackCommand({ ...this.common(req), StackName: stackId }));
    } catch (err) {
      if (isValidation(err, NO_CHANGES)) return { status: 'no-changes', stackId, outputs: outputsOf(stack), changes: [] };
      throw err;
    }
    const final = await this.follow(req, stackId, events, false);
    return { status: 'updated', stackId, outputs: outputsOf(final), changes: [] };
  }

  /**
   * Same template text, parameters and tags as deployed: nothing to update. AWS would answer UpdateStack with
   * "No updates are to be performed"; moto updates anyway, so this check is what makes a re-run a no-op there.
   */
  private async unchanged(req: DeployStackRequest, stack: Cfn.Stack): Promise<boolean> {
    const current = await this.api.send<Cfn.GetTemplateCommandOutput>((s) => new s.GetTemplateCommand({ StackName: stack.StackId, TemplateStage: 'Original' }));
    if (current.TemplateBody !== req.templateBody) return false;
    const params = Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']));
    const tags = Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    // Parameters we do not pass (MaxTasks) come back with their template defaults: with the template unchanged
    // they are unchanged too, so only the ones we pass are compared.
    return Object.entries(req.parameters).every(([k, v]) => params[k] === v) && sameRecord(tags, req.tags);
  }

  /** Streams events until the stack reaches a terminal state; success returns the stack, failure throws. */
  private async follow(req: DeployStackRequest, stackId: string, events: EventStream, create: boolean): Promise<Cfn.Stack> {
    const deadline = this.now() + this.deployTimeoutMs;
    for (;;) {
      await events.poll();
      const stack = await this.describe(stackId);
      const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
      if (!isBusy(status)) {
        await events.poll();
        if (stack && SUCCESS.has(status)) return stack;
        throw stackFailure(req.stackName, stack, status, events.emitted, create, this.regionFlag());
      }
      if (this.now() >= deadline) throw this.timeout(req.stackName, status);
      await this.pause(req);
    }
  }
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
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
  regionFlag = '',
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
    ? `Fix the cause, then deploy again; the rolled-back stack must be deleted first (hello-deploy offers to, or: aws cloudformation delete-stack --stack-name ${stackName}${regionFlag}).`
    : `CloudFormation put the stack back as it was; fix the cause and deploy again (all events: aws cloudformation describe-stack-events --stack-name ${stackName}${regionFlag}).`;
  return new AbortError('STACK_FAILED', `Stack ${stackName} ended in ${status}: ${detail}`, { hint });
}
