// "The workflow really runs": `ci init` writes the workflow, and this test executes its `run:` steps in order, in
// bash as GitHub's runner does (`bash -e {file}`), with the environment GitHub gives them (GITHUB_EVENT_NAME,
// GITHUB_REF_NAME, GITHUB_WORKSPACE, a fresh GITHUB_STEP_SUMMARY per step, CI, …), for four events: push →
// deploy (both stacks exist, the job summary is written), branch deletion → destroy (no stack left), pull request
// → the --local rehearsal, schedule → the sweep (a report, then with the switch on the stale ecosystem deleted). The jobs' `if:` and `${{ … }}` expressions are evaluated from the event's context.
//
// What stands in for GitHub here, by name (nothing else is changed in the steps):
//   - `uses: actions/checkout`: a clone of this repository at the event's ref (a local branch for a push, the
//     default branch for a deletion, a detached commit for a pull request), as the action leaves it;
//   - `uses: actions/setup-node`: this test's own Node.js, first on PATH;
//   - `uses: aws-actions/configure-aws-credentials` → MOTO CREDENTIALS: moto's fake keys and the workflow's
//     aws-region in the environment, instead of an OIDC role;
//   - `npx` → a shim running this checkout's built CLI (dist/), adding `--endpoint-url <moto>` to deploy and
//     destroy (and deploy's prebuilt `--image`, since moto's ECR holds no registry to push a build to);
//   - `npm ci` → a shim that does nothing: this checkout's node_modules are already installed;
//   - HELLO_DEPLOY_BASE_IMAGE: the test bed's local Python base image for the rehearsal's build (nothing is pulled).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { ACMClient, ImportCertificateCommand } from '@aws-sdk/client-acm';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { cfnClient, motoClientConfig } from './support/stacks.ts';
import { BASE_IMAGE, ROOT } from './support/paths.ts';
import { BIN } from './support/cli.ts';
import { sanitizeEcosystem } from '../cli/domain/ecosystem.ts';

interface Step { name: string; if?: string; uses?: string; with?: Record<string, string>; env?: Record<string, string>; run?: string }
interface Job { if: string; env?: Record<string, string>; steps: Step[] }
interface Workflow { jobs: Record<string, Job> }

let moto: Moto;
let cert: TestCert;
let tmp: string;
let certArn: string;
let workflow: Workflow;
const PREBUILT = '123456789012.dkr.ecr.us-east-1.amazonaws.com/prebuilt/app:v1';
const BRANCH = 'feature/CI-runs';

/** Context as GitHub gives it to expressions, per event. */
type Context = { github: Record<string, unknown>; vars: Record<string, string> };

function lookup(ctx: Context, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), ctx);
}

/** The expressions this workflow uses, and only those: `a.b`, `a.b == 'lit'`, joined by `&&`. Anything else fails the test. */
function evaluate(expr: string, ctx: Context): unknown {
  const terms = expr.split('&&').map((t) => t.trim());
  const values = terms.map((t) => {
    const eq = /^([\w.]+)\s*==\s*'([^']*)'$/.exec(t);
    if (eq) return String(lookup(ctx, eq[1]!) ?? '') === eq[2];
    if (/^[\w.]+$/.test(t)) return lookup(ctx, t);
    throw new Error(`the test's evaluator does not know the expression ${JSON.stringify(t)}: teach it, or keep the workflow simple`);
  });
  return values.length === 1 ? values[0] : values.every(Boolean);
}
const substitute = (text: string, ctx: Context) => text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, e: string) => String(evaluate(e, ctx) ?? ''));

/** The clone actions/checkout would leave for this event. */
function checkout(ws: string, event: string, branch: string): void {
  execFileSync('git', ['clone', '-q', '--no-hardlinks', ROOT, ws]);
  // The emulator comes from the project's virtualenv, as in a clone after `npm run setup`.
  symlinkSync(path.join(ROOT, '.venv'), path.join(ws, '.venv'));
  if (event === 'push') execFileSync('git', ['checkout', '-q', '-B', branch], { cwd: ws });
  if (event === 'pull_request') execFileSync('git', ['checkout', '-q', '--detach'], { cwd: ws });
  execFileSync('git', ['config', 'user.email', 'ci@example.com'], { cwd: ws });
}

