// `hello-deploy alarm test` through the built CLI on moto. moto's CloudFormation skips AWS::CloudWatch::Alarm and
// AWS::SNS::Subscription (issue 14), so the set-up makes what a deploy makes on AWS: the alarm (PutMetricAlarm,
// named as the template names it, its action the topic) and the topic with an e-mail subscription. moto has no
// DescribeAlarmHistory: a recording proxy in front of it (test/support/recording-proxy.ts) shows the states set,
// in order, and DescribeAlarms the state the alarm is left in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { SNSClient, CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { motoClientConfig } from './support/stacks.ts';
import { runCli, type CliRun } from './support/cli.ts';
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.ts';
import { resourceNames } from '../cli/domain/names.ts';

const ECO = 'at-e2e';
let moto: Moto;
let proxy: RecordingProxy;
let topicArn = '';

before(async () => {
  moto = await startMoto();
  proxy = await startRecordingProxy(moto.port);
  const names = resourceNames(ECO);
  const sns = new SNSClient(motoClientConfig(moto.endpoint));
  topicArn = (await sns.send(new CreateTopicCommand({ Name: names.topic }))).TopicArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
  await new CloudWatchClient(motoClientConfig(moto.endpoint)).send(
    new PutMetricAlarmCommand({ AlarmName: names.alarm, Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 90, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [topicArn] }),
  );
});
after(async () => {
  await proxy?.close();
  await moto?.stop();
});

const alarmTest = (eco: string, extra: string[] = []) => runCli(['alarm', 'test', '--ecosystem', eco, '--endpoint-url', proxy.endpoint, ...extra], { env: { ...FAKE_AWS_ENV }, timeout: 60_000 });
const last = (r: CliRun) => r.events[r.events.length - 1] as unknown as Record<string, unknown> & { ok: boolean; error?: { code: string; message: string; hint?: string } };
const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`;
const statesSet = () => proxy.recorded.filter((r) => r.target.endsWith('.SetAlarmState')).map((r) => JSON.parse(r.body) as { AlarmName: string; StateValue: string; StateReason: string });

test('alarm test --json: ALARM then OK on the ecosystem\'s alarm, the topic\'s e-mail named, and the emulator said to send nothing', async () => {
  proxy.recorded.length = 0;
  const r = await alarmTest(ECO, ['--json']);
  assert.equal(r.exitCode, 0, explain(r));
  const alarm = resourceNames(ECO).alarm;
  assert.deepEqual(statesSet().map((s) => `${s.AlarmName} ${s.StateValue} ${s.StateReason}`), [`${alarm} ALARM hello-deploy alarm test`, `${alarm} OK hello-deploy alarm test: back to OK`]);
  const result = last(r) as unknown as { ok: boolean; alarm: string; states: string[]; topics: string[]; recipients: string[]; unconfirmed: string[]; emulator?: string };
  assert.equal(result.ok, true);
  assert.deepEqual(result.states, ['ALARM', 'OK']);
  assert.deepEqual(result.topics, [topicArn]);
  // However moto reports the subscription (confirmed, or PendingConfirmation as AWS does), the address is named once.
  assert.deepEqual([...result.recipients, ...result.unconfirmed], ['ops@example.com']);
  if (result.unconfirmed.length) assert.ok(r.events.some((e) => e.type === 'warn' && /ops@example\.com" is not confirmed yet: open the message from AWS Notifications/.test(String(e.message))), explain(r));
  assert.match(result.emulator ?? '', /emulator: it records the states but sends no e-mail/);
  const after = (await new CloudWatchClient(motoClientConfig(moto.endpoint)).send(new DescribeAlarmsCommand({ AlarmNames: [alarm] }))).MetricAlarms?.[0];
  assert.equal(after?.StateValue, 'OK');
});

test('plain lines: the outcome, where the e-mail goes and when', async () => {
  const r = await alarmTest(ECO);
  assert.equal(r.exitCode, 0, explain(r));
  assert.match(r.stdout, /✔ at-e2e-hello-world-cpu-high went to ALARM and back to OK\./);
  assert.match(r.stdout + r.stderr, /ops@example\.com/);
});

test('an ecosystem with no alarm: exit 1 ALARM_NOT_FOUND, saying an emulator does not create it, and no state set', async () => {
  proxy.recorded.length = 0;
  const r = await alarmTest('at-none', ['--json']);
  assert.equal(r.exitCode, 1, explain(r));
  assert.equal(last(r).error?.code, 'ALARM_NOT_FOUND');
  assert.match(last(r).error!.hint!, /do not create AWS::CloudWatch::Alarm/);
  assert.deepEqual(statesSet(), []);
});

test('a bad --ecosystem: exit 2 and nothing sent', async () => {
  proxy.recorded.length = 0;
  const r = await alarmTest('Bad_Name', ['--json']);
  assert.equal(r.exitCode, 2, explain(r));
  assert.equal(last(r).error?.code, 'BAD_INPUT');
  assert.equal(proxy.recorded.length, 0);
});
