// The whole wizard app driven by key presses on ink-testing-library's stdin, with services that script the
// engine's side (events and questions exactly as runDeploy sends them through the Host). The real engine,
// adapters and terminal are driven in wizard-pty.test.ts.
import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { CLEAR_PREFLIGHT, h, mount, waitText, waitSeen, waitFor, press, KEY, frameOf, settle, text, unboxed } from './fixtures/ui/harness.ts';
import { CHANGES, INFRA, MID_RUN, SUCCESS_RESULT } from './fixtures/ui/events.ts';
import { App } from '../cli/ui/deploy/App.tsx';
import type { Check, WizardAnswers, WizardServices, WizardStart } from '../cli/ui/shared/services.ts';
import type { ExitCode } from '../cli/core/errors.ts';
import { parseEmail } from '../cli/domain/parsers.ts';

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
  return { codes, onExit: (c: ExitCode) => codes.push(c) };
}

async function exited(codes: ExitCode[], timeoutMs = 3000): Promise<ExitCode[]> {
  const deadline = Date.now() + timeoutMs;
  while (codes.length === 0 && Date.now() < deadline) await settle(10);
  return codes;
}

/** Answers known, certificate chosen: Enter through welcome, checklist and summary to the deploy screen. */
async function deploying(svc: WizardServices, onExit: (c: ExitCode) => void) {
  const cert = { kind: 'arn' as const, arn: 'arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' };
  const m = mount(h(App, { services: svc, start: start({ ecosystem: 'feature-login', email: 'ops@example.com', certificate: cert }), onExit }));
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
    const m = mount(h(App, { services: svc, start: start({ branch: 'Feature/Login', ecosystem: 'feature-login' }), onExit }));
    await waitText(m, 'Deploy time');
    await press(m, KEY.enter);
    await waitText(m, 'Alarm e-mail');
    await press(m, ...'ops@example.com', KEY.enter);
    await waitText(m, 'Import /p/app/certs/cert.pem into ACM now');
    await press(m, KEY.enter);
    await waitText(m, '❯ [ Continue ]');
    assert.deepEqual(log, ['import /p/app/certs/cert.pem feature-login']);
    await press(m, KEY.enter);
    const summary = await waitText(m, 'Deploy now?');
    assert.match(unboxed(summary), /npx hello-deploy --yes --ecosystem feature-login --email ops@example.com --region us-east-1 --cert-arn arn:aws:acm:us-east-1:123456789012:certificate\/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee --deploy-method direct/);
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
    await press(m, KEY.ctrlC);
    assert.deepEqual(await exited(codes), [130]);
    assert.ok(seen(m, 'Stopped before deploying: nothing was sent to CloudFormation.'));
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
