// The task reporter (cli/adapters/emulator/task-reporter.ts) with a real container and the moto launcher: the
// container becomes a task of the emulated service (RunTask + SubmitTaskStateChange), its output lands in the task
// definition's awslogs stream `<prefix>/<container>/<task id>`
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html), and when it exits the task is
// STOPPED with "Essential container in task exited" and the exit code
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html). On plain moto it says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { EC2Client, CreateVpcCommand, CreateSubnetCommand, CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { ECSClient, CreateClusterCommand, RegisterTaskDefinitionCommand, CreateServiceCommand, DescribeServicesCommand, DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { reportTask, ESSENTIAL_EXITED } from '../cli/adapters/emulator/task-reporter.ts';
import type { ReportedTask } from '../cli/ports/rehearsal.ts';
import { startMoto, type Moto } from './support/moto.ts';
import { motoClientConfig } from './support/stacks.ts';
import { dockerUnavailableReason } from './support/docker.ts';

const BASE = 'hello-deploy/python-base:trixie';
const LABEL = 'hello-deploy.test=task-report';
let skip: string | false = false;
const motos: Moto[] = [];
const containers: string[] = [];

before(async () => {
  const why = await dockerUnavailableReason();
  if (why) skip = why;
  else if ((await execa('docker', ['image', 'inspect', BASE], { reject: false })).exitCode !== 0) skip = `no local ${BASE} (npm run setup builds it)`;
});
after(async () => {
  if (containers.length) await execa('docker', ['rm', '-f', '-v', ...containers], { reject: false });
  for (const m of motos) await m.stop();
});

/** A service like the infra template's, on an emulator: Fargate, awsvpc, an awslogs log configuration. */
async function emulatedService(moto: Moto, name: string) {
  const cfg = motoClientConfig(moto.endpoint);
  const ec2 = new EC2Client(cfg);
  const ecs = new ECSClient(cfg);
  const logs = new CloudWatchLogsClient(cfg);
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.0.1.0/24' }))).Subnet!.SubnetId!;
  const sg = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: `${name}-sg`, Description: 'tasks' }))).GroupId!;
  await logs.send(new CreateLogGroupCommand({ logGroupName: `/ecs/${name}` }));
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const td = (await ecs.send(new RegisterTaskDefinitionCommand({
    family: name, networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512',
    containerDefinitions: [{ name: 'hello-world', image: BASE, essential: true, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${name}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'hello-world' } } }],
  }))).taskDefinition!.taskDefinitionArn!;
  await ecs.send(new CreateServiceCommand({ cluster: name, serviceName: name, taskDefinition: td, desiredCount: 1, launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: [subnet], securityGroups: [sg] } } }));
  return { ecs, logs, close: () => [ec2, ecs, logs].forEach((c) => c.destroy()) };
}

async function container(script: string): Promise<string> {
  const r = await execa('docker', ['run', '-d', '--label', LABEL, '--network', 'none', BASE, 'sh', '-c', script]);
  containers.push(r.stdout.trim());
  return r.stdout.trim();
}

const io = () => {
  const warnings: string[] = [];
  return { warnings, io: { signal: new AbortController().signal, progress: () => undefined, log: () => undefined, warn: (m: string) => void warnings.push(m) } };
};

test('on the launcher: RUNNING and counted, its output shipped to its stream, then STOPPED with the reason and exit code 3', async (t) => {
  if (skip) return t.skip(skip);
  const moto = await startMoto({ launcher: true });
  motos.push(moto);
  const svc = await emulatedService(moto, 'report');
  try {
    // The pause between the two lines: docker reads stdout and stderr in two goroutines and stamps each line when
    // it reads it, so two lines written a microsecond apart on different pipes have no fixed order (nor on awslogs).
    const id = await container('echo "[INFO] Booting worker with pid: 7"; sleep 0.3; echo oops >&2; sleep 3; exit 3');
    const { io: pio, warnings } = io();
    const out = await reportTask({ endpoint: moto.endpoint, cluster: 'report', service: 'report', containerName: 'hello-world', containerId: id, imageDigest: 'sha256:abc' }, pio);
    assert.ok(!('unreported' in out), JSON.stringify(out));
    const task = out as ReportedTask;
    assert.equal(task.countsKept, true);
    assert.deepEqual(task.logStream, { group: '/ecs/report', stream: `hello-world/hello-world/${task.taskId}` });
    const s = (await svc.ecs.send(new DescribeServicesCommand({ cluster: 'report', services: ['report'] }))).services![0]!;
    assert.deepEqual([s.runningCount, s.pendingCount, s.deployments?.[0]?.rolloutState], [1, 0, 'COMPLETED']);
    await execa('docker', ['wait', id]);
    await task.exited(3);
    const [d] = (await svc.ecs.send(new DescribeTasksCommand({ cluster: 'report', tasks: [task.taskArn] }))).tasks!;
    assert.equal(d!.lastStatus, 'STOPPED');
    assert.equal(d!.group, 'service:report');
    assert.equal(d!.stoppedReason, ESSENTIAL_EXITED);
    assert.equal(d!.containers?.[0]?.exitCode, 3);
    assert.equal(d!.containers?.[0]?.imageDigest, 'sha256:abc');
    const events = (await svc.logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/report', logStreamName: task.logStream!.stream, startFromHead: true }))).events ?? [];
    assert.deepEqual(events.map((e) => e.message), ['[INFO] Booting worker with pid: 7', 'oops']);
    assert.deepEqual(warnings, []);
  } finally {
    svc.close();
  }
});

test('on plain moto: said, never invented (the emulator keeps no task counts, or does not take the task)', async (t) => {
  if (skip) return t.skip(skip);
  const moto = await startMoto();
  motos.push(moto);
  const svc = await emulatedService(moto, 'plain');
  try {
    const id = await container('sleep 30');
    const { io: pio, warnings } = io();
    const out = await reportTask({ endpoint: moto.endpoint, cluster: 'plain', service: 'plain', containerName: 'hello-world', containerId: id }, pio);
    if ('unreported' in out) assert.match(out.unreported, /the emulator did not take the task \(RunTask: /);
    else {
      assert.equal(out.countsKept, false);
      assert.match(warnings.join('\n'), /The emulator keeps no task counts/);
      await out.stop();
    }
  } finally {
    svc.close();
  }
});
