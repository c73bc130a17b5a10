// `hello-deploy destroy --stale` end to end on moto, against a real git remote: a bare repository in a temporary
// folder, with branches pushed to it and some deleted between runs. The ecosystems are made by the real deploy
// (a prebuilt --image, so no build), run from a clone on each branch, so the stacks record the branch as a user's
// deploy does; one more is deployed with --ecosystem and records none. Then: nothing is stale while every branch is
// there; --dry-run lists exactly the deleted branches' ecosystems and deletes nothing; --yes deletes exactly those
// and leaves the others; a repeat finds nothing. On a terminal (tmux), a wrong count deletes nothing and the right
// one deletes. The tests run in order, each on what the one before left. Bad flags and a remote git cannot read are refused before any AWS call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { sanitizeEcosystem } from '../cli/domain/ecosystem.ts';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { cfnClient, motoClientConfig } from './support/stacks.ts';
import { runCli, type CliRun } from './support/cli.ts';
import { createTmux } from './support/tmux.ts';
import { ROOT } from './support/paths.ts';

let moto: Moto;
let cert: TestCert;
let tmp: string;
let remote: string;
let work: string;

const BRANCHES = ['main', 'feat/login', 'fix-typo'] as const;
const eco = (branch: string) => sanitizeEcosystem(branch);
const MANUAL = 'sx-manual';
const env = () => ({ ...FAKE_AWS_ENV });
const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`;
type Result = { ok: boolean; stale: Array<{ ecosystem: string; branch: string; monthly?: number }>; deleted: string[]; nothingToDelete?: boolean; dryRun: boolean; savesMonthly: number; error?: { code: string } };
const result = (r: CliRun) => r.events[r.events.length - 1] as unknown as Result;
const plan = (r: CliRun) => r.events.find((e) => e.type === 'stale-plan') as unknown as { stale: Array<{ ecosystem: string; monthly?: number }>; live: string[]; unowned: string[]; savesMonthly: number; branches: number };

const git = (args: string[], cwd = work) => execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, env: { GIT_CONFIG_NOSYSTEM: '1', HOME: tmp } });

async function liveStacks(): Promise<string[]> {
  const cfn = cfnClient(moto.endpoint);
  try {
    return ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => s.StackName!).sort();
  } finally {
    cfn.destroy();
  }
}
const stacksOf = (...ecos: string[]) => ecos.flatMap((e) => [`${e}-hello-world-ecr`, `${e}-hello-world-infra`]).sort();

/** The real deploy, from the clone checked out on `branch` (the ecosystem and its branch tag come from it). */
async function deployBranch(branch: string, extra: string[] = []): Promise<void> {
  await git(['checkout', '-q', branch]);
  const r = await runCli([
    'deploy', '--yes', '--json', ...extra, '--email', 'ops@example.com', '--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem'),
    '--endpoint-url', moto.endpoint, '--image', '123456789012.dkr.ecr.us-east-1.amazonaws.com/prebuilt/app:v1',
  ], { env: env(), cwd: work });
  assert.equal(r.exitCode, 0, explain(r));
}

const stale = (args: string[], cwd = work) => runCli(['destroy', '--stale', '--endpoint-url', moto.endpoint, ...args], { env: env(), cwd });

before(async () => {
  moto = await startMoto();
  cert = makeTestCert('stale.hello-deploy.test');
  tmp = mkdtempSync(path.join(tmpdir(), 'hd-stale-'));
  remote = path.join(tmp, 'remote.git');
  work = path.join(tmp, 'work');
  await execa('git', ['init', '-q', '--bare', remote]);
  await execa('git', ['init', '-q', '-b', 'main', work]);
  await git(['commit', '-q', '--allow-empty', '-m', 'start']);
  await git(['remote', 'add', 'origin', remote]);
  for (const b of BRANCHES) {
    if (b !== 'main') await git(['branch', b]);
    await git(['push', '-q', 'origin', b]);
  }
  const ecr = new ECRClient(motoClientConfig(moto.endpoint));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prebuilt/app' }));
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: `sha256:${'e'.repeat(64)}` }, layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3, digest: `sha256:${'f'.repeat(64)}` }] });
  await ecr.send(new PutImageCommand({ repositoryName: 'prebuilt/app', imageManifest: manifest, imageTag: 'v1' }));
  ecr.destroy();
  for (const b of BRANCHES) await deployBranch(b);
  // Named with --ecosystem: the person's own choice, so no branch is recorded and it is never stale.
  await deployBranch('main', ['--ecosystem', MANUAL]);
});

after(async () => {
  await moto?.stop();
  if (cert) rmSync(cert.dir, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const ALL = [...BRANCHES.map(eco), MANUAL];

test('every branch still on the remote: nothing is stale (exit 0, nothing to delete); the ecosystem with no recorded branch is kept and said so', { timeout: 120_000 }, async () => {
  const r = await stale(['--dry-run', '--json']);
  assert.equal(r.exitCode, 0, explain(r));
  const p = plan(r);
  assert.equal(p.branches, BRANCHES.length);
  assert.deepEqual(p.stale, []);
  assert.deepEqual(p.live.sort(), BRANCHES.map(eco).sort());
  assert.deepEqual(p.unowned, [MANUAL]);
  assert.equal(result(r).ok, true);
  assert.equal(result(r).nothingToDelete, true);
  assert.deepEqual(await liveStacks(), stacksOf(...ALL));
});

test('branches deleted on the remote: --dry-run lists exactly their ecosystems with the cost, and deletes nothing; --yes deletes exactly those; a repeat finds nothing', { timeout: 300_000 }, async () => {
  const gone = ['feat/login', 'fix-typo'];
  await git(['push', '-q', 'origin', '--delete', ...gone]);
  const goneEcos = gone.map(eco).sort();

  const dry = await stale(['--dry-run', '--json']);
  assert.equal(dry.exitCode, 0, explain(dry));
  const p = plan(dry);
  assert.deepEqual(p.stale.map((s) => s.ecosystem).sort(), goneEcos);
  assert.deepEqual(p.live, [eco('main')]);
  assert.deepEqual(p.unowned, [MANUAL]);
  // Each is priced as status --all prices it (the desired count moto reports); the saving is their sum.
  for (const s of p.stale) assert.ok(typeof s.monthly === 'number' && s.monthly > 0, JSON.stringify(s));
  assert.equal(p.savesMonthly, Math.round(p.stale.reduce((a, s) => a + s.monthly!, 0) * 100) / 100);
  assert.equal(result(dry).dryRun, true);
  assert.deepEqual(result(dry).deleted, []);
  assert.deepEqual(await liveStacks(), stacksOf(...ALL), 'a dry run deletes nothing');
  const plain = await stale(['--dry-run']);
  assert.equal(plain.exitCode, 0, explain(plain));
  assert.match(plain.stdout, /Stale \(the branch is gone from origin\): 2 ecosystems/);
  assert.match(plain.stdout, /deleting them saves ~\$\d+\.\d\d\/mo/);
  assert.match(plain.stdout, new RegExp(`no branch recorded .*never stale: ${MANUAL}`));

  const run = await stale(['--yes', '--json']);
  assert.equal(run.exitCode, 0, explain(run));
  const done = result(run);
  assert.equal(done.ok, true);
  assert.deepEqual([...done.deleted].sort(), goneEcos);
  const each = run.events.filter((e) => e.type === 'stale-destroyed') as unknown as Array<{ ecosystem: string; succeeded: boolean; deleted: string[] }>;
  assert.deepEqual(each.map((e) => [e.ecosystem, e.succeeded]).sort(), goneEcos.map((e) => [e, true]));
  for (const e of each) assert.ok(e.deleted.some((d) => d.includes(`stack ${e.ecosystem}-hello-world-infra`)), e.deleted.join(' | '));
  // Only the sweep's own result closes the stream: each destroy's result became its stale-destroyed event.
  assert.equal(run.events.filter((e) => e.type === 'result').length, 1);
  assert.deepEqual(await liveStacks(), stacksOf(eco('main'), MANUAL));

  const again = await stale(['--yes']);
  assert.equal(again.exitCode, 0, explain(again));
  assert.match(again.stdout, /Nothing to delete: no ecosystem is stale\./);
  assert.deepEqual(await liveStacks(), stacksOf(eco('main'), MANUAL));
});

test('refused before any AWS call: bad flags (exit 2), a remote git cannot read or one with no branches (exit 1); nothing deleted', { timeout: 120_000 }, async () => {
  const before = await liveStacks();
  const bad = await stale(['--yes', '--json', '--ecosystem', MANUAL, '--remote', '-x']);
  assert.equal(bad.exitCode, 2, explain(bad));
  assert.equal(result(bad).error?.code, 'BAD_INPUT');
  const noYes = await stale([]);
  assert.equal(noYes.exitCode, 2, explain(noYes));
  assert.match(noYes.stderr, /missing --yes/);
  const unknown = await stale(['--yes', '--json', '--remote', 'nosuch']);
  assert.equal(unknown.exitCode, 1, explain(unknown));
  assert.equal(result(unknown).error?.code, 'GIT_REMOTE_FAILED');
  const empty = path.join(tmp, 'empty.git');
  await execa('git', ['init', '-q', '--bare', empty]);
  const none = await stale(['--yes', '--json', '--remote', empty]);
  assert.equal(none.exitCode, 1, explain(none));
  assert.equal(result(none).error?.code, 'GIT_REMOTE_EMPTY');
  const single = await runCli(['destroy', '--dry-run', '--yes', '--ecosystem', MANUAL, '--endpoint-url', moto.endpoint], { env: env(), cwd: work });
  assert.equal(single.exitCode, 2, explain(single));
  assert.match(single.stderr, /--dry-run goes with --stale/);
  assert.deepEqual(await liveStacks(), before);
});

test('on a terminal: the stale list, then a wrong count deletes nothing (exit 1, DESTROY_DECLINED) and the right count deletes it (exit 0)', { timeout: 240_000 }, async () => {
  const tmux = createTmux('hello-deploy-stale-pty', { columns: 120, rows: 40 });
  try {
    // main's branch goes too (moto keeps each deleted ecosystem's VPC, so a new deploy would meet the VPC quota):
    // main's ecosystem is the one stale now. Another branch stays, so the remote is not empty (GIT_REMOTE_EMPTY).
    await git(['push', '-q', 'origin', 'main:refs/heads/keep']);
    await git(['push', '-q', 'origin', '--delete', 'main']);
    const start = () => tmux.start([path.join(ROOT, 'node_modules/.bin/node'), path.join(ROOT, 'bin/hello-deploy.js'), 'destroy', '--stale', '--endpoint-url', moto.endpoint], { cwd: work, env: env() });
    const PROMPT = 'Type the number of stale ecosystems (1) to delete all of them';

    await start();
    await tmux.waitScreen(PROMPT, 30_000);
    const listed = await tmux.screen({ history: true, joined: true });
    assert.match(listed, /main\s+main\s+(CREATE|UPDATE)_COMPLETE\s+~\$/);
    await tmux.type('2');
    await tmux.keys('Enter');
    const declined = await tmux.ended(20_000, { history: true });
    assert.equal(declined.code, 1, declined.screen);
    assert.ok(declined.ttyRestored);
    assert.match(declined.screen, /Not confirmed: no ecosystem was deleted\./);
    assert.deepEqual(await liveStacks(), stacksOf(eco('main'), MANUAL));

    await start();
    await tmux.waitScreen(PROMPT, 30_000);
    await tmux.type('1');
    await tmux.keys('Enter');
    const done = await tmux.ended(60_000, { history: true });
    assert.equal(done.code, 0, done.screen);
    assert.match(done.screen, /1 stale ecosystem destroyed: main/);
    assert.deepEqual(await liveStacks(), stacksOf(MANUAL));
  } finally {
    await tmux.kill();
  }
});
