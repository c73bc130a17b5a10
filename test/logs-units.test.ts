// `logs` without AWS: the --since and --task parsers, the flag rules, the read loop over a fake LogsPort (pages,
// de-duplication across polls, late events in the overlap, new streams, stopping) on a FakeClock that never
// sleeps, --previous over a fake ECS port, and the plain printer's escaping. The same on moto: test/logs-e2e.test.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseTaskId } from '../cli/domain/parsers.ts';
import { resolveLogsOptions, DEFAULT_SINCE_MS, type LogsOptions } from '../cli/logs/options.ts';
import { readLogs, MAX_FAILED_POLLS, MAX_PAGES, OVERLAP_MS, POLL_MS, SeenEvents } from '../cli/logs/read.ts';
import { runLogs } from '../cli/logs/run.ts';
import type { LogsEvent } from '../cli/logs/result.ts';
import { logLine, logsPrinter } from '../cli/printers/logs.ts';
import { logStreamOf, type LogEventView, type LogsPort, type TaskView } from '../cli/ports/ecosystem.ts';
import { AbortError, HelloDeployError } from '../cli/core/errors.ts';
import { FakeClock } from './support/fake-ports.ts';

const T0 = 1_700_000_000_000;
type Query = Parameters<LogsPort['events']>[1];
const ev = (id: string, atMs: number, task = 'aaaaaaaa11112222333344445555', message = `line ${id}`): LogEventView => ({ id, stream: logStreamOf(task), at: new Date(atMs), message });

/**
 * A fake LogsPort (named so): the group's events, of which only those "visible" are returned (CloudWatch's
 * eventual consistency), paged `pageSize` at a time; `onQuery` runs before each answer (to add lines, or stop).
 */
function fakeLogs(opts: { events?: LogEventView[]; missing?: boolean; pageSize?: number; ignorePrefix?: boolean; onQuery?: (n: number) => void } = {}): LogsPort & { store: LogEventView[]; hidden: Set<string>; queries: Query[] } {
  const store = opts.events ?? [];
  const hidden = new Set<string>();
  const queries: Query[] = [];
  return {
    store,
    hidden,
    queries,
    async events(_group, q) {
      queries.push(q);
      opts.onQuery?.(queries.length);
      if (opts.missing) return undefined;
      const all = store
        .filter((e) => !hidden.has(e.id) && e.at.getTime() >= q.startMs && (q.endMs === undefined || e.at.getTime() <= q.endMs) && (opts.ignorePrefix || e.stream.startsWith(q.streamPrefix ?? '')))
        .sort((a, b) => a.at.getTime() - b.at.getTime());
      const from = Number(q.nextToken ?? 0);
      const size = opts.pageSize ?? 1000;
      return { events: all.slice(from, from + size), ...(from + size < all.length ? { nextToken: String(from + size) } : {}) };
    },
    async tail() {
      return [];
    },
  };
}

describe('parsers', () => {
  test('--since: a whole number and one unit, 1 s to 30 days', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('10m'), 600_000);
    assert.equal(parseDuration(' 2h '), 7_200_000);
    assert.equal(parseDuration('30d'), 30 * 86_400_000);
    for (const bad of ['', '10', 'm', '1.5h', '-1m', '0s', '31d', '10w', '1h30m', '99999999s', '\u001b[2J1m']) {
      assert.throws(() => parseDuration(bad), (e: HelloDeployError) => e.code === 'BAD_INPUT' && e.exitCode === 2 && !e.message.includes('\u001b'), bad);
    }
  });
  test('--task: 32 hex, a UUID, an ARN, or the first 8+ characters; lower-cased', () => {
    const hex = '0123456789abcdef0123456789abcdef';
    const uuid = '01234567-89ab-cdef-0123-456789abcdef';
    assert.equal(parseTaskId(hex.toUpperCase()), hex);
    assert.equal(parseTaskId(uuid), uuid);
    assert.equal(parseTaskId(`arn:aws:ecs:us-east-1:123456789012:task/feature-x-hello-world/${hex}`), hex);
    assert.equal(parseTaskId(`arn:aws:ecs:us-east-1:123456789012:task/${uuid}`), uuid);
    assert.equal(parseTaskId('01234567'), '01234567');
    assert.equal(parseTaskId('01234567-89'), '01234567-89');
    for (const bad of ['0123456', `${hex}0`, 'g1234567', '01234567_89', '0123456789-ab', '../../etc', `${uuid}-0`, 'arn:aws:ecs:us-east-1:1:task/x']) {
      assert.throws(() => parseTaskId(bad), (e: HelloDeployError) => e.code === 'BAD_INPUT', bad);
    }
  });
});

