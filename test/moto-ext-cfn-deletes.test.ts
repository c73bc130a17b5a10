// moto_ext/cfn_deletes.py on the launcher: DeleteStack deletes every resource of the infra stack, in reverse
// dependency order, as CloudFormation does ("resources are deleted in the reverse order of creation",
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html), so
// `hello-deploy destroy` finds nothing left: no gateway still attached to a VPC, no route table, no ECS cluster or
// service still ACTIVE, the task definition INACTIVE as a deregistered one is on AWS
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deregister-task-definition.html).
// Plain moto keeps nine of those types: test/destroy-e2e.test.ts pins that list (MOTO_KEEPS) on plain moto_server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { parseCfnYaml } from '../cli/domain/cfn-yaml.ts';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { cfnClient, motoClientConfig, readTemplate, stackResources } from './support/stacks.ts';
import { runCli, type CliRun } from './support/cli.ts';
import { leftoverChecks, type Recorded } from './support/leftovers.ts';

let moto: Moto;
let cert: TestCert;
let cwd: string;

const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`;
const last = (r: CliRun) => r.events[r.events.length - 1] as unknown as Record<string, unknown>;
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: `sha256:${'9'.repeat(64)}` },
  layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3, digest: `sha256:${'9'.repeat(64)}` }],
});

before(async () => {
  moto = await startMoto({ launcher: true });
  cert = makeTestCert('deletes.hello-deploy.test');
  cwd = mkdtempSync(path.join(tmpdir(), 'hd-cfn-deletes-'));
  // A prebuilt image for --image, so the deploy needs no Docker build.
  const ecr = new ECRClient(motoClientConfig(moto.endpoint));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prebuilt/app' }));
  await ecr.send(new PutImageCommand({ repositoryName: 'prebuilt/app', imageManifest: manifest, imageTag: 'v1' }));
  ecr.destroy();
});

after(async () => {
  await moto?.stop();
  if (cert) rmSync(cert.dir, { recursive: true, force: true });
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

test('destroy of a deployed ecosystem on the launcher: both stacks deleted, leftovers [] and verified, and no resource of any template type is left', async () => {
  const eco = 'dl-full';
  const deployed = await runCli([
    'deploy', '--yes', '--json', '--ecosystem', eco, '--email', 'ops@example.com', '--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem'),
    '--endpoint-url', moto.endpoint, '--image', '123456789012.dkr.ecr.us-east-1.amazonaws.com/prebuilt/app:v1',
  ], { env: { ...FAKE_AWS_ENV }, cwd });
  assert.equal(deployed.exitCode, 0, explain(deployed));
  const cfn = cfnClient(moto.endpoint);
  const recorded: Recorded = new Map();
  for (const s of [`${eco}-hello-world-infra`, `${eco}-hello-world-ecr`]) {
    for (const r of await stackResources(cfn, s)) if (r.ResourceType && r.PhysicalResourceId) recorded.set(r.ResourceType, [...(recorded.get(r.ResourceType) ?? []), r.PhysicalResourceId]);
  }
  // The types plain moto keeps were really made, so their absence below is the extension's doing.
  for (const type of ['AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::RouteTable', 'AWS::ECS::Service', 'AWS::ElasticLoadBalancingV2::TargetGroup']) assert.ok(recorded.has(type), type);
  const checks = leftoverChecks(moto.endpoint, eco, recorded);
  assert.deepEqual(await checks['AWS::EC2::VPCGatewayAttachment']!(), [`${(await checks['AWS::EC2::InternetGateway']!())[0]} attached`], 'the gateway is attached before the destroy');

  const r = await runCli(['destroy', '--yes', '--json', '--ecosystem', eco, '--endpoint-url', moto.endpoint], { env: { ...FAKE_AWS_ENV }, cwd });
  assert.equal(r.exitCode, 0, explain(r));
  const result = last(r) as { ok: boolean; deleted: string[]; leftovers: unknown[]; verified: boolean };
  assert.equal(result.ok, true);
  for (const s of [`stack ${eco}-hello-world-infra`, `stack ${eco}-hello-world-ecr`]) assert.ok(result.deleted.some((d) => d.includes(s)), result.deleted.join(' | '));
  assert.deepEqual(result.leftovers, []);
  assert.equal(result.verified, true);
  const warned = r.events.filter((e) => e.type === 'warn').map((e) => String((e as { message?: unknown }).message));
  assert.ok(!warned.some((m) => /left in the emulator/.test(m)), warned.join('\n'));

  const live = ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => s.StackName);
  cfn.destroy();
  assert.deepEqual(live, []);
  // The test's own lookups, type by type for every type either template declares: nothing of the ecosystem is left.
  const types = new Set([readTemplate('hello-world-ecr-infra.yaml'), readTemplate('hello-world-infra.yaml')].flatMap((t) => Object.values(parseCfnYaml(t).Resources ?? {}).map((res) => String((res as { Type: string }).Type))));
  const left: string[] = [];
  for (const type of types) {
    const check = checks[type];
    assert.ok(check, `no leftover check for ${type}`);
    for (const x of await check()) left.push(`${type} ${x}`);
  }
  assert.deepEqual(left, []);
  // The task definition is deregistered, not gone: INACTIVE, as on AWS.
  const ecs = new ECSClient(motoClientConfig(moto.endpoint));
  assert.equal((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${eco}-hello-world` }))).taskDefinition?.status, 'INACTIVE');
  ecs.destroy();
});
