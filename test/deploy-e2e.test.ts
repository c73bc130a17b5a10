// The main end-to-end test: `hello-deploy deploy --yes --json` against moto, the real Docker engine and a real
// local registry (Debian's docker-registry on loopback, with the credentials moto's GetAuthorizationToken issues,
// so `docker login` is real). Then the re-run, and the input errors that must stop before any AWS call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeStacksCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { startRegistry, type Registry } from './support/registry.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { cfnClient } from './support/stacks.ts';
import { dockerUnavailableReason, removeDeployTraces } from './support/docker.ts';
import { runCli, type CliRun } from './support/cli.ts';
import { BASE_IMAGE, ROOT } from './support/paths.ts';
import { hostArchitecture } from '../cli/domain/architecture.ts';
import { pushImageFor } from './support/oci-push.ts';

let moto: Moto;
let registry: Registry | undefined;
let cert: TestCert;
let noDocker: string | null;
const ECOSYSTEM = 'e2e-main';

const env = () => ({ ...FAKE_AWS_ENV, HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE });
const deployArgs = (extra: string[] = []) => [
  'deploy', '--yes', '--json', '--ecosystem', ECOSYSTEM, '--email', 'ops@example.com',
  '--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem'),
  '--endpoint-url', moto.endpoint, '--registry', registry?.host ?? '127.0.0.1:1', '--deploy-method', 'direct', ...extra,
];
const last = (r: CliRun): unknown => r.events[r.events.length - 1];
const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`;

before(async () => {
  noDocker = await dockerUnavailableReason();
  moto = await startMoto();
  cert = makeTestCert('e2e.hello-deploy.test');
  // moto's GetAuthorizationToken password for its default account.
  if (!noDocker) registry = await startRegistry({ username: 'AWS', password: '123456789012-auth-token' });
});

after(async () => {
  if (registry) await removeDeployTraces({ registryHost: registry.host, ecosystems: [ECOSYSTEM] });
  await registry?.stop();
  await moto?.stop();
  rmSync(cert.dir, { recursive: true, force: true });
});

test('deploy --yes --json: both stacks, the image pinned by digest in the registry, last line ok:true; a re-run is "no changes"', async (t) => {
  if (noDocker) return t.skip(noDocker);
  const r = await runCli(deployArgs(), { env: env() });
  assert.equal(r.exitCode, 0, explain(r));
  const result = last(r) as { type: string; ok: boolean; url: string; image: string; stacks: { ecr: string; infra: string } };
  assert.equal(result.type, 'result');
  assert.equal(result.ok, true, explain(r));
  assert.match(result.url, /^https:\/\//);
  // The plan names the region the SDK resolved from the environment (no --region was given).
  const plan = r.events.find((e) => e.type === 'plan') as { region?: string; steps: Array<{ id: string; after: string[] }>; details?: { cost?: { monthly: number; low: number; high: number; architecture: string; tasks: { low: number; expected: number; high: number }; lines: Array<{ key: string; quantity: number }> } } } | undefined;
  assert.equal(plan?.region, 'us-east-1');
  // The plan carries the cost of what it deploys: the IPv4 charge (the ALB's 2 addresses + the 1 task's), the task
  // range from the template (1 … MaxTasks 4, expecting the minimum) and the architecture passed as CpuArchitecture.
  const cost = plan?.details?.cost;
  assert.equal(cost?.lines.find((l) => l.key === 'ipv4')?.quantity, 3 * 730, explain(r));
  assert.deepEqual(cost?.tasks, { low: 1, expected: 1, high: 4 });
  assert.match(cost?.architecture ?? '', /^(X86_64|ARM64)$/);
  assert.ok(cost!.low <= cost!.monthly && cost!.monthly < cost!.high);
  // No stack is touched before every prerequisite passed, even when validation (beside them) finishes first.
  assert.deepEqual(plan?.steps.find((s) => s.id === 'deploy-ecr-stack')?.after.sort(), ['prerequisites', 'validate-templates']);
  assert.deepEqual(result.stacks, { ecr: `${ECOSYSTEM}-hello-world-ecr`, infra: `${ECOSYSTEM}-hello-world-infra` });

  // The image is in the registry, and the digest the infra stack runs is the one the registry holds.
  const repo = `${ECOSYSTEM}-hello-world-ecr`;
  assert.match(result.image, new RegExp(`^${registry!.host.replace('.', '\\.')}/${repo}@sha256:[a-f0-9]{64}$`));
  const digest = result.image.split('@')[1]!;
  assert.equal(await registry!.hasManifest(repo, digest), true);
  assert.equal(await registry!.manifestDigest(repo, 'latest'), digest);

  // Both stacks exist in moto with the right parameters.
  const cfn = cfnClient(moto.endpoint);
  const [infra] = (await cfn.send(new DescribeStacksCommand({ StackName: `${ECOSYSTEM}-hello-world-infra` }))).Stacks ?? [];
  const [ecr] = (await cfn.send(new DescribeStacksCommand({ StackName: `${ECOSYSTEM}-hello-world-ecr` }))).Stacks ?? [];
  assert.equal(ecr?.StackStatus, 'CREATE_COMPLETE');
  assert.equal(infra?.StackStatus, 'CREATE_COMPLETE');
  const params = Object.fromEntries((infra?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));
  assert.equal(params['Ecosystem'], ECOSYSTEM);
  assert.equal(params['EmailAddress'], 'ops@example.com');
  assert.equal(params['ImageId'], result.image);
  assert.match(params['SSLCert'] ?? '', /^arn:aws:acm:us-east-1:123456789012:certificate\//);
  // No --arch: this machine's architecture, which is also what the image was built for.
  assert.equal(params['CpuArchitecture'], hostArchitecture(process.arch));
  cfn.destroy();

  // Every step reported; the smoke check skipped with its reason (the ALB lives in the emulator).
  const done = r.events.filter((e) => e.type === 'step-succeeded').map((e) => e['step']);
  for (const s of ['prerequisites', 'validate-templates', 'deploy-ecr-stack', 'ecr-login', 'docker-build', 'tag-image', 'push-image', 'deploy-infra-stack']) assert.ok(done.includes(s), `${s} succeeded`);
  const skipped = r.events.find((e) => e.type === 'step-skipped' && e['step'] === 'result');
  assert.match(String(skipped?.['reason']), /emulator/);
  // The registry password never appears in the output.
  assert.ok(!r.stdout.includes('123456789012-auth-token') && !r.stderr.includes('123456789012-auth-token'));

  // Re-run with the same image inputs: "no changes" is success. The image is rebuilt from cache and pushed with
  // the same digest, so the infra stack sees identical parameters.
  const again = await runCli(deployArgs(), { env: env() });
  assert.equal(again.exitCode, 0, explain(again));
  assert.equal((last(again) as { ok: boolean }).ok, true);
  const summaries = again.events.filter((e) => e.type === 'step-succeeded').map((e) => String(e['summary']));
  assert.ok(summaries.some((s) => /hello-world-ecr: no changes/.test(s)), summaries.join('\n'));
  assert.ok(summaries.some((s) => /hello-world-infra: no changes/.test(s)), summaries.join('\n'));
});

test('deploy --image <registry>/<repo>:latest (a tag, on the --registry stand-in): resolved to the digest the first test pushed, ImageId pinned by it, so the infra stack sees no change', async (t) => {
  if (noDocker) return t.skip(noDocker);
  // Runs after the first test, which pushed <repo>:latest to the registry and deployed that digest.
  const repo = `${ECOSYSTEM}-hello-world-ecr`;
  const latest = await registry!.manifestDigest(repo, 'latest');
  assert.ok(latest, 'the first test pushed :latest');
  const image = `${registry!.host}/${repo}:latest`;
  const r = await runCli(deployArgs(['--image', image]), { env: env() });
  assert.equal(r.exitCode, 0, explain(r));
  const result = last(r) as { ok: boolean; image: string };
  assert.equal(result.image, `${registry!.host}/${repo}@${latest}`);
  const warn = r.events.find((e) => e.type === 'warn');
  assert.match(String(warn?.['message']), /is a tag, not a digest.*resolves it to its digest before deploying/);
  const pushed = r.events.find((e) => e.type === 'step-succeeded' && e['step'] === 'push-image');
  assert.equal(pushed?.['summary'], `resolved "${image}" to ${result.image}`);
  for (const s of ['ecr-login', 'docker-build', 'tag-image']) assert.ok(r.events.some((e) => e.type === 'step-skipped' && e['step'] === s), `${s} skipped`);
  const infra = r.events.find((e) => e.type === 'step-succeeded' && e['step'] === 'deploy-infra-stack');
  assert.match(String(infra?.['summary']), /hello-world-infra: no changes/, 'the same digest as the first run: nothing to change');

  // A tag the registry does not hold: exit 1, IMAGE_NOT_FOUND naming it, and the infra stack is not deployed.
  const missing = await runCli(deployArgs(['--image', `${registry!.host}/${repo}:no-such-tag`]), { env: env() });
  assert.equal(missing.exitCode, 1, explain(missing));
  const error = (last(missing) as { error: { code: string; message: string; hint: string } }).error;
  assert.equal(error.code, 'IMAGE_NOT_FOUND');
  assert.match(error.message, new RegExp(`${repo}:no-such-tag`));
  assert.match(error.hint, /@sha256:<digest>/);
  assert.ok(!missing.events.some((e) => e.type === 'step-start' && e['step'] === 'deploy-infra-stack'), 'the infra stack was not deployed');
});

test('deploy --image of the other architecture: exit 2 IMAGE_ARCH_MISMATCH before any stack or certificate; with --arch for it, deployed with CpuArchitecture set so', async (t) => {
  if (noDocker) return t.skip(noDocker);
  await moto.reset();
  // Nothing here can build or run the other architecture: the image is pushed blob by blob (its config says so).
  const other = hostArchitecture(process.arch) === 'ARM64' ? { arch: 'x86_64', cfn: 'X86_64', os: 'linux', architecture: 'amd64' } : { arch: 'arm64', cfn: 'ARM64', os: 'linux', architecture: 'arm64' };
  const tag = `other-${Date.now()}`;
  await pushImageFor({ host: registry!.host, repository: 'e2e/other-arch', auth: { username: 'AWS', password: '123456789012-auth-token' } }, tag, { os: other.os, architecture: other.architecture });
  const image = `${registry!.host}/e2e/other-arch:${tag}`;
  // The last --ecosystem wins (commander keeps the last value): its own stacks, apart from the other tests'.
  const args = (extra: string[]) => deployArgs(['--image', image, '--ecosystem', 'e2e-arch', ...extra]);

  const refused = await runCli(args([]), { env: env() });
  assert.equal(refused.exitCode, 2, explain(refused));
  const error = (last(refused) as { error: { code: string; message: string; hint: string } }).error;
  assert.equal(error.code, 'IMAGE_ARCH_MISMATCH');
  assert.match(error.message, new RegExp(`holds linux/${other.architecture}, but the tasks would run on ${hostArchitecture(process.arch)} \\(this machine's architecture, the default without --arch\\)`));
  assert.match(error.hint, new RegExp(`--arch ${other.arch}\\.`));
  const failed = refused.events.find((e) => e.type === 'step-failed');
  assert.equal(failed?.['step'], 'prerequisites');
  assert.ok(!refused.events.some((e) => e.type === 'step-start' && e['step'] === 'deploy-ecr-stack'), 'no stack step started');
  const cfn = cfnClient(moto.endpoint);
  assert.deepEqual(((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).map((s) => s.StackName), [], 'no stack was created');
  const acm = new ACMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: FAKE_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: FAKE_AWS_ENV.AWS_SECRET_ACCESS_KEY } });
  assert.deepEqual((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? [], [], 'the certificate was not imported');
  acm.destroy();

  // Asked for that architecture, the same image deploys, pinned by the digest the prerequisites read.
  const ok = await runCli(args(['--arch', other.arch.toUpperCase()]), { env: env() });
  assert.equal(ok.exitCode, 0, explain(ok));
  const digest = await registry!.manifestDigest('e2e/other-arch', tag);
  assert.equal((last(ok) as { image: string }).image, `${registry!.host}/e2e/other-arch@${digest}`);
  const [infra] = (await cfn.send(new DescribeStacksCommand({ StackName: 'e2e-arch-hello-world-infra' }))).Stacks ?? [];
  cfn.destroy();
  assert.equal(Object.fromEntries((infra?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]))['CpuArchitecture'], other.cfn);
});

