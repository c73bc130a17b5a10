// The rollout watcher (cli/steps/rollout-watch.ts) called directly over FAKE ECS, target-health and log reads and a
// FAKE clock: which stopped tasks count, what each `rollout` event carries, how often log tails are read, and the
// error a verdict ends with. Written against surviving mutants (docs/mutation.md, cli/steps); the watcher inside the
// infra step is test/rollout-watch.test.ts, and over moto's reads test/rollout-watch-moto.test.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { RolloutReport } from '../cli/domain/rollout.ts';
import type { TargetHealthView, TaskView } from '../cli/ports/ecosystem.ts';
import { logStreamOf } from '../cli/ports/ecosystem.ts';
import { rolloutError, watchRollout, type RolloutVerdict } from '../cli/steps/rollout-watch.ts';
import { FakeClock, fakeRolloutReads } from './support/fake-ports.ts';

const REF = { cluster: 'feature-x-cluster', service: 'feature-x-hello-world' };
/** FakeClock's start: the moment the deploy began. */
const SINCE = new FakeClock().t;
const EXITED = 'Essential container in task exited';

const task = (id: string, at: number | undefined, over: Partial<TaskView> = {}): TaskView => ({
  arn: `arn:aws:ecs:us-east-1:1:task/c/${id}`, id, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', taskDefinition: 'td:2',
  group: 'service:feature-x-hello-world', stoppedReason: EXITED, ...(at !== undefined ? { stoppedAt: new Date(at) } : {}),
  containers: [{ name: 'hello-world', exitCode: 1 }], ...over,
});

/** Runs the watcher until it returns a verdict (or `maxLooks` looks pass: then it is stopped, and undefined comes back). */
async function watch(stopped: (look: number, clock: FakeClock) => TaskView[], opts: { maxLooks?: number; logs?: Record<string, string[]>; targets?: TargetHealthView[] } = {}) {
  const clock = new FakeClock();
  const since = clock.t;
  const stop = new AbortController();
  const reads = fakeRolloutReads({ service: { running: 0, desired: 2, deployments: [{ id: 'd', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: 'td:2', desired: 2, running: 0, pending: 2, failedTasks: 1 }] }, logs: opts.logs ?? {}, ...(opts.targets ? { targets: opts.targets } : {}) });
  const tailed: string[] = [];
  const tail = reads.logs.tail;
  reads.logs.tail = async (group, stream, n, o) => (tailed.push(`${group} ${stream} ${n}`), tail(group, stream, n, o));
  const asked: string[] = [];
  const svc = reads.ecs.service;
  reads.ecs.service = async (ref, o) => (asked.push(`service ${o?.signal === stop.signal}`), svc(ref, o));
  const tg = reads.targets.targets;
  reads.targets.targets = async (group, o) => (asked.push(`targets ${group} ${o?.signal === stop.signal}`), tg(group, o));
  reads.ecs.tasks = async (_ref, status, o) => {
    asked.push(`tasks ${status} ${o?.signal === stop.signal}`);
    reads.looks += 1;
    if (reads.looks > (opts.maxLooks ?? 20)) stop.abort();
    return stopped(reads.looks, clock);
  };
  const reports: RolloutReport[] = [];
  const warns: string[] = [];
  const verdict = await watchRollout(reads, clock, { ref: REF, targetGroup: 'tg', logGroup: '/ecs/feature-x', since, signal: stop.signal, onReport: (r) => reports.push(r), onWarn: (m) => warns.push(m) });
  return { verdict, reports, warns, tailed, clock, since, asked };
}

