// The wizard end to end in a real pseudo-terminal: tmux runs the BUILT binary (bin/hello-deploy.js) at 100×40,
// real keystrokes go in with send-keys, and each screen is read back with capture-pane. Behind it: moto, the
// Docker engine and the local registry, exactly as in deploy-e2e.test.ts. Two runs: the whole wizard to a live
// URL (exit 0, with a bad ecosystem typed first), then a re-run that asks only what it does not know and is
// stopped with Ctrl-C (the question, then exit 130). Then the signals and exit codes: q on the welcome (0), SIGTERM
// (kill) and a real hang-up (the terminal closed) while a stack step is running (130, no question asked), and
// SIGHUP on the result screen of a deploy that succeeded (0). After each, the terminal is as it was found.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { startRegistry, type Registry } from './support/registry.ts';
import { createTmux } from './support/tmux.ts';
import { dockerUnavailableReason, removeDeployTraces } from './support/docker.ts';
import { BASE_IMAGE, ROOT } from './support/paths.ts';
import { cfnClient, readTemplate } from './support/stacks.ts';
import { createCloudFormationPorts } from '../cli/adapters/aws/cloudformation.ts';

const tmux = createTmux('hello-deploy-pty');
// The checkout whose built binary is driven: this one (HELLO_DEPLOY_CLI_ROOT lets a developer point at another).
const CLI_ROOT = process.env.HELLO_DEPLOY_CLI_ROOT ?? ROOT;

let moto: Moto;
let registry: Registry | undefined;
let noDocker: string | null;
let cwd: string;

/** Starts the wizard in a fresh tmux window against moto and the local registry. */
async function startWizard(extra: string[] = [], opts: { exitCodeFile?: string } = {}): Promise<void> {
  const args = ['--endpoint-url', moto.endpoint, '--registry', registry!.host, '--deploy-method', 'direct', ...extra];
  await tmux.start([path.join(ROOT, 'node_modules/.bin/node'), path.join(CLI_ROOT, 'bin/hello-deploy.js'), ...args], {
    cwd,
    // TMPDIR as this process has it: the deploy lock of a stack lives there, and holdStack takes it from here.
    env: { ...FAKE_AWS_ENV, HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE, TMPDIR: tmpdir() },
    ...opts,
  });
}

/**
 * Another deploy of `stackName` from this machine, really made (the adapter, on moto): a change set creates the
 * stack and waits at its review, so the stack sits in REVIEW_IN_PROGRESS (a CREATE change set makes the stack in
 * that status before anything is executed: "Stack status codes" in
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html; moto does the same) and
 * this process holds the stack's deploy lock. A wizard deploying the same stack meanwhile waits for it, with its stack step running, for as long as the
 * test needs. `release` declines the change set (the stack is removed) and waits for that.
 */
async function holdStack(stackName: string): Promise<{ release(): Promise<void> }> {
  const { stacks } = createCloudFormationPorts({ region: 'us-east-1', endpointUrl: moto.endpoint }, { client: cfnClient(moto.endpoint), pollMs: 100 });
  let decide: ((yes: boolean) => void) | undefined;
  let reviewing!: () => void;
  const inReview = new Promise<void>((resolve) => (reviewing = resolve));
  const done = stacks.deploy({
    stackName,
    templateBody: readTemplate('hello-world-ecr-infra.yaml'),
    parameters: { Ecosystem: stackName.replace(/-hello-world-ecr$/, '') },
    tags: { ManagedBy: 'hello-deploy' },
    capabilities: [],
    method: 'change-set',
    onEvent: () => undefined,
    onProgress: () => undefined,
    confirmChanges: () => {
      reviewing();
      return new Promise<boolean>((resolve) => (decide = resolve));
    },
    confirmRecreate: async () => false,
  });
  await Promise.race([inReview, done.then(() => assert.fail(`the holding deploy of ${stackName} ended before its review`))]);
  return {
    async release() {
      decide?.(false);
      await done;
    },
  };
}

/** The saved certificate of the first test's run (imported into moto's ACM), for runs that pass every answer as a flag. */
const savedCertArn = () => (JSON.parse(readFileSync(path.join(cwd, '.hello-deploy/wiz-pty.json'), 'utf8')) as { certificate: { arn: string } }).certificate.arn;

