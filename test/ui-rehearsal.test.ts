// The rehearsal wizard (`hello-deploy --local` on a terminal): each screen rendered with ink-testing-library, a
// still clock and no colour, against the expected text in test/fixtures/ui/; then the whole app driven by key
// presses with a rehearse service that replays the events runRehearsal sends; then the real services in
// cli/commands/wizard.ts against this machine (flag checks, the dry plan). The real rehearsal in a real terminal
// is driven in wizard-local-pty.test.ts.
import { test, describe, afterEach, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanup } from 'ink-testing-library';
import { NOW, h, mount, waitText, waitFor, press, KEY, assertFixture, settle, text, unboxed } from './fixtures/ui/harness.ts';
import type { Timed } from './fixtures/ui/events.ts';
import { EARLY, LATE, PASSED, PROBE_FAILED, REHEARSAL_START, SUCCESS, SUMMARY, TEARING_DOWN, type RehearsalEvent, type Success } from './fixtures/ui/rehearsal-events.ts';
import { RehearsalWelcome } from '../cli/ui/rehearsal/RehearsalWelcome.tsx';
import { RehearsalAnswersScreen, RehearsalConfirm, checkOptionalEmail } from '../cli/ui/rehearsal/RehearsalAnswers.tsx';
import { equivalentRehearsalCommand, rehearsalPassThrough } from '../cli/domain/equivalent-command.ts';
import { RehearsalProgress, STOPPING_NOTE } from '../cli/ui/rehearsal/RehearsalProgress.tsx';
import { RehearsalResult } from '../cli/ui/rehearsal/RehearsalResult.tsx';
import { RehearsalApp, NOTHING_STARTED } from '../cli/ui/rehearsal/RehearsalApp.tsx';
import { FinishedSteps } from '../cli/ui/shared/Progress.tsx';
import { WizardStore } from '../cli/ui/shared/host.ts';
import type { RehearsalAnswers, RehearsalServices, RehearsalStart } from '../cli/ui/shared/services.ts';
import type { Host } from '../cli/core/host.ts';
import { type ExitCode, UsageError } from '../cli/core/errors.ts';
import { createRehearsalServices, rehearsalStart } from '../cli/commands/rehearsal-wizard.ts';
import { dockerUnavailableReason } from './support/docker.ts';

afterEach(() => cleanup());

/** A fresh store fed the events, its clock following each event's time. */
function replay(events: Timed<RehearsalEvent>[]): WizardStore<RehearsalEvent> {
  let clock = NOW;
  const s = new WizardStore<RehearsalEvent>(() => clock);
  for (const [t, e] of events) {
    clock = NOW + t;
    s.dispatch(e);
  }
  return s;
}

const start = (over: Partial<RehearsalStart> = {}): RehearsalStart => ({ ...REHEARSAL_START, ...over });

describe('rehearsal welcome', () => {
  test('says it is a rehearsal (no account, nothing sent to AWS), names the emulator and every local step; Enter starts, q quits', async () => {
    const calls: string[] = [];
    const m = mount(h(RehearsalWelcome, { start: start(), onNext: () => calls.push('next'), onQuit: () => calls.push('quit') }));
    const f = await waitText(m, 'What runs locally');
    assertFixture('rehearsal-welcome', f);
    const flat = unboxed(f);
    assert.match(flat, /No AWS account is needed and nothing is sent to AWS/);
    assert.match(flat, /Emulator +plain moto_server \(no extensions\)/);
    assert.match(flat, /Docker +engine 20\.10\.24/);
    for (const s of REHEARSAL_START.steps) assert.match(f, new RegExp(`  ${s.title} `), s.title);
    // A rehearsal costs nothing: the deploy's price list has no place here.
    assert.doesNotMatch(f, /\$\d/);
    await press(m, KEY.enter, 'q');
    assert.deepEqual(calls, ['next', 'quit']);
  });

  test('without a Docker engine it says the image steps are skipped; with --keep that everything is left running', async () => {
    const m = mount(h(RehearsalWelcome, { start: start({ docker: { available: false, reason: 'connect ENOENT /var/run/docker.sock' }, keep: true }), onNext: () => undefined, onQuit: () => undefined }));
    const flat = unboxed(await waitText(m, 'What runs locally'));
    assert.match(flat, /not available \(connect ENOENT \/var\/run\/docker\.sock\): the image steps are skipped; the app runs under gunicorn/);
    assert.match(flat, /With --keep, everything is left running/);
  });
});