function shims(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'npx'), `#!/usr/bin/env bash
# npx hello-deploy → this checkout's CLI; deploy and destroy go to moto (see the test's header).
set -euo pipefail
[ "$1" = hello-deploy ] || { echo "npx shim: only hello-deploy" >&2; exit 127; }
shift
extra=()
case "$1" in
  deploy) [[ " $* " == *" --local "* ]] || extra=(--endpoint-url "$HD_TEST_ENDPOINT" --image "$HD_TEST_IMAGE") ;;
  destroy|status) extra=(--endpoint-url "$HD_TEST_ENDPOINT") ;;
esac
exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@" "\${extra[@]}"
`);
  writeFileSync(path.join(dir, 'npm'), '#!/usr/bin/env bash\n# npm ci: node_modules are installed already (see the test\'s header).\n[ "$1" = ci ] && exit 0\necho "npm shim: only npm ci" >&2; exit 127\n');
  for (const f of ['npx', 'npm']) chmodSync(path.join(dir, f), 0o755);
}

interface Ran { job: string; steps: Array<{ name: string; exitCode: number; output: string; summary: string }> }

/** Runs every job whose `if:` holds for the event, step by step, as GitHub's runner would. */
function runEvent(name: string, event: string, github: Record<string, unknown>, branchForCheckout: string, vars: Record<string, string>): Ran[] {
  const base = path.join(tmp, name);
  const ws = path.join(base, 'workspace');
  const bin = path.join(base, 'shims');
  const temp = path.join(base, 'runner-temp');
  mkdirSync(temp, { recursive: true });
  shims(bin);
  const ctx: Context = { github: { event_name: event, ...github }, vars };
  const ran: Ran[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    if (!evaluate(job.if, ctx)) continue;
    const result: Ran = { job: id, steps: [] };
    ran.push(result);
    let env: Record<string, string> = {
      PATH: `${bin}:${path.dirname(process.execPath)}:${process.env.PATH}`,
      HOME: process.env.HOME ?? base,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: event,
      GITHUB_REF: String(ctx.github.ref),
      GITHUB_REF_NAME: String(ctx.github.ref_name),
      GITHUB_WORKSPACE: ws,
      RUNNER_TEMP: temp,
      XDG_CACHE_HOME: path.join(base, 'cache'),
      HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE,
      HD_TEST_ENDPOINT: moto.endpoint,
      HD_TEST_IMAGE: PREBUILT,
      ...Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, substitute(v, ctx)])),
    };
    mkdirSync(env.XDG_CACHE_HOME!, { recursive: true });
    for (const [i, step] of job.steps.entries()) {
      if (step.if && !evaluate(step.if, ctx)) continue;
      if (step.uses) {
        const repo = step.uses.split('@')[0];
        if (repo === 'actions/checkout') checkout(ws, event, branchForCheckout);
        else if (repo === 'actions/setup-node') continue;
        else if (repo === 'aws-actions/configure-aws-credentials') {
          // MOTO CREDENTIALS in place of the OIDC role.
          const region = substitute(step.with?.['aws-region'] ?? '', ctx);
          env = { ...env, ...FAKE_AWS_ENV, AWS_REGION: region, AWS_DEFAULT_REGION: region };
        } else throw new Error(`no stand-in for ${step.uses}`);
        continue;
      }
      const summary = path.join(temp, `step_summary_${i}`);
      writeFileSync(summary, '');
      const script = path.join(temp, `step_${i}.sh`);
      writeFileSync(script, step.run!);
      const stepEnv = { ...env, GITHUB_STEP_SUMMARY: summary, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(v, ctx)])) };
      const r = spawnSync('bash', ['-e', script], { cwd: ws, env: stepEnv, encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
      result.steps.push({ name: step.name, exitCode: r.status ?? -1, output: `${r.stdout}\n${r.stderr}`, summary: readFileSync(summary, 'utf8') });
      if (r.status !== 0) return ran; // a failed step ends the job, as on GitHub
    }
  }
  return ran;
}

