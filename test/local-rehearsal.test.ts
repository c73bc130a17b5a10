// `hello-deploy deploy --local`: the whole rehearsal as a user runs it (the built CLI), against the embedded moto
// launcher, the real Docker engine and the local registry binary; then plain moto (--emulator moto-plain); without
// a Docker engine; Ctrl-C in the middle; --keep (and `status` on what it kept); and LocalStack without a token.
// Every run must leave no process, container or folder behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { ACMClient, ImportCertificateCommand } from '@aws-sdk/client-acm';
import { parseCfnYaml } from '../cli/domain/cfn-yaml.ts';
import { alive } from '../cli/adapters/emulator/processes.ts';
import type { RehearsalSummary, ResourceFidelity } from '../cli/rehearsal/events.ts';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { cfnClient, createStackAndWait, motoClientConfig, readTemplate, stackResources } from './support/stacks.ts';
import { dockerUnavailableReason, httpsGet, removeDeployTraces } from './support/docker.ts';
import { BIN, runCli, type CliRun } from './support/cli.ts';
import { BASE_IMAGE, ROOT } from './support/paths.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { withoutDomain } from './support/template-stacks.ts';

let noDocker: string | null;
let moto: Moto | undefined;
/** What plain moto 5.2 skips, measured here independently of the CLI: template logical IDs minus DescribeStackResources. */
let skippedByMoto: string[] = [];
let cert: TestCert;
const kept: RehearsalSummary[] = [];