test('deploy --image <account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag> (plain output): ECR DescribeImages on moto resolves it, and ImageId is pinned by that digest', async () => {
  await moto.reset();
  const ecr = new ECRClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: FAKE_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: FAKE_AWS_ENV.AWS_SECRET_ACCESS_KEY } });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prebuilt/app' }));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: `sha256:${'c'.repeat(64)}` },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3, digest: `sha256:${'d'.repeat(64)}` }],
  });
  const put = await ecr.send(new PutImageCommand({ repositoryName: 'prebuilt/app', imageManifest: manifest, imageTag: 'v1' }));
  ecr.destroy();
  const digest = put.image?.imageId?.imageDigest ?? '';
  const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/prebuilt/app:v1';
  const pinned = `123456789012.dkr.ecr.us-east-1.amazonaws.com/prebuilt/app@${digest}`;
  const r = await runCli([
    'deploy', '--yes', '--ecosystem', 'e2e-ecrtag', '--email', 'ops@example.com', '--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem'),
    '--endpoint-url', moto.endpoint, '--image', image,
  ], { env: env() });
  assert.equal(r.exitCode, 0, explain(r));
  // The plan says what the step will do; the step line and the result show the resolution.
  assert.match(r.stdout, /Push the image: Nothing to push: the --image tag :v1 is pinned to the digest it pointed to when the prerequisites read its manifest \(ECR BatchGetImage\)/);
  assert.ok(r.stdout.includes(`: resolved "${image}" to ${pinned}`), r.stdout);
  assert.ok(r.stdout.includes(`image:  ${pinned}`), r.stdout);
  assert.match(r.stderr, /⚠ --image "[^"]+:v1" is a tag, not a digest/);
  // moto serves the manifest but not the image config that names the architecture: the run says so.
  assert.match(r.stderr, /⚠ \[prerequisites\] The architecture of --image "[^"]+:v1" was not checked: the emulator's ECR does not serve the image config that names the architecture \(its GetDownloadUrlForLayer failed with HTTP 500\)\. On AWS it is read before any stack changes, and must hold linux\/(amd64|arm64)\./);
  const cfn = cfnClient(moto.endpoint);
  const [infra] = (await cfn.send(new DescribeStacksCommand({ StackName: 'e2e-ecrtag-hello-world-infra' }))).Stacks ?? [];
  cfn.destroy();
  assert.equal(Object.fromEntries((infra?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]))['ImageId'], pinned);
});