async function stacksOf(ecosystem: string): Promise<string[]> {
  const cfn = cfnClient(moto.endpoint);
  const out = await cfn.send(new ListStacksCommand({}));
  cfn.destroy();
  return (out.StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE' && s.StackName?.startsWith(`${ecosystem}-hello-world-`)).map((s) => s.StackName!).sort();
}

/** Which jobs and run: steps an event would run (their `if:`s evaluated), without running them. */
function planEvent(event: string, github: Record<string, unknown>, vars: Record<string, string>): Array<{ job: string; runs: string[] }> {
  const ctx: Context = { github: { event_name: event, ...github }, vars };
  return Object.entries(workflow.jobs)
    .filter(([, job]) => evaluate(job.if, ctx))
    .map(([job, j]) => ({ job, runs: j.steps.filter((s) => s.run && (!s.if || evaluate(s.if, ctx))).map((s) => s.run!) }));
}

const explain = (ran: Ran[]) => ran.map((j) => `${j.job}:\n${j.steps.map((s) => `  ${s.name}: exit ${s.exitCode}\n${s.output.slice(-3000)}`).join('\n')}`).join('\n');
const vars = () => ({ AWS_REGION: 'us-east-1', HELLO_DEPLOY_EMAIL: 'ops@example.com', HELLO_DEPLOY_CERT_ARN: certArn, HELLO_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/unused-on-moto' });

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'hd-ci-runs-'));
  moto = await startMoto();
  cert = makeTestCert('ci.hello-deploy.test');
  const acm = new ACMClient(motoClientConfig(moto.endpoint));
  certArn = (await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(cert.certPem), PrivateKey: Buffer.from(cert.keyPem) }))).CertificateArn!;
  acm.destroy();
  const ecr = new ECRClient(motoClientConfig(moto.endpoint));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prebuilt/app' }));
  const layer = `sha256:${'7'.repeat(64)}`;
  await ecr.send(new PutImageCommand({ repositoryName: 'prebuilt/app', imageTag: 'v1', imageManifest: JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: layer }, layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3, digest: layer }] }) }));
  ecr.destroy();
  // The workflow under test, written by `ci init` into a repository of its own.
  const repo = path.join(tmp, 'generated');
  execFileSync('git', ['init', '-q', repo]);
  const r = spawnSync(process.execPath, [BIN, 'ci', 'init'], { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  assert.equal(r.status, 0, r.stderr);
  workflow = parse(readFileSync(path.join(repo, '.github/workflows/hello-deploy.yml'), 'utf8')) as Workflow;
});

