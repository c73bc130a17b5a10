// Each wizard screen rendered with ink-testing-library, a still clock and no colour, and compared with the
// expected text in test/fixtures/ui/. Key presses are real input on the fake stdin.
import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Box } from 'ink';
import { cleanup } from 'ink-testing-library';
import { CLEAR_PREFLIGHT, NOW, h, mount, frameOf, waitText, waitFor, press, KEY, assertFixture, settle, unboxed } from './fixtures/ui/harness.ts';
import { CHANGES, FAILED_END, FAILING, MID_RUN, SUCCESS_RESULT, type Timed } from './fixtures/ui/events.ts';
import { stillEnv } from '../cli/ui/shared/env.tsx';
import { Welcome } from '../cli/ui/deploy/Welcome.tsx';
import { Answers } from '../cli/ui/deploy/Answers.tsx';
import { Checklist, type ChecklistResult } from '../cli/ui/deploy/Checklist.tsx';
import { ChangeSetPreview, sensitivity } from '../cli/ui/deploy/ChangeSet.tsx';
import { FinishedSteps, ProgressScreen, paneLines } from '../cli/ui/shared/Progress.tsx';
import { ResultScreen, resultAfterword, runFacts } from '../cli/ui/deploy/Result.tsx';
import { push } from '../cli/ui/shared/progress-model.ts';
import { FailureCard } from '../cli/ui/shared/FailureCard.tsx';
import { WizardStore } from '../cli/ui/shared/host.ts';
import type { AcmCertificate, AwsTarget, Check, WizardServices } from '../cli/ui/shared/services.ts';
import { costFor } from './support/cost.ts';

afterEach(() => cleanup());

function replay(events: Timed[]): WizardStore {
  let clock = NOW;
  const store = new WizardStore(() => clock);
  for (const [t, e] of events) {
    clock = NOW + t;
    store.dispatch(e);
  }
  return store;
}