describe('rehearsal answers and confirm', () => {
  test('the ecosystem is prefilled; an empty e-mail takes the rehearsal default; Enter walks down, then submits', async () => {
    const done: RehearsalAnswers[] = [];
    const m = mount(h(RehearsalAnswersScreen, { initial: { ecosystem: 'feature-login', email: '' }, defaultEmail: 'rehearsal@example.com', branch: 'feature-login', onDone: (a) => done.push(a), onBack: () => undefined }));
    const f = await waitText(m, 'Alarm e-mail');
    assertFixture('rehearsal-answers', f);
    assert.match(f, /❯ Ecosystem +feature-login/);
    await press(m, KEY.enter);
    await waitText(m, '❯ Alarm e-mail');
    assert.equal(done.length, 0, 'Enter on the ecosystem moves to the e-mail');
    await press(m, KEY.enter);
    assert.deepEqual(done, [{ ecosystem: 'feature-login', email: 'rehearsal@example.com' }]);
  });

  test('a bad ecosystem and a bad e-mail are refused with the same rules as the flags; fixed, they go through', async () => {
    const done: RehearsalAnswers[] = [];
    const m = mount(h(RehearsalAnswersScreen, { initial: { ecosystem: '9 Bad!', email: '' }, defaultEmail: 'rehearsal@example.com', onDone: (a) => done.push(a), onBack: () => undefined }));
    await press(m, KEY.enter);
    const bad = await waitText(m, 'must start with a lowercase letter');
    assert.match(bad, /as a name: b-9-bad-513d8c/);
    await press(m, KEY.right, KEY.enter);
    await waitText(m, '❯ Alarm e-mail');
    await press(m, 'not-an-address', KEY.enter);
    await waitText(m, 'is not an e-mail address');
    assert.equal(done.length, 0);
    await press(m, '\u0015', 'ops@example.com', KEY.enter);
    assert.deepEqual(done, [{ ecosystem: 'b-9-bad-513d8c', email: 'ops@example.com' }]);
    assert.equal(checkOptionalEmail(''), undefined);
    assert.equal(checkOptionalEmail('a@b.co'), undefined);
    assert.match(checkOptionalEmail('a@') ?? '', /not an e-mail address/);
    // The --email rule and message, the value escaped: a zero-width space or a C1 control is written out, never raw.
    assert.equal(checkOptionalEmail('ops@ex\u200bample.com\u009b'), '"ops@ex\\u200bample.com\\u009b" is not an e-mail address: it has characters other than printable ASCII (control, invisible or non-Latin characters). Leave it empty for the default.');
  });

  test('the confirm shows the answers, that nothing goes to AWS, and the equivalent --local --yes command; y goes, n goes back', async () => {
    const calls: string[] = [];
    const m = mount(h(RehearsalConfirm, { answers: { ecosystem: 'feature-login', email: 'rehearsal@example.com' }, start: start(), onConfirm: () => calls.push('go'), onBack: () => calls.push('back') }));
    const f = await waitText(m, 'Rehearse now?');
    assertFixture('rehearsal-confirm', f);
    // Outside the card: a copy of it carries no border.
    assert.match(f, /╯\n The same run without the wizard:\n npx hello-deploy --local --yes --ecosystem feature-login --emulator moto-plain\n/);
    assert.match(f, /Nothing is sent to AWS/);
    await press(m, 'y', 'n');
    assert.deepEqual(calls, ['go', 'back']);
    assert.equal(
      equivalentRehearsalCommand({ ecosystem: 'x', email: 'o p@example.com' }, 'rehearsal@example.com', ['--emulator moto', '--keep']),
      "npx hello-deploy --local --yes --ecosystem x --email 'o p@example.com' --emulator moto --keep",
    );
    assert.deepEqual(rehearsalPassThrough({ local: true, emulator: 'localstack', keep: true, cert: 'my cert.pem', key: 'k.pem', baseImage: 'py:3' }), ['--emulator localstack', "--cert 'my cert.pem' --key k.pem", '--base-image py:3', '--keep']);
  });
});

