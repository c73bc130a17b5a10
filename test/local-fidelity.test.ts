// The rehearsal's pure parts on the real templates: the fidelity marks, the ECS service comparison, and how the
// task definition says the container runs. Emulator rows are shaped like moto 5.2's real answers (measured).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseCfnYaml } from '../cli/domain/cfn-yaml.ts';
import { inspectStack, markStack, serviceGaps, serviceLookup } from '../cli/rehearsal/fidelity.ts';
import { localRunSpec, matcherAccepts, resolveValue } from '../cli/rehearsal/task-spec.ts';
import type { EmulatedResource, EmulatorInspector, ServiceLookup } from '../cli/ports/rehearsal.ts';
import { readTemplate } from './support/stacks.ts';
import { withoutDomain } from './support/template-stacks.ts';
import { conditionValues } from '../cli/domain/cfn-conditions.ts';

const infra = parseCfnYaml(readTemplate('hello-world-infra.yaml'));
// The resources of a rehearsal without --domain: the certificate and the alias record are conditioned out.
const ids = Object.keys(withoutDomain(infra));
const complete = (logicalId: string): EmulatedResource => ({ logicalId, resourceType: infra.Resources[logicalId]!.Type, physicalId: `phys-${logicalId}`, status: 'CREATE_COMPLETE' });
const anonymous: EmulatedResource = { logicalId: '', resourceType: '', physicalId: '', status: 'CREATE_COMPLETE' };

describe('markStack', () => {
  test('a resource DescribeStackResources does not name is "not emulated"; named, completed ones are "created"', () => {
    const skipped = ids.filter((id) => /Alarm$|Subscription$|Scal/.test(infra.Resources[id]!.Type));
    const rows = [...ids.filter((id) => !skipped.includes(id)).map(complete), ...skipped.map(() => anonymous)];
    const marks = markStack({ stack: 's', template: infra, deployed: true, validated: true, emulated: rows });
    assert.equal(marks.length, ids.length);
    assert.deepEqual(marks.filter((m) => m.mark === 'not-emulated').map((m) => m.logicalId).sort(), [...skipped].sort());
    assert.equal(marks.filter((m) => m.mark === 'created').length, ids.length - skipped.length);
    assert.match(marks.find((m) => m.mark === 'not-emulated')!.detail!, /4 unnamed row/);
  });

  test('gaps make a created resource "partial", with the gap in words', () => {
    const marks = markStack({ stack: 's', template: infra, deployed: true, validated: true, emulated: ids.map(complete), gaps: { Service: ['loadBalancers empty (the template wires 1 target group)'] } });
    const svc = marks.find((m) => m.logicalId === 'Service')!;
    assert.equal(svc.mark, 'partial');
    assert.match(svc.detail!, /^partially emulated: loadBalancers empty/);
  });

  test('never a created mark for a stack this run did not deploy, even if the emulator holds an old copy', () => {
    const marks = markStack({ stack: 's', template: infra, deployed: false, validated: true, emulated: ids.map(complete) });
    assert.ok(marks.every((m) => m.mark === 'static-only'), JSON.stringify(marks[0]));
    const unvalidated = markStack({ stack: 's', template: infra, deployed: false, validated: false });
    assert.ok(unvalidated.every((m) => m.mark === 'not-checked'));
  });

  test('a resource the emulator reports failed is not created', () => {
    const rows = ids.map(complete).map((r) => (r.logicalId === 'VPC' ? { ...r, status: 'CREATE_FAILED' } : r));
    const vpc = markStack({ stack: 's', template: infra, deployed: true, validated: true, emulated: rows }).find((m) => m.logicalId === 'VPC')!;
    assert.equal(vpc.mark, 'static-only');
    assert.match(vpc.detail!, /CREATE_FAILED/);
  });
});

describe('serviceGaps', () => {
  const props = infra.Resources['Service']!.Properties!;
  test("moto 5.2's DescribeServices answer (measured) drops the load balancer wiring, the network and more", () => {
    const moto = { serviceName: 'x', loadBalancers: [], networkConfiguration: {}, launchType: 'EC2', propagateTags: 'NONE', desiredCount: 0 };
    const gaps = serviceGaps(props, moto);
    // The template gives no DesiredCount (autoscaling owns it): AWS starts 1 task, moto 0.
    assert.ok(gaps.includes('desiredCount 0 (AWS starts 1 when the template gives no DesiredCount)'), gaps.join('\n'));
    assert.ok(gaps.includes('loadBalancers empty (the template wires 1 target group)'), gaps.join('\n'));
    assert.ok(gaps.some((g) => g.startsWith('networkConfiguration empty')));
    assert.ok(gaps.some((g) => g.startsWith('launchType "EC2"')));
    assert.ok(gaps.includes('deployment circuit breaker not kept'));
  });

  test('a service that keeps everything has no gaps', () => {
    const faithful = {
      loadBalancers: [{ containerName: 'hello-world', containerPort: 5000, targetGroupArn: 'arn:tg' }],
      networkConfiguration: { awsvpcConfiguration: { subnets: ['a', 'b'] } },
      launchType: 'FARGATE',
      desiredCount: 1,
      propagateTags: 'SERVICE',
      healthCheckGracePeriodSeconds: 60,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    };
    assert.deepEqual(serviceGaps(props, faithful), []);
  });

  test('no service at all is a gap', () => {
    assert.deepEqual(serviceGaps(props, undefined), ['ECS DescribeServices does not know the service']);
  });
});

