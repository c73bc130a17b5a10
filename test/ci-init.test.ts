// `hello-deploy ci init` as a user runs it (the built CLI, in a fresh git repository): the workflow it writes, the
// refusals (an existing file without --force, a bad --cron or --provider, outside a repository, --aws flags that
// do not go together), each exit 2 with nothing written; --aws on moto; and the written files pass actionlint with
// shellcheck.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { runCli } from './support/cli.ts';
import { startMoto, FAKE_AWS_ENV } from './support/moto.ts';
import { cfnClient, describeStack } from './support/stacks.ts';
import { ROOT } from './support/paths.ts';
import { ACTIONS } from '../cli/ci/actions.ts';
import { parseCron } from '../cli/ci/cron.ts';

let dir: string;
const FILE = () => path.join(dir, '.github/workflows/hello-deploy.yml');
const ci = (args: string[], cwd = dir) => runCli(['ci', 'init', ...args], { cwd });
const last = (r: { events: Array<Record<string, unknown>> }) => r.events[r.events.length - 1] as Record<string, unknown> & { ok: boolean; error?: { code: string; hint?: string } };
type Wf = { on: Record<string, unknown>; permissions: object; jobs: Record<string, { if: string; permissions: Record<string, string>; concurrency?: { group: string }; steps: Array<{ uses?: string; run?: string; if?: string; with?: Record<string, unknown> }> }> };
const workflow = () => parse(readFileSync(FILE(), 'utf8')) as Wf;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hd-ci-init-'));
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('ci init writes the workflow at the repository root: every event, minimal permissions, actions pinned by SHA, the role from the repository variable', async () => {
  const sub = path.join(dir, 'app');
  execFileSync('mkdir', ['-p', sub]);
  const r = await ci(['--json'], sub);
  assert.equal(r.exitCode, 0, r.stdout + r.stderr);
  assert.equal(r.events.length, 1);
  const res = last(r);
  assert.equal(res.ok, true);
  assert.equal(res.path, FILE());
  assert.equal(res.action, 'created');
  const w = workflow();
  assert.deepEqual(Object.keys(w.on).sort(), ['delete', 'pull_request', 'push', 'schedule']);
  assert.deepEqual(w.on.schedule, [{ cron: '17 4 * * 1' }]);
  assert.deepEqual(w.permissions, {});
  assert.deepEqual(w.jobs.rehearsal!.permissions, { contents: 'read' });
  for (const j of ['deploy', 'destroy', 'sweep']) assert.deepEqual(w.jobs[j]!.permissions, { 'id-token': 'write', contents: 'read' });
  // The pull request job has no credential step at all: it runs on forks.
  assert.ok(!w.jobs.rehearsal!.steps.some((s) => s.uses?.startsWith('aws-actions/')));
  assert.ok(w.jobs.rehearsal!.steps.some((s) => s.run === 'npx hello-deploy deploy --local --yes --ecosystem "pr-$PR_NUMBER"'));
  assert.equal(w.jobs.deploy!.concurrency?.group, 'hello-deploy-ecosystem-${{ github.ref_name }}');
  assert.equal(w.jobs.destroy!.concurrency?.group, 'hello-deploy-ecosystem-${{ github.event.ref }}');
  const pinned = new Set(Object.values(ACTIONS).map((a) => `${a.repository}@${a.sha}`));
  for (const job of Object.values(w.jobs)) for (const s of job.steps) if (s.uses) assert.ok(pinned.has(s.uses) && /@[0-9a-f]{40}$/.test(s.uses), s.uses);
  const creds = w.jobs.deploy!.steps.find((s) => s.uses?.startsWith('aws-actions/'));
  assert.deepEqual(creds?.with, { 'role-to-assume': '${{ vars.HELLO_DEPLOY_ROLE_ARN }}', 'aws-region': '${{ vars.AWS_REGION }}' });
  // The sweep reports always, and deletes only behind the switch.
  const sweep = w.jobs.sweep!.steps.filter((s) => s.run?.includes('--stale'));
  assert.deepEqual(sweep.map((s) => [s.run, s.if]), [['npx hello-deploy destroy --stale --dry-run', undefined], ['npx hello-deploy destroy --stale --yes', "vars.HELLO_DEPLOY_SWEEP == 'on'"]]);
  // Each SHA carries its tag as a comment.
  assert.match(readFileSync(FILE(), 'utf8'), new RegExp(`${ACTIONS.awsCredentials.sha} # ${ACTIONS.awsCredentials.tag.replace(/\./g, '\\.')}`));
});

