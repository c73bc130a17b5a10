// The preflight through the built CLI on moto (issue 12's "done when"): a deploy with a planted name collision
// exits 1, names the resource and its fix, and changes nothing (no stack, no role, no certificate); `doctor` runs
// the same checks read-only, in plain lines and NDJSON. The time it takes is measured by `npm run bench`
// (bench/preflight.bench.mjs); the bound here is only a hang guard.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { cfnClient, motoClientConfig } from './support/stacks.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { runCli, type CliRun } from './support/cli.ts';
import { startTokenRegistry, type TokenRegistry } from './support/token-registry.ts';
import { pushHostImage } from './support/oci-push.ts';

const HANG_GUARD_MS = 60_000;
let moto: Moto;
let cert: TestCert;
let registry: TokenRegistry | undefined;
// A prebuilt --image of this machine's platform in a loopback registry: the deploy reads its manifest (the CPU
// architecture) in step 1, so it must exist; no Docker engine is needed.
let IMAGE = '';

before(async () => {
  moto = await startMoto();
  cert = makeTestCert('preflight-e2e.hello-deploy.test');
  registry = await startTokenRegistry();
  IMAGE = await pushHostImage(registry.host, 'prebuilt/app', 'v1');
});
after(async () => {
  await registry?.stop();
  await moto?.stop();
  if (cert) rmSync(cert.dir, { recursive: true, force: true });
});
beforeEach(async () => moto.reset());

const pair = () => ['--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem')];
const deploy = (eco: string, extra: string[] = []) =>
  runCli(['deploy', '--yes', '--ecosystem', eco, '--email', 'ops@example.com', ...pair(), '--image', IMAGE, '--endpoint-url', moto.endpoint, '--deploy-method', 'direct', ...extra], { env: { ...FAKE_AWS_ENV }, timeout: HANG_GUARD_MS });