/** Flags that answer everything for a fresh ecosystem: welcome → checks → summary only. */
const answered = (ecosystem: string) => ['--ecosystem', ecosystem, '--email', 'ops@example.com', '--cert-arn', savedCertArn(), '--region', 'us-east-1'];

/** From the welcome to the deploy, every answer known: Enter, Continue, y. */
async function walkToDeploy(): Promise<void> {
  await tmux.waitScreen('Deploy time');
  await tmux.keys('Enter');
  await tmux.waitScreen('❯ [ Continue ]', 60_000);
  await tmux.keys('Enter');
  await tmux.waitScreen('Deploy now?');
  await tmux.type('y');
}

before(async () => {
  noDocker = await dockerUnavailableReason();
  if (noDocker) return;
  // The test drives the built binary: build it now so it is never stale.
  execFileSync(path.join(ROOT, 'node_modules/.bin/node'), ['scripts/build.mjs'], { cwd: CLI_ROOT, stdio: 'inherit' });
  moto = await startMoto();
  registry = await startRegistry({ username: 'AWS', password: '123456789012-auth-token' });
  // No git here and no app/certs: the wizard must ask for the ecosystem and generate a pair.
  cwd = mkdtempSync(path.join(tmpdir(), 'hello-deploy-wizard-'));
});

