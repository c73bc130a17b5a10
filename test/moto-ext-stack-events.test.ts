// moto_ext/stack_events.py: on the launcher, DescribeStackEvents carries one event per resource, as on AWS.
// AWS: a StackEvent names the resource (LogicalResourceId, ResourceType, PhysicalResourceId) and its ResourceStatus
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackEvent.html), and DescribeStackEvents
// "returns all stack related events for a specified stack in reverse chronological order"
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackEvents.html). Plain moto, the
// same deploy, records the stack's own events only: that difference is the extension's. The CLI's deploy on the
// launcher then streams `stack-event` lines that name resources.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { rmSync } from 'node:fs';
import {
  DeleteStackCommand, DescribeStackEventsCommand, UpdateStackCommand, type CloudFormationClient, type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { cfnClient, createStackAndWait, describeStack, motoClientConfig, waitForTerminal } from './support/stacks.ts';
import {
  deployBoth, infraParams, ECR_PARSED, INFRA_PARSED, INFRA_TEMPLATE, type Deployed,
} from './support/template-stacks.ts';
import { runCli } from './support/cli.ts';
import { makeTestCert } from './support/testcert.ts';
import { BASE_IMAGE } from './support/paths.ts';

const STACK = 'AWS::CloudFormation::Stack';
let launcher: Moto;
let plain: Moto;
let cfn: CloudFormationClient;
let deployed: Deployed;

/** Every event of a stack, as DescribeStackEvents answers them (newest first), all pages. */
async function events(client: CloudFormationClient, stack: string): Promise<StackEvent[]> {
  const all: StackEvent[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new DescribeStackEventsCommand({ StackName: stack, NextToken }));
    all.push(...(page.StackEvents ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

const statusesOf = (evs: StackEvent[], logicalId: string) => evs.filter((e) => e.LogicalResourceId === logicalId && e.ResourceType !== STACK).map((e) => e.ResourceStatus);

before(async () => {
  launcher = await startMoto({ launcher: true });
  cfn = cfnClient(launcher.endpoint);
  deployed = await deployBoth(cfn, launcher.endpoint, 'events-ext');
});

after(async () => {
  cfn?.destroy();
  await launcher?.stop();
  await plain?.stop();
});

describe('a stack create', () => {
  test('every resource CloudFormation created has CREATE_IN_PROGRESS then CREATE_COMPLETE, naming its type and physical id', async () => {
    const evs = await events(cfn, deployed.infraStack);
    const oldestFirst = [...evs].reverse();
    const templateIds = Object.keys(INFRA_PARSED.Resources);
    const withEvents = templateIds.filter((id) => statusesOf(evs, id).length > 0);
    // Every resource the stack lists has its two events; one it does not list (a type moto skips, until an
    // extension models it) has none: an event is never recorded for what was not created.
    assert.deepEqual(withEvents.sort(), [...deployed.infra.keys()].sort());
    assert.ok(withEvents.length >= 21, `events for ${withEvents.length} resources`);
    for (const id of withEvents) {
      assert.deepEqual(oldestFirst.filter((e) => e.LogicalResourceId === id).map((e) => e.ResourceStatus), ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'], id);
      const complete = evs.find((e) => e.LogicalResourceId === id && e.ResourceStatus === 'CREATE_COMPLETE')!;
      assert.equal(complete.ResourceType, INFRA_PARSED.Resources[id]!.Type, id);
      assert.equal(complete.PhysicalResourceId, deployed.infra.get(id)!.PhysicalResourceId, id);
      assert.equal(complete.StackName, deployed.infraStack);
    }
  });

  test('newest first: the stack\'s CREATE_COMPLETE, then the resources, and the stack\'s CREATE_IN_PROGRESS last, with times never rising', async () => {
    for (const stack of [deployed.infraStack, deployed.ecrStack]) {
      const evs = await events(cfn, stack);
      assert.deepEqual([evs[0]?.ResourceType, evs[0]?.ResourceStatus], [STACK, 'CREATE_COMPLETE'], stack);
      assert.deepEqual([evs.at(-1)?.ResourceType, evs.at(-1)?.ResourceStatus], [STACK, 'CREATE_IN_PROGRESS'], stack);
      const times = evs.map((e) => e.Timestamp!.getTime());
      for (let i = 1; i < times.length; i++) assert.ok(times[i - 1]! >= times[i]!, `${stack}: event ${i} is newer than the one before it`);
    }
    // The ECR stack's export is resolved by moto before the stack starts; its repository still comes after the start.
    assert.deepEqual(statusesOf(await events(cfn, deployed.ecrStack), 'Repository'), ['CREATE_COMPLETE', 'CREATE_IN_PROGRESS']);
    assert.equal(Object.keys(ECR_PARSED.Resources).length, 1);
  });

  test('a resource starts only after what it DependsOn is complete', async () => {
    const oldestFirst = (await events(cfn, deployed.infraStack)).reverse();
    const at = (id: string, status: string) => oldestFirst.findIndex((e) => e.LogicalResourceId === id && e.ResourceStatus === status);
    let checked = 0;
    for (const [id, res] of Object.entries(INFRA_PARSED.Resources)) {
      if (!deployed.infra.has(id)) continue;
      for (const dep of [res.DependsOn ?? []].flat()) {
        if (!deployed.infra.has(dep)) continue;
        assert.ok(at(dep, 'CREATE_COMPLETE') < at(id, 'CREATE_IN_PROGRESS'), `${id} started before ${dep} was complete`);
        checked++;
      }
    }
    assert.ok(checked >= 4, `${checked} DependsOn pairs checked`);
  });

  test('a resource that fails has CREATE_FAILED with the reason', async () => {
    const certArn = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000';
    await assert.rejects(createStackAndWait(cfn, {
      stackName: 'events-failed', templateBody: INFRA_TEMPLATE, parameters: infraParams('evfail', certArn), capabilities: ['CAPABILITY_IAM'],
    }), { name: 'CertificateNotFound' });
    const failed = (await events(cfn, 'events-failed')).find((e) => e.ResourceStatus === 'CREATE_FAILED');
    assert.equal(failed?.LogicalResourceId, 'HttpsListener');
    assert.equal(failed?.ResourceType, 'AWS::ElasticLoadBalancingV2::Listener');
    assert.match(failed?.ResourceStatusReason ?? '', /Certificate/);
  });
});

describe('a stack update and a stack delete', () => {
  test('an update records UPDATE_IN_PROGRESS and UPDATE_COMPLETE for the resource it modifies, inside the stack\'s own', async () => {
    const before = (await events(cfn, deployed.infraStack)).length;
    const changed = INFRA_TEMPLATE.replace(/^( {6}HealthCheckGracePeriodSeconds:) 60$/m, '$1 90');
    assert.notEqual(changed, INFRA_TEMPLATE);
    await cfn.send(new UpdateStackCommand({
      StackName: deployed.infraStack, TemplateBody: changed, Capabilities: ['CAPABILITY_IAM'],
      Parameters: Object.entries(infraParams('events-ext', deployed.certArn)).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }));
    assert.equal((await waitForTerminal(cfn, deployed.infraStack)).StackStatus, 'UPDATE_COMPLETE');
    const fresh = (await events(cfn, deployed.infraStack)).slice(0, -before).reverse();
    assert.deepEqual(fresh.map((e) => `${e.LogicalResourceId}:${e.ResourceStatus}`), [
      `${deployed.infraStack}:UPDATE_IN_PROGRESS`, 'Service:UPDATE_IN_PROGRESS', 'Service:UPDATE_COMPLETE', `${deployed.infraStack}:UPDATE_COMPLETE`,
    ]);
    assert.equal(fresh[2]?.PhysicalResourceId, deployed.infra.get('Service')?.PhysicalResourceId);
  });

  test('a delete records DELETE_IN_PROGRESS and DELETE_COMPLETE per resource (read by stack id, as a deleted stack is)', async () => {
    const stackId = (await describeStack(cfn, deployed.ecrStack)).StackId!;
    await cfn.send(new DeleteStackCommand({ StackName: deployed.ecrStack }));
    const evs = await events(cfn, stackId);
    assert.deepEqual(evs.slice(0, 4).map((e) => `${e.LogicalResourceId}:${e.ResourceStatus}`), [
      `${deployed.ecrStack}:DELETE_COMPLETE`, 'Repository:DELETE_COMPLETE', 'Repository:DELETE_IN_PROGRESS', `${deployed.ecrStack}:DELETE_IN_PROGRESS`,
    ]);
    assert.equal(evs[1]?.PhysicalResourceId, `${'events-ext'}-hello-world-ecr`);
  });
});

test('plain moto, the same deploy, records stack-level events only: the difference is the extension\'s', async () => {
  plain = await startMoto();
  const client = cfnClient(plain.endpoint);
  try {
    const d = await deployBoth(client, plain.endpoint, 'events-plain');
    const evs = await events(client, d.infraStack);
    assert.deepEqual(evs.map((e) => `${e.ResourceType}:${e.ResourceStatus}`), [`${STACK}:CREATE_COMPLETE`, `${STACK}:CREATE_IN_PROGRESS`]);
  } finally {
    client.destroy();
  }
});

test('the CLI\'s deploy on the launcher streams stack-event lines that name each resource', async () => {
  await launcher.reset();
  // A prebuilt image in the emulated ECR (as test/deploy-e2e.test.ts does), so no Docker build is needed.
  const ecr = new ECRClient(motoClientConfig(launcher.endpoint));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prebuilt/app' }));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: `sha256:${'c'.repeat(64)}` },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3, digest: `sha256:${'d'.repeat(64)}` }],
  });
  await ecr.send(new PutImageCommand({ repositoryName: 'prebuilt/app', imageManifest: manifest, imageTag: 'v1' }));
  ecr.destroy();
  const cert = makeTestCert('events.hello-deploy.test');
  try {
    const r = await runCli([
      'deploy', '--yes', '--json', '--ecosystem', 'events-cli', '--email', 'ops@example.com',
      '--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem'),
      '--endpoint-url', launcher.endpoint, '--image', '123456789012.dkr.ecr.us-east-1.amazonaws.com/prebuilt/app:v1',
    ], { env: { ...FAKE_AWS_ENV, HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE } });
    const explain = `exit ${r.exitCode}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`;
    assert.equal(r.exitCode, 0, explain);
    const stackEvents = r.events.filter((e) => e.type === 'stack-event') as unknown as Array<{ stack: string; logicalId: string; resourceType: string; status: string }>;
    const infraStack = 'events-cli-hello-world-infra';
    const named = (status: string) => new Set(stackEvents.filter((e) => e.stack === infraStack && e.status === status && e.resourceType !== STACK).map((e) => e.logicalId));
    for (const id of ['VPC', 'LoadBalancer', 'TargetGroup', 'HttpsListener', 'Cluster', 'TaskDefinition', 'Service']) {
      assert.ok(named('CREATE_IN_PROGRESS').has(id) && named('CREATE_COMPLETE').has(id), `${id} in the stack-event lines\n${explain}`);
    }
    assert.ok(stackEvents.some((e) => e.stack === 'events-cli-hello-world-ecr' && e.logicalId === 'Repository' && e.status === 'CREATE_COMPLETE'), explain);
    assert.ok(stackEvents.some((e) => e.resourceType === 'AWS::ECS::Service'), explain);
  } finally {
    rmSync(cert.dir, { recursive: true, force: true });
  }
});

