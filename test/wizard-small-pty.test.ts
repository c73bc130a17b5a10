// The deploy wizard in a small real terminal (60×20, where the result once lost its URL): tmux runs the BUILT
// binary against moto and the local registry, with every answer given as a flag. The run's report is printed
// once above the live lines and scrolls like output; the key lines (outcome, URL) stay on screen; no partial copy
// of a progress frame is left in the scrollback; and on quitting, what a person copies is printed whole.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { startRegistry, type Registry } from './support/registry.ts';
import { createTmux } from './support/tmux.ts';
import { dockerUnavailableReason, removeDeployTraces } from './support/docker.ts';
import { BASE_IMAGE, ROOT } from './support/paths.ts';

const tmux = createTmux('hello-deploy-small-pty', { columns: 60, rows: 20 });
const NODE = path.join(ROOT, 'node_modules/.bin/node');
const BIN = path.join(ROOT, 'bin/hello-deploy.js');

let moto: Moto;
let registry: Registry | undefined;
let noDocker: string | null;
let cwd: string;

before(async () => {
  noDocker = await dockerUnavailableReason();
  if (noDocker) return;
  execFileSync(NODE, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  moto = await startMoto();
  registry = await startRegistry({ username: 'AWS', password: '123456789012-auth-token' });
  cwd = mkdtempSync(path.join(tmpdir(), 'hello-deploy-small-pty-'));
  execFileSync(NODE, [BIN, 'generate-certs', '--out', 'certs'], { cwd, stdio: 'ignore' });
});

after(async () => {
  await tmux.kill();
  if (registry) await removeDeployTraces({ registryHost: registry.host, ecosystems: ['small-pty'] });
  await registry?.stop();
  await moto?.stop();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

test('at 60×20 the result keeps its URL on screen, the scrollback holds no stale progress frame, and d (destroy, typed name) prints the values whole first', { timeout: 180_000 }, async (t) => {
  if (noDocker) return t.skip(noDocker);
  const flags = ['--ecosystem', 'small-pty', '--email', 'ops@example.com', '--cert', 'certs/cert.pem', '--key', 'certs/key.pem'];
  const target = ['--endpoint-url', moto.endpoint, '--registry', registry!.host, '--deploy-method', 'direct'];
  await tmux.start([NODE, BIN, ...flags, ...target], { cwd, env: { ...FAKE_AWS_ENV, HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE } });

  // Answers given as flags are said out loud, with the key to change them.
  const welcome = await tmux.waitScreen('e edit the answers');
  assert.match(welcome.replace(/[│\s]+/g, ' '), /using the answers on the command line \(ecosystem small-pty, alarm e-mail ops@example\.com; e to edit\)/);
  await tmux.keys('Enter');
  await tmux.waitScreen('❯ [ Continue ]', 60_000);
  await tmux.keys('Enter');
  await tmux.waitScreen('Deploy now?');
  await tmux.type('y');

  // The live lines under the report: the outcome and the URL, on screen whatever the report's height.
  await tmux.waitScreen(/Remove[\s\S]*URL \(not checked\)/, 150_000, { history: true });
  const visible = await tmux.screen();
  assert.match(visible, /URL \(not checked\)\s+https:\/\/small-pty-/, visible);
  assert.match(visible, /q quit/);
  const history = await tmux.screen({ history: true });
  assert.doesNotMatch(history, /steps done/, 'no stale progress frame in the scrollback');
  assert.match(history, /✔ Deploy the infra stack/);

  assert.match(visible, /d destroy/);
  // d opens `hello-deploy destroy` of what was just deployed, in this terminal, once Ink has let go of it: the
  // typed confirmation reads the same keyboard the wizard did.
  await tmux.type('d');
  await tmux.waitScreen('Type the ecosystem name (small-pty) to', 30_000, { history: true });
  await tmux.type('small-pty');
  await tmux.keys('Enter');
  await tmux.waitScreen('EXIT=0', 60_000, { history: true });
  // Unwrapped (what a copy gives), each value is whole on its own line: the URL, the image digest, status and destroy.
  const end = await tmux.screen({ history: true, joined: true });
  assert.match(end, /^hello-deploy: small-pty deployed; URL not checked: .+$/m);
  assert.match(end, /^ {2}URL +https:\/\/\S+$/m);
  assert.match(end, /^ {2}Image +\S+\/small-pty-hello-world-ecr@sha256:[a-f0-9]{64}$/m);
  assert.match(end, /^ {2}Without the wizard +npx hello-deploy --yes --ecosystem small-pty --email ops@example\.com .*--endpoint-url http:\/\/127\.0\.0\.1:\d+/m);
  assert.match(end, /^ {2}Status +npx hello-deploy status --ecosystem small-pty --region us-east-1 --endpoint-url http:\/\/127\.0\.0\.1:\d+$/m);
  assert.match(end, /✔ Ecosystem small-pty destroyed\./);
  assert.match(end, /^ {2}Remove +npx hello-deploy destroy --ecosystem small-pty --region us-east-1 --endpoint-url http:\/\/127\.0\.0\.1:\d+$/m);
});