describe('rehearsal progress', () => {
  test('the rehearsal\'s own steps are panes like the deploy\'s: registry, build and validation side by side', async () => {
    const store = replay(EARLY);
    const m = mount(h(RehearsalProgress, { model: store.getSnapshot().progress }));
    const f = await waitText(m, 'Rehearsing feature-login');
    assertFixture('rehearsal-progress', f);
    assert.match(f, /2 of 12 steps done · nothing is sent to AWS/);
    assert.match(f, /│ ⠋ Start the local registry/);
    assert.match(f, /│ │ The emulated ECR's repository URI/);
    assert.match(f, /○ Run and probe the app/);
    assert.match(f, /○ Tear down/);
  });

  test('the emulator, run-app and teardown steps show as panes while they run; finished ones print once above', async () => {
    const first = mount(h(RehearsalProgress, { model: replay(EARLY.slice(0, 3)).getSnapshot().progress }));
    assert.match(await waitText(first, 'Start the AWS emulator'), /│ ⠋ Start the AWS emulator[^\n]*\n│ │ Python tools from the project virtualenv/);
    cleanup();
    const mid = mount(h(RehearsalProgress, { model: replay([...EARLY, ...LATE]).getSnapshot().progress }));
    const f = await waitText(mid, 'Run and probe the app');
    assert.match(f, /│ ⠋ Run and probe the app/);
    assert.match(f, /│ │ docker run 127\.0\.0\.1:41234\/feature-login-hello-world-ecr@sha256:4c7060a88a76 on https:/);
    assert.match(f, /│ ⠋ Deploy the infra stack/);
    cleanup();
    const store = replay([...EARLY, ...LATE, ...TEARING_DOWN]);
    const end = mount(h(RehearsalProgress, { model: store.getSnapshot().progress, stopping: true }));
    const g = await waitText(end, 'Tear down');
    assert.match(g, /│ ⠋ Tear down/);
    assert.match(g, /│ │ stopped docker-registry \(pid 29026\)/);
    assert.match(unboxed(g), /Nothing runs in AWS, so there is nothing to cancel there/);
    cleanup();
    const fin = mount(h(FinishedSteps, { items: store.getSnapshot().finished }));
    const lines = (await waitText(fin, 'Run and probe the app')).split('\n');
    assert.ok(lines.some((l) => /^✔ Start the AWS emulator 0s {2}moto-plain 5\.2\.5 at http:\/\/127\.0\.0\.1:37521/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^✔ Start the local registry 2s/.test(l)));
  });
});

/** Lines of a frame that carry a ✔, minus the border. */
const ticks = (f: string) => f.split('\n').filter((l) => l.includes('✔')).map((l) => l.replace(/^│\s?/, '').replace(/\s*│$/, ''));

describe('rehearsal result', () => {
  test('the default engine: the welcome names the moto launcher, and its report shows every resource created, none partial or skipped', async () => {
    const launcherStep = { ...REHEARSAL_START.steps[0]!, description: "Start the moto launcher (moto_server with hello-deploy's extensions, localstack/moto_launcher.py) on 127.0.0.1 with fake credentials, region us-east-1." };
    const w = mount(h(RehearsalWelcome, { start: start({ emulator: 'moto', passThrough: [], steps: [launcherStep, ...REHEARSAL_START.steps.slice(1)] }), onNext: () => undefined, onQuit: () => undefined }));
    assert.match(unboxed(await waitText(w, 'What runs locally')), /Emulator +moto launcher \(moto_server \+ extensions\) +Start the moto launcher/);
    cleanup();
    const fidelity = {
      ...SUCCESS.rehearsal.fidelity,
      emulator: { engine: 'moto' as const, endpoint: 'http://127.0.0.1:37521', version: '5.2.5', extensions: ['cfn_resources', 'ecs_service', 'cfn_deletes', 'cfn_fixes', 'stack_events'] },
      resources: SUCCESS.rehearsal.fidelity.resources.map(({ detail: _d, ...r }) => ({ ...r, mark: 'created' as const })),
    };
    const m = mount(h(RehearsalResult, { result: { ...SUCCESS, rehearsal: { ...SUCCESS.rehearsal, fidelity, emulator: fidelity.emulator } }, onQuit: () => undefined }));
    const flat = unboxed(await waitText(m, 'Wall time'));
    assert.match(flat, /Fidelity report moto 5\.2\.5 at http:\/\/127\.0\.0\.1:37521 · 14 resources in both templates/);
    assert.match(flat, /✔ created in the emulator: 14 Repository, VPC/);
    assert.doesNotMatch(flat, /partially emulated|not emulated/);
  });

  test('probes (hello world, /health, certificate), what was torn down, and the fidelity report with wall times', async () => {
    let quit = 0;
    const m = mount(h(RehearsalResult, { result: SUCCESS, onQuit: () => quit++ }));
    const f = await waitText(m, 'Wall time');
    assertFixture('rehearsal-result', f);
    assert.match(f, /✔ GET \/ +200 "hello world"/);
    assert.match(f, /✔ GET \/health +200/);
    assert.match(f, /✔ certificate +served = the pair made for the rehearsal \(SHA-256 94:C2:D2:48:D4:A4:07:09…\)/);
    assert.match(f, /Torn down +moto_server pid 29003 · docker-registry pid 29026 · app container b29e76639e28/);
    const flat = unboxed(f);
    assert.match(flat, /Fidelity report moto-plain 5\.2\.5 at http:\/\/127\.0\.0\.1:37521 · 14 resources in both templates/);
    assert.match(flat, /✔ created in the emulator: 9 Repository, VPC, InternetGateway/);
    assert.match(flat, /◐ partially emulated: 1 Service \(AWS::ECS::Service\): loadBalancers empty/);
    assert.match(flat, /✘ not emulated \(the emulator skipped it\): 4 ScalableTarget \(AWS::ApplicationAutoScaling::ScalableTarget\) CpuScalingPolicy/);
    assert.match(flat, /– traffic through the load balancer: the emulator's ALB/);
    assert.match(flat, /Wall time per step, total 25\.4s ✔ emulator 0\.8s/);
    assert.match(flat, /✔ push-image 15\.5s/);
    // Green only for what really happened: 3 probes, the "created" group, 12 succeeded steps. No gap gets a ✔.
    const t = ticks(f);
    for (const name of ['Service', 'ScalableTarget', 'CpuScalingPolicy', 'AlarmEmailSubscription', 'CpuHighAlarm', 'traffic through']) {
      assert.ok(!t.some((l) => l.includes(name)), `${name} must not carry a ✔`);
    }
    assert.equal(t.filter((l) => /GET|certificate/.test(l)).length, 3);
    assert.equal(f.split('✔').length - 1, 3 + 1 + 12 + 1, 'and the verdict under the report');
    await press(m, 'q');
    assert.equal(quit, 1);
  });

  test('a probe that failed, a mismatched certificate and steps skipped without Docker get no ✔; --keep lists how to stop', async () => {
    const r = SUMMARY;
    const result: Success = {
      ...SUCCESS,
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/feature-login-hello-world-ecr:abc1234',
      rehearsal: {
        ...r,
        probes: { ...r.probes!, runtime: 'gunicorn', port: { template: 5000, used: 41000 }, health: { ...r.probes!.health, status: 503, ok: false }, servedFingerprint: 'AA:BB:CC:DD:EE:FF:00:11:22:33:44:55', fingerprintMatches: false },
        skipped: [...r.skipped, { what: 'push-image', reason: 'no Docker engine: connect ENOENT' }],
        fidelity: {
          ...r.fidelity,
          timings: [
            { step: 'emulator', title: 'Start the AWS emulator', outcome: 'succeeded', durationMs: 800 },
            { step: 'docker-build', title: 'Build the image', outcome: 'skipped', durationMs: 0 },
            { step: 'push-image', title: 'Push the image', outcome: 'not-run', durationMs: 0 },
            { step: 'run-app', title: 'Run and probe the app', outcome: 'failed', durationMs: 1200 },
          ],
        },
        kept: true,
        started: [{ what: 'moto_server', pid: 29003, endpoint: 'http://127.0.0.1:37521', stop: 'kill 29003' }],
      },
    };
    const m = mount(h(RehearsalResult, { result, onQuit: () => undefined }));
    const f = await waitText(m, 'Wall time');
    assert.match(f, /✔ GET \/ +200 "hello world"/);
    assert.match(f, /✘ GET \/health +503/);
    assert.match(f, /✘ certificate +served ≠ the pair made for the rehearsal/);
    assert.match(unboxed(f), /gunicorn, no Docker engine, port 41000: 5000 was taken here/);
    assert.match(f, /never built or pushed: no Docker engine/);
    assert.match(f, /– docker-build skipped/);
    assert.match(f, /○ push-image not-run/);
    assert.match(f, /✘ run-app 1\.2s/);
    assert.match(f, /Left running +moto_server pid 29003 http:\/\/127\.0\.0\.1:37521 stop: kill 29003/);
    assert.match(unboxed(f), /folder \/tmp\/hello-deploy-rehearsal-X remove: rm -rf \/tmp\/hello-deploy-rehearsal-X/);
    assert.doesNotMatch(f, /✔ (GET \/health|certificate|docker-build|push-image|run-app)/);
    assert.equal(f.split('✔').length - 1, 3, 'GET /, the created group and the emulator step only');
  });
});

// ---------------------------------------------------------------- the whole app, with a scripted rehearse service

function exits() {
  const codes: ExitCode[] = [];
  const hard: boolean[] = [];
  return { codes, hard, onExit: (c: ExitCode, info: { hard?: boolean }) => (codes.push(c), hard.push(info.hard === true)) };
}

async function exited(codes: ExitCode[], timeoutMs = 3000): Promise<ExitCode[]> {
  const deadline = Date.now() + timeoutMs;
  while (codes.length === 0 && Date.now() < deadline) await settle(10);
  return codes;
}

/** Signals as the skeleton delivers them to the app (by name), sent by hand. */
function signals() {
  const listeners = new Set<(signal: NodeJS.Signals) => void>();
  return {
    subscribeInterrupt: (fn: (signal: NodeJS.Signals) => void) => (listeners.add(fn), () => void listeners.delete(fn)),
    send: (signal: NodeJS.Signals) => {
      for (const fn of listeners) fn(signal);
    },
  };
}

const emitAll = (host: Host<RehearsalEvent>, events: Timed<RehearsalEvent>[]) => {
  for (const [, e] of events) host.emit(e);
};

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('rehearsal wizard app', () => {
  test('welcome → answers (defaults) → confirm → the panes → result with probes and fidelity → q: exit 0', async () => {
    const got: RehearsalAnswers[] = [];
    const mid = gate();
    const svc: RehearsalServices = {
      async rehearse(a, host) {
        got.push(a);
        emitAll(host, [...EARLY, ...LATE]);
        await mid.opened;
        emitAll(host, [...TEARING_DOWN, ...PASSED]);
        return { exitCode: 0 };
      },
    };
    const { codes, onExit } = exits();
    const m = mount(h(RehearsalApp, { services: svc, start: start(), onExit }));
    await waitText(m, 'What runs locally');
    await press(m, KEY.enter);
    await waitText(m, 'Rehearsal answers');
    await press(m, KEY.enter, KEY.enter);
    const confirm = unboxed(await waitText(m, 'Rehearse now?'));
    // The ecosystem offered is the branch's own: the run records and checks the branch, as `--local --yes` without
    // --ecosystem does, so that is the equivalent command.
    assert.match(confirm, /Ecosystem +feature-login owned by git branch "feature-login": recorded on the stacks/);
    assert.match(confirm, /Rehearse now\? \(y\/n\) .* The same run without the wizard: npx hello-deploy --local --yes --emulator moto-plain y\/Enter/);
    await press(m, 'y');
    const running = await waitText(m, 'Rehearsing feature-login');
    assert.match(running, /│ ⠋ Run and probe the app/);
    assert.deepEqual(got, [{ ecosystem: 'feature-login', branch: 'feature-login', email: 'rehearsal@example.com' }]);
    mid.open();
    // The report is printed above once the run has ended; the live lines under it give the verdict and the keys.
    const result = await waitText(m, 'Wall time');
    assert.match(result, /✔ Rehearsal passed · nothing was sent to AWS\n +the app ran at https:\/\/127\.0\.0\.1:\d+: 3 of 3 probes passed\n q quit/);
    assert.match(result, /"hello world"/);
    assert.match(result, /not emulated \(the emulator skipped it\): 4/);
    assert.match(result, /CpuHighAlarm/);
    // The finished steps, the extra ones included, were printed once above the live area.
    const all = m.frames.map(text).join('\n');
    assert.match(all, /✔ Start the AWS emulator 0s/);
    assert.match(all, /✔ Tear down 1s {2}stopped 3 process\(es\)/);
    await press(m, 'q');
    assert.deepEqual(await exited(codes), [0]);
  });

  test('a failed rehearsal shows the failure card (step, reason, hint, log tail, torn down); r runs a fresh one; q exits 1', async () => {
    let calls = 0;
    const svc: RehearsalServices = {
      async rehearse(_a, host) {
        calls++;
        emitAll(host, [...EARLY, ...LATE, ...PROBE_FAILED]);
        return { exitCode: 1 };
      },
    };
    const { codes, onExit } = exits();
    const m = mount(h(RehearsalApp, { services: svc, start: start(), onExit }));
    await waitText(m, 'What runs locally');
    await press(m, KEY.enter, KEY.enter, KEY.enter, 'y');
    const f = await waitText(m, 'Log tail');
    const flat = unboxed(f);
    assert.match(f, /✘ Rehearsal failed · Run and probe the app: The app at https:\/\/127\.0\.0\.1:5000 does not behave/);
    assert.match(flat, /Step +✘ Run and probe the app/);
    assert.match(flat, /GET \/health answered 500, not 200/);
    assert.match(flat, /Hint +Read the app output above/);
    assert.match(f, /Exception on \/health/);
    assert.match(f, /Torn down +moto_server pid 29003/);
    assert.match(f, /Nothing was sent to AWS/);
    assert.match(f, /r retry \(a fresh rehearsal\) · q quit \(exit 1\)/);
    await press(m, 'r');
    await waitFor(m, () => calls === 2, 'a second rehearsal');
    await waitText(m, 'Rehearsal failed');
    await press(m, 'q');
    assert.deepEqual(await exited(codes), [1]);
  });

  test('a second branch onto a kept emulator\'s ecosystem (ECOSYSTEM_TAKEN): e goes back to the answers, or --local --take-over; a typed name goes without the branch', async () => {
    const got: RehearsalAnswers[] = [];
    const taken = { code: 'ECOSYSTEM_TAKEN', message: 'Ecosystem feature-login (stack feature-login-hello-world-ecr) was deployed from git branch "other", not from this branch, "feature-login".', hint: 'Nothing was changed. Deploy this branch under a name of its own (--ecosystem <name>), or pass --take-over to deploy it over the stacks of "other".' };
    const svc: RehearsalServices = {
      async rehearse(a, host) {
        got.push(a);
        host.emit({ type: 'step-start', step: 'deploy-ecr-stack', title: 'Deploy the ECR stack' });
        host.emit({ type: 'step-failed', step: 'deploy-ecr-stack', durationMs: 10, error: taken });
        host.emit({ type: 'result', ok: false, error: taken });
        return { exitCode: 1 };
      },
    };
    const { onExit } = exits();
    const m = mount(h(RehearsalApp, { services: svc, start: start({ passThrough: ['--emulator endpoint', '--endpoint-url http://127.0.0.1:4566'] }), onExit }));
    await waitText(m, 'What runs locally');
    await press(m, KEY.enter, KEY.enter, KEY.enter, 'y');
    const flat = unboxed(await waitFor(m, (f) => f.includes('Hint ') && f.includes('choose another ecosystem'), 'the failure card and its keys'));
    assert.match(flat, /Hint +Nothing was changed\. Press e to go back and give this branch an ecosystem name of its own, or quit and run npx hello-deploy --local --emulator endpoint --endpoint-url http:\/\/127\.0\.0\.1:4566 --take-over/);
    // The same answers would be refused again on this emulator: no retry, only the way out.
    assert.match(flat, /e choose another ecosystem · q quit \(exit 1\)/);
    assert.doesNotMatch(flat, /r retry/);
    assert.deepEqual(got, [{ ecosystem: 'feature-login', branch: 'feature-login', email: 'rehearsal@example.com' }]);
    await press(m, 'e');
    await waitText(m, 'Rehearsal answers');
    await press(m, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, ...'mine', KEY.enter, KEY.enter);
    assert.match(unboxed(await waitText(m, 'Rehearse now?')), /npx hello-deploy --local --yes --ecosystem feature-mine --emulator endpoint/);
    await press(m, 'y');
    await waitFor(m, () => got.length === 2, 'a second rehearsal');
    assert.deepEqual(got[1], { ecosystem: 'feature-mine', email: 'rehearsal@example.com' });
  });

  test('Ctrl-C while running: no CancelUpdateStack question, the rehearsal is aborted, still tears down, exit 130', async () => {
    const seenAbort: boolean[] = [];
    const svc: RehearsalServices = {
      async rehearse(_a, host, signal) {
        emitAll(host, EARLY);
        await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
        seenAbort.push(signal.aborted);
        await settle(50); // the running steps finish, then teardown runs
        host.emit({ type: 'step-skipped', step: 'deploy-ecr-stack', reason: 'not run: interrupted' });
        host.emit({ type: 'step-start', step: 'teardown', title: 'Tear down' });
        host.emit({ type: 'step-succeeded', step: 'teardown', durationMs: 900, summary: 'stopped 2 process(es)/container(s), removed /tmp/hello-deploy-rehearsal-X' });
        host.emit({ type: 'result', ok: false, error: { code: 'INTERRUPTED', message: 'Interrupted.' }, rehearsal: { ...SUMMARY, started: SUMMARY.started.slice(0, 2) } });
        return { exitCode: 130 };
      },
    };
    const { codes, hard, onExit } = exits();
    const m = mount(h(RehearsalApp, { services: svc, start: start(), onExit }));
    await waitText(m, 'What runs locally');
    await press(m, KEY.enter, KEY.enter, KEY.enter, 'y');
    await waitText(m, 'Rehearsing feature-login');
    await press(m, KEY.ctrlC);
    const stopping = await waitFor(m, (f) => unboxed(f).includes('nothing to cancel there'), 'the stopping note');
    assert.match(unboxed(stopping), new RegExp(STOPPING_NOTE.slice(0, 40)));
    assert.deepEqual(await exited(codes), [130]);
    assert.deepEqual(seenAbort, [true]);
    assert.deepEqual(hard, [false]);
    const all = m.frames.map(text).join('\n');
    assert.doesNotMatch(all, /Stop the deploy\?|CancelUpdateStack|cancel that update/);
    assert.match(all, /Rehearsal interrupted/);
    assert.match(all, /✔ Tear down/);
    assert.match(all, /Torn down +moto_server pid 29003 · docker-registry pid 29026/);
  });

  test('a second Ctrl-C while tearing down quits at once (hard exit 130: the exit hook kills what was started)', async () => {
    const svc: RehearsalServices = { rehearse: (_a, host) => new Promise(() => emitAll(host, EARLY)) };
    const { codes, hard, onExit } = exits();
    const sig = signals();
    const m = mount(h(RehearsalApp, { services: svc, start: start(), onExit, subscribeInterrupt: sig.subscribeInterrupt }));
    await waitText(m, 'What runs locally');
    await press(m, KEY.enter, KEY.enter, KEY.enter, 'y');
    await waitText(m, 'Rehearsing feature-login');
    // The first as a signal (kill -INT), the second as a key.
    sig.send('SIGINT');
    await waitFor(m, (f) => unboxed(f).includes('nothing to cancel there'), 'the stopping note');
    await press(m, KEY.ctrlC);
    assert.deepEqual(await exited(codes), [130]);
    assert.deepEqual(hard, [true]);
    assert.ok(m.frames.some((f) => unboxed(text(f)).includes('Quit at once')), 'the farewell is drawn');
  });

  test('SIGTERM and SIGHUP while running stop as Ctrl-C does (abort, teardown, 130), the note naming the signal', async () => {
    for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
      const aborted: boolean[] = [];
      const svc: RehearsalServices = {
        async rehearse(_a, host, abort) {
          emitAll(host, EARLY);
          await new Promise<void>((r) => abort.addEventListener('abort', () => r(), { once: true }));
          aborted.push(true);
          await settle(50);
          host.emit({ type: 'step-start', step: 'teardown', title: 'Tear down' });
          host.emit({ type: 'step-succeeded', step: 'teardown', durationMs: 900 });
          host.emit({ type: 'result', ok: false, error: { code: 'INTERRUPTED', message: 'Interrupted.' }, rehearsal: SUMMARY });
          return { exitCode: 130 };
        },
      };
      const { codes, hard, onExit } = exits();
      const sig = signals();
      const m = mount(h(RehearsalApp, { services: svc, start: start(), onExit, subscribeInterrupt: sig.subscribeInterrupt }));
      await waitText(m, 'What runs locally');
      await press(m, KEY.enter, KEY.enter, KEY.enter, 'y');
      await waitText(m, 'Rehearsing feature-login');
      sig.send(signal);
      const note = await waitFor(m, (f) => unboxed(f).includes('nothing to cancel there'), 'the stopping note');
      assert.match(unboxed(note), new RegExp(`${signal}: Stopping after the running steps, then tearing down`));
      assert.deepEqual(await exited(codes), [130], signal);
      assert.deepEqual(hard, [false]);
      assert.deepEqual(aborted, [true]);
      assert.match(m.frames.map(text).join('\n'), /Rehearsal interrupted/);
      cleanup();
    }
  });

  test('a rehearsal that passed exits 0 however its result is left: q, Enter, Esc, Ctrl-C, SIGINT, SIGTERM, SIGHUP', async () => {
    const ways: Array<[string, (m: ReturnType<typeof mount>, send: (s: NodeJS.Signals) => void) => Promise<void>]> = [
      ['q', (m) => press(m, 'q')],
      ['Enter', (m) => press(m, KEY.enter)],
      ['Esc', (m) => press(m, KEY.esc)],
      ['Ctrl-C', (m) => press(m, KEY.ctrlC)],
      ...(['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s): [string, (m: ReturnType<typeof mount>, send: (s: NodeJS.Signals) => void) => Promise<void>] => [s, async (_m, send) => send(s)]),
    ];
    for (const [way, leave] of ways) {
      const svc: RehearsalServices = {
        async rehearse(_a, host) {
          emitAll(host, [...EARLY, ...LATE, ...TEARING_DOWN, ...PASSED]);
          return { exitCode: 0 };
        },
      };
      const { codes, onExit } = exits();
      const sig = signals();
      const m = mount(h(RehearsalApp, { services: svc, start: start(), onExit, subscribeInterrupt: sig.subscribeInterrupt }));
      await waitText(m, 'What runs locally');
      await press(m, KEY.enter, KEY.enter, KEY.enter, 'y');
      await waitText(m, 'Rehearsal passed');
      await leave(m, sig.send);
      assert.deepEqual(await exited(codes), [0], way);
      cleanup();
    }
  });

  test('the welcome: q or Esc quits with 0 ("Nothing was done."); Ctrl-C or a signal there is an interrupt (130)', async () => {
    const ways: Array<[string, number, (m: ReturnType<typeof mount>, send: (s: NodeJS.Signals) => void) => Promise<void>]> = [
      ['q', 0, (m) => press(m, 'q')],
      ['Esc', 0, (m) => press(m, KEY.esc)],
      ['Ctrl-C', 130, (m) => press(m, KEY.ctrlC)],
      ['SIGTERM', 130, async (_m, send) => send('SIGTERM')],
      ['SIGHUP', 130, async (_m, send) => send('SIGHUP')],
    ];
    for (const [way, code, leave] of ways) {
      let called = false;
      const svc: RehearsalServices = { rehearse: async () => ((called = true), { exitCode: 0 }) };
      const { codes, onExit } = exits();
      const sig = signals();
      const m = mount(h(RehearsalApp, { services: svc, start: start(), onExit, subscribeInterrupt: sig.subscribeInterrupt }));
      await waitText(m, 'What runs locally');
      await leave(m, sig.send);
      assert.deepEqual(await exited(codes), [code], way);
      assert.equal(called, false);
      const farewell = code === 0 ? 'Nothing was done.' : NOTHING_STARTED;
      assert.ok(m.frames.some((f) => unboxed(text(f)).includes(farewell)), `${way}: the farewell is drawn`);
      cleanup();
    }
  });

  test('Ctrl-C before the rehearsal starts: nothing was started, exit 130, rehearse never called', async () => {
    let called = false;
    const svc: RehearsalServices = { rehearse: async () => ((called = true), { exitCode: 0 }) };
    const { codes, onExit } = exits();
    const m = mount(h(RehearsalApp, { services: svc, start: start(), onExit }));
    await waitText(m, 'What runs locally');
    await press(m, KEY.enter);
    await waitText(m, 'Rehearsal answers');
    await press(m, KEY.ctrlC);
    assert.deepEqual(await exited(codes), [130]);
    assert.equal(called, false);
    assert.ok(m.frames.some((f) => unboxed(text(f)).includes(NOTHING_STARTED)), 'the farewell is drawn');
  });
});

// ---------------------------------------------------------------- the real services (cli/commands/wizard.ts)

describe('rehearsal wizard services (real, this machine)', () => {
  let tmp: string;
  let cwd: string;
  const saved: Record<string, string | undefined> = {};
  before(() => {
    // prepareRehearsal makes its folder under os.tmpdir(): point that at a folder this test owns and checks.
    for (const k of ['TMPDIR', 'HELLO_DEPLOY_BASE_IMAGE', ...Object.keys(process.env).filter((k) => k.startsWith('AWS_'))]) saved[k] = process.env[k];
    tmp = mkdtempSync(path.join(tmpdir(), 'hello-deploy-rehearsal-wizard-'));
    cwd = mkdtempSync(path.join(tmpdir(), 'hello-deploy-rehearsal-cwd-'));
    process.env.TMPDIR = tmp;
  });
  after(() => {
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_') && !(k in saved)) delete process.env[k];
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(tmp, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  });

  test('the start: the dry plan of the local steps, the emulator, Docker, a generated pair; its folder is removed at once', async (t) => {
    const s = await rehearsalStart({ local: true, keep: true }, cwd);
    assert.equal(s.ecosystem, 'rehearsal', 'no git here: the rehearsal default');
    assert.equal(s.email, '');
    assert.equal(s.defaultEmail, 'rehearsal@example.com');
    assert.equal(s.emulator, 'moto');
    assert.deepEqual(s.steps.map((x) => x.id), ['emulator', 'prerequisites', 'validate-templates', 'deploy-ecr-stack', 'local-registry', 'ecr-login', 'docker-build', 'tag-image', 'push-image', 'deploy-infra-stack', 'run-app', 'start-load-balancer']);
    assert.match(s.steps[0]!.description, /^Start the moto launcher \(moto_server with hello-deploy's extensions, localstack\/moto_launcher\.py\) on 127\.0\.0\.1/);
    assert.equal(s.certificate.source, 'generated');
    assert.equal(s.keep, true);
    assert.deepEqual(s.passThrough, ['--keep']);
    const why = await dockerUnavailableReason();
    if (why) t.diagnostic(`no Docker engine: ${why}`);
    assert.equal(s.docker.available, why === null);
    assert.deepEqual(readdirSync(tmp), [], 'the dry run leaves no rehearsal folder behind');
  });

  test('answers the wizard asks may be wrong on the command line (it asks again); other bad flags are exit 2 before it opens', async () => {
    const s = await rehearsalStart({ local: true, ecosystem: '9 Bad!', email: 'nope' }, cwd);
    assert.equal(s.ecosystem, '9 Bad!', 'prefilled as typed, so the answers screen shows the error and the fix');
    assert.equal(s.email, 'nope');
    await assert.rejects(rehearsalStart({ local: true, profile: 'prod' }, cwd), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && /--profile names a real AWS account/.test(e.message));
    await assert.rejects(rehearsalStart({ local: true, emulator: 'endpoint' }, cwd), (e: unknown) => e instanceof UsageError && /--endpoint-url/.test(e.message));
    assert.deepEqual(readdirSync(tmp), []);
  });

  test('rehearse: input refused at preparation still ends with one failed result on the host, and its exit code', async () => {
    const events: Array<{ type: string }> = [];
    const host: Host<RehearsalEvent> = { emit: (e) => events.push(e), ask: async (q) => q.default };
    const r = await createRehearsalServices({ local: true }, cwd).rehearse({ ecosystem: 'Not Valid', email: 'rehearsal@example.com' }, host, new AbortController().signal);
    assert.equal(r.exitCode, 2);
    assert.equal(events.length, 1);
    assert.deepEqual({ ...events[0], error: undefined }, { type: 'result', ok: false, error: undefined });
    assert.deepEqual(readdirSync(tmp), []);
  });
});
