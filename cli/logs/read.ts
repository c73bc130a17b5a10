// Reading a log group, once or following it: the paging, the polling and the de-duplication, over the LogsPort and
// an injected clock (test/logs-units.test.ts drives it over a fake port without sleeping).
//
// FilterLogEvents pages may be partly full or empty while more follow; only a page without nextToken ends a query
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html). CloudWatch Logs
// is also eventually consistent: an event may become visible after events with later timestamps (the awslogs
// driver sends in batches, and PutLogEvents takes events up to 14 days old:
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html). So each poll reads
// again from a little before the newest event seen (OVERLAP_MS), and event ids already printed are skipped.
import { HelloDeployError } from '../core/errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { LogEventView, LogsPort } from '../ports/ecosystem.ts';

/** How often --follow asks for new lines; each call is bounded by the adapter's timeouts. */
export const POLL_MS = 2_000;
/** How far before the newest event seen each poll reads again, for events that became visible late. */
export const OVERLAP_MS = 10_000;
/** Pages read per query (1000 events each): a run prints at most this many thousand lines, the oldest first. */
export const MAX_PAGES = 50;
const PAGE_SIZE = 1000;
/** Polls in a row that may fail on a network blip or throttling (each already retried by the SDK) before --follow gives up. */
export const MAX_FAILED_POLLS = 5;
const passing = (e: unknown) => e instanceof HelloDeployError && (e.code === 'AWS_UNREACHABLE' || e.code === 'AWS_THROTTLED');

export interface LogsQuery {
  group: string;
  startMs: number;
  /** Only the streams whose name starts with this (the container's prefix, or one task's stream). */
  streamPrefix: string;
  follow: boolean;
}

export interface ReadOutcome {
  /** False when the log group does not exist. */
  found: boolean;
  count: number;
  fromMs: number;
  toMs: number;
  truncated: boolean;
}

/** The ids printed, with their timestamps, so an id that can no longer come back (older than the next query) is let go. */
export class SeenEvents {
  private readonly ids = new Map<string, number>();
  newestMs: number | undefined;

  /** The events not seen before, oldest first (ties kept in the order CloudWatch gave them), now marked seen. */
  fresh(events: LogEventView[]): LogEventView[] {
    const out: LogEventView[] = [];
    for (const e of events) {
      if (this.ids.has(e.id)) continue;
      out.push(e);
      this.ids.set(e.id, e.at.getTime());
      if (this.newestMs === undefined || e.at.getTime() > this.newestMs) this.newestMs = e.at.getTime();
    }
    return out.map((e, i) => ({ e, i })).sort((a, b) => a.e.at.getTime() - b.e.at.getTime() || a.i - b.i).map((x) => x.e);
  }

  /** Forgets the ids older than `ms`: a query from `ms` cannot return them. */
  forgetBefore(ms: number): void {
    for (const [id, at] of this.ids) if (at < ms) this.ids.delete(id);
  }

  get size(): number {
    return this.ids.size;
  }
}

/** One query, every page (at most MAX_PAGES); undefined when the group does not exist. */
async function query(logs: LogsPort, q: LogsQuery, startMs: number, endMs: number | undefined, signal: AbortSignal): Promise<{ events: LogEventView[]; more: boolean } | undefined> {
  const events: LogEventView[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const got = await logs.events(q.group, { startMs, ...(endMs !== undefined ? { endMs } : {}), streamPrefix: q.streamPrefix, limit: PAGE_SIZE, ...(nextToken ? { nextToken } : {}) }, { signal });
    if (!got) return undefined;
    // AWS filters by logStreamNamePrefix; moto (5.x) ignores it (moto/logs/responses.py reads only logStreamNames),
    // so the prefix is checked here too: on AWS it removes nothing.
    events.push(...got.events.filter((e) => e.stream.startsWith(q.streamPrefix)));
    nextToken = got.nextToken;
    if (!nextToken) return { events, more: false };
  }
  return { events, more: true };
}

/**
 * Prints (through `emit`) every event of the window once, oldest first; with `follow`, then polls every POLL_MS
 * until `signal` aborts, and ends normally: an abort under --follow is the way it is meant to stop. Without
 * follow, an abort is thrown (the caller reports the interruption).
 */
export async function readLogs(logs: LogsPort, clock: Clock, q: LogsQuery, emit: (e: LogEventView) => void, signal: AbortSignal, warn: (message: string) => void = () => undefined): Promise<ReadOutcome> {
  const seen = new SeenEvents();
  let count = 0;
  let failed = 0;
  let from = q.startMs;
  const end = (toMs: number) => ({ found: true, count, fromMs: q.startMs, toMs, truncated: false });
  for (let poll = 0; ; poll++) {
    const polledAt = clock.now();
    let got: Awaited<ReturnType<typeof query>>;
    try {
      // Once: up to now, so the pages hold one fixed window. Following: open-ended.
      got = await query(logs, q, from, q.follow ? undefined : polledAt, signal);
    } catch (e) {
      // Stopped mid-call: what that call would have returned was never received, so nothing printed is lost.
      if (q.follow && signal.aborted) return end(clock.now());
      // An hour into following, one unreachable moment should not end it: the next poll reads from the same place.
      if (!(q.follow && poll > 0 && passing(e) && ++failed < MAX_FAILED_POLLS)) throw e;
      warn(`${(e as HelloDeployError).message} (poll ${failed} of ${MAX_FAILED_POLLS} that may fail in a row; trying again in ${POLL_MS / 1000} s)`);
      await clock.sleep(POLL_MS, signal);
      if (signal.aborted) return end(clock.now());
      continue;
    }
    failed = 0;
    if (!got) {
      if (poll === 0) return { found: false, count: 0, fromMs: q.startMs, toMs: polledAt, truncated: false };
      // The group went away while following (a destroy): what was printed stands.
      warn(`The log group ${q.group} was deleted; stopped following.`);
      return end(polledAt);
    }
    for (const e of seen.fresh(got.events)) {
      emit(e);
      count++;
    }
    if (!q.follow) return { found: true, count, fromMs: q.startMs, toMs: polledAt, truncated: got.more };
    // Following, a cut-off query continues from its newest event on the next poll: nothing is skipped.
    if (seen.newestMs !== undefined) from = Math.max(q.startMs, seen.newestMs - OVERLAP_MS);
    seen.forgetBefore(from);
    if (signal.aborted) return end(clock.now());
    await clock.sleep(POLL_MS, signal);
    if (signal.aborted) return end(clock.now());
  }
}