describe('service lookups (the resources DescribeStackResources alone does not prove)', () => {
  // Physical IDs as each type's Ref returns them (and as the moto launcher answers, measured).
  const rows: EmulatedResource[] = ids.map(complete).map((r) => {
    const phys: Record<string, string> = {
      AlarmTopic: 'arn:aws:sns:us-east-1:123456789012:e-hello-world-alarms',
      AlarmEmailSubscription: 'arn:aws:sns:us-east-1:123456789012:e-hello-world-alarms:1f0c',
      ScalableTarget: 'service/e-cluster/e-svc|ecs:service:DesiredCount|ecs',
      CpuScalingPolicy: 'arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:ab:resource/ecs/service/e-cluster/e-svc:policyName/e-hello-world-cpu-target',
      CpuHighAlarm: 'e-hello-world-cpu-high',
    };
    return phys[r.logicalId] ? { ...r, physicalId: phys[r.logicalId]! } : r;
  });
  const row = (id: string) => rows.find((r) => r.logicalId === id)!;

  test('each of the four types names its API and what to ask it, from its physical ID and properties', () => {
    assert.deepEqual(serviceLookup(infra.Resources['CpuHighAlarm']!, row('CpuHighAlarm'), rows), { api: 'DescribeAlarms', alarmName: 'e-hello-world-cpu-high' });
    assert.deepEqual(serviceLookup(infra.Resources['AlarmEmailSubscription']!, row('AlarmEmailSubscription'), rows), {
      api: 'ListSubscriptionsByTopic', topicArn: row('AlarmTopic').physicalId, subscriptionArn: row('AlarmEmailSubscription').physicalId, protocol: 'email',
    });
    assert.deepEqual(serviceLookup(infra.Resources['ScalableTarget']!, row('ScalableTarget'), rows), { api: 'DescribeScalableTargets', serviceNamespace: 'ecs', resourceId: 'service/e-cluster/e-svc', scalableDimension: 'ecs:service:DesiredCount' });
    assert.deepEqual(serviceLookup(infra.Resources['CpuScalingPolicy']!, row('CpuScalingPolicy'), rows), { api: 'DescribeScalingPolicies', serviceNamespace: 'ecs', policyArn: row('CpuScalingPolicy').physicalId });
    assert.equal(serviceLookup(infra.Resources['VPC']!, row('VPC'), rows), undefined, 'DescribeStackResources is proof enough for the rest');
    assert.match(String(serviceLookup(infra.Resources['ScalableTarget']!, { ...row('ScalableTarget'), physicalId: 'odd' }, rows)), /not ResourceId\|ScalableDimension\|ServiceNamespace/);
  });

  test('a resource its API does not know is "not emulated" though the stack lists it; one it knows is created, with what the API said', async () => {
    const asked: ServiceLookup[] = [];
    const inspector: EmulatorInspector = {
      stackResources: async () => rows,
      describeService: async () => undefined,
      lookup: async (q) => {
        asked.push(q);
        return q.api === 'DescribeAlarms' ? { found: false, note: 'DescribeAlarms does not know the alarm e-hello-world-cpu-high' } : { found: true, note: `${q.api}: ok` };
      },
      close: () => undefined,
    };
    const facts = await inspectStack(inspector, infra, rows);
    assert.deepEqual(asked.map((q) => q.api).sort(), ['DescribeAlarms', 'DescribeScalableTargets', 'DescribeScalingPolicies', 'ListSubscriptionsByTopic']);
    assert.deepEqual(facts.gaps, { Service: ['ECS DescribeServices does not know the service'] });
    const marks = markStack({ stack: 's', template: infra, deployed: true, validated: true, emulated: rows, ...facts });
    const alarm = marks.find((m) => m.logicalId === 'CpuHighAlarm')!;
    assert.equal(alarm.mark, 'not-emulated');
    assert.equal(alarm.detail, 'DescribeStackResources lists it CREATE_COMPLETE, but DescribeAlarms does not know the alarm e-hello-world-cpu-high');
    assert.deepEqual(marks.find((m) => m.logicalId === 'ScalableTarget'), { stack: 's', logicalId: 'ScalableTarget', resourceType: 'AWS::ApplicationAutoScaling::ScalableTarget', mark: 'created', detail: 'DescribeScalableTargets: ok' });
    const unasked = markStack({ stack: 's', template: infra, deployed: true, validated: true, emulated: rows, seen: { CpuHighAlarm: 'it could not be asked' } });
    assert.equal(unasked.find((m) => m.logicalId === 'CpuHighAlarm')!.mark, 'static-only');
    // An API the emulator fails is not a crash of the report: the resource is unproven, with the error.
    const failing = await inspectStack({ ...inspector, lookup: async () => { throw new Error('HTTP 501'); } }, infra, rows);
    const failed = markStack({ stack: 's', template: infra, deployed: true, validated: true, emulated: rows, ...failing }).find((m) => m.logicalId === 'CpuScalingPolicy')!;
    assert.equal(failed.mark, 'static-only');
    assert.match(failed.detail!, /^DescribeStackResources lists it CREATE_COMPLETE, but DescribeScalingPolicies failed \(HTTP 501\); checked by ValidateTemplate and cfn-lint only$/);
  });
});

