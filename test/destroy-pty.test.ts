// destroy's typed confirmation in a real pseudo-terminal (tmux) against moto: the inventory is listed, then a wrong
// name deletes nothing (exit 1), Ctrl-C at the prompt deletes nothing (exit 130), and the right name deletes it all.
// Runs the BUILT binary (npm test builds first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { createTmux } from './support/tmux.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { cfnClient, motoClientConfig } from './support/stacks.ts';
import { runCli } from './support/cli.ts';
import { ROOT } from './support/paths.ts';

const tmux = createTmux('hello-deploy-destroy-pty', { columns: 100, rows: 40 });
const NODE = path.join(ROOT, 'node_modules/.bin/node');
const BIN = path.join(ROOT, 'bin/hello-deploy.js');
const ECO = 'dx-pty';

let moto: Moto;
let cert: TestCert;
let cwd: string;

const liveStacks = async () => {
  const cfn = cfnClient(moto.endpoint);
  try {
    return ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => s.StackName).sort();
  } finally {
    cfn.destroy();
  }
};

before(async () => {
  moto = await startMoto();
  cert = makeTestCert('pty.hello-deploy.test');
  cwd = mkdtempSync(path.join(tmpdir(), 'hd-destroy-pty-'));
  const ecr = new ECRClient(motoClientConfig(moto.endpoint));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prebuilt/app' }));
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: `sha256:${'c'.repeat(64)}` }, layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3, digest: `sha256:${'d'.repeat(64)}` }] });
  await ecr.send(new PutImageCommand({ repositoryName: 'prebuilt/app', imageManifest: manifest, imageTag: 'v1' }));
  ecr.destroy();
  const d = await runCli(['deploy', '--yes', '--ecosystem', ECO, '--email', 'ops@example.com', '--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem'), '--endpoint-url', moto.endpoint, '--image', '123456789012.dkr.ecr.us-east-1.amazonaws.com/prebuilt/app:v1'], { env: { ...FAKE_AWS_ENV } });
  assert.equal(d.exitCode, 0, d.stderr);
});

after(async () => {
  await tmux.kill();
  await moto?.stop();
  rmSync(cert.dir, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
});

const start = () => tmux.start([NODE, BIN, 'destroy', '--ecosystem', ECO, '--endpoint-url', moto.endpoint], { cwd, env: { ...FAKE_AWS_ENV } });
const PROMPT = `Type the ecosystem name (${ECO}) to delete all of the above`;

test('a wrong name deletes nothing (exit 1, DESTROY_DECLINED); Ctrl-C at the prompt deletes nothing (exit 130); the right name deletes everything (exit 0)', { timeout: 120_000 }, async () => {
  const stacks = [`${ECO}-hello-world-ecr`, `${ECO}-hello-world-infra`];
  await start();
  await tmux.waitScreen(PROMPT, 30_000);
  const listed = await tmux.screen({ history: true, joined: true });
  // The inventory comes first: both stacks, the certificate, what happens to each.
  assert.match(listed, new RegExp(`This deletes ecosystem ${ECO}:`));
  assert.match(listed, new RegExp(`stack ${ECO}-hello-world-infra \\(CREATE_COMPLETE\\), \\d+ resources:`));
  assert.match(listed, /certificate arn:aws:acm:.*imported by hello-deploy/);
  await tmux.type('dx-pt');
  await tmux.keys('Enter');
  const declined = await tmux.ended(20_000, { history: true });
  assert.equal(declined.code, 1, declined.screen);
  assert.ok(declined.ttyRestored, 'the terminal is left as it was');
  assert.match(declined.screen, new RegExp(`The name typed was not ${ECO}: nothing was deleted\\.`));
  assert.deepEqual(await liveStacks(), stacks);

  await start();
  await tmux.waitScreen(PROMPT, 30_000);
  await tmux.keys('C-c');
  const stopped = await tmux.ended(20_000, { history: true });
  assert.equal(stopped.code, 130, stopped.screen);
  assert.ok(stopped.ttyRestored);
  assert.match(stopped.screen, /Ctrl-C at the confirmation: nothing was deleted\./);
  assert.deepEqual(await liveStacks(), stacks);

  await start();
  await tmux.waitScreen(PROMPT, 30_000);
  await tmux.type(ECO);
  await tmux.keys('Enter');
  const done = await tmux.ended(60_000, { history: true });
  assert.equal(done.code, 0, done.screen);
  assert.match(done.screen, new RegExp(`✔ Ecosystem ${ECO} destroyed\\.`));
  assert.deepEqual(await liveStacks(), []);
});