after(async () => {
  await tmux.kill();
  if (registry) await removeDeployTraces({ registryHost: registry.host, ecosystems: ['wiz-pty', 'wiz-sig', 'wiz-hup'] });
  await registry?.stop();
  await moto?.stop();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

test('the whole wizard in a real terminal: answers (a bad ecosystem first), generated certificate, deploy, URL, then s opens status in place', { timeout: 240_000 }, async (t) => {
  if (noDocker) return t.skip(noDocker);
  assert.ok(readFileSync(path.join(CLI_ROOT, 'cli/commands/deploy.ts'), 'utf8').includes('runWizard'), 'deploy.ts must hand a TTY to runWizard (cli/commands/wizard.ts)');
  await startWizard();

  const welcome = await tmux.waitScreen('Deploy time');
  assert.match(welcome, /hello-world-infra/);
  assert.match(welcome, /Every AWS call goes to http:\/\/127\.0\.0\.1:\d+/);
  await tmux.keys('Enter');

  // A bad ecosystem stays on screen with its error; the fixed one goes through.
  await tmux.waitScreen('Alarm e-mail');
  await tmux.type('9 Bad!');
  await tmux.keys('Enter');
  const bad = await tmux.waitScreen('must start with a lowercase letter');
  assert.match(bad, /as a name: b-9-bad/);
  assert.match(bad, /❯ Ecosystem +9 Bad!/);
  await tmux.keys('C-u');
  await tmux.type('wiz-pty');
  await tmux.keys('Enter');
  await tmux.waitScreen('❯ Alarm e-mail');
  await tmux.type('ops@example.com');
  await tmux.keys('Enter');

  // Prerequisites, checked live: moto answers STS, the engine answers the ping; the certificate is generated here
  // (app/certs under the working folder) and imported into (moto's) ACM.
  await tmux.waitScreen('Generate a self-signed pair');
  const checks = await tmux.screen();
  assert.match(checks, /✔ AWS identity +account 123456789012/);
  assert.match(checks, /✔ Docker engine +engine /);
  assert.match(checks, /✔ Templates/);
  await tmux.keys('Enter');
  const certOk = await tmux.waitScreen('❯ [ Continue ]', 60_000);
  assert.match(certOk, /✔ Certificate +hello-deploy\.local · expires \d{4}-\d{2}-\d{2}/);
  assert.ok(existsSync(path.join(cwd, 'app/certs/key.pem')));
  await tmux.keys('Enter');

  const summary = await tmux.waitScreen('Deploy now?');
  assert.match(summary, /npx hello-deploy --yes --ecosystem wiz-pty --email ops@example\.com/);
  await tmux.type('y');

  await tmux.waitScreen(/Deploying wiz-pty|✔ Check prerequisites/);
  // The emulator's load balancer leads nowhere: the URL is shown as not checked, never as a green "Live at".
  // The report is printed once above the live lines: read the scrollback too, whichever frame the wait caught.
  await tmux.waitScreen('not checked', 180_000);
  // (The live key line can be drawn a frame before the report lands above it: wait for both.)
  const result = await tmux.waitScreen(/Deploy again[\s\S]*s status · l logs/, 30_000, { history: true });
  const url = /URL (https:\/\/\S+)/.exec(result)?.[1];
  assert.ok(url, result);
  assert.doesNotMatch(result, /Live at/);
  // The next commands stay on the emulator (read with the card's borders and line wraps taken out).
  const flat = result.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');
  assert.match(flat, /Deploy again npx hello-deploy --ecosystem wiz-pty --endpoint-url http:\/\/127\.0\.0\.1:\d+/);
  assert.match(flat, /Remove npx hello-deploy destroy --ecosystem wiz-pty --region us-east-1 --endpoint-url http:\/\/127\.0\.0\.1:\d+/);
  assert.match(flat, /exists only in the emulator: no e-mail is sent/);
  assert.match(result, /wiz-pty-hello-world-infra/);
  assert.match(result, /s status · l logs · d destroy · q quit/);
  // s opens `hello-deploy status` of what was just deployed, in this terminal, aimed at the same emulator: its
  // verdict is honest about moto (the service wants 0 tasks there), and its exit code becomes the run's.
  await tmux.type('s');
  const status = await tmux.waitScreen(/EXIT=\d+/, 30_000, { history: true });
  assert.match(status, /^ {2}Status +npx hello-deploy status --ecosystem wiz-pty --region us-east-1 --endpoint-url/m, 'the afterword is printed first');
  assert.match(status, /ecosystem wiz-pty is not healthy: the service wants 0 tasks/);
  assert.match(status, /EXIT=1/);

  // The answers were saved for the re-run, without secrets.
  const saved = JSON.parse(readFileSync(path.join(cwd, '.hello-deploy/wiz-pty.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(saved.email, 'ops@example.com');
  assert.match(JSON.stringify(saved.certificate), /arn:aws:acm:us-east-1:123456789012:certificate\//);
  assert.doesNotMatch(JSON.stringify(saved), /PRIVATE KEY/);
});

test('a re-run asks only what it does not know; Ctrl-C during the deploy asks, then exits 130', { timeout: 180_000 }, async (t) => {
  if (noDocker) return t.skip(noDocker);
  await startWizard();
  await tmux.waitScreen('Deploy time');
  await tmux.keys('Enter');
  // No ecosystem without git, so it is asked; the e-mail and certificate come from .hello-deploy/wiz-pty.json.
  await tmux.waitScreen('Alarm e-mail');
  await tmux.type('wiz-pty');
  await tmux.keys('Enter');
  const checks = await tmux.waitScreen('❯ [ Continue ]', 60_000);
  assert.match(checks, /✔ Certificate +hello-deploy\.local/);
  await tmux.keys('Enter');
  await tmux.waitScreen('Deploy now?');
  await tmux.type('y');
  await tmux.waitScreen(/Build the image|Deploy the ECR stack/, 60_000);
  await tmux.keys('C-c');
  const asked = await tmux.waitScreen('Stop the deploy?');
  assert.match(asked, /keep deploying/);
  // The dialog offers `l` (leave a stack running) when a stack is moving, else `s` (stop after running steps).
  await tmux.type(/ l +leave it running/.test(asked) ? 'l' : 's');
  const end = await tmux.waitScreen(/EXIT=\d+/, 120_000);
  assert.match(end, /EXIT=130/);
  assert.match(end, /Interrupted/);
});

test('q on the welcome exits 0 and says nothing was done; SIGTERM there is 130, also saying so; the terminal is restored', { timeout: 60_000 }, async (t) => {
  if (noDocker) return t.skip(noDocker);
  await startWizard();
  await tmux.waitScreen('Deploy time');
  await tmux.type('q');
  const quit = await tmux.ended(10_000);
  assert.equal(quit.code, 0, quit.screen);
  assert.match(quit.screen, /Nothing was done\./);
  assert.ok(quit.ttyRestored && quit.cursorVisible, `terminal restored: ${JSON.stringify(quit)}`);

  await startWizard();
  await tmux.waitScreen('Deploy time');
  process.kill(await tmux.pid(), 'SIGTERM');
  const termed = await tmux.ended(10_000);
  assert.equal(termed.code, 130, termed.screen);
  assert.match(termed.screen, /Nothing was done\./);
  assert.ok(termed.ttyRestored && termed.cursorVisible, `terminal restored: ${JSON.stringify(termed)}`);
});

test('SIGTERM while a stack step runs: no question, the running steps finish, nothing new starts, the stack named as still in progress, exit 130', { timeout: 150_000 }, async (t) => {
  if (noDocker) return t.skip(noDocker);
  const stack = 'wiz-sig-hello-world-ecr';
  const hold = await holdStack(stack);
  try {
    await startWizard(answered('wiz-sig'));
    await walkToDeploy();
    // The ECR stack step is running: it waits for the other deploy of its stack.
    const screens: string[] = [];
    // (The pane cuts the line at its width, so only its start is looked for.)
    await tmux.waitScreen('Another hello-deploy on this machine', 90_000, { seen: (s) => screens.push(s) });
    process.kill(await tmux.pid(), 'SIGTERM');
    const end = await tmux.ended(90_000, { history: true, seen: (s) => screens.push(s) });
    assert.equal(end.code, 130, end.screen);
    assert.ok(!screens.some((s) => s.includes('Stop the deploy?')), 'a signal is never asked about');
    // The stopping note lives only until the run ends (a poll may miss it); the card that stays names the signal.
    const notes = screens.map((s) => s.replace(/[│\s]+/g, ' ')).filter((s) => /stopping after the running steps/.test(s));
    assert.ok(notes.every((s) => /SIGTERM: stopping after the running steps, without asking/.test(s)), 'a stopping note, when seen, names the signal');
    assert.match(end.screen, /Interrupted \(SIGTERM\)/);
    const flat = end.screen.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');
    assert.match(flat, /Interrupted/);
    assert.match(flat, new RegExp(`Still moving ${stack} \\(REVIEW_IN_PROGRESS\\)`));
    assert.match(end.screen, /– Deploy the infra stack +skipped: not run/);
    assert.doesNotMatch(end.screen, /✔ Push the image/);
    assert.ok(end.ttyRestored && end.cursorVisible, `terminal restored: ${JSON.stringify({ ...end, screen: undefined })}`);
  } finally {
    await hold.release();
  }
});

test('a real hang-up (the terminal closes) while a stack step runs: the wizard still winds down and exits 130', { timeout: 150_000 }, async (t) => {
  if (noDocker) return t.skip(noDocker);
  const stack = 'wiz-hup-hello-world-ecr';
  const codeFile = path.join(cwd, 'hup-exit-code');
  const hold = await holdStack(stack);
  try {
    await startWizard(answered('wiz-hup'), { exitCodeFile: codeFile });
    await walkToDeploy();
    await tmux.waitScreen('Another hello-deploy on this machine', 90_000);
    const pid = await tmux.pid();
    // Closing the terminal: its shell dies of SIGHUP and the kernel sends SIGHUP on to the wizard, whose later
    // writes to the terminal fail (EIO) and whose input ends.
    await tmux.kill();
    const deadline = Date.now() + 60_000;
    while (!existsSync(codeFile) && Date.now() < deadline) await sleep(200);
    assert.ok(existsSync(codeFile), `the wizard (pid ${pid}) did not exit within 60 s of the hang-up`);
    assert.equal(readFileSync(codeFile, 'utf8').trim(), '130');
  } finally {
    await hold.release();
  }
});

test('after a deploy that succeeded, a signal on the result screen (SIGHUP) exits 0; the terminal is restored', { timeout: 240_000 }, async (t) => {
  if (noDocker) return t.skip(noDocker);
  await startWizard();
  await tmux.waitScreen('Deploy time');
  await tmux.keys('Enter');
  await tmux.waitScreen('Alarm e-mail');
  await tmux.type('wiz-pty');
  await tmux.keys('Enter');
  await tmux.waitScreen('❯ [ Continue ]', 60_000);
  await tmux.keys('Enter');
  await tmux.waitScreen('Deploy now?');
  await tmux.type('y');
  await tmux.waitScreen('not checked', 180_000);
  process.kill(await tmux.pid(), 'SIGHUP');
  const end = await tmux.ended(15_000);
  assert.equal(end.code, 0, end.screen);
  assert.ok(end.ttyRestored && end.cursorVisible, `terminal restored: ${JSON.stringify({ ...end, screen: undefined })}`);
});
