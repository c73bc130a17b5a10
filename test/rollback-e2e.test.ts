// `hello-deploy rollback` through the built CLI on moto: two deploys of two prebuilt images (real manifests in a
// loopback registry), then rollbacks that move the infra stack's ImageId back and forth. moto's ECR knows only the
// images put into it (the deploys push to the loopback registry, which stands in for ECR's storage), so the test
// records each deploy's image in moto's ECR with PutImage and its registry digest, one second apart: ECR's
// imagePushedAt has second precision in moto.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { cfnClient, motoClientConfig } from './support/stacks.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { runCli, type CliRun } from './support/cli.ts';
import { startTokenRegistry, type TokenRegistry } from './support/token-registry.ts';
import { pushImageFor } from './support/oci-push.ts';

const HANG_GUARD_MS = 90_000;
const ECO = 'rb-e2e';
let moto: Moto;
let cert: TestCert;
let registry: TokenRegistry | undefined;
const images: Array<{ ref: string; digest: string; tag: string }> = [];

before(async () => {
  moto = await startMoto();
  cert = makeTestCert('rollback-e2e.hello-deploy.test');
  registry = await startTokenRegistry();
  const platform = { os: 'linux', architecture: process.arch === 'arm64' ? 'arm64' : 'amd64' };
  for (const tag of ['v1', 'v2']) {
    const { digest } = await pushImageFor({ host: registry.host, repository: 'prebuilt/app' }, tag, platform, `release ${tag}\n`);
    images.push({ ref: `${registry.host}/prebuilt/app@${digest}`, digest, tag });
  }
});
after(async () => {
  await registry?.stop();
  await moto?.stop();
  if (cert) rmSync(cert.dir, { recursive: true, force: true });
});

const aws = ['--endpoint-url', () => moto.endpoint] as const;
const target = () => [aws[0], aws[1]()];
const pair = () => ['--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem')];
const deploy = (image: string) => runCli(['deploy', '--yes', '--json', '--ecosystem', ECO, '--email', 'ops@example.com', ...pair(), '--image', image, ...target()], { env: { ...FAKE_AWS_ENV }, timeout: HANG_GUARD_MS });
const rollback = (extra: string[] = []) => runCli(['rollback', '--yes', '--json', '--ecosystem', ECO, ...target(), ...extra], { env: { ...FAKE_AWS_ENV }, timeout: HANG_GUARD_MS });
const last = (r: CliRun) => r.events[r.events.length - 1] as unknown as Record<string, unknown> & { ok: boolean; error?: { code: string; message: string; hint?: string } };
const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`;
const imageId = async () => (await cfnClient(moto.endpoint).send(new DescribeStacksCommand({ StackName: `${ECO}-hello-world-infra` }))).Stacks?.[0]?.Parameters?.find((p) => p.ParameterKey === 'ImageId')?.ParameterValue;
const params = async () => Object.fromEntries(((await cfnClient(moto.endpoint).send(new DescribeStacksCommand({ StackName: `${ECO}-hello-world-infra` }))).Stacks?.[0]?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));

/** What a push to ECR records: the image under its tag and digest, with its push time. */
async function recordInEcr(i: { digest: string; tag: string }): Promise<void> {
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [], annotations: { tag: i.tag } });
  await new ECRClient(motoClientConfig(moto.endpoint)).send(new PutImageCommand({ repositoryName: `${ECO}-hello-world-ecr`, imageManifest: manifest, imageTag: i.tag, imageDigest: i.digest }));
}

test('two deploys, then rollback, rollback --to, no previous image, and a bad --to', async () => {
  for (const [n, i] of images.entries()) {
    if (n > 0) await new Promise((r) => setTimeout(r, 1_100));
    const r = await deploy(i.ref);
    assert.equal(r.exitCode, 0, explain(r));
    await recordInEcr(i);
  }
  const [v1, v2] = images as [(typeof images)[0], (typeof images)[0]];
  assert.equal(await imageId(), v2.ref);
  const before = await params();

  // The previous image: v1, with only ImageId changed.
  const back = await rollback();
  assert.equal(back.exitCode, 0, explain(back));
  const chosen = back.events.find((e) => e.type === 'rollback') as Record<string, unknown>;
  assert.deepEqual({ from: chosen['from'], to: chosen['to'], chosenBy: chosen['chosenBy'], tags: chosen['tags'] }, { from: v2.ref, to: v1.ref, chosenBy: 'previous', tags: ['v1'] });
  assert.equal(last(back).type, 'result');
  assert.equal(last(back).ok, true);
  assert.ok(back.events.some((e) => e.type === 'step-skipped' && e.step === 'docker-build'), 'no build');
  assert.equal(await imageId(), v1.ref);
  assert.deepEqual(await params(), { ...before, ImageId: v1.ref }, 'the e-mail, certificate and architecture are the stack\'s own');

  // v1 is the oldest: nothing before it.
  const none = await rollback();
  assert.equal(none.exitCode, 1, explain(none));
  assert.equal(last(none).error?.code, 'NO_PREVIOUS_IMAGE');
  assert.match(last(none).error!.hint!, /--to/);
  assert.equal(await imageId(), v1.ref);

  // --to a tag, then a digest.
  const forward = await rollback(['--to', 'v2']);
  assert.equal(forward.exitCode, 0, explain(forward));
  assert.equal(await imageId(), v2.ref);
  const byDigest = await rollback(['--to', v1.digest]);
  assert.equal(byDigest.exitCode, 0, explain(byDigest));
  assert.equal(await imageId(), v1.ref);
  const missing = await rollback(['--to', 'v9']);
  assert.equal(missing.exitCode, 1, explain(missing));
  assert.equal(last(missing).error?.code, 'IMAGE_NOT_FOUND');

  // A bad --to: exit 2 before any AWS call.
  const sent = (await moto.settled()).length;
  const bad = await rollback(['--to', 'sha256:abc']);
  assert.equal(bad.exitCode, 2, explain(bad));
  assert.equal(last(bad).error?.code, 'BAD_INPUT');
  assert.equal((await moto.settled()).length, sent, 'nothing sent to AWS');
});

test('an ecosystem with nothing deployed: STACK_NOT_FOUND, exit 1; in plain lines the reason is on stderr', async () => {
  const r = await runCli(['rollback', '--yes', '--ecosystem', 'rb-none', ...target()], { env: { ...FAKE_AWS_ENV }, timeout: HANG_GUARD_MS });
  assert.equal(r.exitCode, 1, explain(r));
  assert.match(r.stderr, /✘ There is no stack rb-none-hello-world-infra/);
});