// Real-looking AWS settings in the user's environment must not matter: a rehearsal only ever uses fakes.
const env = (extra: Record<string, string> = {}) => ({
  HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE,
  AWS_PROFILE: 'hello-deploy-no-such-profile',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_REGION: 'eu-west-3',
  LOCALSTACK_AUTH_TOKEN: '',
  ...extra,
});
const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-5000)}\n${r.stderr.slice(-2000)}`;
type Result = { type: 'result'; ok: boolean; url?: string; image?: string; error?: { code: string; message: string; hint?: string }; rehearsal?: RehearsalSummary };
const resultOf = (r: CliRun) => r.events[r.events.length - 1] as unknown as Result;

/** Nothing the rehearsal started is left: no PID it reported, no container with its label, no folder. */
async function assertNothingLeft(r: RehearsalSummary): Promise<void> {
  for (const s of r.started) if (s.pid) assert.equal(alive(s.pid), false, `${s.what} (pid ${s.pid}) still runs`);
  const label = `hello-deploy.rehearsal=${path.basename(r.workDir ?? '')}`;
  const containers = (await execa('docker', ['ps', '-aq', '--filter', `label=${label}`], { reject: false })).stdout.trim();
  if (!noDocker) assert.equal(containers, '', `containers left: ${containers}`);
  for (const s of r.started) if (s.containerId && !noDocker) assert.equal((await execa('docker', ['inspect', s.containerId], { reject: false })).exitCode, 1, `${s.what} still exists`);
  // And by command line: nothing mentions the rehearsal folder.
  const ps = (await execa('ps', ['-eo', 'pid,args'])).stdout.split('\n').filter((l) => r.workDir && l.includes(r.workDir));
  assert.deepEqual(ps, []);
  assert.equal(existsSync(r.workDir ?? '/nonexistent'), false, `${r.workDir} is still there`);
  // Nor in the user's Docker: no tag names the throwaway registry, and docker forgot its login.
  const registry = r.started.find((s) => s.what === 'docker-registry')?.endpoint?.replace('http://', '');
  if (registry && !noDocker) {
    const tags = (await execa('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n').filter((l) => l.startsWith(`${registry}/`));
    assert.deepEqual(tags, [], 'tags for the rehearsal registry are left');
    const config = path.join(process.env.DOCKER_CONFIG ?? path.join(homedir(), '.docker'), 'config.json');
    const auths = existsSync(config) ? Object.keys((JSON.parse(readFileSync(config, 'utf8')) as { auths?: object }).auths ?? {}) : [];
    assert.equal(auths.includes(registry), false, `docker still holds a login for ${registry}`);
  }
}

const notEmulated = (rs: ResourceFidelity[]) => rs.filter((x) => x.mark === 'not-emulated').map((x) => x.logicalId).sort();

before(async () => {
  noDocker = await dockerUnavailableReason();
  cert = makeTestCert('rehearsal.hello-deploy.test');
  // The independent measurement: deploy both templates on a plain moto of our own and diff logical IDs.
  moto = await startMoto();
  const acm = new ACMClient(motoClientConfig(moto.endpoint));
  const arn = (await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(cert.certPem), PrivateKey: Buffer.from(cert.keyPem) }))).CertificateArn!;
  acm.destroy();
  const cfn = cfnClient(moto.endpoint);
  await createStackAndWait(cfn, { stackName: 'm-hello-world-ecr', templateBody: readTemplate('hello-world-ecr-infra.yaml'), parameters: { Ecosystem: 'm' } });
  await createStackAndWait(cfn, {
    stackName: 'm-hello-world-infra',
    templateBody: readTemplate('hello-world-infra.yaml'),
    parameters: { Ecosystem: 'm', EmailAddress: 'a@example.com', ImageId: '123456789012.dkr.ecr.us-east-1.amazonaws.com/m-hello-world-ecr:t', SSLCert: arn },
    capabilities: ['CAPABILITY_IAM'],
  });
  for (const [stack, file] of [['m-hello-world-ecr', 'hello-world-ecr-infra.yaml'], ['m-hello-world-infra', 'hello-world-infra.yaml']] as const) {
    const named = new Set((await stackResources(cfn, stack)).map((x) => x.LogicalResourceId).filter(Boolean));
    skippedByMoto.push(...Object.keys(withoutDomain(parseCfnYaml(readTemplate(file)))).filter((id) => !named.has(id)));
  }
  skippedByMoto = skippedByMoto.sort();
  cfn.destroy();
  await moto.stop();
  moto = undefined;
});

after(async () => {
  // The rehearsal removes its registry's tags and login itself (asserted above); its build tags stay by design.
  if (!noDocker) await removeDeployTraces({ ecosystems: ['lr-docker', 'lr-plain', 'lr-sigint', 'lr-keep'] });
  await moto?.stop();
  rmSync(cert.dir, { recursive: true, force: true });
  // A failed --keep test must not leave its processes behind either.
  for (const r of kept) {
    for (const s of r.started) {
      if (s.pid && alive(s.pid)) process.kill(s.pid, 'SIGKILL');
      if (s.containerId) await execa('docker', ['rm', '-f', '-v', s.containerId], { reject: false });
    }
    if (r.workDir) rmSync(r.workDir, { recursive: true, force: true });
  }
});

// A rehearsal without --domain: the infra template's certificate and alias record are conditioned out.
const TOTAL = Object.keys(parseCfnYaml(readTemplate('hello-world-ecr-infra.yaml')).Resources).length + Object.keys(withoutDomain(parseCfnYaml(readTemplate('hello-world-infra.yaml')))).length;
const marks = (rs: ResourceFidelity[]) => rs.reduce<Record<string, number>>((m, x) => ({ ...m, [x.mark]: (m[x.mark] ?? 0) + 1 }), {});

test('deploy --local --yes --json: exit 0, the app probed (hello world, 200, the generated certificate), every resource created on the launcher, nothing left', async (t) => {
  if (noDocker) return t.skip(noDocker);
  const r = await runCli(['deploy', '--local', '--yes', '--json', '--ecosystem', 'lr-docker'], { env: env() });
  assert.equal(r.exitCode, 0, explain(r));
  const result = resultOf(r);
  assert.equal(result.type, 'result');
  assert.equal(result.ok, true, explain(r));
  const reh = result.rehearsal!;
  const p = reh.probes!;
  assert.equal(p.runtime, 'docker');
  // Through the load balancer (HAProxy from the emulated ALB), as a browser would: the result's URL is its.
  const lb = reh.loadBalancer!;
  assert.ok(lb, 'the probes went through the load balancer');
  assert.equal(result.url, lb.url);
  assert.notEqual(lb.url, p.url);
  assert.deepEqual([lb.root.status, lb.root.body.trim(), lb.health.status], [200, 'hello world', 200]);
  assert.deepEqual([lb.port.template, lb.sslPolicy, lb.minTls], [443, 'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09', 'TLSv1.3']);
  assert.ok(lb.fingerprintMatches && lb.tls11Refused && lb.plainHttpRefused, JSON.stringify(lb));
  assert.deepEqual(lb.targetHealth.map((x) => [x.id, x.port]), [['127.0.0.1', p.port.used]]);
  assert.ok(!reh.fidelity.notRehearsed.some((x) => x.what === 'traffic through the load balancer'));
  assert.match(p.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(p.root.status, 200);
  assert.equal(p.root.body.trim(), 'hello world');
  assert.equal(p.health.path, '/health');
  assert.equal(p.health.status, 200);
  // The generated certificate's fingerprint, computed here from the PEM the rehearsal reports.
  assert.equal(reh.certificate?.source, 'generated');
  const generated = new X509Certificate(reh.certificate!.certificatePem).fingerprint256;
  assert.equal(p.servedFingerprint, generated);
  assert.equal(lb.servedFingerprint, generated);
  assert.equal(reh.certificate!.fingerprintSha256, generated);
  assert.match(result.image ?? '', /^127\.0\.0\.1:\d+\/lr-docker-hello-world-ecr@sha256:[a-f0-9]{64}$/);

  // The fidelity report: an event before the result, the same in the result. On the launcher every resource of
  // both templates is created, each of the four moto skips confirmed by its own API, and the ECS service whole.
  const fidelityAt = r.events.findIndex((e) => e.type === 'fidelity');
  assert.ok(fidelityAt >= 0 && fidelityAt < r.events.length - 1, 'a fidelity event comes before the result');
  assert.equal(TOTAL, 26);
  assert.deepEqual(marks(reh.fidelity.resources), { created: TOTAL }, JSON.stringify(reh.fidelity.resources.filter((x) => x.mark !== 'created')));
  const detail = (id: string) => reh.fidelity.resources.find((x) => x.logicalId === id)?.detail;
  assert.equal(detail('CpuHighAlarm'), 'DescribeAlarms: state INSUFFICIENT_DATA');
  assert.equal(detail('AlarmEmailSubscription'), 'ListSubscriptionsByTopic: PendingConfirmation, as on AWS until the e-mail link is clicked');
  assert.equal(detail('ScalableTarget'), 'DescribeScalableTargets: 1 to 4 tasks');
  assert.equal(detail('CpuScalingPolicy'), 'DescribeScalingPolicies: TargetTrackingScaling');
  assert.equal(detail('Service'), undefined, 'DescribeServices keeps load balancers, network configuration, FARGATE and the rest');
  assert.equal(reh.fidelity.emulator?.engine, 'moto');
  assert.deepEqual(reh.fidelity.emulator?.extensions, ['cfn_resources', 'acm_certificate', 'ecs_service', 'cfn_deletes', 'cfn_fixes', 'task_counts', 'ecs_rollout', 'target_health', 'stack_events']);
  for (const step of ['emulator', 'prerequisites', 'validate-templates', 'deploy-ecr-stack', 'local-registry', 'ecr-login', 'docker-build', 'tag-image', 'push-image', 'deploy-infra-stack', 'run-app', 'start-load-balancer', 'teardown']) {
    const timing = reh.fidelity.timings.find((x) => x.step === step);
    assert.equal(timing?.outcome, 'succeeded', `${step}: ${JSON.stringify(timing)}`);
  }
  // A first rehearsal has nothing kept to roll out onto: skipped, and said.
  assert.equal(reh.fidelity.timings.find((x) => x.step === 'roll-out')?.outcome, 'skipped');
  assert.ok(reh.skipped.some((x) => x.what === 'roll-out' && /no kept rehearsal/.test(x.reason)));
  // The container is also the service's task on the launcher, whose logs are shipped while the rehearsal runs.
  assert.deepEqual(reh.started.map((s) => s.what.replace(/^task \S+ /, 'task ')), ['moto launcher', 'docker-registry', 'app container', 'task in the emulator (log shipping)', 'load balancer (HAProxy)']);
  assert.equal(reh.kept, false);
  // The registry password never appears; the private key never appears.
  assert.ok(!r.stdout.includes('123456789012-auth-token'));
  assert.ok(!/PRIVATE KEY/.test(r.stdout + r.stderr));
  await assertNothingLeft(reh);
});

test('--emulator moto-plain: plain moto_server, and its gaps reported exactly as measured (21 of 26 created, the service partial)', async (t) => {
  if (noDocker) return t.skip(noDocker);
  assert.ok(skippedByMoto.length > 0, 'plain moto 5.2 skips some resources: the independent measurement found them');
  const r = await runCli(['deploy', '--local', '--yes', '--json', '--emulator', 'moto-plain', '--ecosystem', 'lr-plain'], { env: env() });
  assert.equal(r.exitCode, 0, explain(r));
  const reh = resultOf(r).rehearsal!;
  assert.equal(reh.probes?.root.body.trim(), 'hello world');
  assert.deepEqual(notEmulated(reh.fidelity.resources), skippedByMoto);
  assert.deepEqual(marks(reh.fidelity.resources), { created: TOTAL - skippedByMoto.length - 1, partial: 1, 'not-emulated': skippedByMoto.length });
  assert.deepEqual([TOTAL - skippedByMoto.length - 1, TOTAL], [21, 26], "the issue's plain numbers");
  const service = reh.fidelity.resources.find((x) => x.resourceType === 'AWS::ECS::Service');
  assert.equal(service?.mark, 'partial');
  assert.match(service?.detail ?? '', /partially emulated: loadBalancers empty.*networkConfiguration empty.*launchType "EC2"/);
  assert.deepEqual([reh.fidelity.emulator?.engine, reh.fidelity.emulator?.extensions], ['moto-plain', undefined]);
  assert.deepEqual(reh.started.map((s) => s.what), ['moto_server', 'docker-registry', 'app container', 'load balancer (HAProxy)']);
  await assertNothingLeft(reh);
});

test('without a Docker engine: the image steps skipped with the reason, the app probed under gunicorn, nothing left', async () => {
  const r = await runCli(['deploy', '--local', '--yes', '--json', '--ecosystem', 'lr-nodocker'], { env: env({ DOCKER_HOST: 'unix:///nonexistent.sock' }) });
  assert.equal(r.exitCode, 0, explain(r));
  const result = resultOf(r);
  assert.equal(result.ok, true, explain(r));
  const reh = result.rehearsal!;
  for (const step of ['local-registry', 'docker-build', 'ecr-login', 'tag-image', 'push-image']) {
    const skipped = r.events.find((e) => e.type === 'step-skipped' && e['step'] === step);
    assert.match(String(skipped?.['reason']), /no Docker engine: .*nonexistent\.sock/, step);
    assert.ok(reh.skipped.some((s) => s.what === step), `${step} is listed as not rehearsed`);
    assert.notEqual(reh.fidelity.timings.find((x) => x.step === step)?.outcome, 'succeeded');
  }
  assert.equal(reh.probes?.runtime, 'gunicorn');
  assert.equal(reh.probes?.root.body.trim(), 'hello world');
  assert.equal(reh.probes?.health.status, 200);
  assert.equal(reh.probes?.servedFingerprint, new X509Certificate(reh.certificate!.certificatePem).fingerprint256);
  assert.deepEqual(notEmulated(reh.fidelity.resources), []);
  assert.deepEqual(reh.started.map((s) => s.what), ['moto launcher', 'gunicorn', 'load balancer (HAProxy)']);
  await assertNothingLeft(reh);
});

test('--emulator localstack without LOCALSTACK_AUTH_TOKEN: exit 2 before anything starts, saying why and suggesting moto', async () => {
  const r = await runCli(['deploy', '--local', '--yes', '--json', '--emulator', 'localstack'], { env: env() });
  assert.equal(r.exitCode, 2, explain(r));
  assert.equal(r.events.length, 1, 'only the result line: nothing started');
  const result = resultOf(r);
  assert.equal(result.error?.code, 'LOCALSTACK_UNAVAILABLE');
  assert.match(result.error?.message ?? '', /LOCALSTACK_AUTH_TOKEN/);
  assert.match(result.error?.message ?? '', /ECS, ECR, ELBv2 and Application Auto Scaling .* paid/);
  assert.match(result.error?.hint ?? '', /--emulator moto/);
});

test('Ctrl-C in the middle of a rehearsal: exit 130, and moto, the registry and everything else are gone', async (t) => {
  if (noDocker) return t.skip(noDocker);
  const child = spawn(process.execPath, [BIN, 'deploy', '--local', '--yes', '--json', '--ecosystem', 'lr-sigint'], { cwd: ROOT, env: { ...process.env, CI: 'true', ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let sent = false;
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    // Once moto and the registry both run and the build is going: the middle of the rehearsal.
    if (!sent && /"type":"step-succeeded","step":"local-registry"/.test(out)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  assert.ok(sent, `SIGINT was sent mid-run:\n${out.slice(-3000)}`);
  assert.equal(code, 130, out.slice(-3000));
  const events = out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
  const result = events[events.length - 1] as unknown as Result;
  assert.equal(result.ok, false);
  assert.equal(result.error?.code, 'INTERRUPTED');
  const reh = result.rehearsal!;
  assert.ok(reh.started.some((s) => s.what === 'moto launcher') && reh.started.some((s) => s.what === 'docker-registry'), JSON.stringify(reh.started));
  // Stacks the run never deployed are never marked as created. The ECR stack may be deployed by then (with a cached
  // validation verdict it deploys while the registry starts); the infra stack never is (nothing was pushed).
  const deployedHere = new Set(events.filter((e) => e.type === 'step-succeeded').map((e) => e.step));
  assert.equal(deployedHere.has('deploy-infra-stack'), false);
  const names = { ecr: 'lr-sigint-hello-world-ecr', infra: 'lr-sigint-hello-world-infra' };
  for (const x of reh.fidelity.resources) {
    const stepOf = x.stack === names.ecr ? 'deploy-ecr-stack' : 'deploy-infra-stack';
    if (!deployedHere.has(stepOf)) assert.notEqual(x.mark, 'created', `${x.stack} ${x.logicalId} is marked created after an interrupted run`);
  }
  await assertNothingLeft(reh);
});

test('--keep with the user\'s own pair: everything left running and described; the kept moto and app answer; stopping them by PID leaves nothing', async (t) => {
  if (noDocker) return t.skip(noDocker);
  // Its own cache folder: the kept-rehearsal record (for a later rollout) goes there, not into this user's.
  const cache = mkdtempSync(path.join(tmpdir(), 'hd-keep-cache-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  const r = await runCli(['deploy', '--local', '--yes', '--json', '--keep', '--ecosystem', 'lr-keep', '--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem')], { env: env({ XDG_CACHE_HOME: cache }) });
  const result = resultOf(r);
  if (result.rehearsal) kept.push(result.rehearsal);
  assert.equal(r.exitCode, 0, explain(r));
  const reh = result.rehearsal!;
  assert.equal(reh.kept, true);
  assert.equal(reh.certificate?.source, 'user');
  const mine = new X509Certificate(cert.certPem).fingerprint256;
  assert.equal(reh.probes?.servedFingerprint, mine);

  // The app still answers, with the user's certificate, on the port the task definition names (or the one reported).
  const port = Number(new URL(result.url!).port);
  const res = await httpsGet(port, '/');
  assert.equal(res.status, 200);
  assert.equal(res.body, 'hello world');
  assert.equal(res.peerCertificate.fingerprint256, mine);

  // The not-emulated list is exactly what this very emulator's DescribeStackResources leaves out.
  const motoEndpoint = reh.started.find((s) => s.what === 'moto launcher')!.endpoint!;
  const cfn = cfnClient(motoEndpoint);
  const named = new Set<string>();
  for (const stack of ['lr-keep-hello-world-ecr', 'lr-keep-hello-world-infra']) for (const x of await stackResources(cfn, stack)) if (x.LogicalResourceId) named.add(x.LogicalResourceId);
  cfn.destroy();
  const templateIds = [...Object.keys(parseCfnYaml(readTemplate('hello-world-ecr-infra.yaml')).Resources), ...Object.keys(withoutDomain(parseCfnYaml(readTemplate('hello-world-infra.yaml'))))];
  assert.deepEqual(notEmulated(reh.fidelity.resources), templateIds.filter((id) => !named.has(id)).sort());
  assert.ok(existsSync(path.join(cert.dir, 'key.pem')), "the user's pair is untouched");

  // `status` on the kept emulator reads what the launcher holds: the alarm and the pending e-mail subscription are
  // there; what the emulator does not do (send e-mail, and until tasks run, run them) is said, not invented.
  const st = await runCli(['status', '--ecosystem', 'lr-keep', '--endpoint-url', motoEndpoint], { env: { ...FAKE_AWS_ENV } });
  assert.match(st.stdout, /^hello-deploy status: ecosystem lr-keep, us-east-1 \(an emulator\)/, explain(st));
  assert.match(st.stdout, /Alarm +lr-keep-hello-world-cpu-high INSUFFICIENT_DATA/);
  assert.match(st.stdout, /Alarm e-mail rehearsal@example\.com \(email\) ⚠ PendingConfirmation/);
  assert.match(st.stdout, /PendingConfirmation: the emulator sends no confirmation e-mail/);
  assert.match(st.stdout, /Cost +~\$\d+\.\d\d\/mo at 1 task \(\$\d+\.\d\d–\$\d+\.\d\d\/mo for 1–4\) on AWS for what the emulator holds now; (X86_64|ARM64), 0\.25 vCPU \/ 0\.5 GB per task/);
  assert.match(st.stdout, /Service +lr-keep-hello-world ACTIVE: \d of 1 running/);
  if (/: 0 of 1 running/.test(st.stdout)) {
    assert.equal(st.exitCode, 1);
    assert.match(st.stderr.trimEnd().split('\n').pop()!, /0 of 1 task running.*: the emulator runs no tasks/);
  }

  // Stop them the way the output says.
  for (const s of reh.started) {
    if (s.pid) process.kill(s.pid, 'SIGTERM');
    if (s.containerId) await execa('docker', ['rm', '-f', '-v', s.containerId]);
  }
  for (let i = 0; i < 50 && reh.started.some((s) => s.pid && alive(s.pid)); i++) await new Promise((res) => setTimeout(res, 100));
  rmSync(reh.workDir!, { recursive: true, force: true });
  const registry = reh.started.find((s) => s.what === 'docker-registry')?.endpoint?.replace('http://', '');
  if (registry) {
    await execa('docker', ['logout', registry], { reject: false });
    const tags = (await execa('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n').filter((l) => l.startsWith(`${registry}/`));
    if (tags.length) await execa('docker', ['rmi', ...tags], { reject: false });
  }
  await assertNothingLeft(reh);
});
