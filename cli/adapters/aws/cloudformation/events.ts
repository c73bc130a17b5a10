// The stack event stream: follows DescribeStackEvents and hands on each event of this operation once, oldest first.
import type { StackEventInfo } from '../../../ports/deploy.ts';
import type { CfnApi, Cfn } from './client.ts';

function toEventInfo(e: Cfn.StackEvent): StackEventInfo {
  const info: StackEventInfo = {
    logicalId: e.LogicalResourceId ?? '',
    resourceType: e.ResourceType ?? '',
    status: e.ResourceStatus ?? '',
    timestamp: (e.Timestamp instanceof Date ? e.Timestamp : new Date(e.Timestamp ?? 0)).toISOString(),
  };
  if (e.ResourceStatusReason) info.reason = e.ResourceStatusReason;
  if (e.PhysicalResourceId) info.physicalId = e.PhysicalResourceId;
  return info;
}

/**
 * Follows DescribeStackEvents (newest first, paged) and emits each event once, oldest first. Priming marks the
 * events that existed before this operation as seen, so only this operation's events are shown; comparing with
 * the stack's own newest event (not the local clock) keeps clock skew out of it.
 */
export class EventStream {
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
    const page = await this.api.send<Cfn.DescribeStackEventsCommandOutput>('DescribeStackEvents', (s) => new s.DescribeStackEventsCommand({ StackName: stackId }));
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
      const page = await this.api.send<Cfn.DescribeStackEventsCommandOutput>('DescribeStackEvents', (s) => new s.DescribeStackEventsCommand({ StackName: ref, NextToken: token }));
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
