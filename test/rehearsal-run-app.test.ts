// The rehearsal's run-app step over FAKE ports and a FAKE clock (test/support/fake-ports.ts): a container that
// dies at start, an app that never turns healthy within its minute, a port already taken, a probe that sees the
// wrong certificate. The run spec is read from the real infra template, as in a rehearsal.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { GREETING, READY_TIMEOUT_MS, runApp } from '../cli/rehearsal/steps/run-app.ts';
import type { HelloDeployError } from '../cli/core/errors.ts';
import type { HttpsAnswer, PythonEnv, RehearsalPorts, ReportedTask, RunRequest, StartedApp, StartedEmulator, TaskReportRequest } from '../cli/ports/rehearsal.ts';
import { FakeClock, INFRA_TEMPLATE, NO_DOCKER, fakeApp, recordingIO, rehearsalCtx, untouchable } from './support/fake-ports.ts';

const FINGERPRINT = 'AA:BB:CC';
const IMAGE = '127.0.0.1:45999/feature-x-hello-world-ecr@sha256:abab';
const PYTHON: PythonEnv = { source: 'project-venv', bin: '/project/.venv/bin', gunicorn: '/project/.venv/bin/gunicorn' };
const REFUSED = () => new Error('connect ECONNREFUSED 127.0.0.1:5000');
type Answer = HttpsAnswer | (() => Error);
const ok = (body: string, fingerprint = FINGERPRINT): HttpsAnswer => ({ status: 200, body, fingerprint });

/**
 * Fake app ports: the app (fakeApp) starts in a container or under gunicorn; HTTPS answers per path come from
 * `answers` in turn (the last repeating). `portFree` says whether the task definition's port is free here.
 */
function appPorts(app: StartedApp, answers: Record<string, Answer[]>, opts: { portFree?: boolean; clock?: FakeClock } = {}) {
  const seen = { runs: [] as { how: string; req: RunRequest }[], gets: [] as string[], reports: [] as TaskReportRequest[], exits: [] as (number | undefined)[] };
  const asked: Record<string, number> = {};
  // A FAKE reported task: it records the exit it is told of (test/moto-ext-task-counts.test.ts and the e2e use the launcher).
  const task: ReportedTask = {
    what: 'task t1 in the emulator', taskId: 't1', taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/c/t1', countsKept: true, stopHint: '-',
    logStream: { group: '/ecs/x', stream: 'hello-world/hello-world/t1' },
    exited: async (code) => void seen.exits.push(code), stoppedBy: async (_reason, code) => void seen.exits.push(code), stop: async () => undefined, killNow: () => undefined, release: () => undefined,
  };
  const ports: Pick<RehearsalPorts, 'portIsFree' | 'freePort' | 'runContainer' | 'python' | 'runGunicorn' | 'httpsGet' | 'reportTask'> = {
    reportTask: async (req) => (seen.reports.push(req), task),
    portIsFree: async () => opts.portFree ?? true,
    freePort: async () => 41000,
    runContainer: async (image, req) => (seen.runs.push({ how: `docker ${image}`, req }), app),
    python: async () => PYTHON,
    runGunicorn: async (python, req) => (seen.runs.push({ how: `gunicorn ${python.bin}`, req }), app),
    async httpsGet(url) {
      const p = new URL(url).pathname;
      seen.gets.push(p);
      const list = answers[p] ?? [REFUSED];
      const a = list[Math.min((asked[p] = (asked[p] ?? -1) + 1), list.length - 1)]!;
      if (typeof a === 'function') throw a();
      return a;
    },
  };
  return { ports, seen };
}

const EMULATOR = { what: 'emulator', endpoint: 'http://127.0.0.1:1', info: { engine: 'moto', endpoint: 'http://127.0.0.1:1' } } as StartedEmulator;

