// deploy --domain --replace-record on the moto launcher (issue 16), with the real CLI, a real zone and real records:
// a record of the name that points elsewhere is refused before anything changes (exit 1 DOMAIN_RECORD_ELSEWHERE, no
// stack made); with --replace-record the deploy deletes exactly that record right before the infra stack changes, and
// CloudFormation creates its alias in its place; a re-deploy over our own alias needs no --replace-record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { createZone, records, upsertCname } from './support/route53.ts';
import { motoClientConfig } from './support/stacks.ts';
import { runCli } from './support/cli.ts';

let moto: Moto;
let zone: string;
let image: string;
const NAME = 'www.replace.test';

before(async () => {
  moto = await startMoto({ launcher: true });
  zone = await createZone(moto.endpoint, 'replace.test');
  await upsertCname(moto.endpoint, zone, NAME, 'old-site.example.net');
  // A record of another name in the zone: --replace-record must leave it alone.
  await upsertCname(moto.endpoint, zone, 'blog.replace.test', 'old-site.example.net');
  const ecr = new ECRClient(motoClientConfig(moto.endpoint));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prebuilt/app' }));
  const layer = `sha256:${'6'.repeat(64)}`;
  const out = await ecr.send(new PutImageCommand({ repositoryName: 'prebuilt/app', imageTag: 'v1', imageManifest: JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: layer }, layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3, digest: layer }] }) }));
  ecr.destroy();
  image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/prebuilt/app@${out.image!.imageId!.imageDigest}`;
});
after(() => moto?.stop());

const deploy = (...extra: string[]) =>
  runCli(['deploy', '--yes', '--json', '--ecosystem', 'replace-e2e', '--email', 'ops@example.com', '--domain', NAME, '--endpoint-url', moto.endpoint, '--region', 'us-east-1', '--image', image, ...extra], { env: { ...FAKE_AWS_ENV }, timeout: 300_000 });

async function stackNames(): Promise<string[]> {
  const cfn = new CloudFormationClient(motoClientConfig(moto.endpoint));
  try {
    return ((await cfn.send(new DescribeStacksCommand({}))).Stacks ?? []).map((s) => s.StackName ?? '');
  } finally {
    cfn.destroy();
  }
}

test('a record of the name pointing elsewhere: refused without --replace-record (nothing made), replaced with it, and a re-deploy needs no flag', async () => {
  const refused = await deploy();
  assert.equal(refused.exitCode, 1, refused.stdout.slice(-2000));
  const failure = (refused.events.at(-1) as { error?: { code?: string; message?: string } }).error;
  assert.equal(failure?.code, 'DOMAIN_RECORD_ELSEWHERE', refused.stdout.slice(-2000));
  // It names the record and where it points.
  assert.match(String(failure?.message), /www\.replace\.test/);
  assert.match(String(failure?.message), /CNAME → old-site\.example\.net/);
  assert.deepEqual(await stackNames(), [], 'no stack was created');
  assert.ok((await records(moto.endpoint, zone)).some((r) => r.name === NAME && r.type === 'CNAME'), 'the record is untouched');

  const replaced = await deploy('--replace-record');
  assert.equal(replaced.exitCode, 0, `${replaced.stdout.slice(-3000)}\n${replaced.stderr.slice(-2000)}`);
  assert.match(JSON.stringify(replaced.events), /Deleted \\"www\.replace\.test\\" \\"CNAME → old-site\.example\.net\\"/);
  const after1 = await records(moto.endpoint, zone);
  assert.ok(!after1.some((r) => r.name === NAME && r.type === 'CNAME'), 'the old record is gone');
  const alias = after1.find((r) => r.name === NAME && r.type === 'A');
  assert.match(alias?.alias?.dnsName ?? '', /elb\.amazonaws\.com\.?$/, JSON.stringify(after1));
  assert.ok(after1.some((r) => r.name === 'blog.replace.test' && r.type === 'CNAME'), 'another name\'s record is left alone');

  // Our own alias is ours: no --replace-record, no refusal, and it stays.
  const again = await deploy();
  assert.equal(again.exitCode, 0, `${again.stdout.slice(-3000)}\n${again.stderr.slice(-2000)}`);
  assert.ok(!JSON.stringify(again.events).includes('DOMAIN_RECORD_ELSEWHERE'));
  const after2 = await records(moto.endpoint, zone);
  assert.deepEqual(after2.find((r) => r.name === NAME && r.type === 'A'), alias);
});