describe('watchRollout: which stopped tasks are this rollout\'s', () => {
  test('a task of another group (a one-off RunTask) never counts; a task with no group (moto) does', async () => {
    const { verdict } = await watch((look, clock) => (look < 2 ? [] : [task('other1', clock.t - 1, { group: 'family:migrate' }), task('other2', clock.t - 1, { group: 'family:migrate' })]), { maxLooks: 4 });
    assert.equal(verdict, undefined);
    const moto = await watch((look, clock) => (look < 2 ? [] : [task('m1', clock.t - 1, { group: undefined }), task('m2', clock.t - 1, { group: undefined })]));
    assert.deepEqual(moto.verdict?.diagnosis.groups.map((g) => g.tasks), [['m1', 'm2']]);
  });

  test('tasks without timestamps count when the first look did not see them; the first look\'s are the earlier deploy\'s', async () => {
    const { verdict } = await watch((look) => (look < 2 ? [task('old1', undefined), task('old2', undefined)] : [task('old1', undefined), task('old2', undefined), task('new1', undefined), task('new2', undefined)]));
    assert.deepEqual(verdict?.diagnosis.groups.flatMap((g) => g.tasks), ['new1', 'new2']);
  });

  test('a task stopped before the deploy began is not this rollout\'s, even when the first look missed it; createdAt stands in for stoppedAt', async () => {
    const { verdict } = await watch((look, clock) => (look < 2 ? [] : [task('early', clock.t - 3_600_000), task('c1', undefined, { createdAt: new Date(clock.t - 1) }), task('c2', undefined, { startedAt: new Date(clock.t - 1) })]));
    assert.deepEqual(verdict?.diagnosis.groups.flatMap((g) => g.tasks), ['c1', 'c2']);
  });

  test('a first look that fails is no reason to stop: the next looks decide', async () => {
    const { verdict } = await watch((look, clock) => {
      if (look === 1) throw new Error('throttled');
      return look < 3 ? [] : [task('a', clock.t - 1), task('b', clock.t - 1)];
    });
    assert.ok(verdict?.diagnosis.failing);
  });
});

