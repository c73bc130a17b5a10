// The whole wizard app driven by key presses on ink-testing-library's stdin, with services that script the
// engine's side (events and questions exactly as runDeploy sends them through the Host). The real engine,
// adapters and terminal are driven in wizard-pty.test.ts.
import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { CLEAR_PREFLIGHT, h, mount, waitText, waitSeen, waitFor, press, KEY, frameOf, settle, text, unboxed } from './fixtures/ui/harness.ts';
import { CHANGES, INFRA, MID_RUN, SUCCESS_RESULT } from './fixtures/ui/events.ts';
import { App, NOTHING_DONE } from '../cli/ui/deploy/App.tsx';
import type { Check, WizardAnswers, WizardServices, WizardStart } from '../cli/ui/shared/services.ts';
import type { ExitCode } from '../cli/core/errors.ts';
import { parseEmail } from '../cli/domain/parsers.ts';
import { costFor } from './support/cost.ts';

afterEach(() => cleanup());

const ok = <T>(value: T): Check<T> => ({ ok: true, value });

function services(over: Partial<WizardServices> & { log?: string[] } = {}): WizardServices {
  const log = over.log ?? [];
  return {
    checkIdentity: async () => ok({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/dev', region: 'us-east-1' }),
    pingDocker: async () => ok({ serverVersion: '20.10.24' }),
    localCertificates: async () => ({ certFile: '/p/app/certs/cert.pem', keyFile: '/p/app/certs/key.pem', present: true }),
    generateCertificates: async () => ({ ok: false, error: { code: 'X', message: 'not expected' } }),
    listCertificates: async () => ok([{ arn: 'arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', domain: 'hello-deploy.local', notAfter: '2027-11-26T00:00:00.000Z', daysLeft: 365, state: 'ok' }]),
    importCertificate: async (_t, pair, eco) => {
      log.push(`import ${pair.certFile} ${eco}`);
      return ok({ arn: 'arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', domain: 'hello-deploy.local', notAfter: '2027-11-26T00:00:00.000Z', daysLeft: 365, state: 'ok' });
    },
    templatesPresent: async () => ({ found: ['infra/hello-world-ecr-infra.yaml', 'infra/hello-world-infra.yaml', 'Dockerfile'], missing: [] }),
    preflight: async () => ok(CLEAR_PREFLIGHT),
    loadAnswers: async () => undefined,
    saveAnswers: async (a) => {
      log.push(`save ${JSON.stringify(a)}`);
      return ok('/p/.hello-deploy/x.json');
    },
    deploy: async () => ({ exitCode: 0 }),
    stackStatus: async () => undefined,
    cancelUpdate: async () => ok(undefined),
    ...over,
  };
}

function start(over: Partial<WizardStart> = {}): WizardStart {
  return { passThrough: ['--deploy-method direct'], ...over };
}

function exits() {
  const codes: ExitCode[] = [];
  const hard: boolean[] = [];
  return { codes, hard, onExit: (c: ExitCode, info: { hard?: boolean } = {}) => (codes.push(c), hard.push(info.hard === true)) };
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

async function exited(codes: ExitCode[], timeoutMs = 3000): Promise<ExitCode[]> {
  const deadline = Date.now() + timeoutMs;
  while (codes.length === 0 && Date.now() < deadline) await settle(10);
  return codes;
}

/** Answers known, certificate chosen: Enter through welcome, checklist and summary to the deploy screen. */
async function deploying(svc: WizardServices, onExit: (c: ExitCode) => void, subscribeInterrupt?: ReturnType<typeof signals>['subscribeInterrupt']) {
  const cert = { kind: 'arn' as const, arn: 'arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' };
  const m = mount(h(App, { services: svc, start: start({ ecosystem: 'feature-login', email: 'ops@example.com', certificate: cert }), onExit, ...(subscribeInterrupt ? { subscribeInterrupt } : {}) }));
  await waitText(m, 'Deploy time');
  await press(m, KEY.enter);
  await waitText(m, '❯ [ Continue ]');
  await press(m, KEY.enter);
  await waitText(m, 'Deploy now?');
  await press(m, KEY.enter);
  return m;
}

const seen = (m: ReturnType<typeof mount>, s: string) => m.frames.some((f) => text(f).includes(s));

describe('wizard app', () => {
  test('welcome → answers → checklist (import app/certs) → summary → change set → result → q: exit 0', async () => {
    const log: string[] = [];
    let deployed: WizardAnswers | undefined;
    const svc = services({
      log,
      deploy: async (a, host) => {
        deployed = a;
        for (const [, e] of MID_RUN) host.emit(e);
        host.emit({ type: 'step-start', step: 'deploy-infra-stack', title: 'Deploy the infra stack' });
        host.emit({ type: 'change-set', step: 'deploy-infra-stack', stack: INFRA, changes: CHANGES });
        const yes = await host.ask({ kind: 'confirm', id: `execute-change-set:${INFRA}`, message: `Execute ${CHANGES.length} change(s) to ${INFRA}?`, default: true, details: CHANGES });
        log.push(`change-set answered ${yes}`);
        host.emit({ type: 'step-succeeded', step: 'deploy-infra-stack', durationMs: 1000 });
        host.emit(SUCCESS_RESULT);
        return { exitCode: 0 };
      },
    });
    const { codes, onExit } = exits();
    const m = mount(h(App, { services: svc, start: start({ branch: 'Feature/Login', ecosystem: 'feature-login', architecture: { cpu: 'ARM64', fromHost: false }, cost: costFor('ARM64'), passThrough: ['--deploy-method direct', '--arch arm64'] }), onExit }));
    // The welcome prices the architecture the run will use (--arch arm64 here).
    assert.match(unboxed(await waitText(m, 'Deploy time')), /arm64, 0\.25 vCPU \/ 0\.5 GB per task/);
    await press(m, KEY.enter);
    await waitText(m, 'Alarm e-mail');
    await press(m, ...'ops@example.com', KEY.enter);
    await waitText(m, 'Import /p/app/certs/cert.pem into ACM now');
    await press(m, KEY.enter);
    await waitText(m, '❯ [ Continue ]');
    assert.deepEqual(log, ['import /p/app/certs/cert.pem feature-login']);
    await press(m, KEY.enter);
    const summary = await waitText(m, 'Deploy now?');
    assert.match(unboxed(summary), /npx hello-deploy --yes --ecosystem feature-login --email ops@example.com --region us-east-1 --cert-arn arn:aws:acm:us-east-1:123456789012:certificate\/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee --deploy-method direct --arch arm64/);
    // The summary lists the architecture with the answers, with both prices, and the monthly cost with its range.
    assert.match(unboxed(summary), /Cost +~\$44\.64\/mo at 1 task \(\$44\.64–\$\d+\.\d\d\/mo for 1–4\)/);
    assert.match(unboxed(summary), /incl\. public IPv4 \$10\.95\/mo \(3 addresses\) · arm64/);
    assert.match(unboxed(summary), /CPU +arm64 \(--arch\): ~\$7\/mo per task · --arch x86_64: ~\$9\/mo/);
    await press(m, 'y');
    const cs = await waitText(m, 'Execute these changes?');
    assert.match(cs, /TaskRole/);
    await press(m, 'y');
    const result = await waitText(m, 'Live at');
    assert.match(result, /https:\/\/feature-login-hw-alb/);
    assert.ok(log.includes('change-set answered true'));
    assert.equal(deployed?.certificate.kind, 'arn');
    assert.ok(log.some((l) => l.startsWith('save {"ecosystem":"feature-login","email":"ops@example.com"')));
    await press(m, 'q');
    assert.deepEqual(await exited(codes), [0]);
  });

  test('known answers (flags or saved) skip the answers screen; a failure offers retry, which re-runs the deploy', async () => {
    let runs = 0;
    const svc = services({
      deploy: async (_a, host) => {
        runs += 1;
        host.emit({ type: 'plan', ecosystem: 'dev', region: 'us-east-1', steps: [{ id: 'prerequisites', title: 'Check prerequisites', description: '', after: [] }] });
        host.emit({ type: 'step-start', step: 'prerequisites', title: 'Check prerequisites' });
        if (runs === 1) {
          const error = { code: 'AWS_CREDENTIALS', message: 'AWS credentials are missing or invalid', hint: 'Configure credentials with `aws configure`.' };
          host.emit({ type: 'step-failed', step: 'prerequisites', durationMs: 10, error });
          host.emit({ type: 'result', ok: false, error });
          return { exitCode: 1 };
        }
        host.emit({ type: 'step-succeeded', step: 'prerequisites', durationMs: 10 });
        host.emit(SUCCESS_RESULT);
        return { exitCode: 0 };
      },
    });
    const { codes, onExit } = exits();
    const cert = { kind: 'arn' as const, arn: 'arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' };
    const m = mount(h(App, { services: svc, start: start({ ecosystem: 'dev', email: 'ops@example.com', certificate: cert }), onExit }));
    await waitText(m, 'Deploy time');
    await press(m, KEY.enter);
    await waitText(m, '❯ [ Continue ]');
    assert.doesNotMatch(frameOf(m), /Alarm e-mail/);
    await press(m, KEY.enter);
    await waitText(m, 'Deploy now?');
    await press(m, KEY.enter);
    // The card is printed above once the run has ended; the live lines under it say what failed and the keys.
    const failure = await waitText(m, 'Hint ');
    assert.match(failure, /✘ Deploy failed · Check prerequisites: AWS credentials are missing or invalid\n +hint: Configure credentials/);
    assert.match(failure, /r retry/);
    assert.match(failure, /Step +✘ Check prerequisites/);
    assert.match(failure, /Hint +Configure credentials/);
    await press(m, 'r');
    await waitText(m, 'Live at');
    assert.equal(runs, 2);
    await press(m, 'q');
    assert.deepEqual(await exited(codes), [0]);
  });

  test('Ctrl-C during a stack update asks; c sends CancelUpdateStack for that stack; the run ends with 130', async () => {
    const cancelled: string[] = [];
    const svc = services({
      stackStatus: async (_t, name) => (name === INFRA ? 'UPDATE_IN_PROGRESS' : undefined),
      cancelUpdate: async (_t, name) => {
        cancelled.push(name);
        return ok(undefined);
      },
      deploy: async (_a, host, signal) => {
        host.emit({ type: 'plan', ecosystem: 'feature-login', region: 'us-east-1', steps: [{ id: 'deploy-infra-stack', title: 'Deploy the infra stack', description: '', after: [] }] });
        host.emit({ type: 'step-start', step: 'deploy-infra-stack', title: 'Deploy the infra stack' });
        host.emit({ type: 'stack-event', step: 'deploy-infra-stack', stack: INFRA, logicalId: INFRA, resourceType: 'AWS::CloudFormation::Stack', status: 'UPDATE_IN_PROGRESS', timestamp: '2026-11-26T12:00:00Z' });
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        const error = { code: 'INTERRUPTED', message: `Interrupted. Still in progress in AWS: ${INFRA} (UPDATE_ROLLBACK_IN_PROGRESS).` };
        host.emit({ type: 'step-failed', step: 'deploy-infra-stack', durationMs: 10, error });
        host.emit({ type: 'result', ok: false, error, inProgress: [`${INFRA} (UPDATE_ROLLBACK_IN_PROGRESS)`] });
        return { exitCode: 130 };
      },
    });
    const { codes, onExit } = exits();
    const m = await deploying(svc, onExit);
    await waitText(m, 'UPDATE_IN_PROGRESS');
    await press(m, KEY.ctrlC);
    const dialog = await waitText(m, 'cancel that update');
    assert.match(dialog, /Stack feature-login-hello-world-infra is UPDATE_IN_PROGRESS/);
    assert.deepEqual(codes, [], 'Ctrl-C alone never leaves');
    await press(m, 'c');
    const card = await waitSeen(m, 'Still moving');
    assert.match(card, /Still moving +feature-login-hello-world-infra \(UPDATE_ROLLBACK_IN_PROGRESS\)/);
    assert.deepEqual(await exited(codes), [130]);
    assert.deepEqual(cancelled, [INFRA]);
  });

  test('the Ctrl-C dialog holds new step starts while it is open: Esc releases them, s aborts and then opens the gate', async () => {
    let host: Parameters<WizardServices['deploy']>[1] | undefined;
    const heldAtAbort: boolean[] = [];
    const svc = services({
      deploy: async (_a, h2, signal) => {
        host = h2;
        h2.emit({ type: 'plan', ecosystem: 'feature-login', region: 'us-east-1', steps: [{ id: 'docker-build', title: 'Build the image', description: '', after: [] }] });
        h2.emit({ type: 'step-start', step: 'docker-build', title: 'Build the image' });
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => { heldAtAbort.push(h2.gate?.held ?? false); resolve(); }, { once: true }));
        h2.emit({ type: 'result', ok: false, error: { code: 'INTERRUPTED', message: 'Interrupted.' } });
        return { exitCode: 130 };
      },
    });
    const { codes, onExit } = exits();
    const m = await deploying(svc, onExit);
    await waitText(m, 'Build the image');
    assert.equal(host?.gate?.held, false);
    await press(m, KEY.ctrlC);
    await waitText(m, 'Stop the deploy?');
    assert.equal(host?.gate?.held, true, 'opening the dialog holds new step starts');
    await press(m, KEY.esc);
    await settle(20);
    assert.ok(!text(frameOf(m)).includes('Stop the deploy?'));
    assert.equal(host?.gate?.held, false, 'keep deploying releases them');
    await press(m, KEY.ctrlC);
    await waitText(m, 'Stop the deploy?');
    assert.equal(host?.gate?.held, true);
    await press(m, 's');
    assert.deepEqual(await exited(codes), [130]);
    assert.deepEqual(heldAtAbort, [true], 'the abort is sent while still held: nothing slips in between');
    assert.equal(host?.gate?.held, false, 'then the gate opens so the runner winds down');
  });

  test('Ctrl-C before the deploy starts quits with 130 and says nothing was deployed; Esc goes back a screen', async () => {
    const { codes, onExit } = exits();
    const m = mount(h(App, { services: services(), start: start({ ecosystem: 'feature-login' }), onExit }));
    await waitText(m, 'Deploy time');
    await press(m, KEY.enter);
    await waitText(m, 'Alarm e-mail');
    await press(m, KEY.esc);
    await waitText(m, 'Deploy time');
    await press(m, KEY.enter);
    await waitText(m, 'Alarm e-mail');
    await press(m, KEY.ctrlC);
    assert.deepEqual(await exited(codes), [130]);
    assert.ok(seen(m, 'Stopped before deploying: nothing was sent to CloudFormation.'));
  });

  test('the welcome: q or Esc quits with 0 and "Nothing was done."; Ctrl-C or a signal there is 130, also saying nothing was done', async () => {
    const ways: Array<[string, number, (m: ReturnType<typeof mount>, send: (s: NodeJS.Signals) => void) => Promise<void>]> = [
      ['q', 0, (m) => press(m, 'q')],
      ['Esc', 0, (m) => press(m, KEY.esc)],
      ['Ctrl-C', 130, (m) => press(m, KEY.ctrlC)],
      ['SIGINT', 130, async (_m, send) => send('SIGINT')],
      ['SIGTERM', 130, async (_m, send) => send('SIGTERM')],
      ['SIGHUP', 130, async (_m, send) => send('SIGHUP')],
    ];
    for (const [way, code, leave] of ways) {
      const { codes, onExit } = exits();
      const sig = signals();
      const m = mount(h(App, { services: services(), start: start({ ecosystem: 'feature-login' }), onExit, subscribeInterrupt: sig.subscribeInterrupt }));
      await waitText(m, 'Deploy time');
      await leave(m, sig.send);
      assert.deepEqual(await exited(codes), [code], way);
      assert.ok(seen(m, NOTHING_DONE), `${way}: the farewell says nothing was done`);
      cleanup();
    }
  });

  test('SIGTERM on the summary quits with 130 before anything is deployed', async () => {
    let deployed = false;
    const { codes, onExit } = exits();
    const sig = signals();
    const cert = { kind: 'arn' as const, arn: 'arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' };
    const svc = services({ deploy: async () => ((deployed = true), { exitCode: 0 }) });
    const m = mount(h(App, { services: svc, start: start({ ecosystem: 'feature-login', email: 'ops@example.com', certificate: cert }), onExit, subscribeInterrupt: sig.subscribeInterrupt }));
    await waitText(m, 'Deploy time');
    await press(m, KEY.enter);
    await waitText(m, '❯ [ Continue ]');
    await press(m, KEY.enter);
    await waitText(m, 'Deploy now?');
    sig.send('SIGTERM');
    assert.deepEqual(await exited(codes), [130]);
    assert.equal(deployed, false);
    assert.ok(seen(m, 'Stopped before deploying: nothing was sent to CloudFormation.'));
  });
});

describe('wizard app: signals and exit codes', () => {
  /** A deploy that shows the infra stack updating, waits for the abort, then ends as runDeploy does: still moving. */
  function updating(log: string[]): WizardServices {
    return services({
      stackStatus: async (_t, name) => (log.push(`stackStatus ${name}`), 'UPDATE_IN_PROGRESS'),
      cancelUpdate: async (_t, name) => (log.push(`cancelUpdate ${name}`), ok(undefined)),
      deploy: async (_a, host, signal) => {
        host.emit({ type: 'plan', ecosystem: 'feature-login', region: 'us-east-1', steps: [{ id: 'deploy-infra-stack', title: 'Deploy the infra stack', description: '', after: [] }] });
        host.emit({ type: 'step-start', step: 'deploy-infra-stack', title: 'Deploy the infra stack' });
        host.emit({ type: 'stack-event', step: 'deploy-infra-stack', stack: INFRA, logicalId: INFRA, resourceType: 'AWS::CloudFormation::Stack', status: 'UPDATE_IN_PROGRESS', timestamp: '2026-11-26T12:00:00Z' });
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        log.push(`aborted, gate ${host.gate?.held ? 'held' : 'open'}`);
        const error = { code: 'INTERRUPTED', message: `Interrupted. Still in progress in AWS: ${INFRA} (UPDATE_IN_PROGRESS).` };
        host.emit({ type: 'step-failed', step: 'deploy-infra-stack', durationMs: 10, error });
        host.emit({ type: 'result', ok: false, error, inProgress: [`${INFRA} (UPDATE_IN_PROGRESS)`] });
        return { exitCode: 130 };
      },
    });
  }

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    test(`${signal} during a stack update stops without asking: no dialog, no CancelUpdateStack, the stack named as still moving, exit 130`, async () => {
      const log: string[] = [];
      const { codes, hard, onExit } = exits();
      const sig = signals();
      const m = await deploying(updating(log), onExit, sig.subscribeInterrupt);
      await waitText(m, 'UPDATE_IN_PROGRESS');
      sig.send(signal);
      assert.deepEqual(await exited(codes), [130]);
      // The frames drawn on the way out: the stopping note naming the signal, then the interrupted card.
      const frames = m.frames.map((f) => unboxed(text(f)));
      assert.ok(frames.some((f) => f.includes(`${signal}: stopping after the running steps, without asking; a stack already changing carries on in AWS (nothing is cancelled)`)), 'the stopping note');
      const card = frames.find((f) => f.includes('Still moving')) ?? '';
      assert.match(card, /Interrupted/);
      assert.match(card, /Still moving +feature-login-hello-world-infra \(UPDATE_IN_PROGRESS\)/);
      assert.deepEqual(hard, [false]);
      assert.deepEqual(log, ['aborted, gate open'], 'no status check or CancelUpdateStack: the dialog never opened');
      assert.ok(!seen(m, 'Stop the deploy?'));
    });
  }

  test('SIGINT as a signal (kill -INT) asks, as the Ctrl-C key does; SIGHUP while asked answers "leave it running" (no CancelUpdateStack)', async () => {
    const log: string[] = [];
    const { codes, onExit } = exits();
    const sig = signals();
    const m = await deploying(updating(log), onExit, sig.subscribeInterrupt);
    await waitText(m, 'UPDATE_IN_PROGRESS');
    sig.send('SIGINT');
    await waitText(m, 'cancel that update');
    assert.deepEqual(codes, []);
    sig.send('SIGHUP');
    await waitSeen(m, 'Still moving');
    assert.deepEqual(await exited(codes), [130]);
    assert.ok(!frameOf(m).includes('Stop the deploy?'), 'the dialog is gone');
    assert.deepEqual(log, [`stackStatus ${INFRA}`, 'aborted, gate open']);
  });

  test('a second signal while stopping quits at once (hard exit 130)', async () => {
    const { codes, hard, onExit } = exits();
    const sig = signals();
    const svc = services({
      deploy: (_a, host) =>
        new Promise(() => {
          host.emit({ type: 'plan', ecosystem: 'feature-login', region: 'us-east-1', steps: [{ id: 'docker-build', title: 'Build the image', description: '', after: [] }] });
          host.emit({ type: 'step-start', step: 'docker-build', title: 'Build the image' });
        }),
    });
    const m = await deploying(svc, onExit, sig.subscribeInterrupt);
    await waitText(m, 'Build the image');
    // Both before React draws the first: the second still counts as a second.
    sig.send('SIGTERM');
    sig.send('SIGTERM');
    assert.deepEqual(await exited(codes), [130]);
    assert.deepEqual(hard, [true]);
    assert.ok(seen(m, 'Quit at once'));
  });

  test('after a deploy that succeeded, every way out exits 0: q, Enter, Esc, Ctrl-C, SIGINT, SIGTERM, SIGHUP', async () => {
    type Leave = (m: ReturnType<typeof mount>, send: (s: NodeJS.Signals) => void) => Promise<void>;
    const ways: Array<[string, Leave]> = [
      ['q', (m) => press(m, 'q')],
      ['Enter', (m) => press(m, KEY.enter)],
      ['Esc', (m) => press(m, KEY.esc)],
      ['Ctrl-C', (m) => press(m, KEY.ctrlC)],
      ...(['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s): [string, Leave] => [s, async (_m, send) => send(s)]),
    ];
    for (const [way, leave] of ways) {
      const svc = services({
        deploy: async (_a, host) => {
          for (const [, e] of MID_RUN) host.emit(e);
          host.emit(SUCCESS_RESULT);
          return { exitCode: 0 };
        },
      });
      const { codes, onExit } = exits();
      const sig = signals();
      const m = await deploying(svc, onExit, sig.subscribeInterrupt);
      await waitText(m, 'Live at');
      await leave(m, sig.send);
      assert.deepEqual(await exited(codes), [0], way);
      cleanup();
    }
  });
});

describe('branch ownership and the e-mail field', () => {
  const CERT = { kind: 'arn' as const, arn: 'arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' };
  // What the ECR step throws (cli/steps/deploy-ecr-stack.ts), hint and all: a command line's way out.
  const TAKEN = {
    code: 'ECOSYSTEM_TAKEN',
    message: 'Ecosystem feature-login-1ce277 (stack feature-login-1ce277-hello-world-ecr) was deployed from git branch "feature/login", not from this branch, "Feature/Login".',
    hint: 'Nothing was changed. Deploy this branch under a name of its own (--ecosystem <name>), or pass --take-over to deploy it over the stacks of "feature/login".',
  };

  test('the ecosystem derived from the branch is deployed with the branch; ECOSYSTEM_TAKEN says the wizard\'s way out (e, or --take-over); a typed name goes without the branch', async () => {
    const got: WizardAnswers[] = [];
    const svc = services({
      deploy: async (a, host) => {
        got.push(a);
        host.emit({ type: 'plan', ecosystem: a.ecosystem, region: 'us-east-1', steps: [{ id: 'deploy-ecr-stack', title: 'Deploy the ECR stack', description: '', after: [] }] });
        host.emit({ type: 'step-start', step: 'deploy-ecr-stack', title: 'Deploy the ECR stack' });
        if (got.length === 1) {
          host.emit({ type: 'step-failed', step: 'deploy-ecr-stack', durationMs: 10, error: TAKEN });
          host.emit({ type: 'result', ok: false, error: TAKEN });
          return { exitCode: 1 };
        }
        host.emit({ type: 'step-succeeded', step: 'deploy-ecr-stack', durationMs: 10 });
        host.emit(SUCCESS_RESULT);
        return { exitCode: 0 };
      },
    });
    const { codes, onExit } = exits();
    // As wizardStart settles it with no --ecosystem on git branch Feature/Login: the derived name, and the branch.
    const m = mount(h(App, { services: svc, start: start({ branch: 'Feature/Login', ecosystem: 'feature-login-1ce277', email: 'ops@example.com', certificate: CERT }), onExit }));
    await waitText(m, 'Deploy time');
    await press(m, KEY.enter);
    await waitText(m, '❯ [ Continue ]');
    await press(m, KEY.enter);
    const summary = unboxed(await waitText(m, 'Deploy now?'));
    assert.match(summary, /Ecosystem +feature-login-1ce277 owned by git branch "Feature\/Login": recorded on the stacks/);
    // The same run without the wizard is --yes without --ecosystem: it derives the name and checks the owner too.
    assert.match(summary, /npx hello-deploy --yes --email ops@example\.com --region us-east-1 --cert-arn \S+ --deploy-method direct/);
    assert.doesNotMatch(summary, /--ecosystem/);
    await press(m, 'y');
    // The card is printed above once the run has ended (its Hint row), with the keys live under it.
    const failure = unboxed(await waitFor(m, (f) => f.includes('Hint ') && f.includes('choose another ecosystem'), 'the failure card and its keys'));
    assert.deepEqual([got[0]?.ecosystem, got[0]?.branch], ['feature-login-1ce277', 'Feature/Login']);
    assert.match(failure, /Reason +Ecosystem feature-login-1ce277 .* was deployed from git branch "feature\/login"/);
    assert.match(failure, /Hint +Nothing was changed\. Press e to go back and give this branch an ecosystem name of its own, or quit and run npx hello-deploy --deploy-method direct --take-over to deploy over the other branch's stacks/);
    assert.doesNotMatch(failure, /--ecosystem <name>/, 'no flag to type: the wizard asks for the name');
    // The same answers would be refused again: no retry, only the way out.
    assert.match(failure, /no retry: the same answers would be refused the same way e choose another ecosystem · q quit \(exit 1\)/);

    await press(m, 'e');
    await waitText(m, '❯ Ecosystem');
    await press(m, ...Array.from({ length: 'feature-login-1ce277'.length }, () => KEY.backspace), ...'login-mine');
    assert.match(unboxed(await waitText(m, 'a name of your own')), /a name of your own, not tied to git branch "Feature\/Login"/);
    await press(m, KEY.enter);
    await waitText(m, '❯ [ Continue ]');
    await press(m, KEY.enter);
    assert.match(unboxed(await waitText(m, 'Deploy now?')), /npx hello-deploy --yes --ecosystem login-mine --email ops@example\.com/);
    await press(m, 'y');
    const result = unboxed(await waitFor(m, (f) => f.includes('Deploy again') && f.includes('Live at'), 'the result report and its live lines'));
    assert.equal(got.length, 2);
    const { branch: _owner, ...typed } = got[0]!;
    assert.deepEqual(got[1], { ...typed, ecosystem: 'login-mine' }, 'a typed name is the person\'s own: no branch');
    assert.match(result, /Deploy again +npx hello-deploy --ecosystem login-mine --deploy-method direct/);
    await press(m, 'q');
    assert.deepEqual(await exited(codes), [0]);
  });

  test('the e-mail field never sends what it holds to the terminal raw: a flag value and a paste with escape sequences, zero-width and C1 characters are shown escaped and refused as --email refuses them', async () => {
    const deployed: WizardAnswers[] = [];
    const { onExit } = exits();
    const m = mount(h(App, { services: services({ deploy: async (a) => (deployed.push(a), { exitCode: 0 }) }), start: start({ ecosystem: 'feature-login', email: 'ops\u001b]0;pwned\u0007@example.com', certificate: CERT }), onExit }));
    await waitText(m, 'Deploy time');
    await press(m, KEY.enter);
    const fromFlag = unboxed(await waitText(m, 'is not an e-mail address'));
    assert.match(fromFlag, /Alarm e-mail +ops\\u001b\]0;pwned\\u0007@example\.com/);
    // Ctrl-U clears the field; then a paste: an SGR and an OSC (window title) sequence, a zero-width space, a C1 CSI.
    await press(m, '\u0015');
    await press(m, 'ops\u001b[31m@ex\u200bample.com\u001b]0;pwned\u0007\u009b2J');
    const pasted = unboxed(await waitText(m, '\\u009b2J'));
    // Ink's parser takes the ESC sequences out as keys; what is left is kept, shown escaped, and refused.
    const held = 'ops@ex\u200bample.com0;pwned\u009b2J';
    assert.match(pasted, /Alarm e-mail +ops@ex\\u200bample\.com0;pwned\\u009b2J/);
    const flagSays = (() => {
      try {
        parseEmail(held);
      } catch (e) {
        return (e as Error).message;
      }
      return assert.fail('--email accepts it');
    })();
    assert.ok(pasted.includes(`✘ ${flagSays.replace(/^--email /, '')}`), `the --email message, ${flagSays}, in:\n${pasted}`);
    await press(m, KEY.enter);
    await settle(50);
    assert.match(frameOf(m), /is not an e-mail address/, 'Enter does not take a refused address');
    assert.deepEqual(deployed, []);
    // No frame ever held a raw control or invisible character, besides Ink's own styling (colour is off here).
    // eslint-disable-next-line no-control-regex
    const styling = /\u001b\[[0-9;]*m/g;
    for (const f of m.frames) assert.doesNotMatch(f.replace(styling, ''), /(?!\n)[\p{Cc}\p{Cf}]/u, JSON.stringify(f));
  });
});