describe('options', () => {
  const env = { branch: 'feature-x' };
  test('defaults: the branch as ecosystem, 10 minutes, no task, once', async () => {
    const o = await resolveLogsOptions({ region: 'us-east-1' }, env);
    assert.deepEqual(o, { ecosystem: 'feature-x', region: 'us-east-1', sinceMs: DEFAULT_SINCE_MS, previous: false, follow: false });
  });
  test('every bad value at once, exit 2; --previous with --task or --follow refused', async () => {
    await assert.rejects(resolveLogsOptions({ region: 'us-east-1', since: '1y', task: 'zz', ecosystem: 'BAD NAME' }, env), (e: HelloDeployError) => e.code === 'BAD_INPUT' && /3 problems/.test(e.message));
    await assert.rejects(resolveLogsOptions({ region: 'us-east-1', previous: true, task: '01234567' }, env), (e: HelloDeployError) => e.exitCode === 2 && /--previous and --task/.test(e.message));
    await assert.rejects(resolveLogsOptions({ region: 'us-east-1', previous: true, follow: true }, env), (e: HelloDeployError) => e.exitCode === 2 && /--follow/.test(e.message));
    await assert.rejects(resolveLogsOptions({ region: 'us-east-1' }, {}), (e: HelloDeployError) => e.code === 'MISSING_ANSWERS');
  });
});