const doctor = (eco: string, extra: string[] = []) => runCli(['doctor', '--ecosystem', eco, ...pair(), '--endpoint-url', moto.endpoint, ...extra], { env: { ...FAKE_AWS_ENV }, timeout: HANG_GUARD_MS });
const last = (r: CliRun) => r.events[r.events.length - 1] as unknown as Record<string, unknown> & { ok: boolean; error?: { code: string; message: string; hint?: string } };
const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`;

async function plantLogGroup(eco: string): Promise<void> {
  await new CloudWatchLogsClient(motoClientConfig(moto.endpoint)).send(new CreateLogGroupCommand({ logGroupName: `/ecs/${eco}-hello-world` }));
}

/** What a run may have changed: stacks, service-linked roles, certificates. */
async function changes(): Promise<{ stacks: string[]; roles: string[]; certificates: number }> {
  const stacks = ((await cfnClient(moto.endpoint).send(new ListStacksCommand({}))).StackSummaries ?? []).map((s) => `${s.StackName} ${s.StackStatus}`);
  const roles = ((await new IAMClient(motoClientConfig(moto.endpoint)).send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName ?? '');
  const certificates = ((await new ACMClient(motoClientConfig(moto.endpoint)).send(new ListCertificatesCommand({}))).CertificateSummaryList ?? []).length;
  return { stacks, roles, certificates };
}

test('deploy --yes --json with a log group left behind: exit 1, PREFLIGHT_FAILED naming it and its fix, and nothing changed', async () => {
  await plantLogGroup('pf-e2e');
  const r = await deploy('pf-e2e', ['--json']);
  assert.equal(r.exitCode, 1, explain(r));
  const result = last(r);
  assert.equal(result.type, 'result');
  assert.equal(result.ok, false);
  assert.equal(result.error?.code, 'PREFLIGHT_FAILED');
  assert.match(result.error!.message, /the CloudWatch Logs log group "\/ecs\/pf-e2e-hello-world" already exists and is not part of pf-e2e-hello-world-infra/);
  assert.match(result.error!.message, /fix: .*aws logs delete-log-group --log-group-name \/ecs\/pf-e2e-hello-world --region us-east-1/);
  assert.deepEqual(await changes(), { stacks: [], roles: [], certificates: 0 }, 'no stack, no service-linked role, no certificate import');
  // On an emulator, validation waits for the preflight (moto's ValidateTemplate would hold it up), and is stopped.
  assert.ok(r.events.some((e) => e.type === 'step-skipped' && e.step === 'validate-templates' && /stopped: "Check prerequisites" failed/.test(String(e.reason))), explain(r));
});

test('the same in plain lines: the reason and its fix on stderr', async () => {
  await plantLogGroup('pf-plain');
  const r = await deploy('pf-plain');
  assert.equal(r.exitCode, 1, explain(r));
  assert.match(r.stderr, /✘ The preflight found a problem AWS would fail the stacks on, minutes in; nothing was changed:/);
  assert.match(r.stderr, /1\. Names: the CloudWatch Logs log group "\/ecs\/pf-plain-hello-world" already exists/);
  assert.match(r.stderr, /hint: .*hello-deploy doctor/);
});

test('a clean account: the deploy passes the preflight and makes the service-linked roles before its stacks', async () => {
  const r = await deploy('pf-clean', ['--json']);
  assert.equal(r.exitCode, 0, explain(r));
  const said = r.events.filter((e) => e.type === 'info' && e.step === 'prerequisites').map((e) => String(e.message));
  assert.ok(said.some((m) => /^Preflight Names: 7 of 7 fixed names free/.test(m)), said.join('\n'));
  assert.ok(said.some((m) => /^Service-linked role AWSServiceRoleForECS \(ecs\.amazonaws\.com\): created now/.test(m)), said.join('\n'));
  // A re-deploy: every name now belongs to the ecosystem's own stacks, so the preflight still passes.
  const again = await deploy('pf-clean', ['--json']);
  assert.equal(again.exitCode, 0, explain(again));
});

test('doctor --json on a clean account: exit 0, every check in the result, nothing created', async () => {
  const r = await doctor('pf-doc', ['--json']);
  assert.equal(r.exitCode, 0, explain(r));
  const result = last(r) as unknown as { ok: boolean; ecosystem: string; region: string; checks: Array<{ id: string; status: string; notes: string[] }>; roles: Array<{ roleName: string; state: string }> };
  assert.equal(result.ok, true);
  assert.equal(result.ecosystem, 'pf-doc');
  assert.deepEqual(result.checks.map((c) => `${c.id}:${c.status}`), ['names:ok', 'quotas:ok', 'certificate:ok', 'image:skipped']);
  assert.match(result.checks[1]!.notes.join('\n'), /VPCs per Region: 1 of 5 used, 1 more needed \(Service Quotas, applied value\)/);
  // moto names service-linked roles its own way, so GetRole finds none of AWS's names: each one is "missing".
  assert.deepEqual(result.roles.map((x) => `${x.roleName}:${x.state}`), ['AWSServiceRoleForECS:missing', 'AWSServiceRoleForElasticLoadBalancing:missing', 'AWSServiceRoleForApplicationAutoScaling_ECSService:missing']);
  assert.deepEqual(await changes(), { stacks: [], roles: [], certificates: 0 });
});

test('doctor in plain lines with a name taken: exit 1, each check marked, the problem with its fix', async () => {
  await plantLogGroup('pf-doc2');
  const r = await doctor('pf-doc2');
  assert.equal(r.exitCode, 1, explain(r));
  assert.match(r.stderr, /✘ Names: 1 problem \(below\)/);
  assert.match(r.stderr, /✔ Quotas/);
  assert.match(r.stderr, /✔ Certificate/);
  assert.match(r.stderr, /log group "\/ecs\/pf-doc2-hello-world" already exists/);
  assert.match(r.stderr, /hint: .*run doctor again/);
  assert.deepEqual(await changes(), { stacks: [], roles: [], certificates: 0 });
});

test('doctor --image with a bad --arch or --registry: exit 2 before any AWS call, every bad value named', async () => {
  const r = await doctor('pf-img', ['--json', '--image', IMAGE, '--arch', 'sparc', '--registry', 'http://x']);
  assert.equal(r.exitCode, 2, explain(r));
  assert.equal(last(r).error?.code, 'BAD_INPUT');
  assert.match(last(r).error!.message, /2 problems/);
  assert.match(last(r).error!.message, /--arch/);
  assert.match(last(r).error!.message, /--registry/);
  assert.deepEqual(await changes(), { stacks: [], roles: [], certificates: 0 });
});

test('doctor without a certificate skips that check and says why', async () => {
  const r = await runCli(['doctor', '--json', '--ecosystem', 'pf-nocert', '--endpoint-url', moto.endpoint], { env: { ...FAKE_AWS_ENV }, timeout: HANG_GUARD_MS, cwd: cert.dir });
  assert.equal(r.exitCode, 0, explain(r));
  const checks = (last(r) as unknown as { checks: Array<{ id: string; status: string; skipped?: string }> }).checks;
  assert.deepEqual(checks.find((c) => c.id === 'certificate'), { id: 'certificate', title: 'Certificate', status: 'skipped', problems: [], notes: [], skipped: 'no certificate given: pass --cert-arn, or --cert and --key' });
});