test('ci init refuses to replace the workflow without --force (exit 2, CI_WORKFLOW_EXISTS, file untouched); --force with --role-arn, --region and --cron replaces it', async () => {
  writeFileSync(FILE(), '# mine\n');
  const r = await ci(['--json']);
  assert.equal(r.exitCode, 2);
  assert.equal(last(r).error?.code, 'CI_WORKFLOW_EXISTS');
  assert.equal(readFileSync(FILE(), 'utf8'), '# mine\n');
  const plain = await ci([]);
  assert.equal(plain.exitCode, 2);
  assert.match(plain.stderr, /already exists[\s\S]*--force/);

  const role = 'arn:aws:iam::123456789012:role/hello-deploy-ci';
  const f = await ci(['--force', '--role-arn', role, '--region', 'eu-west-1', '--cron', '0 6 * * MON-FRI']);
  assert.equal(f.exitCode, 0, f.stderr);
  assert.match(f.stdout, /Replaced .*hello-deploy\.yml/);
  assert.match(f.stdout, /HELLO_DEPLOY_EMAIL/);
  assert.doesNotMatch(f.stdout, /HELLO_DEPLOY_ROLE_ARN/);
  const w = workflow();
  assert.deepEqual(w.on.schedule, [{ cron: '0 6 * * MON-FRI' }]);
  for (const j of ['deploy', 'destroy', 'sweep']) assert.deepEqual(w.jobs[j]!.steps.find((s) => s.uses?.startsWith('aws-actions/'))?.with, { 'role-to-assume': role, 'aws-region': 'eu-west-1' });
});

test('bad --cron, --provider, --role-arn and --region are all named at once (exit 2, BAD_INPUT); nothing is written', async () => {
  rmSync(FILE());
  const r = await ci(['--json', '--provider', 'gitlab', '--cron', '61 * * * *', '--role-arn', 'arn:aws:iam::1:user/x', '--region', 'mars-1']);
  assert.equal(r.exitCode, 2);
  const e = last(r).error as { code: string; message: string };
  assert.equal(e.code, 'BAD_INPUT');
  assert.match(e.message, /4 problems/);
  assert.match(e.message, /--provider "gitlab"/);
  assert.match(e.message, /minute "61" is outside 0-59/);
  assert.ok(!existsSync(FILE()));
  // A flag commander refuses: BAD_FLAGS, with the subcommand's whole name in the hint.
  const u = await ci(['--json', '--bogus']);
  assert.equal(u.exitCode, 2);
  assert.equal(last(u).error?.code, 'BAD_FLAGS');
  assert.match(last(u).error?.hint ?? "", /`hello-deploy ci init --help`/);
});

test('outside a git repository: CI_NOT_A_REPOSITORY; --aws with --role-arn, or --repository without --aws: BAD_INPUT; all exit 2 and write nothing', async () => {
  const bare = mkdtempSync(path.join(tmpdir(), 'hd-ci-norepo-'));
  try {
    const r = await ci(['--json'], bare);
    assert.equal(r.exitCode, 2);
    assert.equal(last(r).error?.code, 'CI_NOT_A_REPOSITORY');
  } finally {
    rmSync(bare, { recursive: true, force: true });
  }
  const a = await ci(['--aws', '--role-arn', 'arn:aws:iam::123456789012:role/ci', '--region', 'us-east-1', '--repository', 'acme/site']);
  assert.equal(a.exitCode, 2);
  assert.match(a.stderr, /--aws makes the role and --role-arn names one you have/);
  const b = await ci(['--repository', 'acme/site', '--branches', 'main']);
  assert.equal(b.exitCode, 2);
  assert.match(b.stderr, /--repository goes with --aws/);
  assert.match(b.stderr, /--branches goes with --aws/);
  const c = await ci(['--aws', '--region', 'us-east-1', '--repository', 'not a repo', '--branches', 'a b']);
  assert.equal(c.exitCode, 2);
  assert.ok(!existsSync(FILE()));
});

