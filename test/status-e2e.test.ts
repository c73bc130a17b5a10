// `hello-deploy status` through the built CLI on moto: an ecosystem deployed by the CLI itself (a prebuilt --image in a
// loopback registry, so no Docker engine is needed), then status in NDJSON and plain lines: the URL, both stacks, the
// service's desired count, the digest from ImageId, the emulator's gaps said as such, and an honest exit 1 (moto runs
// no tasks: 0 of 1 running). `--all` lists it; an ecosystem not deployed is exit 1 ECOSYSTEM_NOT_DEPLOYED; bad flags
// are exit 2 with no AWS request. The time it takes is for `npm run bench` (bench/status.bench.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { runCli, type CliRun } from './support/cli.ts';
import { startTokenRegistry, type TokenRegistry } from './support/token-registry.ts';
import { pushHostImage } from './support/oci-push.ts';

const HANG_GUARD_MS = 60_000;
const ECO = 'st-e2e';
let moto: Moto;
let cert: TestCert;
let registry: TokenRegistry | undefined;
let IMAGE = '';
let DEPLOYED_IMAGE = '';

const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`;
const status = (args: string[]) => runCli(['status', '--endpoint-url', moto.endpoint, ...args], { env: { ...FAKE_AWS_ENV }, timeout: HANG_GUARD_MS });
type Ev = Record<string, unknown> & { type: string };
const last = (r: CliRun) => r.events[r.events.length - 1] as Ev & { ok: boolean; healthy: boolean; reasons: string[]; warnings: string[]; error?: { code: string; message: string; hint?: string } };

before(async () => {
  moto = await startMoto();
  cert = makeTestCert('status-e2e.hello-deploy.test');
  registry = await startTokenRegistry();
  IMAGE = await pushHostImage(registry.host, 'prebuilt/app', 'v1');
  const r = await runCli(
    ['deploy', '--yes', '--json', '--ecosystem', ECO, '--email', 'ops@example.com', '--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem'), '--image', IMAGE, '--endpoint-url', moto.endpoint, '--deploy-method', 'direct'],
    { env: { ...FAKE_AWS_ENV }, timeout: HANG_GUARD_MS },
  );
  assert.equal(r.exitCode, 0, explain(r));
  DEPLOYED_IMAGE = String((r.events[r.events.length - 1] as { image?: string }).image);
});
after(async () => {
  await registry?.stop();
  await moto?.stop();
  if (cert) rmSync(cert.dir, { recursive: true, force: true });
});

test('status --json of a deployed ecosystem: the snapshot, the emulator gaps left empty, and exit 1 with the honest reason', async () => {
  const r = await status(['--ecosystem', ECO, '--json']);
  assert.equal(r.exitCode, 1, explain(r));
  const snap = r.events.find((e) => e.type === 'status') as unknown as {
    ecosystem: string; emulator: boolean; url?: string; image?: string; digest?: string;
    stacks: { ecr?: { name: string; status: string; updatedAt?: string }; infra?: { name: string; status: string } };
    service?: { status: string; desired: number; running: number; deployments: Array<{ status: string; rolloutState?: string }> };
    runningDigests?: string[]; targets?: unknown[]; certificate?: { notAfter?: string; daysLeft?: number };
    cost?: { monthly: number; low: number; high: number; basis: string; prices: { notes: string[] }; architecture: string; tasks: { low: number; expected: number; high: number }; lines: Array<{ key: string; quantity: number; monthly: number }> }; unread: unknown[]; verdict: { healthy: boolean; reasons: string[] };
  };
  assert.ok(snap, explain(r));
  assert.equal(snap.ecosystem, ECO);
  assert.equal(snap.emulator, true);
  assert.match(snap.url ?? '', /^https:\/\//);
  assert.equal(snap.stacks.infra?.name, `${ECO}-hello-world-infra`);
  assert.match(snap.stacks.infra!.status, /^(CREATE|UPDATE)_COMPLETE$/);
  assert.match(snap.stacks.ecr!.status, /^(CREATE|UPDATE)_COMPLETE$/);
  assert.ok(snap.stacks.ecr!.updatedAt, 'the last change time');
  // The digest the stack pins is the one the deploy reported.
  assert.equal(snap.image, DEPLOYED_IMAGE);
  assert.match(snap.digest ?? '', /^sha256:[a-f0-9]{64}$/);
  assert.ok(DEPLOYED_IMAGE.endsWith(`@${snap.digest}`));
  // moto makes the service (no DesiredCount in the template) with 0 desired tasks, where AWS starts 1, runs none, and
  // calls its deployment COMPLETED; it registers no targets.
  assert.equal(snap.service?.status, 'ACTIVE');
  assert.equal(snap.service?.desired, 0);
  assert.equal(snap.service?.running, 0);
  assert.equal(snap.service?.deployments[0]?.status, 'PRIMARY');
  assert.deepEqual(snap.targets, []);
  assert.deepEqual(snap.runningDigests, []);
  assert.ok(snap.certificate?.notAfter && snap.certificate.daysLeft! > 0, 'the imported certificate and its expiry');
  assert.match(snap.cost?.basis ?? '', /^us-east-1 bundled prices of \d{4}-\d{2}-\d{2}/);
  // Priced from the stack's template and parameters at the real running count (0 on moto): the ALB's two public
  // IPv4 addresses and no task's, the autoscaling range 1 … MaxTasks, the architecture the stack runs.
  assert.deepEqual(snap.cost?.tasks, { low: 1, expected: 0, high: 4 });
  assert.equal(snap.cost?.architecture, 'X86_64');
  assert.equal(snap.cost?.lines.find((l) => l.key === 'ipv4')?.quantity, 2 * 730);
  assert.ok(snap.cost!.low < snap.cost!.high);
  // Priced on the template the stack runs (GetTemplate), not this checkout's.
  assert.deepEqual(snap.cost!.prices.notes.filter((n) => n.includes('template')), []);
  assert.deepEqual(snap.unread, [], 'every read answered');
  const result = last(r);
  assert.equal(result.type, 'result');
  assert.equal(result.ok, false);
  assert.equal(result.healthy, false);
  assert.equal(result.error?.code, 'ECOSYSTEM_UNHEALTHY');
  const HONEST = 'the service wants 0 tasks (desired count 0): nothing serves the URL (the emulator starts the service at 0 tasks where AWS starts 1, and runs none)';
  assert.equal(result.reasons[0], HONEST);
  assert.equal(result.error!.message, `ecosystem st-e2e is not healthy: ${HONEST}`);
});

test('status in plain lines: every section, the gaps said as "not reported by the emulator", the verdict last on stderr', async () => {
  const r = await status(['--ecosystem', ECO]);
  assert.equal(r.exitCode, 1, explain(r));
  assert.match(r.stdout, /^hello-deploy status: ecosystem st-e2e, us-east-1 \(an emulator\)/);
  assert.match(r.stdout, /URL +https:\/\//);
  assert.match(r.stdout, /Stacks +st-e2e-hello-world-infra (CREATE|UPDATE)_COMPLETE, last change \d{4}-/);
  assert.match(r.stdout, /Service +st-e2e-hello-world ACTIVE: 0 of 0 running/);
  assert.match(r.stdout, /Targets +none registered \(not reported by the emulator: it runs no tasks\)/);
  assert.match(r.stdout, /Alarm +not reported by the emulator/);
  assert.match(r.stdout, /running image digest: no running task \(not reported by the emulator: it runs no tasks\)/);
  assert.match(r.stdout, /Cost +~\$\d+\.\d\d\/mo at 0 tasks \(\$\d+\.\d\d–\$\d+\.\d\d\/mo for 1–4\) on AWS for what the emulator holds now; X86_64, 0\.25 vCPU \/ 0\.5 GB per task/);
  assert.match(r.stdout, /Public IPv4 addresses \(2: the ALB's 2, one per AZ \+ 0 tasks\): \$7\.30\/mo \(1460 address-hours × \$0\.005/);
  assert.match(r.stdout, /prices: us-east-1 bundled prices of \d{4}-/);
  assert.match(r.stdout, /Certificate +status-e2e\.hello-deploy\.test/);
  const lines = r.stderr.trimEnd().split('\n');
  assert.match(lines[lines.length - 1]!, /^✘ ecosystem st-e2e is not healthy: the service wants 0 tasks \(desired count 0\)/);
  assert.ok(!r.stdout.includes('\x1b['), 'no cursor tricks off a terminal');
});

test('status --all lists the ecosystem with its state, URL, image, branch tag and cost', async () => {
  const r = await status(['--all', '--json']);
  assert.equal(r.exitCode, 0, explain(r));
  const all = r.events.find((e) => e.type === 'status-all') as unknown as { ecosystems: Array<{ ecosystem: string; state: string; url?: string; image?: string; desired?: number; monthly?: number; cost?: { architecture: string; tasks: { low: number; high: number }; ipv4Monthly?: number }; stacks: string[]; ageDays?: number; pricedOnCheckout?: string }>; totalMonthly: number };
  const row = all.ecosystems.find((e) => e.ecosystem === ECO);
  assert.ok(row, explain(r));
  assert.match(row.state, /_COMPLETE$/);
  assert.deepEqual(row.stacks, ['ecr', 'infra']);
  assert.equal(row.image, DEPLOYED_IMAGE);
  assert.match(row.url ?? '', /^https:\/\//);
  assert.equal(row.desired, 0, 'moto starts the service at 0 tasks');
  assert.ok((row.monthly ?? 0) > 20, `a month of the ALB and its addresses: ${row.monthly}`);
  assert.equal(row.cost?.architecture, 'X86_64');
  assert.deepEqual(row.cost?.tasks, { low: 1, expected: 0, high: 4 });
  assert.equal(row.cost?.ipv4Monthly, 7.3, "the ALB's two addresses");
  assert.equal(row.pricedOnCheckout, undefined, 'priced on the template the stack runs (GetTemplate on moto)');
  assert.ok(all.totalMonthly >= row.monthly!);
  assert.equal(row.ageDays, 0);
  const plain = await status(['--all']);
  assert.equal(plain.exitCode, 0, explain(plain));
  assert.match(plain.stdout, /ECOSYSTEM +STATE +AGE +COST +TASKS +IPV4/);
  assert.match(plain.stdout, /\d+ ecosystems? cost ~\$\d+\.\d\d\/month/);
  assert.match(plain.stdout, new RegExp(`st-e2e +(CREATE|UPDATE)_COMPLETE +0d +~\\$\\d+\\.\\d\\d/mo +0 \\(1–4\\) X86_64 +\\$7\\.30/mo`));
  assert.match(plain.stdout, /✔ every ecosystem is settled/);
});

test('an ecosystem that is not deployed: exit 1, ECOSYSTEM_NOT_DEPLOYED with the --all hint', async () => {
  const r = await status(['--ecosystem', 'never-deployed', '--json']);
  assert.equal(r.exitCode, 1, explain(r));
  assert.equal(last(r).error?.code, 'ECOSYSTEM_NOT_DEPLOYED');
  assert.match(last(r).error!.message, /ecosystem never-deployed is not deployed in us-east-1/);
  assert.match(last(r).error!.hint ?? '', /status --all/);
});

test('bad flags: exit 2 before any AWS request, every problem named', async () => {
  const before = (await moto.settled()).length;
  const r = await status(['--all', '--ecosystem', ECO, '--watch', '0', '--region', 'mars-1', '--json']);
  assert.equal(r.exitCode, 2, explain(r));
  const result = last(r);
  assert.equal(result.error?.code, 'BAD_INPUT');
  assert.match(result.error!.message, /--all lists every ecosystem; --ecosystem names one/);
  assert.match(result.error!.message, /--watch "0" is not a whole number of seconds/);
  assert.match(result.error!.message, /mars-1/);
  const bad = await status(['--ecosystem', 'Bad_Name!']);
  assert.equal(bad.exitCode, 2, explain(bad));
  assert.equal((await moto.settled()).length, before, 'no AWS request');
});

test('--watch off a terminal: a new snapshot each interval after a timestamp line; SIGINT ends with the last verdict', async () => {
  const { execa } = await import('execa');
  const { BIN } = await import('./support/cli.ts');
  const child = execa(process.execPath, [BIN, 'status', '--ecosystem', ECO, '--watch', '1', '--endpoint-url', moto.endpoint], { env: { CI: 'true', ...FAKE_AWS_ENV }, reject: false, stdin: 'ignore', timeout: HANG_GUARD_MS });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!/--- refreshed at /.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGINT');
  const r = await child;
  assert.match(out, /--- refreshed at \d{4}-/, out);
  assert.equal((out.match(/^hello-deploy status: /gm) ?? []).length >= 2, true, out);
  assert.equal(r.exitCode, 1, `the last verdict (not healthy on moto), not 130\n${String(r.stderr)}`);
  assert.match(String(r.stderr).trimEnd().split('\n').pop() ?? '', /^✘ ecosystem st-e2e is not healthy: the service wants 0 tasks/);
});

test('a read the identity may not make (moto enforcing IAM): "could not read the target health: …", and the rest of the screen still stands', async () => {
  const { IAMClient, CreateUserCommand, PutUserPolicyCommand, CreateAccessKeyCommand } = await import('@aws-sdk/client-iam');
  const { ACMClient, ImportCertificateCommand } = await import('@aws-sdk/client-acm');
  const { CloudFormationClient, CreateStackCommand } = await import('@aws-sdk/client-cloudformation');
  const { readFileSync } = await import('node:fs');
  const { ROOT } = await import('./support/paths.ts');
  const { motoClientConfig } = await import('./support/stacks.ts');
  // The first three requests (making the user) pass unchecked; every later one is checked against its policy. moto
  // enforces IAM for ELBv2 (not for CloudWatch), so the denied read is DescribeTargetGroups.
  const auth = await startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: '3' } });
  try {
    const iam = new IAMClient(motoClientConfig(auth.endpoint));
    await iam.send(new CreateUserCommand({ UserName: 'no-elb' }));
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'elasticloadbalancing:DescribeTargetGroups', Resource: '*' }] };
    await iam.send(new PutUserPolicyCommand({ UserName: 'no-elb', PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'no-elb' }))).AccessKey!;
    const credentials = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const cfg = { ...motoClientConfig(auth.endpoint), credentials };
    const certArn = (await new ACMClient(cfg).send(new ImportCertificateCommand({ Certificate: Buffer.from(cert.certPem), PrivateKey: Buffer.from(cert.keyPem) }))).CertificateArn!;
    const eco = 'st-denied';
    await new CloudFormationClient(cfg).send(
      new CreateStackCommand({
        StackName: `${eco}-hello-world-infra`,
        TemplateBody: readFileSync(path.join(ROOT, 'infra/hello-world-infra.yaml'), 'utf8'),
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: Object.entries({ Ecosystem: eco, EmailAddress: 'ops@example.com', ImageId: `r@sha256:${'b'.repeat(64)}`, SSLCert: certArn }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      }),
    );
    const env = { ...FAKE_AWS_ENV, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_SESSION_TOKEN: '' };
    const r = await runCli(['status', '--ecosystem', eco, '--endpoint-url', auth.endpoint, '--json'], { env, timeout: HANG_GUARD_MS });
    assert.equal(r.exitCode, 1, explain(r));
    const snap = r.events.find((e) => e.type === 'status') as unknown as { unread: Array<{ what: string; reason: string }>; service?: { desired: number }; digest?: string; verdict: { warnings: string[] } };
    assert.deepEqual(snap.unread.map((u) => u.what), ['target health'], explain(r));
    assert.match(snap.unread[0]!.reason, /DescribeTargetGroups/);
    assert.equal(snap.digest, `sha256:${'b'.repeat(64)}`, 'the stack was read');
    assert.equal(snap.service?.desired, 0, 'the service was read');
    assert.ok(snap.verdict.warnings.some((w) => w.startsWith('could not read the target health: ')), snap.verdict.warnings.join('\n'));
    const plain = await runCli(['status', '--ecosystem', eco, '--endpoint-url', auth.endpoint], { env, timeout: HANG_GUARD_MS });
    assert.match(plain.stdout, /✘ could not read the target health: .*DescribeTargetGroups/);
  } finally {
    await auth.stop();
  }
});

test('--watch on a terminal (tmux): the screen is redrawn in place, one copy of it, with a newer read time; Ctrl-C ends with the last verdict', async () => {
  const { createTmux } = await import('./support/tmux.ts');
  const { ROOT } = await import('./support/paths.ts');
  const { BIN } = await import('./support/cli.ts');
  const tmux = createTmux('hello-deploy-status-watch', { columns: 160, rows: 40 });
  try {
    await tmux.start([path.join(ROOT, 'node_modules/.bin/node'), BIN, 'status', '--ecosystem', ECO, '--watch', '1', '--endpoint-url', moto.endpoint], { cwd: ROOT, env: { ...FAKE_AWS_ENV } });
    const first = await tmux.waitScreen('refreshed every 1 second', 30_000);
    const readAt = (screen: string) => /read at (\S+ \S+)/.exec(screen)?.[1];
    const t0 = readAt(first);
    let later = first;
    const deadline = Date.now() + 20_000;
    while (readAt(later) === t0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      later = await tmux.screen();
    }
    assert.notEqual(readAt(later), t0, `a newer read replaced the first:\n${later}`);
    assert.equal((later.match(/hello-deploy status: ecosystem/g) ?? []).length, 1, `one copy on the screen, redrawn in place:\n${later}`);
    assert.ok(later.trimStart().startsWith('hello-deploy status: ecosystem st-e2e'), 'drawn from the top of the screen');
    await tmux.keys('C-c');
    const end = await tmux.ended(15_000);
    assert.equal(end.code, 1, `the last verdict (not healthy on moto), not 130:\n${end.screen}`);
    assert.match(end.screen, /✘ ecosystem st-e2e is not healthy/);
  } finally {
    await tmux.kill();
  }
});
