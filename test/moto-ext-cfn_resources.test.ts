// The moto launcher's cfn_resources extension (localstack/moto_ext/cfn_resources.py): the four resource types of the
// infra template that plain moto skips (the alarm, the e-mail subscription, the scalable target and its scaling
// policy) are created by CloudFormation through moto's own backends, so the usual APIs see them, with what AWS
// documents for each (cited at each test), and deleting the stack removes them. The real templates are deployed with
// CreateStack, as the tool does; a plain moto beside it pins that the extension is what makes the difference.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { ACMClient, ImportCertificateCommand } from '@aws-sdk/client-acm';
import { DeleteStackCommand, UpdateStackCommand, type CloudFormationClient, type StackResource } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand, ListTagsForResourceCommand, SetAlarmStateCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { resourceNames } from '../cli/domain/names.ts';
import { parseCfnYaml } from '../cli/domain/cfn-yaml.ts';
import { autoscaling, leftoverChecks } from './support/leftovers.ts';
import { startMoto, type Moto } from './support/moto.ts';
import { cfnClient, createStackAndWait, motoClientConfig, readTemplate, stackResources, waitForTerminal, type StackResult } from './support/stacks.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { withoutDomain } from './support/template-stacks.ts';

const ECR_TEMPLATE = readTemplate('hello-world-ecr-infra.yaml');
const INFRA_TEMPLATE = readTemplate('hello-world-infra.yaml');
// The resources of a deploy without --domain (the certificate and the alias record are the domain variant's).
const TEMPLATE_RESOURCES = Object.keys(withoutDomain(parseCfnYaml(INFRA_TEMPLATE))).length;
const CONDITIONED_OUT = Object.keys(parseCfnYaml(INFRA_TEMPLATE).Resources).length - TEMPLATE_RESOURCES;
const EMAIL = 'ops@example.com';
const FOUR = {
  CpuHighAlarm: 'AWS::CloudWatch::Alarm',
  AlarmEmailSubscription: 'AWS::SNS::Subscription',
  ScalableTarget: 'AWS::ApplicationAutoScaling::ScalableTarget',
  CpuScalingPolicy: 'AWS::ApplicationAutoScaling::ScalingPolicy',
} as const;

let cert: TestCert;
before(() => {
  cert = makeTestCert('hello-deploy.test');
});
after(() => {
  if (cert) rmSync(cert.dir, { recursive: true, force: true });
});

/** The ECR stack, then the infra stack fed by its URI, as the tool deploys one ecosystem. */
async function deploy(moto: Moto, cfn: CloudFormationClient, eco: string, over: Record<string, string> = {}): Promise<{ infra: StackResult; params: Record<string, string> }> {
  const acm = new ACMClient(motoClientConfig(moto.endpoint));
  const certArn = (await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(cert.certPem), PrivateKey: Buffer.from(cert.keyPem) }))).CertificateArn ?? '';
  acm.destroy();
  const ecr = await createStackAndWait(cfn, { stackName: `hello-world-ecr-${eco}`, templateBody: ECR_TEMPLATE, parameters: { Ecosystem: eco } });
  assert.equal(ecr.status, 'CREATE_COMPLETE', ecr.reason);
  const params = { Ecosystem: eco, EmailAddress: EMAIL, ImageId: `${ecr.outputs.RepositoryUri}:test`, SSLCert: certArn, ...over };
  const infra = await createStackAndWait(cfn, { stackName: `hello-world-infra-${eco}`, templateBody: INFRA_TEMPLATE, parameters: params, capabilities: ['CAPABILITY_IAM'] });
  return { infra, params };
}

const alarmNamed = async (cw: CloudWatchClient, name: string): Promise<MetricAlarm | undefined> =>
  (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0];