describe('readLogs', () => {
  const q = (over: Partial<Parameters<typeof readLogs>[2]> = {}) => ({ group: '/ecs/x-hello-world', startMs: T0 - 600_000, streamPrefix: logStreamOf(''), follow: false, ...over });

  test('once: every page of the window up to now, oldest first, each line once', async () => {
    const clock = new FakeClock(T0);
    const logs = fakeLogs({ pageSize: 2, events: [ev('3', T0 - 1000), ev('1', T0 - 3000), ev('2', T0 - 2000), ev('old', T0 - 700_000), ev('future', T0 + 5)] });
    const got: string[] = [];
    const out = await readLogs(logs, clock, q(), (e) => got.push(e.id), new AbortController().signal);
    assert.deepEqual(got, ['1', '2', '3']);
    assert.deepEqual({ ...out }, { found: true, count: 3, fromMs: T0 - 600_000, toMs: T0, truncated: false });
    assert.equal(logs.queries.length, 2, 'two pages of 2');
    assert.ok(logs.queries.every((x) => x.endMs === T0 && x.startMs === T0 - 600_000));
    assert.equal(clock.slept.length, 0, 'no polling without --follow');
  });

  test('once: more than MAX_PAGES pages is cut, and says so', async () => {
    const events = Array.from({ length: MAX_PAGES + 1 }, (_, i) => ev(String(i), T0 - 10_000 + i));
    const got: string[] = [];
    const out = await readLogs(fakeLogs({ events, pageSize: 1 }), new FakeClock(T0), q(), (e) => got.push(e.id), new AbortController().signal);
    assert.equal(out.truncated, true);
    assert.equal(got.length, MAX_PAGES);
    assert.equal(got[0], '0', 'the oldest are the ones printed');
  });

  test('a stream outside the prefix is dropped even when the service does not filter (moto ignores logStreamNamePrefix)', async () => {
    const got: string[] = [];
    const logs = fakeLogs({ ignorePrefix: true, events: [ev('mine', T0 - 1000, 'aaaaaaaa'), ev('other', T0 - 900, 'bbbbbbbb')] });
    await readLogs(logs, new FakeClock(T0), q({ streamPrefix: logStreamOf('aaaaaaaa') }), (e) => got.push(e.id), new AbortController().signal);
    assert.deepEqual(got, ['mine']);
  });

  test('no log group: found false, nothing printed', async () => {
    const out = await readLogs(fakeLogs({ missing: true }), new FakeClock(T0), q(), () => assert.fail('no line'), new AbortController().signal);
    assert.equal(out.found, false);
  });

  test('follow: polls every POLL_MS from just before the newest line, prints late and new lines (a new task\'s too) once, stops on abort', async () => {
    const clock = new FakeClock(T0);
    const stop = new AbortController();
    const logs = fakeLogs({
      events: [ev('a', T0 - 5000), ev('b', T0 - 4000), ev('late', T0 - 4500)],
      onQuery: (n) => {
        if (n === 2) {
          // Becomes visible after b, though it happened before it; and the replacement task starts writing.
          logs.hidden.delete('late');
          logs.store.push(ev('new-task', clock.now() - 100, 'bbbbbbbb11112222333344445555'));
        }
        if (n === 3) logs.store.push(ev('c', clock.now() - 50));
        if (n === 4) stop.abort();
      },
    });
    logs.hidden.add('late');
    const got: LogEventView[] = [];
    const out = await readLogs(logs, clock, q({ follow: true }), (e) => got.push(e), stop.signal);
    assert.deepEqual(got.map((e) => e.id), ['a', 'b', 'late', 'new-task', 'c']);
    assert.equal(got[3]!.stream, logStreamOf('bbbbbbbb11112222333344445555'));
    assert.equal(out.count, 5);
    assert.equal(out.found, true);
    assert.deepEqual(clock.slept, [POLL_MS, POLL_MS, POLL_MS]);
    assert.equal(logs.queries[0]!.startMs, T0 - 600_000);
    assert.equal(logs.queries[1]!.startMs, T0 - 4000 - OVERLAP_MS, 'the second poll reads again from the overlap before b');
    assert.ok(logs.queries.every((x) => x.endMs === undefined), 'following reads open-ended');
  });

  test('follow: an abort during a call ends normally with what was printed; without follow it is thrown', async () => {
    const stop = new AbortController();
    const throwing: LogsPort = {
      ...fakeLogs({ events: [ev('a', T0 - 1000)] }),
      events: async (_g, qq) => {
        if (qq.startMs !== T0 - 600_000) {
          stop.abort();
          throw new Error('aborted');
        }
        return { events: [ev('a', T0 - 1000)] };
      },
    };
    const got: string[] = [];
    const out = await readLogs(throwing, new FakeClock(T0), q({ follow: true }), (e) => got.push(e.id), stop.signal);
    assert.deepEqual(got, ['a']);
    assert.equal(out.count, 1);
    const once = new AbortController();
    once.abort();
    await assert.rejects(readLogs({ ...throwing, events: async () => Promise.reject(new Error('aborted')) }, new FakeClock(T0), q(), () => undefined, once.signal), /aborted/);
  });

  test('follow: a poll that fails on a blip is warned about and retried, up to MAX_FAILED_POLLS in a row; a deleted group ends it', async () => {
    const blip = () => new AbortError('AWS_UNREACHABLE', 'CloudWatch Logs FilterLogEvents: timed out');
    let n = 0;
    let gone = false;
    const base = fakeLogs({ events: [ev('a', T0 - 1000)] });
    const flaky: LogsPort = { ...base, events: async (g, qq) => (++n === 2 || n === 3 ? Promise.reject(blip()) : gone ? undefined : (n === 5 && (gone = true), base.events(g, qq))) };
    const warned: string[] = [];
    const got: string[] = [];
    const out = await readLogs(flaky, new FakeClock(T0), q({ follow: true }), (e) => got.push(e.id), new AbortController().signal, (m) => warned.push(m));
    assert.deepEqual(got, ['a']);
    assert.equal(out.found, true);
    assert.equal(warned.length, 3, warned.join('\n'));
    assert.match(warned[0]!, /timed out \(poll 1 of 5/);
    assert.match(warned[2]!, /was deleted; stopped following/);
    let m = 0;
    const down: LogsPort = { ...base, events: async (g, qq) => (++m === 1 ? base.events(g, qq) : Promise.reject(blip())) };
    await assert.rejects(readLogs(down, new FakeClock(T0), q({ follow: true }), () => undefined, new AbortController().signal), /timed out/);
    assert.equal(m, 1 + MAX_FAILED_POLLS);
  });

  test('the seen ids are let go once no query can return them', () => {
    const seen = new SeenEvents();
    assert.deepEqual(seen.fresh([ev('2', 20), ev('1', 10), ev('1', 10)]).map((e) => e.id), ['1', '2']);
    assert.deepEqual(seen.fresh([ev('1', 10), ev('3', 30)]).map((e) => e.id), ['3']);
    seen.forgetBefore(20);
    assert.equal(seen.size, 2);
    assert.equal(seen.newestMs, 30);
  });
});

describe('runLogs', () => {
  const options = (over: Partial<LogsOptions> = {}): LogsOptions => ({ ecosystem: 'x', region: 'us-east-1', sinceMs: 600_000, previous: false, follow: false, ...over });
  const stopped: TaskView = {
    arn: 'arn:aws:ecs:us-east-1:123456789012:task/x-hello-world/cccccccc11112222333344445555',
    id: 'cccccccc11112222333344445555',
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    taskDefinition: 'td',
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    createdAt: new Date(T0 - 3 * 3600_000),
    stoppedAt: new Date(T0 - 2 * 3600_000),
    containers: [{ name: 'hello-world', exitCode: 3 }],
  };
  const noEcs = { tasks: async () => assert.fail('no ECS call without --previous') };

  test('lines, then a result with the window; --task narrows to its stream', async () => {
    const logs = fakeLogs({ events: [ev('1', T0 - 1000, 'aaaaaaaa'), ev('2', T0 - 500, 'bbbbbbbb')] });
    const events: LogsEvent[] = [];
    const r = await runLogs({ options: options({ task: 'bbbbbbbb' }), ports: { logs, ecs: noEcs }, clock: new FakeClock(T0) }, (e) => events.push(e), new AbortController().signal);
    assert.equal(r.ok, true);
    assert.deepEqual(events[0], { type: 'log-line', task: 'bbbbbbbb', stream: logStreamOf('bbbbbbbb'), at: new Date(T0 - 500).toISOString(), message: 'line 2' });
    assert.deepEqual(events[1], { type: 'result', ok: true, ecosystem: 'x', region: 'us-east-1', logGroup: '/ecs/x-hello-world', follow: false, task: 'bbbbbbbb', count: 1, from: new Date(T0 - 600_000).toISOString(), to: new Date(T0).toISOString() });
    assert.equal(logs.queries[0]!.streamPrefix, 'hello-world/hello-world/bbbbbbbb');
  });

  test('--previous: the newest stopped task, its whole life, and why it stopped', async () => {
    const logs = fakeLogs({ events: [ev('boot', T0 - 3 * 3600_000 + 1000, stopped.id), ev('other', T0 - 1000)] });
    const asked: string[] = [];
    const events: LogsEvent[] = [];
    const ecs = { tasks: async (ref: { cluster: string; service: string }, which: string) => (asked.push(`${ref.cluster} ${ref.service} ${which}`), [stopped]) };
    const r = await runLogs({ options: options({ previous: true }), ports: { logs, ecs }, clock: new FakeClock(T0) }, (e) => events.push(e), new AbortController().signal);
    assert.equal(r.ok, true);
    assert.deepEqual(asked, ['x-hello-world x-hello-world stopped']);
    assert.match((events[0] as { message: string }).message, /cccccccc11112222333344445555.*Essential container in task exited.*exit code 3/);
    assert.deepEqual(events.filter((e) => e.type === 'log-line').map((e) => (e as { message: string }).message), ['line boot']);
    const result = events.at(-1) as Extract<LogsEvent, { type: 'result'; ok: true }>;
    assert.equal(result.previous?.stopCode, 'EssentialContainerExited');
    assert.equal(result.from, stopped.createdAt!.toISOString());
  });

  test('--previous with no stopped task, and no log group: exit 1 with their codes', async () => {
    const events: LogsEvent[] = [];
    const none = await runLogs({ options: options({ previous: true }), ports: { logs: fakeLogs(), ecs: { tasks: async () => [] } }, clock: new FakeClock(T0) }, (e) => events.push(e), new AbortController().signal);
    assert.equal(none.error?.code, 'NO_STOPPED_TASK');
    const missing = await runLogs({ options: options(), ports: { logs: fakeLogs({ missing: true }), ecs: noEcs }, clock: new FakeClock(T0) }, (e) => events.push(e), new AbortController().signal);
    assert.equal(missing.error?.code, 'LOGS_NOT_FOUND');
    assert.equal(missing.error?.exitCode, 1);
    assert.match(missing.error?.hint ?? '', /deploy/i);
    assert.deepEqual(events.map((e) => e.type), ['result', 'result']);
  });
});

describe('plain printer', () => {
  test('short task id, ISO time, the message with controls escaped; multi-line messages indented', () => {
    const line = { type: 'log-line' as const, task: 'abcdef0123456789', stream: 's', at: '2026-01-01T00:00:00.000Z', message: 'GET / 200\u001b]0;pwned\u0007\u202e' };
    assert.equal(logLine(line), 'abcdef01 2026-01-01T00:00:00.000Z GET / 200\\u001b]0;pwned\\u0007\\u202e');
    assert.equal(logLine({ ...line, message: 'Traceback:\n  File "x"\n' }), `abcdef01 2026-01-01T00:00:00.000Z Traceback:\n${' '.repeat(34)}  File "x"`);
  });
  test('lines on stdout; info, an empty window and failures on stderr', () => {
    const out: string[] = [];
    const err: string[] = [];
    const print = logsPrinter((s) => out.push(s), (s) => err.push(s));
    print({ type: 'info', message: 'Following' });
    print({ type: 'log-line', task: 'abcdef0123', stream: 's', at: 'T', message: 'm' });
    print({ type: 'result', ok: true, ecosystem: 'x', region: 'r', logGroup: '/ecs/x-hello-world', count: 0, from: 'A', to: 'B', follow: false });
    print({ type: 'result', ok: false, error: { code: 'LOGS_NOT_FOUND', message: 'No log group', hint: 'Deploy first' } });
    assert.deepEqual(out, ['abcdef01 T m\n']);
    assert.deepEqual(err, ['Following\n', 'No log lines in /ecs/x-hello-world from A to B.\n', '\n✘ No log group\n', '  hint: Deploy first\n']);
  });
});