function setup(app: StartedApp, answers: Record<string, Answer[]>, opts: { portFree?: boolean; noDocker?: boolean; emulator?: boolean } = {}) {
  const clock = new FakeClock();
  const { ports, seen } = appPorts(app, answers, opts);
  const ctx = rehearsalCtx(ports, {
    clock,
    ...(opts.noDocker ? { docker: NO_DOCKER } : {}),
    deployState: { infraTemplateBody: INFRA_TEMPLATE, imageId: IMAGE, certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/r' },
    state: { certFingerprint: FINGERPRINT, ...(opts.emulator ? { emulator: EMULATOR } : {}) },
  });
  return { ctx, clock, seen };
}

const HEALTHY = { '/health': [ok('ok')], '/': [ok(`${GREETING}\n`)] };

describe('run-app', () => {
  test('a container that dies at start: APP_EXITED with its log tail at once, and it stays listed so teardown still removes it', async () => {
    const app = fakeApp(() => false);
    const { ctx, clock } = setup(app, { '/health': [REFUSED] });
    await assert.rejects(runApp.run(ctx, recordingIO().io), (e: HelloDeployError) => {
      assert.equal(e.code, 'APP_EXITED');
      assert.match(e.message, /The app \(docker\) exited before it answered:\nTraceback: FileNotFoundError/);
      return true;
    });
    assert.deepEqual(clock.slept, [], 'a dead app is not waited for');
    assert.deepEqual(ctx.rehearsal.state.running, [app]);
  });

  test('on an emulator, the container is reported as a task of the service (its digest and container id); when it dies, the task is told its exit code', async () => {
    const app = { ...fakeApp(() => false), exitCode: async () => 3 };
    const { ctx, seen } = setup(app, { '/health': [REFUSED] }, { emulator: true });
    await assert.rejects(runApp.run(ctx, recordingIO().io), (e: HelloDeployError) => e.code === 'APP_EXITED');
    assert.deepEqual(seen.reports, [{ endpoint: 'http://127.0.0.1:1', cluster: 'feature-x-hello-world', service: 'feature-x-hello-world', containerName: 'hello-world', containerId: 'f'.repeat(64), imageDigest: 'sha256:abab' }]);
    assert.deepEqual(seen.exits, [3]);
    assert.equal(ctx.rehearsal.state.running.length, 2, 'the task is listed after the app, so teardown stops its log shipping first');
  });

  test('never healthy: APP_NOT_READY once a minute of fake time has passed, naming the last answer', async () => {
    const { ctx, clock } = setup(fakeApp(() => true), { '/health': [REFUSED, { status: 503, body: '', fingerprint: FINGERPRINT }] });
    const began = clock.now();
    await assert.rejects(runApp.run(ctx, recordingIO().io), (e: HelloDeployError) => e.code === 'APP_NOT_READY' && /within 60 s \(last: HTTP 503\)/.test(e.message));
    assert.ok(clock.now() - began > READY_TIMEOUT_MS, 'it gave up before its minute');
    assert.ok(clock.now() - began < READY_TIMEOUT_MS + 1_000, 'it kept polling after its minute');
  });

  test('refused while it starts, then healthy: probes recorded, the summary says what matched', async () => {
    const { ctx, clock, seen } = setup(fakeApp(() => true), { ...HEALTHY, '/health': [REFUSED, REFUSED, ok('ok')] });
    const outcome = await runApp.run(ctx, recordingIO().io);
    assert.equal(clock.slept.length, 2);
    assert.equal(seen.runs[0]!.how, `docker ${IMAGE}`);
    assert.equal(seen.runs[0]!.req.port, 5000, "the task definition's port");
    const probes = ctx.rehearsal.state.probes!;
    assert.deepEqual([probes.root.ok, probes.health.ok, probes.fingerprintMatches], [true, true, true]);
    assert.match(outcome.status === 'succeeded' ? (outcome.summary ?? '') : '', /\/ → 200 "hello world", \/health → 200, certificate AA:BB:CC… matches$/);
  });

  test('the wrong certificate or greeting fails with APP_PROBE_FAILED naming each problem; the probes are kept for the report', async () => {
    const { ctx } = setup(fakeApp(() => true), { '/health': [ok('ok', 'EE:FF')], '/': [ok('hello moon', 'EE:FF')] });
    await assert.rejects(runApp.run(ctx, recordingIO().io), (e: HelloDeployError) => {
      assert.equal(e.code, 'APP_PROBE_FAILED');
      assert.match(e.message, /GET \/ answered 200 "hello moon", not 200 "hello world"/);
      assert.match(e.message, /the certificate served \(EE:FF\) is not the rehearsal's \(AA:BB:CC\)/);
      assert.doesNotMatch(e.message, /GET \/health/);
      return true;
    });
    assert.equal(ctx.rehearsal.state.probes?.fingerprintMatches, false);
  });

  test("the task definition's port is taken here: the app runs on a free one, with a warning and a line in what was not rehearsed", async () => {
    const { ctx, seen } = setup(fakeApp(() => true), HEALTHY, { portFree: false });
    const { io, rec } = recordingIO();
    await runApp.run(ctx, io);
    assert.equal(seen.runs[0]!.req.port, 41000);
    assert.match(rec.warn.join('\n'), /Port 5000 .* is taken on this machine: the app runs on 41000 instead/);
    assert.deepEqual(ctx.rehearsal.state.skipped, [{ what: 'port 5000', reason: 'taken on this machine; the app ran on 41000' }]);
    assert.deepEqual(ctx.rehearsal.state.probes?.port, { template: 5000, used: 41000 });
  });

  test('no Docker engine: the app runs under gunicorn with the Python tools, and no image is needed', async () => {
    const app = fakeApp(() => true, 'gunicorn');
    const { ctx, seen } = setup(app, HEALTHY, { noDocker: true });
    ctx.state.imageId = undefined;
    await runApp.run(ctx, recordingIO().io);
    assert.deepEqual(seen.runs.map((r) => r.how), [`gunicorn ${PYTHON.bin}`]);
    assert.equal(ctx.rehearsal.state.python, PYTHON);
  });

  test('an ARN certificate cannot be mounted: a bug (the prerequisites refuse it first), nothing started', async () => {
    const ctx = rehearsalCtx(untouchable<ReturnType<typeof appPorts>['ports']>('rehearsal ports'), { deploy: { certificate: { kind: 'arn', arn: 'arn:x' } } });
    await assert.rejects(runApp.run(ctx, recordingIO().io), (e: HelloDeployError) => e.code === 'BUG');
  });
});
