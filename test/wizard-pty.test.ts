// The wizard end to end in a real pseudo-terminal: tmux runs the BUILT binary (bin/hello-deploy.js) at 100×40,
// real keystrokes go in with send-keys, and each screen is read back with capture-pane. Behind it: moto, the
// Docker engine and the local registry, exactly as in deploy-e2e.test.ts. Two runs: the whole wizard to a live
// URL (exit 0, with a bad ecosystem typed first), then a re-run that asks only what it does not know and is
// stopped with Ctrl-C (the question, then exit 130).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { startRegistry, type Registry } from './support/registry.ts';
import { createTmux } from './support/tmux.ts';
import { dockerUnavailableReason, removeDeployTraces } from './support/docker.ts';
import { BASE_IMAGE, ROOT } from './support/paths.ts';

const tmux = createTmux('hello-deploy-pty');
// The checkout whose built binary is driven: this one (HELLO_DEPLOY_CLI_ROOT lets a developer point at another).
const CLI_ROOT = process.env.HELLO_DEPLOY_CLI_ROOT ?? ROOT;

let moto: Moto;
let registry: Registry | undefined;
let noDocker: string | null;
let cwd: string;

/** Starts the wizard in a fresh tmux window against moto and the local registry. */
async function startWizard(): Promise<void> {
  const args = ['--endpoint-url', moto.endpoint, '--registry', registry!.host, '--deploy-method', 'direct'];
  await tmux.start([path.join(ROOT, 'node_modules/.bin/node'), path.join(CLI_ROOT, 'bin/hello-deploy.js'), ...args], {
    cwd,
    env: { ...FAKE_AWS_ENV, HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE },
  });
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
  if (registry) await removeDeployTraces({ registryHost: registry.host, ecosystems: ['wiz-pty'] });
  await registry?.stop();
  await moto?.stop();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

test('the whole wizard in a real terminal: answers (a bad ecosystem first), generated certificate, deploy, URL, exit 0', { timeout: 240_000 }, async (t) => {
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
  const result = await tmux.waitScreen('not checked', 180_000);
  const url = /URL (https:\/\/\S+)/.exec(result)?.[1];
  assert.ok(url, result);
  assert.doesNotMatch(result, /Live at/);
  // The next commands stay on the emulator (read with the card's borders and line wraps taken out).
  const flat = result.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');
  assert.match(flat, /Deploy again npx hello-deploy --ecosystem wiz-pty --endpoint-url http:\/\/127\.0\.0\.1:\d+/);
  assert.match(flat, /delete-stack --stack-name wiz-pty-hello-world-infra --region us-east-1 --endpoint-url http:\/\/127\.0\.0\.1:\d+/);
  assert.match(flat, /exists only in the emulator: no e-mail is sent/);
  assert.match(result, /wiz-pty-hello-world-infra/);
  await tmux.type('q');
  await tmux.waitScreen('EXIT=0', 10_000);

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
