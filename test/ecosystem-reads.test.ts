// The lifecycle read adapter (cli/adapters/aws/ecosystem.ts) against moto: a service with a running and a stopped
// task (moto's RunTask/StopTask give real stoppedReason values), a target group, the alarm and SetAlarmState, an
// e-mail subscription that stays PendingConfirmation, and log events. Missing things come back undefined, not thrown.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ECSClient, CreateClusterCommand, RegisterTaskDefinitionCommand, CreateServiceCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { SNSClient, CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client, CreateTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createEcosystemReads } from '../cli/adapters/aws/ecosystem.ts';
import { logStreamOf } from '../cli/ports/ecosystem.ts';
import { resourceNames } from '../cli/domain/names.ts';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';

let moto: Moto;
let work = '';
const saved = { ...process.env };
const names = resourceNames('reads');

describe('ecosystem reads on moto', () => {
  let reads: ReturnType<typeof createEcosystemReads>;
  let stoppedId = '';
  let topicArn = '';
  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'hd-reads-'));
    await writeFile(path.join(work, 'empty'), '');
    Object.assign(process.env, FAKE_AWS_ENV, { AWS_CONFIG_FILE: path.join(work, 'empty'), AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'empty') });
    delete process.env.AWS_PROFILE;
    moto = await startMoto();
    const cfg = { endpoint: moto.endpoint, region: 'us-east-1' };
    const ecs = new ECSClient(cfg);
    await ecs.send(new CreateClusterCommand({ clusterName: names.cluster }));
    const td = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'reads', containerDefinitions: [{ name: 'hello-world', image: 'repo@sha256:' + 'a'.repeat(64), memory: 512 }] }));
    await ecs.send(new CreateServiceCommand({ cluster: names.cluster, serviceName: names.service, taskDefinition: td.taskDefinition!.taskDefinitionArn!, desiredCount: 1 }));
    const run = await ecs.send(new RunTaskCommand({ cluster: names.cluster, taskDefinition: td.taskDefinition!.taskDefinitionArn!, count: 2, startedBy: 'test', launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-12345678'] } } }));
    stoppedId = run.tasks![0]!.taskArn!.split('/').pop()!;
    await ecs.send(new StopTaskCommand({ cluster: names.cluster, task: run.tasks![0]!.taskArn!, reason: 'Essential container in task exited' }));
    ecs.destroy();

    const vpc = await new EC2Client(cfg).send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
    await new ElasticLoadBalancingV2Client(cfg).send(new CreateTargetGroupCommand({ Name: names.targetGroup, Protocol: 'HTTP', Port: 5000, VpcId: vpc.Vpc!.VpcId!, TargetType: 'ip' }));

    const sns = new SNSClient(cfg);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: names.topic }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
    await new CloudWatchClient(cfg).send(
      new PutMetricAlarmCommand({ AlarmName: names.alarm, MetricName: 'CPUUtilization', Namespace: 'AWS/ECS', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 85, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [topicArn] }),
    );

    const logs = new CloudWatchLogsClient(cfg);
    await logs.send(new CreateLogGroupCommand({ logGroupName: names.logGroup }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: names.logGroup, logStreamName: logStreamOf(stoppedId) }));
    const now = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: names.logGroup, logStreamName: logStreamOf(stoppedId), logEvents: [1, 2, 3].map((i) => ({ timestamp: now - 3000 + i, message: `line ${i}` })) }));
    reads = createEcosystemReads({ endpointUrl: moto.endpoint, region: 'us-east-1' });
  });
  after(async () => {
    reads?.close();
    await moto?.stop();
    process.env = saved;
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('the service, its running and stopped tasks with the reason moto recorded', async () => {
    const ref = { cluster: names.cluster, service: names.service };
    const svc = await reads.ecs.service(ref);
    assert.ok(svc);
    assert.equal(svc.name, names.service);
    assert.equal(svc.desired, 1);
    assert.ok(svc.deployments.length >= 1);
    // moto's ListTasks filters by desiredStatus; its serviceName filter only matches tasks startedBy the service,
    // so ask the cluster-level DescribeTasks for the ones RunTask made.
    const [stopped] = await reads.ecs.describeTasks(names.cluster, [stoppedId]);
    assert.equal(stopped?.id, stoppedId);
    assert.equal(stopped?.desiredStatus, 'STOPPED');
    assert.equal(stopped?.stoppedReason, 'Essential container in task exited');
    assert.equal(await reads.ecs.service({ cluster: 'no-such-cluster', service: 'x' }), undefined);
  });

  test('target health: the group exists and has no targets; a missing group is undefined', async () => {
    assert.deepEqual(await reads.targets.targets(names.targetGroup), []);
    assert.equal(await reads.targets.targets('no-such-tg'), undefined);
  });

  test('the alarm: described, set to ALARM and back to OK (moto 5.2 has no DescribeAlarmHistory: each state is read back)', async () => {
    const alarm = await reads.alarms.describe(names.alarm);
    assert.deepEqual(alarm?.actions, [topicArn]);
    await reads.alarms.setState(names.alarm, 'ALARM', 'hello-deploy alarm test');
    assert.equal((await reads.alarms.describe(names.alarm))?.state, 'ALARM');
    await reads.alarms.setState(names.alarm, 'OK', 'hello-deploy alarm test done');
    assert.equal((await reads.alarms.describe(names.alarm))?.state, 'OK');
    assert.equal((await reads.alarms.describe(names.alarm))?.reason, 'hello-deploy alarm test done');
    assert.equal(await reads.alarms.describe('no-such-alarm'), undefined);
  });

  test('an e-mail subscription is PendingConfirmation until confirmed; a missing topic is undefined', async () => {
    const subs = await reads.subscriptions.list(topicArn);
    assert.equal(subs?.length, 1);
    assert.equal(subs![0]!.endpoint, 'ops@example.com');
    assert.equal(subs![0]!.protocol, 'email');
    // moto confirms e-mail subscriptions at once (AWS does not); the port reports whichever it is.
    assert.equal(subs![0]!.pending, subs![0]!.arn === 'PendingConfirmation');
    assert.equal(await reads.subscriptions.list(topicArn.replace(names.topic, 'nope')), undefined);
  });

  test('logs: the group events (moto ignores logStreamNamePrefix: one stream here), the tail of one stream, and nothing for missing ones', async () => {
    const got = await reads.logs.events(names.logGroup, { startMs: Date.now() - 60_000, streamPrefix: 'hello-world/' });
    assert.deepEqual(got?.events.map((e) => e.message), ['line 1', 'line 2', 'line 3']);
    assert.equal(got?.events[0]?.stream, logStreamOf(stoppedId));
    const tail = await reads.logs.tail(names.logGroup, logStreamOf(stoppedId), 2);
    assert.deepEqual(tail.map((e) => e.message), ['line 2', 'line 3']);
    assert.equal(await reads.logs.events('/ecs/none', { startMs: 0 }), undefined);
    assert.deepEqual(await reads.logs.tail(names.logGroup, 'no/such/stream', 5), []);
  });
});