test('ci init --aws on moto: the role stack for origin\'s repository, its ARN and region written into the workflow, which passes actionlint', async (t) => {
  const moto = await startMoto();
  t.after(() => moto.stop());
  const repo = mkdtempSync(path.join(tmpdir(), 'hd-ci-aws-'));
  t.after(() => rmSync(repo, { recursive: true, force: true }));
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  execFileSync('git', ['-C', repo, 'remote', 'add', 'origin', 'git@github.com:acme/site.git']);
  const r = await runCli(['ci', 'init', '--aws', '--json', '--region', 'us-east-1', '--endpoint-url', moto.endpoint, '--branches', 'main,release/*'], { cwd: repo, env: { ...FAKE_AWS_ENV } });
  assert.equal(r.exitCode, 0, r.stdout + r.stderr);
  const res = last(r) as ReturnType<typeof last> & { roleArn?: string; role?: { stackName: string } };
  assert.match(res.roleArn ?? '', /^arn:aws:iam::\d{12}:role\//);
  assert.equal(res.role?.stackName, 'hello-deploy-ci-acme-site');
  const cfn = cfnClient(moto.endpoint);
  t.after(() => cfn.destroy());
  assert.equal((await describeStack(cfn, 'hello-deploy-ci-acme-site'))?.StackStatus, 'CREATE_COMPLETE');
  const w = parse(readFileSync(path.join(repo, '.github/workflows/hello-deploy.yml'), 'utf8')) as Wf;
  const creds = w.jobs.deploy!.steps.find((s) => s.uses?.startsWith('aws-actions/'));
  assert.deepEqual(creds?.with, { 'role-to-assume': res.roleArn, 'aws-region': 'us-east-1' });
  assert.equal(missingTool, undefined, missingTool);
  const out = spawnSync(lint!, ['-shellcheck', shellcheck, '-no-color', path.join(repo, '.github/workflows/hello-deploy.yml')], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(out.status, 0, `${out.stdout}${out.stderr}`);
});

test('parseCron: the POSIX fields GitHub takes, and the rest refused', () => {
  for (const ok of ['17 4 * * 1', '*/15 * * * *', '0 0 1,15 * SUN', '5 1-5/2 * JAN-DEC 0-6']) assert.equal(parseCron(ok), ok);
  assert.equal(parseCron('  0   0 * *   1 '), '0 0 * * 1');
  for (const bad of ['@weekly', '* * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * * 7', '5-1 * * * *', '*/0 * * * *', '0 0 * * FUNDAY']) assert.throws(() => parseCron(bad), Error, bad);
});

/** actionlint from scripts/setup.mjs (go install, into .tools/bin), or one on PATH. */
function actionlint(): string | undefined {
  const local = path.join(ROOT, '.tools', 'bin', 'actionlint');
  if (existsSync(local)) return local;
  const found = spawnSync('sh', ['-c', 'command -v actionlint'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}
const shellcheck = spawnSync('sh', ['-c', 'command -v shellcheck'], { encoding: 'utf8' }).stdout.trim();
const lint = actionlint();
// Not a skip: npm run setup installs both (as root, which CI is), so a missing one is a broken test bed.
const missingTool = !lint ? 'actionlint is not installed: npm run setup builds it into .tools/bin (go install)' : !shellcheck ? "shellcheck is not installed: npm run setup installs Debian's shellcheck" : undefined;

for (const [variant, args] of [['default', []], ['with --role-arn and --region', ['--role-arn', 'arn:aws:iam::123456789012:role/ci', '--region', 'eu-west-1', '--cron', '*/30 1-3 * JAN-MAR MON']]] as const) {
  test(`the generated workflow (${variant}) passes actionlint with shellcheck`, async () => {
    assert.equal(missingTool, undefined, missingTool);
    const r = await ci(['--force', ...args]);
    assert.equal(r.exitCode, 0, r.stderr);
    const out = spawnSync(lint!, ['-shellcheck', shellcheck, '-no-color', FILE()], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(out.status, 0, `${out.stdout}${out.stderr}`);
  });
}
