// moto_ext/ecs_rollout.py: on the launcher, a stack update with a new ImageId replaces the task definition and starts
// an ECS deployment, which lives as ECS's do (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html):
// a new PRIMARY, the old one ACTIVE until its tasks stop, then the PRIMARY COMPLETED alone; failedTasks counts the
// tasks that failed, and the circuit breaker (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeploymentCircuitBreaker.html,
// threshold 0.5 × desired, min 3, max 200) fails the deployment and rolls back to the last COMPLETED one
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentCircuitBreaker.html). The tasks are run and
// reported here as the rehearsal's scheduler does: RunTask startedBy=<deployment id>, SubmitTaskStateChange, StopTask.
// UpdateService starts a new deployment for a new task definition, or with forceNewDeployment
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListTasksCommand, RunTaskCommand, StopTaskCommand, SubmitTaskStateChangeCommand, UpdateServiceCommand,
  type Deployment, type Service,
} from '@aws-sdk/client-ecs';
import { startMoto, type Moto } from './support/moto.ts';
import { cfnClient, motoClientConfig, waitForTerminal } from './support/stacks.ts';
import { deployBoth, physicalId, INFRA_TEMPLATE, infraParams, type Deployed } from './support/template-stacks.ts';

let moto: Moto;
let cfn: CloudFormationClient;
let ecs: ECSClient;

before(async () => {
  moto = await startMoto({ launcher: true });
  cfn = cfnClient(moto.endpoint);
  ecs = new ECSClient(motoClientConfig(moto.endpoint));
});
after(async () => {
  cfn?.destroy();
  ecs?.destroy();
  await moto?.stop();
});

