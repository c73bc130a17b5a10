// moto_ext/task_counts.py: on the launcher, a service's counts come from its tasks, and a task's state from the
// runtime that reports it (SubmitTaskStateChange, as the ECS agent does:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_SubmitTaskStateChange.html). DescribeServices'
// runningCount/pendingCount are "the number of tasks in the cluster that are in the RUNNING [PENDING] state"
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html); a stopped task keeps its reason and
// its container's exit code (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client, CreateVpcCommand, CreateSubnetCommand, CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import {
  ECSClient, CreateClusterCommand, RegisterTaskDefinitionCommand, CreateServiceCommand, DescribeServicesCommand, RunTaskCommand,
  SubmitTaskStateChangeCommand, DescribeTasksCommand, ListTasksCommand, StopTaskCommand, type NetworkConfiguration,
} from '@aws-sdk/client-ecs';
import { startMoto, type Moto } from './support/moto.ts';
import { motoClientConfig } from './support/stacks.ts';

let moto: Moto;
let ecs: ECSClient;
let ec2: EC2Client;

before(async () => {
  moto = await startMoto({ launcher: true });
  ecs = new ECSClient(motoClientConfig(moto.endpoint));
  ec2 = new EC2Client(motoClientConfig(moto.endpoint));
});
after(async () => {
  ecs?.destroy();
  ec2?.destroy();
  await moto?.stop();
});

async function service(name: string) {
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.0.1.0/24' }))).Subnet!.SubnetId!;
  const sg = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: `${name}-sg`, Description: 'tasks' }))).GroupId!;
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  // As the infra template: Fargate, awsvpc, task-level CPU and memory only (the container gives none).
  const td = (await ecs.send(new RegisterTaskDefinitionCommand({
    family: name, networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512',
    containerDefinitions: [{ name: 'hello-world', image: 'registry/app:1', essential: true }],
  }))).taskDefinition!.taskDefinitionArn!;
  const networkConfiguration: NetworkConfiguration = { awsvpcConfiguration: { subnets: [subnet], securityGroups: [sg] } };
  const s = (await ecs.send(new CreateServiceCommand({ cluster: name, serviceName: name, taskDefinition: td, desiredCount: 1, launchType: 'FARGATE', networkConfiguration }))).service!;
  const describe = async () => (await ecs.send(new DescribeServicesCommand({ cluster: name, services: [name] }))).services![0]!;
  const run = async () => (await ecs.send(new RunTaskCommand({ cluster: name, taskDefinition: td, group: `service:${name}`, startedBy: s.deployments![0]!.id!, launchType: 'FARGATE', networkConfiguration }))).tasks![0]!;
  return { describe, run, cluster: name };
}

test('a reported task counts: PENDING after RunTask, RUNNING after its state change, and the rollout completes at the desired count', async () => {
  const svc = await service('counts');
  assert.equal((await svc.describe()).runningCount, 0, 'no task yet');
  const task = await svc.run();
  assert.equal(task.lastStatus, 'PENDING');
  assert.equal(task.containers?.[0]?.exitCode, undefined, 'no exit code before the container exits');
  let s = await svc.describe();
  assert.deepEqual([s.runningCount, s.pendingCount, s.deployments?.[0]?.rolloutState], [0, 1, 'IN_PROGRESS']);
  await ecs.send(new SubmitTaskStateChangeCommand({ cluster: svc.cluster, task: task.taskArn, status: 'RUNNING', containers: [{ containerName: 'hello-world', status: 'RUNNING', imageDigest: 'sha256:abc', runtimeId: 'c0ffee' }] }));
  // moto would walk a task towards STOPPED one state per DescribeTasks; a reported task stays as reported.
  for (let i = 0; i < 3; i++) await ecs.send(new DescribeTasksCommand({ cluster: svc.cluster, tasks: [task.taskArn!] }));
  const [t] = (await ecs.send(new DescribeTasksCommand({ cluster: svc.cluster, tasks: [task.taskArn!] }))).tasks!;
  assert.equal(t!.lastStatus, 'RUNNING');
  assert.equal(t!.containers?.[0]?.imageDigest, 'sha256:abc');
  assert.ok(t!.startedAt, 'startedAt stamped');
  s = await svc.describe();
  assert.deepEqual([s.runningCount, s.pendingCount, s.deployments?.[0]?.runningCount, s.deployments?.[0]?.rolloutState], [1, 0, 1, 'COMPLETED']);
});

test('a stopped task keeps "Essential container in task exited" and the exit code; ListTasks filters by service', async () => {
  const svc = await service('stops');
  const other = await service('other');
  const task = await svc.run();
  await other.run();
  await ecs.send(new StopTaskCommand({ cluster: svc.cluster, task: task.taskArn, reason: 'Essential container in task exited' }));
  await ecs.send(new SubmitTaskStateChangeCommand({ cluster: svc.cluster, task: task.taskArn, status: 'STOPPED', containers: [{ containerName: 'hello-world', status: 'STOPPED', exitCode: 3 }] }));
  const [t] = (await ecs.send(new DescribeTasksCommand({ cluster: svc.cluster, tasks: [task.taskArn!] }))).tasks!;
  assert.equal(t!.lastStatus, 'STOPPED');
  assert.equal(t!.stoppedReason, 'Essential container in task exited');
  assert.equal(t!.containers?.[0]?.exitCode, 3);
  assert.ok(t!.stoppedAt, 'stoppedAt stamped');
  const s = await svc.describe();
  assert.deepEqual([s.runningCount, s.pendingCount], [0, 0]);
  const listed = (await ecs.send(new ListTasksCommand({ cluster: svc.cluster, serviceName: 'stops', desiredStatus: 'STOPPED' }))).taskArns;
  assert.deepEqual(listed, [task.taskArn]);
});