describe('watchRollout: what is reported', () => {
  test('each stopped task\'s log tail is read once (20 lines of its stream), multi-line messages split, the trailing newlines dropped', async () => {
    const logs = { [logStreamOf('a')]: ['Traceback (most recent call last):\n\n  File "app.py"\nKeyError: PORT\n\n'], [logStreamOf('b')]: [] };
    const { verdict, tailed } = await watch((look, clock) => (look < 2 ? [] : look < 4 ? [task('a', clock.t - 30_000)] : [task('a', clock.t - 30_000), task('b', clock.t - 1)]), { logs });
    assert.deepEqual(tailed, [`/ecs/feature-x ${logStreamOf('a')} 20`, `/ecs/feature-x ${logStreamOf('b')} 20`], 'one read per task, however many looks see it');
    assert.deepEqual(verdict?.logTails, [{ task: 'a', lines: ['Traceback (most recent call last):', '', '  File "app.py"', 'KeyError: PORT'] }], 'a task with no log lines has no tail');
  });

  test('a report carries the deployments (with ECS\'s rollout state), the stopped tasks\' reasons and exit codes, and each target\'s state and reason; it is sent only when it changes', async () => {
    const targets = [{ id: '10.0.0.1', state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [404]' }, { id: '10.0.0.2', state: 'initial' }];
    const { reports } = await watch((look, clock) => (look < 3 ? [] : [task('a', clock.t - 1, { stoppedReason: undefined, stopCode: 'EssentialContainerExited', containers: [{ name: 'hello-world', exitCode: 3, reason: 'OutOfMemoryError' }] })]), { targets, maxLooks: 5 });
    assert.equal(reports.length, 2, 'the same report twice in a row is sent once');
    assert.deepEqual(reports[0], {
      service: 'feature-x-hello-world', running: 0, desired: 2,
      deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', running: 0, desired: 2, failed: 1 }],
      stopped: [],
      targets: [{ id: '10.0.0.1', state: 'unhealthy', reason: 'Target.ResponseCodeMismatch' }, { id: '10.0.0.2', state: 'initial' }],
    });
    assert.deepEqual(reports[1]!.stopped, [{ task: 'a', reason: 'EssentialContainerExited; hello-world: OutOfMemoryError; hello-world exit code 3', exitCode: 3 }]);
  });
});

describe('rolloutError', () => {
  test('two stopped tasks with logs: both tails go out as log lines before the error, whose hint says each task\'s is above', () => {
    const v: RolloutVerdict = {
      diagnosis: { failing: true, groups: [{ kind: 'exit-code', reason: `${EXITED}; hello-world exit code 1`, exitCode: 1, tasks: ['a', 'b'], neverHeals: false }], unhealthy: [] },
      report: { service: 'feature-x-hello-world', running: 0, desired: 2, deployments: [], stopped: [], targets: [] },
      logTails: [{ task: 'a', lines: ['boom'] }, { task: 'b', lines: ['bang', 'crash'] }],
    };
    const said: string[] = [];
    const err = rolloutError(v, { warn: (m) => said.push(`warn ${m}`), log: (s, l) => said.push(`${s} ${l}`) }, 'Cancelled the update.');
    assert.deepEqual(said, ['warn Cancelled the update.', 'stderr last log lines of stopped task a:', 'stderr   boom', 'stderr last log lines of stopped task b:', 'stderr   bang', 'stderr   crash']);
    assert.equal(err.code, 'ROLLOUT_FAILED');
    assert.ok((err.hint ?? '').endsWith(' Cancelled the update. The last log lines of each stopped task are above.'), err.hint);
    const none = rolloutError({ ...v, logTails: [] }, { warn: () => undefined, log: () => undefined }, 'Nothing to cancel.');
    assert.ok((none.hint ?? '').endsWith(' Nothing to cancel.'), none.hint);
  });
});

describe('rolloutError with two kinds of reason', () => {
  test('one hint per kind, in the groups\' order, each a sentence of its own, then what was done about it', () => {
    const v: RolloutVerdict = {
      diagnosis: {
        failing: true,
        groups: [
          { kind: 'exit-code', reason: `${EXITED}; hello-world exit code 3`, exitCode: 3, tasks: ['a', 'b'], neverHeals: false },
          { kind: 'health-check', reason: 'Task failed ELB health checks', tasks: ['c'], neverHeals: false },
        ],
        unhealthy: [],
      },
      report: { service: 'feature-x-hello-world', running: 0, desired: 2, deployments: [], stopped: [], targets: [] },
      logTails: [],
    };
    const err = rolloutError(v, { warn: () => undefined, log: () => undefined }, 'Nothing to cancel.');
    assert.equal(err.hint, [
      'The app exited with code 3: the log tail below says why.',
      'The load balancer\'s health check failed: the app must answer 200 to GET /health over HTTPS on port 5000 within 5 s, after its 60 s grace period.',
      'Nothing to cancel.',
    ].join(' '));
    assert.equal(err.message, 'The rollout of service feature-x-hello-world is failing: 2 tasks stopped: Essential container in task exited; hello-world exit code 3; 1 task stopped: Task failed ELB health checks.');
  });
});

describe('watchRollout: the edges', () => {
  test('every read is of stopped tasks, the target group and the service, each with the watcher\'s signal', async () => {
    const { asked } = await watch((look, clock) => (look < 2 ? [] : [task('a', clock.t - 1), task('b', clock.t - 1)]));
    assert.ok(asked.length >= 4);
    assert.deepEqual([...new Set(asked)].sort(), ['service true', 'targets tg true', 'tasks stopped true']);
  });

  test('a task stopped exactly when the deploy began is this rollout\'s, whether the first look saw it or not', async () => {
    const firstSeen = await watch(() => [task('a', SINCE), task('b', SINCE)]);
    assert.deepEqual(firstSeen.verdict?.diagnosis.groups.flatMap((g) => g.tasks), ['a', 'b']);
    const laterSeen = await watch((look) => (look < 2 ? [] : [task('a', SINCE), task('b', SINCE)]));
    assert.deepEqual(laterSeen.verdict?.diagnosis.groups.flatMap((g) => g.tasks), ['a', 'b']);
  });

  test('a log read that fails leaves that task without a tail; no target group answer is no targets; a task without an exit code reports none', async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    const reads = fakeRolloutReads({ service: {}, stopped: () => (reads.looks > 1 ? [task('a', clock.t - 1, { stoppedReason: 'CannotPullContainerError: not found', containers: [{ name: 'hello-world' }] })] : []) });
    reads.logs.tail = async () => { throw new Error('ResourceNotFoundException: no log stream'); };
    const reports: RolloutReport[] = [];
    const verdict = await watchRollout(reads, clock, { ref: REF, targetGroup: 'tg', logGroup: '/ecs/x', since: clock.t, signal: stop.signal, onReport: (r) => reports.push(r), onWarn: () => undefined });
    assert.deepEqual(verdict?.logTails, []);
    assert.deepEqual(reports.at(-1)!.targets, []);
    assert.deepEqual(reports.at(-1)!.stopped, [{ task: 'a', reason: 'CannotPullContainerError: not found' }]);
  });
});