describe('welcome', () => {
  test('names both stacks, the monthly cost with its range, the IPv4 charge and the architecture, c expands the line items, the deploy time; Enter starts, q quits', async () => {
    const calls: string[] = [];
    const m = mount(h(Welcome, { ecosystem: 'feature-login', architecture: { cpu: 'X86_64', fromHost: true }, cost: costFor('X86_64'), onNext: () => calls.push('next'), onQuit: () => calls.push('quit') }));
    const f = await waitText(m, 'Deploy time');
    assertFixture('welcome', f);
    assert.match(f, /feature-login-hello-world-ecr/);
    assert.match(f, /feature-login-hello-world-infra/);
    assert.match(f, /us-east-1 bundled prices of \d{4}-\d{2}-\d{2}/);
    assert.match(unboxed(f), /~\$46\.44\/mo at 1 task \(\$46\.44–\$84\.58\/mo for 1–4\), until you delete the stacks/);
    assert.match(unboxed(f), /incl\. public IPv4 \$10\.95\/mo \(3 addresses\) · x86_64, 0\.25 vCPU \/ 0\.5 GB per task/);
    assert.match(unboxed(f), /CPU x86_64, this machine's \(builds without emulation\): ~\$9\/mo per task · --arch arm64 \(Graviton\): ~\$7\/mo, 20 % less/);
    await press(m, 'c');
    const open = unboxed(await waitText(m, 'Container Insights metrics'));
    assert.match(open, /Public IPv4 addresses \(3: the ALB's 2, one per AZ \+ 1 task\) +\$10\.95\/mo/);
    assert.match(open, /assumes 730 hours a month/);
    await press(m, KEY.enter, 'q');
    assert.deepEqual(calls, ['next', 'quit']);
  });

  test('with --arch arm64 the estimate is Graviton\'s; the other choice is named with its price', async () => {
    const m = mount(h(Welcome, { ecosystem: 'feature-login', architecture: { cpu: 'ARM64', fromHost: false }, cost: costFor('ARM64'), onNext: () => undefined, onQuit: () => undefined }));
    const f = unboxed(await waitText(m, 'Deploy time'));
    assert.match(f, /~\$44\.64\/mo at 1 task/);
    assert.match(f, /arm64, 0\.25 vCPU \/ 0\.5 GB per task/);
    assert.match(f, /CPU arm64 \(--arch\): ~\$7\/mo per task · --arch x86_64: ~\$9\/mo/);
  });
});

const ok = <T>(value: T): Check<T> => ({ ok: true, value });

function fakeServices(over: Partial<WizardServices> = {}): WizardServices & { calls: string[] } {
  const calls: string[] = [];
  const certs: AcmCertificate[] = [
    { arn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555', domain: 'hello-deploy.local', notAfter: '2026-12-06T12:00:00.000Z', daysLeft: 10, state: 'expiring', ecosystem: 'old' },
    { arn: 'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000', domain: 'app.example.com', notAfter: '2027-11-26T12:00:00.000Z', daysLeft: 365, state: 'ok' },
  ];
  return {
    calls,
    checkIdentity: async (t: AwsTarget) => {
      calls.push(`identity:${t.profile ?? '-'}`);
      return ok({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/dev', region: 'us-east-1' });
    },
    pingDocker: async () => {
      calls.push('docker');
      return { ok: false, error: { code: 'DOCKER_UNAVAILABLE', message: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.', hint: 'Start Docker Desktop (or dockerd) and check `docker version`.' } };
    },
    localCertificates: async () => ({ certFile: '/work/app/certs/cert.pem', keyFile: '/work/app/certs/key.pem', present: false }),
    generateCertificates: async () => {
      calls.push('generate');
      return ok({ certFile: '/work/app/certs/cert.pem', keyFile: '/work/app/certs/key.pem', present: true });
    },
    listCertificates: async () => {
      calls.push('list');
      return ok(certs);
    },
    importCertificate: async (_t, pair, eco) => {
      calls.push(`import:${pair.certFile}:${eco}`);
      // Like ACM: once imported, the certificate is listed.
      const imported: AcmCertificate = { arn: 'arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', domain: 'hello-deploy.local', notAfter: '2027-11-26T11:55:00.000Z', daysLeft: 364, state: 'ok' };
      certs.push(imported);
      return ok(imported);
    },
    templatesPresent: async () => ({ found: ['infra/hello-world-ecr-infra.yaml', 'infra/hello-world-infra.yaml', 'Dockerfile'], missing: [] }),
    preflight: async () => ok(CLEAR_PREFLIGHT),
    loadAnswers: async () => undefined,
    saveAnswers: async () => ok('/tmp/x.json'),
    deploy: async () => ({ exitCode: 0 }),
    stackStatus: async () => undefined,
    cancelUpdate: async () => ok(undefined),
    ...over,
  };
}

describe('prerequisites checklist', () => {
  test('a failing Docker engine shows ✘ with its fix; nothing continues until it is fixed', async () => {
    let dockerUp = false;
    const services = fakeServices({
      pingDocker: async () =>
        dockerUp ? ok({ serverVersion: '20.10.24' }) : { ok: false, error: { code: 'DOCKER_UNAVAILABLE', message: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.', hint: 'Start Docker Desktop (or dockerd) and check `docker version`.' } },
    });
    const done: ChecklistResult[] = [];
    const m = mount(h(Checklist, { services, start: { passThrough: [] }, ecosystem: 'feature-login', onDone: (r: ChecklistResult) => done.push(r), onBack: () => undefined }));
    const f = await waitText(m, 'Cannot connect');
    await waitText(m, 'Pick a certificate');
    assertFixture('checklist-docker-fail', frameOf(m));
    assert.match(f, /✘ +Docker engine/);
    assert.match(frameOf(m), /fix: Start Docker Desktop/);

    // The certificate menu has focus: pick from ACM; the list shows expiry and warns under 30 days.
    await press(m, KEY.down, KEY.enter);
    const list = await waitText(m, 'soonest expiry first');
    assert.match(list, /⚠ hello-deploy\.local · expires 2026-12-06 \(10 days\)/);
    assert.match(list, /app\.example\.com · expires 2027-11-26 \(365 days\)/);
    assertFixture('checklist-cert-list', list);
    await press(m, KEY.enter);
    await waitFor(m, (fr) => /⚠ expires in 10 days/.test(fr), 'the expiry warning on the chosen certificate');

    // Continue refuses while Docker is ✘; fixing it and re-checking lets it through.
    await waitText(m, '❯ ✘ Docker engine'); // focus moves to what still needs the user
    await press(m, KEY.down, KEY.down, KEY.down, KEY.down);
    await waitText(m, '❯ [ Continue ]');
    await press(m, KEY.enter);
    await waitText(m, 'Fix the ✘ items first');
    assert.equal(done.length, 0);
    dockerUp = true;
    await press(m, KEY.up, KEY.up, KEY.up, KEY.up);
    await waitText(m, '❯ ✘ Docker engine');
    await press(m, KEY.enter);
    await waitText(m, 'engine 20.10.24');
    await press(m, KEY.enter);
    await settle(50);
    assert.equal(done.length, 1);
    assert.equal(done[0]!.certificate.kind, 'arn');
    assert.match((done[0]!.certificate as { arn: string }).arn, /11111111-2222/);
  });

  test('the region is fixed in place like the profile: r opens it, a bad one is refused on the spot, a good one re-checks with it', async () => {
    const regions: Array<string | undefined> = [];
    const services = fakeServices({
      checkIdentity: async (t: AwsTarget) => {
        regions.push(t.region);
        return t.region
          ? ok({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/dev', region: t.region })
          : { ok: false as const, error: { code: 'AWS_REGION', message: 'No AWS region is configured (STS needs one).', hint: 'Pass --region.' } };
      },
    });
    const m = mount(h(Checklist, { services, start: { passThrough: [] }, ecosystem: 'feature-login', onDone: () => undefined, onBack: () => undefined }));
    await waitText(m, 'No AWS region is configured');
    await press(m, 'r');
    await waitText(m, 'region:');
    await press(m, ...'zz-nowhere-9', KEY.enter);
    await waitText(m, 'not an AWS region');
    assert.deepEqual(regions, [undefined], 'a refused region is never sent');
    for (let i = 0; i < 'zz-nowhere-9'.length; i++) await press(m, KEY.backspace);
    await press(m, ...'eu-west-2', KEY.enter);
    await waitText(m, 'region eu-west-2');
    assert.deepEqual(regions, [undefined, 'eu-west-2']);
  });

  test('with --image the Docker row says what becomes of the image: a tag is resolved to its digest, a digest is deployed as is', async () => {
    const flat = (f: string) => f.replace(/│/g, ' ').replace(/\s+/g, ' ');
    const tagged = fakeServices();
    const byTag = mount(h(Checklist, { services: tagged, start: { passThrough: [], image: 'ghcr.io/acme/app:v1' }, ecosystem: 'feature-login', onDone: () => undefined, onBack: () => undefined }));
    assert.match(flat(await waitText(byTag, 'not needed')), /not needed: --image ghcr\.io\/acme\/app:v1 is resolved to its digest, and the digest is deployed/);
    const digest = `ghcr.io/acme/app@sha256:${'ab'.repeat(32)}`;
    const byDigest = mount(h(Checklist, { services: fakeServices(), start: { passThrough: [], image: digest }, ecosystem: 'feature-login', onDone: () => undefined, onBack: () => undefined }));
    assert.match(flat(await waitText(byDigest, 'not needed')), /is deployed as is \(pinned by digest\)/);
    assert.ok(!tagged.calls.includes('docker'), 'the Docker engine is not asked');
  });

  test('no AWS identity: the row offers the rehearsal, which needs no account (and not when an emulator is the target)', async () => {
    const noCredentials = { ok: false as const, error: { code: 'AWS_CREDENTIALS', message: 'AWS credentials are missing or invalid: Could not load credentials from any providers', hint: 'Configure credentials.' } };
    const onAws = mount(h(Checklist, { services: fakeServices({ checkIdentity: async () => noCredentials }), start: { passThrough: [] }, ecosystem: 'feature-login', onDone: () => undefined, onBack: () => undefined }));
    const f = (await waitText(onAws, 'Could not load credentials')).replace(/│/g, ' ').replace(/\s+/g, ' ');
    assert.match(f, /No AWS account at hand\? npx hello-deploy --local rehearses the whole deployment on this machine/);
    const onEmulator = mount(h(Checklist, { services: fakeServices({ checkIdentity: async () => noCredentials }), start: { passThrough: [], endpointUrl: 'http://127.0.0.1:5000' }, ecosystem: 'feature-login', onDone: () => undefined, onBack: () => undefined }));
    assert.doesNotMatch(await waitText(onEmulator, 'Could not load credentials'), /npx hello-deploy --local/);
  });

  test('generate then import runs in that order, tagged with the ecosystem; the profile is switchable in place', async () => {
    const services = fakeServices({ pingDocker: async () => ok({ serverVersion: '20.10.24' }) });
    const done: ChecklistResult[] = [];
    const m = mount(h(Checklist, { services, start: { passThrough: [] }, ecosystem: 'feature-login', onDone: (r: ChecklistResult) => done.push(r), onBack: () => undefined }));
    await waitText(m, 'Generate a self-signed pair');
    await press(m, KEY.enter);
    await waitText(m, 'aaaaaaaa-bbbb');
    const generated = services.calls.indexOf('generate');
    const imported = services.calls.indexOf('import:/work/app/certs/cert.pem:feature-login');
    assert.ok(generated >= 0 && imported > generated, `generate, then import: ${services.calls.join(',')}`);

    await press(m, 'p');
    await waitText(m, 'profile:');
    await press(m, 'd', 'e', 'v', KEY.enter);
    await waitText(m, 'profile dev');
    assert.ok(services.calls.includes('identity:dev'), services.calls.join(','));
    // The imported ARN survives the re-check (looked up again for its expiry).
    const listsBefore = services.calls.filter((c) => c === 'list').length;
    await waitFor(m, (fr) => /✔ +Certificate +hello-deploy\.local[^\n]*\n[^\n]*aaaaaaaa-bbbb/.test(fr) && services.calls.filter((c) => c === 'list').length > listsBefore, 'certificate re-checked and still ✔');
    assert.doesNotMatch(frameOf(m), /not an imported certificate/);
  });
});

describe('prerequisites checklist: the preflight row', () => {
  test('a name taken shows ✘ with the problem and its fix; Continue waits; Enter re-checks, and a clear preflight lets it through', async () => {
    let taken = true;
    const asked: string[] = [];
    const services = fakeServices({
      pingDocker: async () => ok({ serverVersion: '20.10.24' }),
      preflight: async (t, eco, certificate) => {
        asked.push(`${t.region} ${eco} ${certificate.kind}`);
        if (!taken) return ok(CLEAR_PREFLIGHT);
        return ok({
          checks: [
            { id: 'names', title: 'Names', status: 'problems', notes: [], problems: [{ message: 'the CloudWatch Logs log group "/ecs/feature-login-hello-world" already exists and is not part of feature-login-hello-world-infra', fix: 'aws logs delete-log-group --log-group-name /ecs/feature-login-hello-world --region us-east-1' }] },
            CLEAR_PREFLIGHT.checks[1]!,
            CLEAR_PREFLIGHT.checks[2]!,
          ],
        });
      },
    });
    const done: ChecklistResult[] = [];
    const start = { passThrough: [], certificate: { kind: 'arn' as const, arn: 'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000' } };
    const m = mount(h(Checklist, { services, start, ecosystem: 'feature-login', onDone: (r: ChecklistResult) => done.push(r), onBack: () => undefined }));
    const f = await waitText(m, 'fix: aws logs delete-log-group');
    assertFixture('checklist-preflight', f);
    assert.match(f, /❯ ✘ Preflight +Names ✘ · Quotas ✔ · Certificate ✔/);
    assert.deepEqual(asked, ['us-east-1 feature-login arn'], 'run once the identity and the certificate are settled, in the resolved region');
    await press(m, KEY.down, KEY.enter);
    await waitText(m, 'Fix the ✘ items first');
    assert.equal(done.length, 0);
    taken = false;
    await press(m, KEY.up, KEY.enter);
    await waitText(m, 'nothing AWS would refuse late');
    await waitText(m, '❯ [ Continue ]');
    await press(m, KEY.enter);
    await settle(50);
    assert.equal(done.length, 1);
  });

  test('a preflight that cannot run at all (AWS unreachable) shows the error with its fix', async () => {
    const services = fakeServices({
      pingDocker: async () => ok({ serverVersion: '20.10.24' }),
      preflight: async () => ({ ok: false, error: { code: 'AWS_UNREACHABLE', message: 'CloudWatch Logs DescribeLogGroups: could not reach logs.us-east-1.amazonaws.com', hint: 'Check the network.' } }),
    });
    const start = { passThrough: [], certificate: { kind: 'arn' as const, arn: 'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000' } };
    const m = mount(h(Checklist, { services, start, ecosystem: 'feature-login', onDone: () => undefined, onBack: () => undefined }));
    const f = await waitText(m, 'could not reach');
    assert.match(f, /✘ Preflight/);
    assert.match(f, /fix: Check the network\./);
  });
});

describe('answers', () => {
  test('a bad ecosystem stays on screen with its error and the sanitized form; → takes it; a bad e-mail too', async () => {
    const done: Array<{ ecosystem: string; email: string }> = [];
    const m = mount(h(Answers, { initial: { ecosystem: '', email: '' }, onDone: (v: { ecosystem: string; email: string }) => done.push(v), onBack: () => undefined }));
    await press(m, ...'Feature/Login');
    await press(m, KEY.enter);
    const f = await waitText(m, 'must start with a lowercase letter');
    assertFixture('answers-bad-ecosystem', f);
    assert.match(f, /as a name: feature-login-1ce277/);
    assert.equal(done.length, 0);

    await press(m, KEY.right);
    await waitText(m, 'names every resource: feature-login-1ce277-hello-world-ecr');
    await press(m, KEY.enter);
    await press(m, ...'ops@', KEY.enter);
    await waitText(m, '"ops@" is not an e-mail address');
    assert.equal(done.length, 0);
    await press(m, ...'example.com', KEY.enter);
    await settle();
    assert.deepEqual(done, [{ ecosystem: 'feature-login-1ce277', email: 'ops@example.com' }]);
  });
});

describe('change-set preview', () => {
  test('a table of add/modify/remove with replacements, security-sensitive rows highlighted; n declines', async () => {
    const answers: boolean[] = [];
    const m = mount(h(ChangeSetPreview, { stack: 'feature-login-hello-world-infra', changes: CHANGES, onAnswer: (y: boolean) => answers.push(y) }));
    const f = await waitText(m, 'Execute these changes?');
    assertFixture('change-set', f);
    assert.match(f, /▶ Modify +TaskRole +AWS::IAM::Role .*⚠ IAM/);
    assert.match(f, /TaskDefinition .* replaced/);
    assert.equal(sensitivity({ action: 'Add', logicalId: 'L', resourceType: 'AWS::ElasticLoadBalancingV2::Listener' }), 'listener');
    assert.equal(sensitivity({ action: 'Add', logicalId: 'T', resourceType: 'AWS::SNS::Topic' }), undefined);
    await press(m, 'n');
    assert.deepEqual(answers, [false]);
  });
});

describe('progress', () => {
  test('mid-run: finished steps printed once above, the build pane tails its log, the stack pane counts resources', async () => {
    const store = replay(MID_RUN);
    const snap = store.getSnapshot();
    const m = mount(h(Box, { flexDirection: 'column' }, h(FinishedSteps, { items: snap.finished }), h(ProgressScreen, { model: snap.progress })), stillEnv(NOW + 5000));
    const f = await waitText(m, 'Build the image');
    assertFixture('progress-mid-run', f);
    assert.match(f, /✔ Check prerequisites 1s +123456789012 \/ us-east-1/);
    assert.match(f, /Deploy the ECR stack 2s/);
    assert.match(f, /1 of 1 complete/);
    // The tail keeps the last 8 lines only.
    assert.doesNotMatch(f, /Step 1\/9/);
    assert.match(f, /Collecting gunicorn/);
  });
});

describe('fitting the terminal', () => {
  test('a push pane keeps one line per layer: its newest status replaces "Waiting" where it stands', () => {
    let tail: string[] = [];
    for (const line of ['The push refers to repository [127.0.0.1:5000/x]', '5f70bf18a086: Preparing', 'e8c3a1d2b4f6: Preparing', '5f70bf18a086: Waiting', 'e8c3a1d2b4f6: Pushed', '5f70bf18a086: Pushed', 'latest: digest: sha256:abc size: 1']) tail = push(tail, line);
    assert.deepEqual(tail, ['The push refers to repository [127.0.0.1:5000/x]', '5f70bf18a086: Pushed', 'e8c3a1d2b4f6: Pushed', 'latest: digest: sha256:abc size: 1']);
  });

  test('a running pane spends the rows it is given: status and bar, then resources and log lines; never below nothing', () => {
    const stack = { id: 's', title: 'Deploy', description: '', status: 'running' as const, stack: 'x', tail: ['a', 'b', 'c', 'd'], resources: [] };
    assert.deepEqual(paneLines(stack, Infinity), { resources: 8, tail: 3 });
    assert.deepEqual(paneLines(stack, 8), { resources: 4, tail: 2 });
    assert.deepEqual(paneLines(stack, 0), { resources: 0, tail: 0 });
    const build = { ...stack, stack: undefined, counter: { current: 1, total: 2 } };
    assert.deepEqual(paneLines(build, 3), { resources: 0, tail: 2 });
    assert.deepEqual(paneLines(build, -4), { resources: 0, tail: 0 });
  });

  test('the welcome says which answers it will use and that e edits them; e goes to the answers', async () => {
    let edits = 0;
    const m = mount(h(Welcome, { ecosystem: 'feature-login', known: { email: 'ops@example.com', savedFrom: '/p/.hello-deploy/feature-login.json' }, onNext: () => undefined, onEdit: () => edits++, onQuit: () => undefined }));
    const f = await waitText(m, 'Deploy time');
    assert.match(f.replace(/[│\s]+/g, ' '), /using your saved answers \(ecosystem feature-login, alarm e-mail ops@example\.com; e to edit\)/);
    assert.doesNotMatch(f, /asks two questions/);
    assert.match(f, /Enter start · e edit the answers · q quit/);
    await press(m, 'e');
    assert.equal(edits, 1);
  });

  test('the afterword: every value whole on its own line, with status, logs, destroy and the command without the wizard', () => {
    const text = resultAfterword({ result: SUCCESS_RESULT as never, ecosystem: 'feature-login', target: { region: 'us-east-1' }, command: 'npx hello-deploy --yes --ecosystem feature-login' });
    const lines = text.split('\n');
    assert.equal(lines[0], 'hello-deploy: feature-login deployed');
    assert.ok(lines.some((l) => /^ {2}Image +\S+@sha256:[a-f0-9]{64}$/.test(l)), text);
    assert.ok(lines.includes('  Status              npx hello-deploy status --ecosystem feature-login --region us-east-1'), text);
    assert.ok(lines.includes('  Logs                npx hello-deploy logs --follow --ecosystem feature-login --region us-east-1'), text);
    assert.ok(lines.includes('  Remove              npx hello-deploy destroy --ecosystem feature-login --region us-east-1'), text);
    assert.ok(lines.includes('  Without the wizard  npx hello-deploy --yes --ecosystem feature-login'), text);
    assert.ok(!/[│…]/.test(text), 'no border and nothing cut');
  });
});

describe('result and failure', () => {
  test('result: the URL, what was created, the SNS reminder and next commands; s, l and d open status, logs and destroy; q quits', async () => {
    let quit = 0;
    const opened: string[][] = [];
    const props = { result: SUCCESS_RESULT as never, email: 'ops@example.com', ecosystem: 'feature-login', target: { region: 'eu-west-1' }, onQuit: () => quit++, onOpen: (args: string[]) => opened.push(args) };
    const m = mount(h(ResultScreen, props));
    const f = await waitText(m, 'Next');
    assertFixture('result', f);
    assert.match(f, /Live at https:\/\/feature-login-hw-alb/);
    assert.match(f, /Confirm the SNS subscription/);
    assert.match(f, /s status/);
    for (const k of ['s', 'l', 'd']) await press(m, k);
    assert.deepEqual(opened, [
      ['status', '--ecosystem', 'feature-login', '--region', 'eu-west-1'],
      ['logs', '--follow', '--ecosystem', 'feature-login', '--region', 'eu-west-1'],
      ['destroy', '--ecosystem', 'feature-login', '--region', 'eu-west-1'],
    ]);
    await press(m, 'q');
    assert.equal(quit, 1);
  });

  test('result on an emulator with no changes: "not checked" instead of a green Live, "no changes", commands aimed at the emulator', async () => {
    const ecr = 'feature-login-hello-world-ecr';
    const infra = 'feature-login-hello-world-infra';
    const endpoint = 'http://127.0.0.1:5000';
    const store = replay([
      [0, { type: 'plan', ecosystem: 'feature-login', region: 'us-east-1', steps: [
        { id: 'deploy-ecr-stack', title: 'Deploy the ECR stack', description: '', after: [] },
        { id: 'deploy-infra-stack', title: 'Deploy the infra stack', description: '', after: ['deploy-ecr-stack'] },
        { id: 'result', title: 'Check the live URL', description: '', after: ['deploy-infra-stack'] },
      ] }],
      [1, { type: 'step-succeeded', step: 'deploy-ecr-stack', durationMs: 900, summary: `${ecr}: no changes; repository 127.0.0.1:5001/${ecr}` }],
      [2, { type: 'step-succeeded', step: 'deploy-infra-stack', durationMs: 900, summary: `${infra}: no changes` }],
      [3, { type: 'step-skipped', step: 'result', reason: `smoke check skipped: ${(SUCCESS_RESULT as { url: string }).url} belongs to the emulator at ${endpoint} and is not reachable` }],
    ]);
    const facts = runFacts(store.getSnapshot().progress.steps);
    assert.equal(facts.unchanged, true);
    const m = mount(h(ResultScreen, {
      result: SUCCESS_RESULT as never, email: 'ops@example.com', ecosystem: 'feature-login', facts,
      passThrough: [`--endpoint-url ${endpoint}`, '--registry 127.0.0.1:5001', '--deploy-method direct'],
      target: { region: 'us-east-1', endpointUrl: endpoint },
      onQuit: () => undefined,
    }));
    const f = (await waitText(m, 'Next')).replace(/│/g, ' ').replace(/\s+/g, ' ');
    assert.doesNotMatch(f, /✔ Live at/);
    assert.match(f, /not checked: https:\/\/feature-login-hw-alb\S+ belongs to the emulator at http:\/\/127\.0\.0\.1:5000/);
    assert.match(f, /Deployed: no changes/);
    assert.match(f, /No changes: already deployed/);
    assert.doesNotMatch(f, /Created|curl -k/);
    assert.match(f, /Deploy again npx hello-deploy --ecosystem feature-login --endpoint-url http:\/\/127\.0\.0\.1:5000 --registry 127\.0\.0\.1:5001 --deploy-method direct/);
    assert.match(f, /npx hello-deploy destroy --ecosystem feature-login --region us-east-1 --endpoint-url http:\/\/127\.0\.0\.1:5000/);
    // An emulator sends no e-mail: no promise of one.
    assert.doesNotMatch(f, /AWS sent an e-mail/);
    assert.match(f, /subscription to ops@example\.com exists only in the emulator: no e-mail is sent/);
  });

  test('run facts: a change to one stack is not "no changes"; a smoke step that ran leaves the URL checked', () => {
    const steps = (ecr: string, infra: string) => [
      { id: 'deploy-ecr-stack', title: '', description: '', status: 'succeeded', summary: ecr, tail: [], resources: [] },
      { id: 'deploy-infra-stack', title: '', description: '', status: 'succeeded', summary: infra, tail: [], resources: [] },
      { id: 'result', title: '', description: '', status: 'succeeded', tail: [], resources: [] },
    ] as Parameters<typeof runFacts>[0];
    assert.deepEqual(runFacts(steps('e: no changes; repository r', 'i: updated')), { unchanged: false });
    assert.deepEqual(runFacts(steps('e: no changes; repository r', 'i: no changes')), { unchanged: true });
  });

  test('failure card: the failed step and resource, the reason, the hint and the log tail; r retries', async () => {
    const store = replay([...FAILING, ...FAILED_END]);
    const { progress } = store.getSnapshot();
    const result = progress.result;
    assert.ok(result && !result.ok);
    let retried = 0;
    const m = mount(h(FailureCard, { model: progress, error: result.error, onRetry: () => retried++, onQuit: () => undefined }));
    const f = await waitText(m, 'Log tail');
    assertFixture('failure', f);
    assert.match(f, /Resource +LoadBalancer \(AWS::ElasticLoadBalancingV2::LoadBalancer\) CREATE_FAILED/);
    assert.match(f, /cannot be attached to multiple subnets in the same Availability/);
    await press(m, 'r');
    assert.equal(retried, 1);
    assert.match(f, /q quit \(exit 1\)/);
    // The q hint names the code q really exits with (the engine's: 2 when AWS refused the input as bad).
    // A retry never repeats a doomed action: input AWS refused as bad (exit 2) is not offered again; r does nothing.
    let doomedRetries = 0;
    const usage = mount(h(FailureCard, { model: progress, error: result.error, onRetry: () => doomedRetries++, onQuit: () => undefined, quitCode: 2 }));
    const refused = await waitText(usage, 'Log tail');
    assert.match(refused, /no retry: the same answers would be refused the same way; quit, change them, and run again\n q quit \(exit 2\)$/);
    assert.doesNotMatch(refused, /r retry/);
    await press(usage, 'r', KEY.enter);
    assert.equal(doomedRetries, 0);
  });
});