describe('localRunSpec', () => {
  test('reads port, environment, task size and the target group health check from the infra template', () => {
    const spec = localRunSpec(infra, { Ecosystem: 'main', ImageId: 'r/x:1' });
    assert.equal(spec.containerName, 'hello-world');
    assert.equal(spec.containerPort, 5000);
    assert.deepEqual(spec.environment, { PORT: '5000' });
    assert.equal(spec.cpuUnits, 256);
    assert.equal(spec.memoryMiB, 512);
    assert.deepEqual(spec.health, { protocol: 'HTTPS', path: '/health', matcher: '200' });
    assert.ok(spec.notes.some((n) => /awslogs/.test(n)));
    // The container definition's HealthCheck, which ECS runs instead of the image's HEALTHCHECK.
    assert.deepEqual(spec.healthCheck, { command: ['CMD', '/opt/venv/bin/python', '/app/healthcheck.py'], intervalS: 15, timeoutS: 5, retries: 3, startPeriodS: 10 });
  });

  test('Refs and Subs resolve from parameters and pseudo parameters; unknown ones do not resolve', () => {
    assert.equal(resolveValue({ 'Fn::Sub': '${Ecosystem}-x-${AWS::Region}' }, infra, { Ecosystem: 'e' }), 'e-x-us-east-1');
    assert.equal(resolveValue({ Ref: 'MaxTasks' }, infra, {}), '4');
    assert.equal(resolveValue({ 'Fn::GetAtt': ['A', 'B'] }, infra, {}), undefined);
    assert.equal(resolveValue({ 'Fn::Sub': '${LoadBalancer.DNSName}' }, infra, {}), undefined);
  });

  test('matchers: single codes, lists and ranges', () => {
    assert.ok(matcherAccepts('200', 200));
    assert.ok(!matcherAccepts('200', 204));
    assert.ok(matcherAccepts('200,204', 204));
    assert.ok(matcherAccepts('200-299', 250));
    assert.ok(!matcherAccepts('200-299', 301));
  });
});

describe('the --domain resources (issue 16)', () => {
  test('conditionValues: the template defaults give no domain; DomainName alone HasDomain; both HasZone', () => {
    assert.deepEqual(conditionValues(infra), { HasDomain: false, HasZone: false });
    assert.deepEqual(conditionValues(infra, { DomainName: 'hello.example.com' }), { HasDomain: true, HasZone: false });
    assert.deepEqual(conditionValues(infra, { DomainName: 'hello.example.com', HostedZoneId: 'Z1' }), { HasDomain: true, HasZone: true });
    assert.deepEqual(conditionValues({ Resources: {}, Conditions: { C: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'x'] } } }), { C: undefined }, 'undecidable stays undefined');
  });

  test('markStack leaves out a resource whose Condition is false, and marks it when the parameters make it hold', () => {
    const without = markStack({ stack: 's', template: infra, deployed: true, validated: true, emulated: ids.map(complete) });
    assert.deepEqual(without.map((m) => m.logicalId).sort(), [...ids].sort());
    const all = Object.keys(infra.Resources);
    const withZone = markStack({ stack: 's', template: infra, deployed: true, validated: true, emulated: all.map(complete), parameters: { DomainName: 'hello.example.com', HostedZoneId: 'Z1' } });
    assert.equal(withZone.find((m) => m.logicalId === 'DomainCertificate')?.mark, 'created');
    assert.equal(withZone.find((m) => m.logicalId === 'DomainRecord')?.mark, 'created');
    const domainOnly = markStack({ stack: 's', template: infra, deployed: true, validated: true, emulated: ids.map(complete), parameters: { DomainName: 'hello.example.com' } });
    assert.equal(domainOnly.find((m) => m.logicalId === 'DomainCertificate')?.mark, 'not-emulated');
    assert.equal(domainOnly.find((m) => m.logicalId === 'DomainRecord'), undefined);
  });
});