describe('on the launcher: the four resources moto skips are created, updated and deleted by CloudFormation', () => {
  const eco = 'ext';
  const n = resourceNames(eco);
  const ecsService = `service/${n.cluster}/${n.service}`;
  let moto: Moto;
  let cfn: CloudFormationClient;
  let cw: CloudWatchClient;
  let sns: SNSClient;
  let made: { infra: StackResult; params: Record<string, string> };
  let rows: StackResource[];
  const row = (id: string) => rows.find((r) => r.LogicalResourceId === id);

  before(async () => {
    moto = await startMoto({ launcher: true });
    cfn = cfnClient(moto.endpoint);
    cw = new CloudWatchClient(motoClientConfig(moto.endpoint));
    sns = new SNSClient(motoClientConfig(moto.endpoint));
    made = await deploy(moto, cfn, eco);
    rows = await stackResources(cfn, `hello-world-infra-${eco}`);
  });
  after(async () => {
    cfn?.destroy();
    cw?.destroy();
    sns?.destroy();
    await moto?.stop();
  });

  test('the stack completes and DescribeStackResources lists all four by logical id, type and physical id', () => {
    assert.equal(made.infra.status, 'CREATE_COMPLETE', made.infra.reason);
    for (const [id, type] of Object.entries(FOUR)) {
      const r = row(id);
      assert.ok(r, `${id} not listed`);
      assert.equal(r.ResourceType, type);
      assert.equal(r.ResourceStatus, 'CREATE_COMPLETE');
      assert.ok(r.PhysicalResourceId, `${id} has no physical id`);
    }
    // Every template resource is a real row now: none of plain moto's anonymous ones.
    assert.equal(rows.length, TEMPLATE_RESOURCES);
    assert.deepEqual(rows.filter((r) => !r.LogicalResourceId), []);
  });

  // AWS::CloudWatch::Alarm (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-alarm.html):
  // Ref is the alarm name; a new alarm starts INSUFFICIENT_DATA; an update leaves the state as it was.
  test('DescribeAlarms: the template\'s alarm, with its metric math, threshold, actions and tag; Ref is its name', async () => {
    const a = await alarmNamed(cw, n.alarm);
    assert.ok(a, `no alarm ${n.alarm}`);
    assert.equal(row('CpuHighAlarm')?.PhysicalResourceId, n.alarm);
    assert.equal(a.Threshold, 85);
    assert.equal(a.ComparisonOperator, 'GreaterThanThreshold');
    assert.equal(a.EvaluationPeriods, 5);
    assert.equal(a.DatapointsToAlarm, 5);
    assert.equal(a.TreatMissingData, 'notBreaching');
    assert.deepEqual(a.AlarmActions, [made.infra.outputs.AlarmTopicArn]);
    assert.deepEqual(a.OKActions ?? [], []);
    assert.equal(a.StateValue, 'INSUFFICIENT_DATA');
    assert.match(a.AlarmDescription ?? '', /at MaxTasks \(4 tasks\)/);
    const m = Object.fromEntries((a.Metrics ?? []).map((q) => [q.Id, q]));
    assert.deepEqual(Object.keys(m).sort(), ['cpu', 'saturated', 'tasks']);
    assert.equal(m.saturated?.Expression, 'IF(tasks >= 4, cpu, 0)');
    assert.equal(m.saturated?.ReturnData, true);
    assert.equal(m.cpu?.ReturnData, false);
    assert.equal(m.cpu?.MetricStat?.Metric?.Namespace, 'AWS/ECS');
    assert.equal(m.cpu?.MetricStat?.Metric?.MetricName, 'CPUUtilization');
    assert.equal(m.cpu?.MetricStat?.Stat, 'Average');
    assert.equal(m.cpu?.MetricStat?.Period, 60);
    assert.equal(m.tasks?.MetricStat?.Metric?.Namespace, 'ECS/ContainerInsights');
    assert.equal(m.tasks?.MetricStat?.Stat, 'Minimum');
    for (const q of [m.cpu, m.tasks]) {
      assert.deepEqual(q?.MetricStat?.Metric?.Dimensions, [{ Name: 'ClusterName', Value: n.cluster }, { Name: 'ServiceName', Value: n.service }]);
    }
    const tags = (await cw.send(new ListTagsForResourceCommand({ ResourceARN: a.AlarmArn }))).Tags ?? [];
    assert.equal(tags.find((t) => t.Key === 'Ecosystem')?.Value, eco);
  });

  // AWS::SNS::Subscription (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-subscription.html)
  // and Subscribe (https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html): an e-mail endpoint must confirm
  // first; until then ListSubscriptionsByTopic shows the ARN as "PendingConfirmation"
  // (https://docs.aws.amazon.com/sns/latest/api/API_Subscription.html). Ref is the subscription's own ARN.
  test('ListSubscriptionsByTopic: the e-mail subscription is PendingConfirmation; its attributes say so too', async () => {
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: made.infra.outputs.AlarmTopicArn }))).Subscriptions ?? [];
    assert.equal(subs.length, 1);
    assert.equal(subs[0]?.Protocol, 'email');
    assert.equal(subs[0]?.Endpoint, EMAIL);
    assert.equal(subs[0]?.SubscriptionArn, 'PendingConfirmation');
    const arn = row('AlarmEmailSubscription')?.PhysicalResourceId ?? '';
    assert.ok(arn.startsWith(`${made.infra.outputs.AlarmTopicArn}:`), arn);
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))).Attributes ?? {};
    assert.equal(attrs.PendingConfirmation, 'true');
  });

  // AWS::ApplicationAutoScaling::ScalableTarget / ::ScalingPolicy (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-applicationautoscaling-scalabletarget.html,
  // .../aws-resource-applicationautoscaling-scalingpolicy.html): the target's Ref is "resourceId|dimension|namespace",
  // the policy's its ARN. AWS creates the target-tracking alarms for the policy itself (TargetTracking-<resource>-…).
  test('DescribeScalableTargets / DescribeScalingPolicies: 1 to MaxTasks tasks, CPU target tracking at 70%', async () => {
    const targets = (await autoscaling(moto.endpoint, 'DescribeScalableTargets', { ServiceNamespace: 'ecs' })).ScalableTargets as Record<string, unknown>[];
    assert.equal(targets.length, 1);
    assert.deepEqual([targets[0]?.ResourceId, targets[0]?.ScalableDimension, targets[0]?.MinCapacity, targets[0]?.MaxCapacity], [ecsService, 'ecs:service:DesiredCount', 1, 4]);
    assert.equal(row('ScalableTarget')?.PhysicalResourceId, `${ecsService}|ecs:service:DesiredCount|ecs`);
    const policies = (await autoscaling(moto.endpoint, 'DescribeScalingPolicies', { ServiceNamespace: 'ecs', ResourceId: ecsService })).ScalingPolicies as Record<string, unknown>[];
    assert.equal(policies.length, 1);
    const p = policies[0] as { PolicyName: string; PolicyARN: string; PolicyType: string; TargetTrackingScalingPolicyConfiguration: Record<string, unknown> };
    assert.equal(p.PolicyName, `${eco}-hello-world-cpu-target`);
    assert.equal(p.PolicyType, 'TargetTrackingScaling');
    assert.equal(p.PolicyARN, row('CpuScalingPolicy')?.PhysicalResourceId);
    assert.deepEqual(p.TargetTrackingScalingPolicyConfiguration, {
      PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, TargetValue: 70, ScaleOutCooldown: 60, ScaleInCooldown: 120,
    });
    const tracking = ((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: `TargetTracking-${ecsService}-` }))).MetricAlarms ?? []).length;
    assert.equal(tracking, 2, 'the policy\'s high and low alarms');
  });

  // A changed resource is updated in place: the alarm is put again from its new properties and keeps its state.
  // (The template's threshold is changed too: moto re-evaluates a resource on a parameter change only when the
  // parameter is a plain Ref, and the alarm uses MaxTasks inside Fn::Sub; the scalable target Refs it.)
  test('UpdateStack with MaxTasks 6 and threshold 90: the target and the alarm follow; the alarm keeps its state', async () => {
    await cw.send(new SetAlarmStateCommand({ AlarmName: n.alarm, StateValue: 'ALARM', StateReason: 'set by the test' }));
    const changed = INFRA_TEMPLATE.replace(/^ {6}Threshold: 85$/m, '      Threshold: 90');
    assert.notEqual(changed, INFRA_TEMPLATE, 'the threshold is where this test expects it');
    await cfn.send(new UpdateStackCommand({
      StackName: `hello-world-infra-${eco}`, TemplateBody: changed, Capabilities: ['CAPABILITY_IAM'],
      Parameters: Object.entries({ ...made.params, MaxTasks: '6' }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }));
    const updated = await waitForTerminal(cfn, `hello-world-infra-${eco}`);
    assert.equal(updated.StackStatus, 'UPDATE_COMPLETE', updated.StackStatusReason);
    const targets = (await autoscaling(moto.endpoint, 'DescribeScalableTargets', { ServiceNamespace: 'ecs' })).ScalableTargets as Record<string, unknown>[];
    assert.deepEqual(targets.map((t) => t.MaxCapacity), [6]);
    const a = await alarmNamed(cw, n.alarm);
    assert.equal(a?.Threshold, 90);
    assert.equal(a?.Metrics?.find((q) => q.Id === 'saturated')?.Expression, 'IF(tasks >= 6, cpu, 0)');
    assert.equal(a?.StateValue, 'ALARM');
    assert.equal(((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).filter((x) => x.AlarmName === n.alarm).length, 1);
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: made.infra.outputs.AlarmTopicArn }))).Subscriptions ?? [];
    assert.deepEqual(subs.map((s) => s.SubscriptionArn), ['PendingConfirmation'], 'the subscription is untouched');
  });

  // A new Endpoint replaces the subscription ("Update requires: Replacement", on the AWS::SNS::Subscription page):
  // the old address is unsubscribed, the new one is asked to confirm.
  test('UpdateStack with another EmailAddress: the old subscription is gone, the new one is pending', async () => {
    const before = row('AlarmEmailSubscription')?.PhysicalResourceId ?? '';
    await cfn.send(new UpdateStackCommand({
      StackName: `hello-world-infra-${eco}`, UsePreviousTemplate: true, Capabilities: ['CAPABILITY_IAM'],
      Parameters: Object.entries({ ...made.params, MaxTasks: '6', EmailAddress: 'oncall@example.com' }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }));
    const updated = await waitForTerminal(cfn, `hello-world-infra-${eco}`);
    assert.equal(updated.StackStatus, 'UPDATE_COMPLETE', updated.StackStatusReason);
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: made.infra.outputs.AlarmTopicArn }))).Subscriptions ?? [];
    assert.deepEqual(subs.map((s) => [s.Endpoint, s.SubscriptionArn]), [['oncall@example.com', 'PendingConfirmation']]);
    const after = (await stackResources(cfn, `hello-world-infra-${eco}`)).find((r) => r.LogicalResourceId === 'AlarmEmailSubscription')?.PhysicalResourceId;
    assert.ok(after && after !== before, `physical id ${after} after ${before}`);
    await assert.rejects(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: before })), { name: 'NotFoundException' });
  });

  test('DeleteStack removes all four (and the policy\'s own alarms)', async () => {
    const recorded = new Map<string, string[]>();
    for (const r of await stackResources(cfn, `hello-world-infra-${eco}`)) recorded.set(r.ResourceType ?? '', [...(recorded.get(r.ResourceType ?? '') ?? []), r.PhysicalResourceId ?? '']);
    // Plain moto's DeleteStack fails on the VPC (DependencyViolation: it keeps the internet gateway attached) after
    // deleting what it can; the four have no dependants, so they go either way. Another extension fixes the VPC.
    await cfn.send(new DeleteStackCommand({ StackName: `hello-world-infra-${eco}` })).catch((err: Error) => {
      if (!/has dependencies and cannot be deleted/.test(err.message)) throw err;
    });
    const checks = leftoverChecks(moto.endpoint, eco, recorded);
    for (const type of Object.values(FOUR)) assert.deepEqual(await checks[type]!(), [], `${type} left behind`);
    const tracking = (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'TargetTracking-' }))).MetricAlarms ?? [];
    assert.deepEqual(tracking.map((t) => t.AlarmName), []);
  });
});

describe('on plain moto (no launcher): the same deploy leaves them out', () => {
  test('no alarm, no scalable target, and four anonymous rows where the resources should be', async () => {
    const moto = await startMoto();
    const cfn = cfnClient(moto.endpoint);
    const cw = new CloudWatchClient(motoClientConfig(moto.endpoint));
    try {
      const { infra } = await deploy(moto, cfn, 'plain');
      assert.equal(infra.status, 'CREATE_COMPLETE', infra.reason);
      assert.equal(await alarmNamed(cw, resourceNames('plain').alarm), undefined);
      assert.deepEqual((await autoscaling(moto.endpoint, 'DescribeScalableTargets', { ServiceNamespace: 'ecs' })).ScalableTargets, []);
      const rows = await stackResources(cfn, 'hello-world-infra-plain');
      // Plain moto also lists an anonymous row for each resource whose Condition is false (the --domain ones here); the
      // launcher lists neither kind (acm_certificate.py).
      assert.equal(rows.filter((r) => !r.LogicalResourceId).length, Object.keys(FOUR).length + CONDITIONED_OUT);
    } finally {
      cfn.destroy();
      cw.destroy();
      await moto.stop();
    }
  });
});
