// FakeCloudFormation: a FAKE, in-memory CloudFormation client. It exists ONLY for the failure shapes moto cannot
// produce (resource-level failure events, ROLLBACK_COMPLETE stacks, operations still in progress, "No updates are
// to be performed", AWS error names). Everything moto can do is tested against moto, not here.
//
// It takes the real SDK command objects (so the adapter builds exactly what it sends to AWS) and answers in the
// SDK's output shapes. Time is modelled by polls: each DescribeStacks applies the next scripted events up to and
// including the next stack-level status change, so a stack walks IN_PROGRESS → … → terminal as it is polled.
import { randomUUID } from 'node:crypto';
import {
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  UpdateStackCommand,
  ValidateTemplateCommand,
  type Change,
  type Output,
  type Stack,
  type StackEvent,
  type StackResource,
} from '@aws-sdk/client-cloudformation';
import type { CloudFormationLike } from '../../cli/adapters/aws/cloudformation.ts';

const STACK_TYPE = 'AWS::CloudFormation::Stack';
const EVENTS_PAGE = 4; // small, so the adapter's paging is exercised

export interface ScriptedEvent {
  logicalId: string;
  type: string;
  status: string;
  reason?: string;
}

interface FakeStack {
  id: string;
  name: string;
  status: string;
  reason?: string;
  template: string;
  resources: Record<string, unknown>;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  outputs: Output[];
  events: StackEvent[]; // oldest first; DescribeStackEvents reverses
  pending: ScriptedEvent[];
}

interface FakeChangeSet {
  id: string;
  name: string;
  stackId: string;
  type: 'CREATE' | 'UPDATE';
  status: string;
  reason?: string;
  polls: number;
  changes: Change[];
  template: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
}

/** Makes an error shaped like the SDK's service exceptions (name, $fault, message). */
export function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client' as const });
}

function resourcesOf(template: string): Record<string, { Type: string }> {
  const parsed = JSON.parse(template) as { Resources?: Record<string, { Type: string }> };
  return parsed.Resources ?? {};
}

function outputsOf(template: string): Output[] {
  const parsed = JSON.parse(template) as { Outputs?: Record<string, { Value: unknown }> };
  return Object.entries(parsed.Outputs ?? {}).map(([OutputKey, o]) => ({
    OutputKey,
    OutputValue: typeof o.Value === 'string' ? o.Value : `fake-${OutputKey}`,
  }));
}

function record(list: Array<{ ParameterKey?: string; ParameterValue?: string }> | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']));
}