after(async () => {
  await moto?.stop();
  if (cert) rmSync(cert.dir, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const ECOSYSTEM = sanitizeEcosystem(BRANCH);

test('push to a branch: only the deploy job runs; every step exits 0, both stacks of the branch\'s ecosystem exist, the job summary holds the URL, digest, stacks and cost', async () => {
  const ran = runEvent('push', 'push', { ref: `refs/heads/${BRANCH}`, ref_name: BRANCH, event: { ref: `refs/heads/${BRANCH}` } }, BRANCH, vars());
  assert.deepEqual(ran.map((j) => j.job), ['deploy'], explain(ran));
  assert.ok(ran[0]!.steps.every((s) => s.exitCode === 0), explain(ran));
  const deploy = ran[0]!.steps.find((s) => s.name === 'Deploy')!;
  const result = JSON.parse(deploy.output.trim().split('\n').filter((l) => l.startsWith('{')).at(-1)!) as { ok: boolean; stacks: { infra: string }; image: string };
  assert.equal(result.ok, true);
  assert.equal(result.stacks.infra, `${ECOSYSTEM}-hello-world-infra`);
  assert.deepEqual(await stacksOf(ECOSYSTEM), [`${ECOSYSTEM}-hello-world-ecr`, `${ECOSYSTEM}-hello-world-infra`]);
  assert.match(deploy.summary, /### ✔ hello-deploy: ecosystem .* deployed in us\\-east\\-1/);
  // The digest the deploy pinned (moto's, for the prebuilt image's manifest).
  assert.ok(deploy.summary.includes(`| digest | ${result.image.split('@')[1]} |`), deploy.summary);
  assert.match(result.image, /@sha256:[0-9a-f]{64}$/);
  assert.match(deploy.summary, /\| infra stack \| .*hello\\-world\\-infra \|/);
  assert.match(deploy.summary, /\| cost \| about \$\d+\\\.\d\d\/mo at 1 task \\\(\$\d+\\\.\d\d–\$\d+\\\.\d\d\/mo for 1–4\\\), (X86\\_64|ARM64), public IPv4 \$10\\\.95\/mo/);
});

test('the branch is deleted: only the destroy job runs, on the default branch\'s checkout; it exits 0 and no stack of the ecosystem is left', async () => {
  const ran = runEvent('delete', 'delete', { ref: 'refs/heads/main', ref_name: 'main', event: { ref: BRANCH, ref_type: 'branch' } }, 'main', vars());
  assert.deepEqual(ran.map((j) => j.job), ['destroy'], explain(ran));
  assert.ok(ran[0]!.steps.every((s) => s.exitCode === 0), explain(ran));
  assert.match(ran[0]!.steps.at(-1)!.output, new RegExp(`"ecosystem":"${ECOSYSTEM}"`));
  assert.deepEqual(await stacksOf(ECOSYSTEM), []);
});

test('a tag deletion runs no job at all', () => {
  assert.deepEqual(runEvent('delete-tag', 'delete', { ref: 'refs/heads/main', ref_name: 'main', event: { ref: 'v1.0.0', ref_type: 'tag' } }, 'main', vars()), []);
});

test('a pull request: only the rehearsal job runs, with no AWS credentials, and its --local rehearsal exits 0', async () => {
  const ran = runEvent('pr', 'pull_request', { ref: 'refs/pull/7/merge', ref_name: '7/merge', event: { pull_request: { number: 7 } } }, 'main', {});
  assert.deepEqual(ran.map((j) => j.job), ['rehearsal'], explain(ran));
  assert.ok(ran[0]!.steps.every((s) => s.exitCode === 0), explain(ran));
  assert.match(ran[0]!.steps.at(-1)!.output, /pr-7/);
  assert.ok(!existsSync(path.join(tmp, 'pr', 'cache', 'hello-deploy', 'kept')), 'the rehearsal keeps nothing');
});

test('the schedule runs only the sweep: the dry-run report always, the deleting step only with HELLO_DEPLOY_SWEEP=on; run, it finds the ecosystem whose branch is not on origin and deletes it', async () => {
  const schedule = { ref: 'refs/heads/main', ref_name: 'main', event: { schedule: '17 4 * * 1' } };
  assert.deepEqual(planEvent('schedule', schedule, vars()), [{ job: 'sweep', runs: ['npm ci', 'npx hello-deploy destroy --stale --dry-run'] }]);
  assert.deepEqual(planEvent('schedule', schedule, { ...vars(), HELLO_DEPLOY_SWEEP: 'on' })[0]!.runs.slice(1), ['npx hello-deploy destroy --stale --dry-run', 'npx hello-deploy destroy --stale --yes']);
  // A branch pushed and deployed, which origin (this checkout's clone source) never had: stale for the sweep.
  const gone = 'ci-swept-branch';
  const pushed = runEvent('push-swept', 'push', { ref: `refs/heads/${gone}`, ref_name: gone, event: { ref: `refs/heads/${gone}` } }, gone, vars());
  assert.ok(pushed[0]!.steps.every((s) => s.exitCode === 0), explain(pushed));
  assert.equal((await stacksOf(gone)).length, 2);
  const report = runEvent('sweep-report', 'schedule', schedule, 'main', vars());
  assert.deepEqual(report.map((j) => j.job), ['sweep'], explain(report));
  assert.ok(report[0]!.steps.every((s) => s.exitCode === 0), explain(report));
  assert.match(report[0]!.steps.at(-1)!.output, new RegExp(gone), 'the dry run names the stale ecosystem');
  assert.equal((await stacksOf(gone)).length, 2, 'the report deletes nothing');
  const sweep = runEvent('sweep-on', 'schedule', schedule, 'main', { ...vars(), HELLO_DEPLOY_SWEEP: 'on' });
  assert.ok(sweep[0]!.steps.every((s) => s.exitCode === 0), explain(sweep));
  assert.deepEqual(await stacksOf(gone), [], 'the switch on: the stale ecosystem is gone');
});
