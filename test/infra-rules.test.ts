// What moto lets through and AWS does not (issue 12): each defect the templates had is asserted gone here, on the
// parsed templates, with a planted copy of the old defect to show the assertion can fail. The moto halves (what
// the emulator does with the same templates) are in infra-moto.test.ts.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCfnYaml, type CfnTemplate } from '../cli/domain/cfn-yaml.ts';
import { checkParameterValues } from '../cli/domain/template-params.ts';
import { createdAfter, findCycle, referencedNames } from './support/template-graph.ts';
import { alarmFires, type Minute } from './support/alarm-eval.ts';
import { evaluate, readmeRules } from './support/outside-rules.ts';
import { ROOT, venvTool } from './support/paths.ts';

const INFRA_FILE = path.join(ROOT, 'infra', 'hello-world-infra.yaml');
const ECR_FILE = path.join(ROOT, 'infra', 'hello-world-ecr-infra.yaml');
const infraText = readFileSync(INFRA_FILE, 'utf8');
const ecrText = readFileSync(ECR_FILE, 'utf8');
const infra = parseCfnYaml(infraText);
const tmp = mkdtempSync(path.join(tmpdir(), 'hello-deploy-infra-rules-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** cfn-lint's findings (parseable format, one per line) for template texts, each written to a file of its own. */
function lintTexts(texts: Record<string, string>): Record<string, string[]> {
  const files = Object.entries(texts).map(([name, text]) => {
    const file = path.join(tmp, `${name}.yaml`);
    writeFileSync(file, text);
    return [name, file] as const;
  });
  const res = spawnSync(venvTool('cfn-lint'), ['--format', 'parseable', '--', ...files.map(([, f]) => f)], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(res.error, undefined, `cfn-lint did not run: ${String(res.error)}`);
  const lines = res.stdout.split('\n').filter(Boolean);
  return Object.fromEntries(files.map(([name, file]) => [name, lines.filter((l) => l.startsWith(`${file}:`)).map((l) => l.slice(file.length + 1))]));
}

/** A fresh copy to plant an old defect in. */
const copy = (): CfnTemplate => structuredClone(infra);

describe('defect 1: creation (and so deletion) order', () => {
  /** [resource, what it must be created after]: each pair is a race AWS can lose when the edge is missing. */
  const ORDERS: [string, string, string][] = [
    ['LoadBalancer', 'InternetGatewayAttachment', 'an internet-facing ALB needs an attached gateway'],
    ['Service', 'DefaultPublicRoute', 'tasks pull from ECR through the default route'],
    ['Service', 'PublicSubnet1RouteTableAssociation', 'tasks in subnet 1 need its route table'],
    ['Service', 'PublicSubnet2RouteTableAssociation', 'tasks in subnet 2 need its route table'],
    ['Service', 'InternetGatewayAttachment', 'tasks with public IPs need an attached gateway'],
    ['Service', 'HttpsListener', 'ECS registers tasks in a target group only once a listener uses it'],
    ['DefaultPublicRoute', 'InternetGatewayAttachment', 'a route can target the gateway only once it is attached'],
  ];
  const missing = (t: CfnTemplate) => ORDERS.filter(([a, b]) => !createdAfter(t, a).has(b)).map(([a, b, why]) => `${a} after ${b} (${why})`);

  test('every order holds, through Ref, Fn::GetAtt, Fn::Sub and DependsOn', () => {
    assert.deepEqual(missing(infra), []);
  });

  test('the graph has no cycle (CloudFormation would refuse the template)', () => {
    assert.equal(findCycle(infra), undefined);
  });

  test('the template before the fix fails it: no DependsOn on the ALB, only the listener on the service', () => {
    const old = copy();
    delete old.Resources['LoadBalancer']!.DependsOn;
    old.Resources['Service']!.DependsOn = 'HttpsListener';
    assert.deepEqual(missing(old), [
      'LoadBalancer after InternetGatewayAttachment (an internet-facing ALB needs an attached gateway)',
      'Service after DefaultPublicRoute (tasks pull from ECR through the default route)',
      'Service after PublicSubnet1RouteTableAssociation (tasks in subnet 1 need its route table)',
      'Service after PublicSubnet2RouteTableAssociation (tasks in subnet 2 need its route table)',
      'Service after InternetGatewayAttachment (tasks with public IPs need an attached gateway)',
    ]);
  });

  test('the walker reads every reference form: Ref, both GetAtt forms, Sub strings, Sub variables, escapes', () => {
    const names = referencedNames({
      a: { Ref: 'A' },
      b: { 'Fn::GetAtt': ['B', 'Arn'] },
      c: { 'Fn::GetAtt': 'C.Name' },
      d: { 'Fn::Sub': 'x-${D}-${E.Name}-${AWS::Region}-${!Literal}' },
      f: { 'Fn::Sub': ['${Local}-${F}', { Local: { Ref: 'G' } }] },
    });
    assert.deepEqual([...names].sort(), ['A', 'AWS::Region', 'B', 'C', 'D', 'E', 'F', 'G']);
  });

  test('a cycle is found', () => {
    const t = copy();
    t.Resources['VPC']!.DependsOn = 'Service';
    const cycle = findCycle(t);
    assert.ok(cycle && cycle[0] === cycle[cycle.length - 1] && cycle.includes('VPC') && cycle.includes('Service'), String(cycle));
  });
});

describe('defect 6: an ecosystem beginning with internal- is refused at parameter validation', () => {
  // AWS: a load balancer name "must not begin with internal-"; the ALB is "${Ecosystem}-hw-alb".
  const withDefault = (text: string, value: string) => text.replace(/^ {2}Ecosystem:\n/m, `  Ecosystem:\n    Default: ${value}\n`);

  test('cfn-lint evaluates both templates\' pattern as CloudFormation would: internal-api is refused, main is not', () => {
    const found = lintTexts({
      infraInternal: withDefault(infraText, 'internal-api'),
      ecrInternal: withDefault(ecrText, 'internal-api'),
      infraMain: withDefault(infraText, 'main'),
      ecrMain: withDefault(ecrText, 'main'),
    });
    for (const t of ['infraInternal', 'ecrInternal']) {
      assert.equal(found[t]!.length, 1, `${t}: ${found[t]!.join('\n')}`);
      assert.match(found[t]![0]!, /:E2015:Default should be allowed by AllowedPattern/);
    }
    assert.deepEqual(found['infraMain'], []);
    assert.deepEqual(found['ecrMain'], []);
  });

  test('the old pattern let internal-api through (so the test above can fail)', () => {
    const old = infraText.replace("AllowedPattern: '^(?!internal-)", "AllowedPattern: '^");
    assert.notEqual(old, infraText, 'the lookahead is where this test expects it');
    assert.deepEqual(lintTexts({ old: withDefault(old, 'internal-api') }).old, []);
  });

  test('hello-deploy checks the same pattern before any AWS call, with the template\'s own explanation', () => {
    for (const text of [infraText, ecrText]) {
      const [v] = checkParameterValues(text, { Ecosystem: 'internal-api' }, { Ecosystem: '--ecosystem' });
      assert.ok(v, 'internal-api is refused');
      assert.match(v.message, /^--ecosystem "internal-api": Ecosystem must be .*not begin with internal- \(AWS reserves it for load balancer names\)/s);
      assert.deepEqual(checkParameterValues(text, { Ecosystem: 'internals-api' }), []);
    }
  });
});

describe('defect 7: hardening', () => {
  const props = (t: CfnTemplate, id: string) => t.Resources[id]?.Properties ?? {};

  test('the listener uses the strictest documented policy: TLS 1.3 only, post-quantum hybrid key exchange', () => {
    // The policy's existence and protocols are checked against the emulator's copy of AWS's list in infra-moto.
    assert.equal(props(infra, 'HttpsListener')['SslPolicy'], 'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09');
  });

  test('the container has the Dockerfile\'s health check (ECS ignores the image\'s HEALTHCHECK)', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const m = /^HEALTHCHECK ((?:.*\\\n)*.*)$/m.exec(dockerfile);
    assert.ok(m, 'the Dockerfile has a HEALTHCHECK');
    const text = m[1]!.replace(/\\\n/g, ' ');
    const opt = (name: string) => Number(new RegExp(`--${name}=(\\d+)s?`).exec(text)?.[1]);
    const cmd = JSON.parse(/CMD (\[.*\])/.exec(text)?.[1] ?? 'null') as string[];
    const [container] = props(infra, 'TaskDefinition')['ContainerDefinitions'] as Record<string, unknown>[];
    assert.deepEqual(container?.['HealthCheck'], {
      Command: ['CMD', ...cmd],
      Interval: opt('interval'),
      Timeout: opt('timeout'),
      Retries: opt('retries'),
      StartPeriod: opt('start-period'),
    });
  });

  test('container egress is HTTPS only (ECR, S3, CloudWatch Logs), not the default allow-all', () => {
    assert.deepEqual(props(infra, 'ContainerSecurityGroup')['SecurityGroupEgress'], [
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'HTTPS to ECR, S3 (image layers) and CloudWatch Logs' },
    ]);
    // Every security group states its egress: a group without SecurityGroupEgress gets allow-all.
    for (const [id, r] of Object.entries(infra.Resources)) {
      if (r.Type === 'AWS::EC2::SecurityGroup') assert.ok(Array.isArray(r.Properties?.['SecurityGroupEgress']), `${id} has no explicit egress`);
    }
  });

  test('no subnet maps public IPs on launch; the service gives its tasks theirs', () => {
    for (const [id, r] of Object.entries(infra.Resources)) {
      if (r.Type === 'AWS::EC2::Subnet') assert.notEqual(r.Properties?.['MapPublicIpOnLaunch'], true, `${id} maps public IPs`);
    }
    const net = (props(infra, 'Service')['NetworkConfiguration'] as Record<string, Record<string, unknown>>)['AwsvpcConfiguration'];
    assert.equal(net?.['AssignPublicIp'], 'ENABLED');
  });
});

describe('defect 4: autoscaling owns the task count', () => {
  test('the service gives no DesiredCount (AWS: 1 task on create, the count left alone on update); scaling starts at 1', () => {
    assert.equal(infra.Resources['Service']?.Properties?.['DesiredCount'], undefined);
    const st = infra.Resources['ScalableTarget']?.Properties ?? {};
    assert.deepEqual(st['ScalableDimension'], 'ecs:service:DesiredCount');
    assert.equal(st['MinCapacity'], 1, 'autoscaling never takes the service below the one task it starts with');
  });

  test('a service update is what sends the count: each new image replaces the task definition the service names', () => {
    // So with a DesiredCount in the template, every image deploy would reset the count (the old defect).
    assert.ok(createdAfter(infra, 'Service').has('TaskDefinition'));
    assert.ok(referencedNames(infra.Resources['TaskDefinition']!.Properties!).has('ImageId'));
  });
});

describe('defect 5: the alarm mails when scaling is not keeping up, not on every scale-out', () => {
  const alarm = infra.Resources['CpuHighAlarm']!.Properties!;
  const target = (infra.Resources['CpuScalingPolicy']!.Properties!['TargetTrackingScalingPolicyConfiguration'] as Record<string, number>)['TargetValue']!;
  const MAX = '4';
  const minutes = (n: number, m: Minute): Minute[] => Array.from({ length: n }, () => ({ ...m }));
  // What the old alarm was: CPUUtilization > 70 for 3 minutes, with OKActions.
  const oldAlarm = { MetricName: 'CPUUtilization', Threshold: 70, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 3 };

  const SCENARIOS: [string, Minute[], boolean][] = [
    ['an ordinary scale-out: 2 of 4 tasks, CPU 90% while autoscaling adds tasks', minutes(10, { DesiredTaskCount: 2, CPUUtilization: 90 }), false],
    ['at MaxTasks, CPU held near the 70% target', minutes(10, { DesiredTaskCount: 4, CPUUtilization: 75 }), false],
    ['at MaxTasks, CPU 90% for 4 minutes, then 60%', [...minutes(4, { DesiredTaskCount: 4, CPUUtilization: 90 }), { DesiredTaskCount: 4, CPUUtilization: 60 }], false],
    ['at MaxTasks, CPU 90% for 5 minutes: scaling is not keeping up', minutes(5, { DesiredTaskCount: 4, CPUUtilization: 90 }), true],
    ['no Container Insights data: not breaching', minutes(10, { CPUUtilization: 99 }), false],
  ];
  for (const [what, series, fires] of SCENARIOS) {
    test(`${what}: ${fires ? 'mails' : 'no mail'}`, () => {
      assert.equal(alarmFires(alarm, series, { MaxTasks: MAX }), fires);
    });
  }

  test('the old alarm mailed on the ordinary scale-out (so the scenarios above can fail)', () => {
    assert.equal(alarmFires(oldAlarm, SCENARIOS[0]![1]), true);
  });

  test('its CPU line is well above the scaling target, and it needs the service at MaxTasks', () => {
    assert.ok(Number(alarm['Threshold']) >= target + 10, `threshold ${String(alarm['Threshold'])} vs target ${target}`);
    assert.match(JSON.stringify(alarm['Metrics']), /"Expression":\{"Fn::Sub":"IF\(tasks >= \$\{MaxTasks\}, cpu, 0\)"\}/);
    assert.match(JSON.stringify(alarm['Metrics']), /"Namespace":"ECS\/ContainerInsights","MetricName":"DesiredTaskCount"/);
    const insights = infra.Resources['Cluster']!.Properties!['ClusterSettings'];
    assert.deepEqual(insights, [{ Name: 'containerInsights', Value: 'enabled' }], 'DesiredTaskCount needs Container Insights');
  });

  test('one mail per event: AlarmActions to the topic, no OKActions, no InsufficientDataActions', () => {
    assert.deepEqual(alarm['AlarmActions'], [{ Ref: 'AlarmTopic' }]);
    assert.equal(alarm['OKActions'], undefined);
    assert.equal(alarm['InsufficientDataActions'], undefined);
    const alarms = Object.values(infra.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    assert.equal(alarms.length, 1, 'the README says exactly what sends an e-mail: this one alarm');
  });
});

describe('outside rules (checkov and the AWS Guard Rules Registry, by id)', () => {
  const templates = (t: CfnTemplate = infra) => ({ 'hello-world-ecr-infra.yaml': parseCfnYaml(ecrText), 'hello-world-infra.yaml': t });
  const outcomes = evaluate(templates());
  const readme = readmeRules(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));

  test('the pass/fail list (diagnostic), and every rule applies to at least one resource', (t) => {
    for (const o of outcomes) t.diagnostic(`${o.outcome.padEnd(4)} ${o.id} (${o.source}): ${o.title}${o.failing.length ? ` — ${o.failing.join(', ')}` : ''}`);
    assert.deepEqual(outcomes.filter((o) => o.outcome === 'not applicable').map((o) => o.id), []);
  });

  test('every rule that stays failing has a written reason in the README, and the README lists no other', () => {
    const failing = outcomes.filter((o) => o.outcome === 'fail').map((o) => o.id).sort();
    assert.deepEqual([...readme.failing.keys()].sort(), failing);
    for (const [id, why] of readme.failing) assert.ok(why.length >= 40, `${id}: the README's reason is too short to be one`);
  });

  test('the README lists exactly the passing rules', () => {
    assert.deepEqual([...readme.passing].sort(), outcomes.filter((o) => o.outcome === 'pass').map((o) => o.id).sort());
    assert.equal(readme.passingCount, readme.passing.length);
  });

  test('the rules catch the defects fixed here (so the list above can fail)', () => {
    const old = copy();
    for (const id of ['PublicSubnet1', 'PublicSubnet2']) old.Resources[id]!.Properties!['MapPublicIpOnLaunch'] = true;
    delete old.Resources['ContainerSecurityGroup']!.Properties!['SecurityGroupEgress'];
    old.Resources['HttpsListener']!.Properties!['SslPolicy'] = 'ELBSecurityPolicy-2016-08';
    const failed = evaluate(templates(old)).filter((o) => o.outcome === 'fail').map((o) => o.id);
    for (const id of ['SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED', 'SECURITY_GROUP_MISSING_EGRESS_RULE', 'CKV_AWS_103', 'ELBV2_LISTENER_SSL_POLICY_RULE']) {
      assert.ok(failed.includes(id), `${id} did not fail on the old template`);
    }
  });
});