test('missing answers without a TTY: exit 2, every missing flag named at once, nothing sent to AWS', async () => {
  const emptyDir = mkdtempSync(path.join(tmpdir(), 'hd-nogit-'));
  try {
    const before = (await moto.settled()).length;
    const r = await runCli(['deploy', '--endpoint-url', moto.endpoint], { env: env(), cwd: emptyDir });
    assert.equal(r.exitCode, 2, explain(r));
    assert.match(r.stderr, /--ecosystem/);
    assert.match(r.stderr, /--email/);
    assert.match(r.stderr, /--cert-arn/);
    assert.equal((await moto.settled()).length, before, 'no AWS call was made');
  } finally {
    rmSync(emptyDir, { recursive: true, force: true });
  }
});

test('no region anywhere: exit 2 naming --region, as generate-certs does, and nothing sent to AWS', async () => {
  await moto.reset();
  const home = mkdtempSync(path.join(tmpdir(), 'hd-noregion-'));
  try {
    const noRegion = { ...env(), AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_CONFIG_FILE: path.join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'), HOME: home };
    const r = await runCli(['deploy', '--yes', '--json', '--ecosystem', 'e2e-noregion', '--email', 'ops@example.com', '--cert-arn', 'arn:aws:acm:us-east-1:123456789012:certificate/abc', '--endpoint-url', moto.endpoint], { env: noRegion });
    assert.equal(r.exitCode, 2, explain(r));
    const result = last(r) as { ok: boolean; error: { code: string; message: string } };
    assert.equal(result.error.code, 'MISSING_ANSWERS');
    assert.match(result.error.message, /--region/);
    assert.deepEqual(moto.requests(), []);
    // With the region in the environment, the plan names it instead of leaving it to the SDK.
    const ok = await runCli(['deploy', '--yes', '--json', '--ecosystem', 'Bad_Name', '--email', 'ops@example.com', '--cert-arn', 'arn:aws:acm:eu-west-3:123456789012:certificate/abc', '--endpoint-url', moto.endpoint], { env: { ...noRegion, AWS_REGION: 'eu-west-3' } });
    assert.equal(ok.exitCode, 2, explain(ok));
    assert.doesNotMatch(String((last(ok) as { error: { message: string } }).error.message), /--region/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('a --cert/--key pair that does not match: exit 2 naming it, and nothing sent to AWS', async () => {
  await moto.reset();
  const other = makeTestCert('other.hello-deploy.test');
  try {
    const r = await runCli(['deploy', '--yes', '--json', '--ecosystem', 'e2e-badpair', '--email', 'ops@example.com', '--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(other.dir, 'key.pem'), '--endpoint-url', moto.endpoint], { env: env() });
    assert.equal(r.exitCode, 2, explain(r));
    const result = last(r) as { ok: boolean; error: { code: string; message: string } };
    assert.equal(result.error.code, 'BAD_INPUT');
    assert.match(result.error.message, /does not belong to .*public keys differ/);
    assert.deepEqual(moto.requests(), []);
  } finally {
    rmSync(other.dir, { recursive: true, force: true });
  }
});

test('a bad ecosystem: exit 2 and no AWS call, as moto\'s request log shows', async () => {
  await moto.reset();
  const r = await runCli(['deploy', '--yes', '--json', '--ecosystem', 'Bad_Name', '--email', 'ops@example.com', '--cert-arn', 'arn:aws:acm:us-east-1:123456789012:certificate/abc', '--endpoint-url', moto.endpoint], { env: env() });
  assert.equal(r.exitCode, 2, explain(r));
  const result = last(r) as { ok: boolean; error: { code: string; message: string } };
  assert.equal(result.ok, false);
  assert.equal(result.error.code, 'BAD_INPUT');
  assert.match(result.error.message, /Bad_Name/);
  assert.deepEqual(moto.requests(), []);
});

test('ecosystem Bad_Name and e-mail x: exit 2 with the templates\' constraint text, before any AWS call', async () => {
  await moto.reset();
  const r = await runCli(['deploy', '--yes', '--ecosystem', 'Bad_Name', '--email', 'x', '--cert-arn', 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555', '--endpoint-url', moto.endpoint], { env: env() });
  assert.equal(r.exitCode, 2, explain(r));
  assert.match(r.stderr, /--ecosystem "Bad_Name": Ecosystem must be 1-25 characters of lowercase letters/);
  assert.match(r.stderr, /--email "x": EmailAddress must be an e-mail address/);
  assert.deepEqual(moto.requests(), []);
});

test('a template error: exit 1 with the root cause', async (t) => {
  if (noDocker) return t.skip(noDocker);
  await moto.reset();
  const dir = mkdtempSync(path.join(tmpdir(), 'hd-badtemplate-'));
  try {
    for (const f of ['infra', 'app', 'Dockerfile', '.dockerignore']) cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
    const file = path.join(dir, 'infra', 'hello-world-ecr-infra.yaml');
    // A resource with a type that does not exist: both ValidateTemplate (through moto's cfn-lint) and cfn-lint catch it.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/Type: AWS::ECR::Repository/, 'Type: AWS::ECR::Repositoryy'));
    const r = await runCli(deployArgs(), { env: env(), cwd: dir });
    assert.equal(r.exitCode, 1, explain(r));
    const result = last(r) as { ok: boolean; error: { code: string; message: string } };
    assert.equal(result.ok, false, explain(r));
    assert.match(result.error.message, /Repositoryy/);
    const failed = r.events.find((e) => e.type === 'step-failed');
    assert.equal(failed?.['step'], 'validate-templates');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