function tagRecord(list: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

export class FakeCloudFormation implements CloudFormationLike {
  /** Every command name received, in order (e.g. 'DeleteStackCommand'). */
  readonly calls: string[] = [];
  private readonly stacks: FakeStack[] = [];
  private readonly changeSets = new Map<string, FakeChangeSet>();
  private readonly failures = new Map<string, string>();
  private readonly deleteFailures = new Map<string, string>();
  private readonly errors = new Map<string, Error>();
  private changeSetFailure: string | undefined;
  private clock = Date.parse('2030-01-01T00:00:00Z');

  /** The next create/update of this resource fails with this reason (and CloudFormation rolls back). */
  failResource(logicalId: string, reason: string): void {
    this.failures.set(logicalId, reason);
  }

  /**
   * Deleting this resource fails with this reason (DELETE_FAILED, and the stack DELETE_FAILED), on every attempt
   * until `fixDelete`, unless the delete retains it (RetainResources).
   */
  failDelete(logicalId: string, reason: string): void {
    this.deleteFailures.set(logicalId, reason);
  }

  /** What blocked the deletion of this resource is gone: the next delete succeeds. */
  fixDelete(logicalId: string): void {
    this.deleteFailures.delete(logicalId);
  }

  /**
   * The next change set ends FAILED with this StatusReason, whatever it contains: a real failure (e.g. "Unresolved
   * resource dependencies [X] in the Resources block of the template"), not the "didn't contain changes" one. AWS
   * puts the error message of a change set it could not make in StatusReason
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeChangeSet.html).
   */
  failChangeSet(reason: string): void {
    this.changeSetFailure = reason;
  }

  /** The change sets that exist (not executed, not deleted), by name. */
  changeSetNames(): string[] {
    return [...this.changeSets.values()].map((cs) => cs.name);
  }

  /** The next command of this name throws `error` instead of answering. */
  failNext(commandName: string, error: Error): void {
    this.errors.set(commandName, error);
  }

  /** Puts a stack into any state, with events still to come (`pending`) applied as it is polled. */
  seedStack(opts: { name: string; status: string; template: string; reason?: string; pending?: ScriptedEvent[]; history?: ScriptedEvent[] }): string {
    const stack = this.newStack(opts.name, opts.template, {}, {});
    stack.resources = resourcesOf(opts.template);
    stack.outputs = outputsOf(opts.template);
    for (const e of opts.history ?? [{ logicalId: opts.name, type: STACK_TYPE, status: opts.status }]) this.apply(stack, e);
    stack.status = opts.status;
    if (opts.reason !== undefined) stack.reason = opts.reason;
    stack.pending.push(...(opts.pending ?? []));
    return stack.id;
  }

  /** The live stack's status by name (what DescribeStacks by name would say), or undefined. */
  statusOf(name: string): string | undefined {
    return this.live(name)?.status;
  }

  async send(command: object): Promise<unknown> {
    const name = command.constructor.name;
    this.calls.push(name);
    const injected = this.errors.get(name);
    if (injected) {
      this.errors.delete(name);
      throw injected;
    }
    if (command instanceof DescribeStacksCommand) return this.describeStacks(command.input.StackName ?? '');
    if (command instanceof DescribeStackResourcesCommand) return this.describeResources(command.input.StackName ?? '');
    if (command instanceof DescribeStackEventsCommand) return this.describeEvents(command.input.StackName ?? '', command.input.NextToken);
    if (command instanceof CreateStackCommand) return this.createStack(command.input);
    if (command instanceof UpdateStackCommand) return this.updateStack(command.input);
    if (command instanceof DeleteStackCommand) return this.deleteStack(command.input.StackName ?? '', command.input.RetainResources ?? []);
    if (command instanceof CreateChangeSetCommand) return this.createChangeSet(command.input);
    if (command instanceof DescribeChangeSetCommand) return this.describeChangeSet(command.input.ChangeSetName ?? '');
    if (command instanceof ExecuteChangeSetCommand) return this.executeChangeSet(command.input.ChangeSetName ?? '');
    if (command instanceof DeleteChangeSetCommand) {
      this.changeSets.delete(command.input.ChangeSetName ?? '');
      return {};
    }
    if (command instanceof GetTemplateCommand) return { TemplateBody: this.find(command.input.StackName ?? '').template };
    if (command instanceof ValidateTemplateCommand) return this.validateTemplate(command.input.TemplateBody ?? '');
    throw new Error(`FakeCloudFormation does not implement ${name}`);
  }

  /** What AWS answers and moto does not: the parameter keys, and the capability an IAM resource needs. */
  private validateTemplate(body: string): object {
    const parsed = JSON.parse(body) as { Parameters?: Record<string, unknown>; Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
    const iam = Object.values(parsed.Resources ?? {}).filter((r) => r.Type.startsWith('AWS::IAM::'));
    const named = iam.some((r) => r.Properties && ('RoleName' in r.Properties || 'UserName' in r.Properties));
    return {
      Parameters: Object.keys(parsed.Parameters ?? {}).map((ParameterKey) => ({ ParameterKey, NoEcho: false })),
      Capabilities: iam.length === 0 ? [] : [named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM'],
      CapabilitiesReason: iam.length === 0 ? undefined : 'The following resource(s) require capabilities',
    };
  }

  private newStack(name: string, template: string, parameters: Record<string, string>, tags: Record<string, string>): FakeStack {
    const stack: FakeStack = {
      id: `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/${randomUUID()}`,
      name,
      status: 'REVIEW_IN_PROGRESS',
      template,
      resources: {},
      parameters,
      tags,
      outputs: [],
      events: [],
      pending: [],
    };
    this.stacks.push(stack);
    return stack;
  }

  private live(name: string): FakeStack | undefined {
    return this.stacks.find((s) => s.name === name && s.status !== 'DELETE_COMPLETE');
  }

  private find(ref: string): FakeStack {
    const stack = ref.startsWith('arn:') ? this.stacks.find((s) => s.id === ref) : this.live(ref);
    if (!stack) throw awsError('ValidationError', `Stack with id ${ref} does not exist`);
    return stack;
  }

  private apply(stack: FakeStack, e: ScriptedEvent): void {
    this.clock += 1000;
    const event: StackEvent = {
      StackId: stack.id,
      EventId: randomUUID(),
      StackName: stack.name,
      LogicalResourceId: e.logicalId,
      ResourceType: e.type,
      ResourceStatus: e.status as StackEvent['ResourceStatus'],
      Timestamp: new Date(this.clock),
    };
    if (e.reason !== undefined) event.ResourceStatusReason = e.reason;
    stack.events.push(event);
    if (e.type === STACK_TYPE && e.logicalId === stack.name) {
      stack.status = e.status;
      stack.reason = e.reason;
    }
  }

  /** One poll's worth of progress: resource events up to and including the next stack status change. */
  private advance(stack: FakeStack): void {
    while (stack.pending.length > 0) {
      const e = stack.pending.shift() as ScriptedEvent;
      this.apply(stack, e);
      if (e.type === STACK_TYPE && e.logicalId === stack.name) return;
    }
  }

  private describeStacks(ref: string): { Stacks: Stack[] } {
    const stack = this.find(ref);
    this.advance(stack);
    const out: Stack = {
      StackId: stack.id,
      StackName: stack.name,
      StackStatus: stack.status as Stack['StackStatus'],
      CreationTime: new Date(this.clock),
      Parameters: Object.entries(stack.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Tags: Object.entries(stack.tags).map(([Key, Value]) => ({ Key, Value })),
      Outputs: stack.outputs,
    };
    if (stack.reason !== undefined) out.StackStatusReason = stack.reason;
    return { Stacks: [out] };
  }

  /** Each resource with the status of its latest event, as DescribeStackResources reports it. */
  private describeResources(ref: string): { StackResources: StackResource[] } {
    const stack = this.find(ref);
    const latest = new Map<string, StackEvent>();
    for (const e of stack.events) if (e.LogicalResourceId !== stack.name) latest.set(e.LogicalResourceId ?? '', e);
    return {
      StackResources: [...latest.values()].map((e) => ({
        StackId: stack.id,
        StackName: stack.name,
        LogicalResourceId: e.LogicalResourceId,
        ResourceType: e.ResourceType,
        ResourceStatus: e.ResourceStatus as StackResource['ResourceStatus'],
        ...(e.ResourceStatusReason ? { ResourceStatusReason: e.ResourceStatusReason } : {}),
        Timestamp: e.Timestamp ?? new Date(this.clock),
      })),
    };
  }

  private describeEvents(ref: string, token: string | undefined): { StackEvents: StackEvent[]; NextToken?: string } {
    const newestFirst = [...this.find(ref).events].reverse();
    const start = token ? Number(token) : 0;
    const page = newestFirst.slice(start, start + EVENTS_PAGE);
    return start + EVENTS_PAGE < newestFirst.length ? { StackEvents: page, NextToken: String(start + EVENTS_PAGE) } : { StackEvents: page };
  }

  /** The events CloudFormation writes for a create or update of `next`, with the scripted failure if any. */
  private script(stack: FakeStack, next: Record<string, unknown>, kind: 'CREATE' | 'UPDATE'): ScriptedEvent[] {
    const s = (status: string, reason?: string): ScriptedEvent => ({ logicalId: stack.name, type: STACK_TYPE, status, ...(reason ? { reason } : {}) });
    const touched = Object.entries(next).filter(([id, def]) => JSON.stringify(stack.resources[id]) !== JSON.stringify(def));
    const events: ScriptedEvent[] = [s(`${kind}_IN_PROGRESS`, 'User Initiated')];
    const verb = (id: string) => (id in stack.resources ? 'UPDATE' : 'CREATE');
    for (const [id, def] of touched) events.push({ logicalId: id, type: (def as { Type: string }).Type, status: `${verb(id)}_IN_PROGRESS` });
    const failing = touched.find(([id]) => this.failures.has(id));
    if (failing === undefined) {
      for (const [id, def] of touched) events.push({ logicalId: id, type: (def as { Type: string }).Type, status: `${verb(id)}_COMPLETE` });
      if (kind === 'UPDATE') events.push(s('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'));
      events.push(s(`${kind}_COMPLETE`));
      return events;
    }
    const [failId] = failing;
    const reason = this.failures.get(failId) ?? '';
    this.failures.delete(failId);
    const typeOf = (id: string) => (next[id] as { Type: string }).Type;
    events.push({ logicalId: failId, type: typeOf(failId), status: `${verb(failId)}_FAILED`, reason });
    // Siblings still running are cancelled after the real failure: newer events that must not be blamed.
    for (const [id] of touched) if (id !== failId) events.push({ logicalId: id, type: typeOf(id), status: `${verb(id)}_FAILED`, reason: 'Resource creation cancelled' });
    const names = touched.map(([id]) => id).join(', ');
    if (kind === 'CREATE') {
      events.push(s('ROLLBACK_IN_PROGRESS', `The following resource(s) failed to create: [${names}]. Rollback requested by user.`));
      for (const [id] of touched) events.push({ logicalId: id, type: typeOf(id), status: 'DELETE_COMPLETE' });
      events.push(s('ROLLBACK_COMPLETE'));
    } else {
      events.push(s('UPDATE_ROLLBACK_IN_PROGRESS', `The following resource(s) failed to update: [${names}].`));
      events.push(s('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'));
      events.push(s('UPDATE_ROLLBACK_COMPLETE'));
    }
    return events;
  }

  /** Starts an operation: the first event ("User Initiated") is written at once, the rest as the stack is polled. */
  private start(stack: FakeStack, template: string, parameters: Record<string, string>, tags: Record<string, string>, kind: 'CREATE' | 'UPDATE'): void {
    const next = resourcesOf(template);
    const events = this.script(stack, next, kind);
    const succeeds = events.at(-1)?.status === `${kind}_COMPLETE`;
    if (succeeds) {
      stack.template = template;
      stack.resources = next;
      stack.parameters = parameters;
      stack.tags = tags;
      stack.outputs = outputsOf(template);
    }
    this.apply(stack, events.shift() as ScriptedEvent);
    stack.pending.push(...events);
  }

  private createStack(input: CreateStackCommand['input']): { StackId: string } {
    const name = input.StackName ?? '';
    if (this.live(name)) throw awsError('AlreadyExistsException', `Stack [${name}] already exists`);
    const stack = this.newStack(name, input.TemplateBody ?? '', record(input.Parameters), tagRecord(input.Tags));
    this.start(stack, input.TemplateBody ?? '', record(input.Parameters), tagRecord(input.Tags), 'CREATE');
    return { StackId: stack.id };
  }

  private updateStack(input: UpdateStackCommand['input']): { StackId: string } {
    const stack = this.find(input.StackName ?? '');
    if (stack.status.endsWith('_IN_PROGRESS')) throw awsError('ValidationError', `Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
    const same =
      JSON.stringify(resourcesOf(input.TemplateBody ?? '')) === JSON.stringify(stack.resources) &&
      JSON.stringify(record(input.Parameters)) === JSON.stringify(stack.parameters);
    if (same) throw awsError('ValidationError', 'No updates are to be performed.');
    this.start(stack, input.TemplateBody ?? '', record(input.Parameters), tagRecord(input.Tags), 'UPDATE');
    return { StackId: stack.id };
  }

  private deleteStack(ref: string, retain: string[]): Record<string, never> {
    const stack = ref.startsWith('arn:') ? this.stacks.find((s) => s.id === ref) : this.live(ref);
    if (!stack || stack.status === 'DELETE_COMPLETE') return {};
    // As AWS: RetainResources only for a stack in DELETE_FAILED, and only resources that failed.
    if (retain.length && stack.status !== 'DELETE_FAILED') throw awsError('ValidationError', `Invalid operation on stack [${stack.id}]. RetainResources can only be specified when the stack is in the DELETE_FAILED state`);
    const s = (status: string, reason?: string): ScriptedEvent => ({ logicalId: stack.name, type: STACK_TYPE, status, ...(reason ? { reason } : {}) });
    this.apply(stack, s('DELETE_IN_PROGRESS', 'User Initiated'));
    const failing: string[] = [];
    for (const [id, def] of Object.entries(stack.resources)) {
      const type = (def as { Type: string }).Type;
      const reason = this.deleteFailures.get(id);
      if (retain.includes(id)) stack.pending.push({ logicalId: id, type, status: 'DELETE_SKIPPED' });
      else if (reason !== undefined) {
        failing.push(id);
        stack.pending.push({ logicalId: id, type, status: 'DELETE_IN_PROGRESS' }, { logicalId: id, type, status: 'DELETE_FAILED', reason });
      } else stack.pending.push({ logicalId: id, type, status: 'DELETE_IN_PROGRESS' }, { logicalId: id, type, status: 'DELETE_COMPLETE' });
    }
    if (failing.length) {
      stack.pending.push(s('DELETE_FAILED', `The following resource(s) failed to delete: [${failing.join(', ')}]. `));
      stack.resources = Object.fromEntries(Object.entries(stack.resources).filter(([id]) => failing.includes(id)));
      return {};
    }
    stack.pending.push(s('DELETE_COMPLETE'));
    stack.resources = {};
    return {};
  }


  private createChangeSet(input: CreateChangeSetCommand['input']): { Id: string; StackId: string } {
    const name = input.StackName ?? '';
    const type = input.ChangeSetType === 'CREATE' ? 'CREATE' : 'UPDATE';
    let stack = this.live(name);
    if (type === 'CREATE') {
      if (stack && stack.status !== 'REVIEW_IN_PROGRESS') throw awsError('AlreadyExistsException', `Stack [${name}] already exists`);
      if (!stack) {
        stack = this.newStack(name, '', {}, {});
        this.apply(stack, { logicalId: name, type: STACK_TYPE, status: 'REVIEW_IN_PROGRESS', reason: 'User Initiated' });
      }
    } else if (!stack || stack.status === 'REVIEW_IN_PROGRESS') {
      throw awsError('ValidationError', `Stack [${name}] does not exist`);
    }
    const next = resourcesOf(input.TemplateBody ?? '');
    const changes: Change[] = [];
    for (const [id, def] of Object.entries(next)) {
      if (!(id in stack.resources)) changes.push({ Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: id, ResourceType: def.Type } });
      else if (JSON.stringify(stack.resources[id]) !== JSON.stringify(def))
        changes.push({ Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: id, ResourceType: def.Type, Replacement: 'False' } });
    }
    for (const [id, def] of Object.entries(stack.resources))
      if (!(id in next)) changes.push({ Type: 'Resource', ResourceChange: { Action: 'Remove', LogicalResourceId: id, ResourceType: (def as { Type: string }).Type } });
    const id = `arn:aws:cloudformation:us-east-1:123456789012:changeSet/${input.ChangeSetName}/${randomUUID()}`;
    const empty = changes.length === 0 && JSON.stringify(record(input.Parameters)) === JSON.stringify(stack.parameters);
    this.changeSets.set(id, {
      id,
      name: input.ChangeSetName ?? '',
      stackId: stack.id,
      type,
      status: 'CREATE_PENDING',
      polls: 0,
      changes,
      template: input.TemplateBody ?? '',
      parameters: record(input.Parameters),
      tags: tagRecord(input.Tags),
      ...(empty ? { reason: "The submitted information didn't contain changes. Submit different information to create a change set." } : {}),
      ...(this.changeSetFailure !== undefined ? { reason: this.changeSetFailure } : {}),
    });
    this.changeSetFailure = undefined;
    return { Id: id, StackId: stack.id };
  }

  private changeSet(id: string): FakeChangeSet {
    const cs = this.changeSets.get(id);
    if (!cs) throw awsError('ChangeSetNotFoundException', `ChangeSet [${id}] does not exist`);
    return cs;
  }

  private describeChangeSet(id: string): object {
    const cs = this.changeSet(id);
    // The first poll sees it still being computed, as on AWS.
    cs.polls += 1;
    cs.status = cs.polls < 2 ? 'CREATE_IN_PROGRESS' : cs.reason ? 'FAILED' : 'CREATE_COMPLETE';
    return {
      ChangeSetId: cs.id,
      ChangeSetName: cs.name,
      StackId: cs.stackId,
      Status: cs.status,
      ExecutionStatus: cs.status === 'CREATE_COMPLETE' ? 'AVAILABLE' : 'UNAVAILABLE',
      ...(cs.status === 'FAILED' ? { StatusReason: cs.reason } : {}),
      Changes: cs.status === 'CREATE_COMPLETE' ? cs.changes : [],
    };
  }

  private executeChangeSet(id: string): Record<string, never> {
    const cs = this.changeSet(id);
    if (cs.status !== 'CREATE_COMPLETE') throw awsError('InvalidChangeSetStatusException', `ChangeSet [${id}] cannot be executed in its current status of [${cs.status}]`);
    const stack = this.find(cs.stackId);
    this.changeSets.delete(id);
    this.start(stack, cs.template, cs.parameters, cs.tags, cs.type);
    return {};
  }
}