async function ecosystem(eco: string) {
  const d: Deployed = await deployBoth(cfn, moto.endpoint, eco);
  const cluster = physicalId(d, 'Cluster');
  const serviceName = physicalId(d, 'Service').split('/').pop()!;
  const describe = async (): Promise<Service> => (await ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] }))).services![0]!;
  const primary = async (): Promise<Deployment> => (await describe()).deployments!.find((x) => x.status === 'PRIMARY')!;
  /** A task of `deployment`, as the scheduler starts it: PENDING, then RUNNING when `running`. */
  const run = async (deployment: Deployment, running = true): Promise<string> => {
    const s = await describe();
    const arn = (await ecs.send(new RunTaskCommand({
      cluster, taskDefinition: deployment.taskDefinition, group: `service:${serviceName}`, startedBy: deployment.id,
      launchType: 'FARGATE', networkConfiguration: s.networkConfiguration,
    }))).tasks![0]!.taskArn!;
    if (running) await ecs.send(new SubmitTaskStateChangeCommand({ cluster, task: arn, status: 'RUNNING' }));
    return arn;
  };
  const stop = async (task: string, reason: string) => {
    await ecs.send(new StopTaskCommand({ cluster, task, reason }));
    await ecs.send(new SubmitTaskStateChangeCommand({ cluster, task, status: 'STOPPED' }));
  };
  /** The stack update a new image makes: only ImageId changes. */
  const newImage = async (tag: string) => {
    await cfn.send(new UpdateStackCommand({
      StackName: d.infraStack, TemplateBody: INFRA_TEMPLATE, Capabilities: ['CAPABILITY_IAM'],
      Parameters: Object.entries(infraParams(eco, d.certArn, { ImageId: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${eco}-hello-world-ecr:${tag}` }))
        .map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }));
    assert.equal((await waitForTerminal(cfn, d.infraStack)).StackStatus, 'UPDATE_COMPLETE');
  };
  return { cluster, serviceName, describe, primary, run, stop, newImage };
}

const view = (s: Service) => s.deployments!.map((d) => [d.status, d.taskDefinition?.split(':').pop(), d.runningCount, d.failedTasks, d.rolloutState]);

test('a new ImageId: the service gets the new revision, a new PRIMARY deployment beside the ACTIVE old one, COMPLETED alone once the old task stops (API_Deployment)', async () => {
  const e = await ecosystem('roll-ok');
  const first = await e.primary();
  const old = await e.run(first);
  assert.equal((await e.primary()).rolloutState, 'COMPLETED');
  await e.newImage('v2');
  let s = await e.describe();
  assert.match(s.taskDefinition!, /task-definition\/roll-ok-hello-world:2$/, 'the service is on the new revision');
  const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: s.taskDefinition }))).taskDefinition!;
  assert.equal(td.containerDefinitions?.[0]?.image, '123456789012.dkr.ecr.us-east-1.amazonaws.com/roll-ok-hello-world-ecr:v2', 'the new revision carries the new image');
  const second = s.deployments![0]!;
  assert.match(second.id!, /^ecs-svc\/\d+$/);
  assert.notEqual(second.id, first.id);
  assert.ok(second.createdAt && second.updatedAt);
  assert.deepEqual(view(s), [['PRIMARY', '2', 0, 0, 'IN_PROGRESS'], ['ACTIVE', '1', 1, 0, 'COMPLETED']]);
  await e.run(second);
  s = await e.describe();
  // At its desired count, but the old task still runs: not a steady state yet.
  assert.deepEqual(view(s), [['PRIMARY', '2', 1, 0, 'IN_PROGRESS'], ['ACTIVE', '1', 1, 0, 'COMPLETED']]);
  await e.stop(old, `Scaling activity initiated by (deployment ${second.id})`);
  s = await e.describe();
  assert.deepEqual(view(s), [['PRIMARY', '2', 1, 0, 'COMPLETED']], 'the drained task is no failure, and the ACTIVE deployment is gone');
  assert.equal(s.deployments![0]!.rolloutStateReason, `ECS deployment ${second.id} completed.`);
  const events = s.events!.map((x) => x.message);
  assert.equal(events[0], `(service ${e.serviceName}) has reached a steady state.`);
  assert.ok(events.includes(`(service ${e.serviceName}) has stopped 1 running tasks: (task ${old.split('/').pop()}).`), events.join('\n'));
  assert.ok(events.some((m) => m?.startsWith(`(service ${e.serviceName}) has started 1 tasks: (task `)), events.join('\n'));
});

test('failed tasks count per deployment; at the threshold (3 for 1 task) the breaker fails it and rolls back to the last COMPLETED deployment (API_ServiceDeploymentCircuitBreaker)', async () => {
  const e = await ecosystem('roll-bad');
  const first = await e.primary();
  await e.run(first);
  await e.newImage('broken');
  const broken = await e.primary();
  // One that exits at start, one that fails its health check: both count.
  await e.stop(await e.run(broken, false), 'Essential container in task exited');
  await e.stop(await e.run(broken), `Task failed ELB health checks in (target-group ${'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/1'})`);
  let s = await e.describe();
  assert.deepEqual(view(s), [['PRIMARY', '2', 0, 2, 'IN_PROGRESS'], ['ACTIVE', '1', 1, 0, 'COMPLETED']]);
  await e.stop(await e.run(broken, false), 'Essential container in task exited');
  s = await e.describe();
  // ECS rolls back with a new deployment of the last COMPLETED task definition; the failed one stays ACTIVE (FAILED).
  assert.match(s.taskDefinition!, /roll-bad-hello-world:1$/, 'the service is back on the old revision');
  assert.deepEqual(view(s), [['PRIMARY', '1', 0, 0, 'IN_PROGRESS'], ['ACTIVE', '2', 0, 3, 'FAILED'], ['ACTIVE', '1', 1, 0, 'COMPLETED']]);
  assert.equal(s.deployments![1]!.rolloutStateReason, 'ECS deployment circuit breaker: tasks failed to start.');
  const events = s.events!.map((x) => x.message);
  assert.deepEqual(events.slice(0, 2), [
    `(service ${e.serviceName}) rolling back to deployment ${first.id}.`,
    `(service ${e.serviceName}) (deployment ${broken.id}) deployment failed: tasks failed to start.`,
  ]);
  // The rollback deployment completes as any other: its task runs, the old one is drained.
  const rollback = s.deployments![0]!;
  await e.run(rollback);
  const old = (await ecs.send(new ListTasksCommand({ cluster: e.cluster, startedBy: first.id, desiredStatus: 'RUNNING' }))).taskArns!;
  await e.stop(old[0]!, `Scaling activity initiated by (deployment ${rollback.id})`);
  assert.deepEqual(view(await e.describe()), [['PRIMARY', '1', 1, 0, 'COMPLETED']]);
});

test('UpdateService: the same task definition starts no deployment, forceNewDeployment does (API_UpdateService)', async () => {
  const e = await ecosystem('roll-api');
  const first = await e.primary();
  await e.run(first);
  await ecs.send(new UpdateServiceCommand({ cluster: e.cluster, service: e.serviceName, taskDefinition: first.taskDefinition }));
  assert.deepEqual(view(await e.describe()), [['PRIMARY', '1', 1, 0, 'COMPLETED']]);
  await ecs.send(new UpdateServiceCommand({ cluster: e.cluster, service: e.serviceName, forceNewDeployment: true }));
  const s = await e.describe();
  assert.deepEqual(view(s), [['PRIMARY', '1', 0, 0, 'IN_PROGRESS'], ['ACTIVE', '1', 1, 0, 'COMPLETED']]);
  assert.notEqual(s.deployments![0]!.id, first.id);
});

test('breaker without rollback: the deployment stays PRIMARY and FAILED, the service stays on its revision (API_DeploymentCircuitBreaker)', async () => {
  const e = await ecosystem('roll-norb');
  await e.run(await e.primary());
  await e.newImage('broken');
  // After the stack update, which sets the template's configuration (rollback on) again; no new deployment for it.
  await ecs.send(new UpdateServiceCommand({
    cluster: e.cluster, service: e.serviceName,
    deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: true, rollback: false } },
  }));
  const broken = await e.primary();
  for (let i = 0; i < 3; i++) await e.stop(await e.run(broken, false), 'Essential container in task exited');
  const s = await e.describe();
  assert.deepEqual(view(s), [['PRIMARY', '2', 0, 3, 'FAILED'], ['ACTIVE', '1', 1, 0, 'COMPLETED']]);
  assert.match(s.taskDefinition!, /roll-norb-hello-world:2$/);
  assert.ok(!s.events!.some((x) => x.message?.includes('rolling back')));
});
