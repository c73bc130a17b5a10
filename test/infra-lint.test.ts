// The two CloudFormation templates, checked without AWS: cfn-lint (from the project virtualenv) must find
// nothing at all, and the structural promises cfn-lint cannot know about (HTTPS only, who may reach the
// containers, per-ecosystem names, parameter constraints) are asserted on the parsed templates.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCfnYaml, type CfnResource, type CfnTemplate, type CfnValue } from '../cli/domain/cfn-yaml.ts';
import { ROOT, VENV_BIN, venvTool } from './support/paths.ts';

const ECR_FILE = path.join(ROOT, 'infra', 'hello-world-ecr-infra.yaml');
const INFRA_FILE = path.join(ROOT, 'infra', 'hello-world-infra.yaml');
const ecr = parseCfnYaml(readFileSync(ECR_FILE, 'utf8'));
const infra = parseCfnYaml(readFileSync(INFRA_FILE, 'utf8'));

const tmp = mkdtempSync(path.join(tmpdir(), 'hello-deploy-infra-lint-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** cfn-lint with informational rules included and a non-zero exit for any finding, so "exit 0" means "0 findings". */
function cfnLint(...files: string[]) {
  return spawnSync(venvTool('cfn-lint'), ['--include-checks', 'I', '--non-zero-exit-code', 'informational', '--format', 'parseable', '--', ...files], {
    encoding: 'utf8',
    timeout: 120_000,
  });
}

function resourcesOfType(t: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

function resource(t: CfnTemplate, id: string): CfnResource {
  const r = t.Resources[id];
  assert.ok(r, `resource ${id} is missing`);
  return r;
}

function props(t: CfnTemplate, id: string): Record<string, CfnValue> {
  return resource(t, id).Properties ?? {};
}

/** Every value anywhere below `v`, keys included, for "this never appears" checks. */
function* walk(v: CfnValue): Generator<[string | undefined, CfnValue]> {
  if (Array.isArray(v)) for (const x of v) yield* walk(x);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      yield [k, x];
      yield* walk(x);
    }
  }
}

function paramPattern(t: CfnTemplate, name: string): RegExp {
  const p = t.Parameters?.[name]?.AllowedPattern;
  assert.equal(typeof p, 'string', `${name} has an AllowedPattern`);
  // CloudFormation matches the whole value (Java's String.matches); the patterns are anchored anyway.
  return new RegExp(`^(?:${p as string})$`);
}

describe('cfn-lint', () => {
  test('both templates lint with 0 findings (errors, warnings and informational)', () => {
    const res = cfnLint(ECR_FILE, INFRA_FILE);
    assert.equal(res.error, undefined, `cfn-lint did not run: ${String(res.error)}`);
    assert.equal(res.stdout, '', 'cfn-lint findings');
    assert.equal(res.stderr, '');
    assert.equal(res.status, 0);
  });

  test('the domain variants lint with 0 findings too (DomainName alone, and with a HostedZoneId)', () => {
    // cfn-lint checks parameter defaults against patterns and rules, so the variants are the template with the
    // domain parameters' defaults set, as a deploy with --domain would pass them.
    const text = readFileSync(INFRA_FILE, 'utf8');
    const withDomain = text.replace(/^( {2}DomainName:\n(?: {4}.*\n)*? {4}Default: )''$/m, '$1hello.example.com');
    assert.notEqual(withDomain, text, 'DomainName has a Default to set');
    const withZone = withDomain.replace(/^( {2}HostedZoneId:\n(?: {4}.*\n)*? {4}Default: )''$/m, '$1Z0123456789ABCDEFGHIJ');
    assert.notEqual(withZone, withDomain, 'HostedZoneId has a Default to set');
    const files = [['domain', withDomain], ['zone', withZone]].map(([name, t]) => {
      const f = path.join(tmp, `${name!}.yaml`);
      writeFileSync(f, t!);
      return f;
    });
    const res = cfnLint(...files);
    assert.equal(res.stdout, '', 'cfn-lint findings');
    assert.equal(res.status, 0);
  });

  test('the same invocation reports errors and informational findings (so the test above can fail)', () => {
    const broken = path.join(tmp, 'broken.yaml');
    writeFileSync(broken, readFileSync(INFRA_FILE, 'utf8').replace('HealthCheckPath: /health', 'HealthCheckPathz: /health'));
    const res = cfnLint(broken);
    assert.notEqual(res.status, 0);
    assert.match(res.stdout, /HealthCheckPathz/);
    // Informational rules are on too: Fn::Join with an empty delimiter is only an I-level finding (I1022).
    const joined = path.join(tmp, 'joined.yaml');
    writeFileSync(joined, readFileSync(INFRA_FILE, 'utf8')
      .replace("!Sub 'https://${LoadBalancer.DNSName}']", "!Join ['', ['https://', !GetAtt LoadBalancer.DNSName]]]"));
    const info = cfnLint(joined);
    assert.notEqual(info.status, 0);
    assert.match(info.stdout, /:I1022:/);
  });
});

describe('template loader (cli/aws/cfn-yaml.ts)', () => {
  test('short tags become the long JSON form', () => {
    const t = parseCfnYaml([
      'Resources:',
      '  A:',
      '    Type: X',
      '    Properties:',
      '      R: !Ref P',
      '      G: !GetAtt B.Arn.Part',
      '      S: !Sub "x-${P}"',
      '      L: !Select [1, !GetAZs ""]',
      '      J: !Join',
      '        - ","',
      '        - [!Ref P, b]',
      '      M: !If [C, !Ref AWS::NoValue, 1]',
    ].join('\n'));
    assert.deepEqual(props(t, 'A'), {
      R: { Ref: 'P' },
      G: { 'Fn::GetAtt': ['B', 'Arn.Part'] },
      S: { 'Fn::Sub': 'x-${P}' },
      L: { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
      J: { 'Fn::Join': [',', [{ Ref: 'P' }, 'b']] },
      M: { 'Fn::If': ['C', { Ref: 'AWS::NoValue' }, 1] },
    });
  });

  test('unknown tags and non-templates are errors, not guesses', () => {
    assert.throws(() => parseCfnYaml('Resources:\n  A: !Bogus x\n'), /Unresolved tag: !Bogus/);
    assert.throws(() => parseCfnYaml('just: text\n'), /no top-level Resources/);
  });
});

describe('HTTPS only', () => {
  test('exactly one listener: 443/HTTPS with the TLS 1.3-only policy and SSLCert (the stack\'s certificate with a domain); nothing on port 80', () => {
    const listeners = resourcesOfType(infra, 'AWS::ElasticLoadBalancingV2::Listener');
    assert.equal(listeners.length, 1);
    const [id, l] = listeners[0]!;
    assert.equal(id, 'HttpsListener');
    assert.equal(l.Properties?.Port, 443);
    assert.equal(l.Properties?.Protocol, 'HTTPS');
    assert.equal(l.Properties?.SslPolicy, 'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09');
    assert.deepEqual(l.Properties?.Certificates, [{ CertificateArn: { 'Fn::If': ['HasDomain', { Ref: 'DomainCertificate' }, { Ref: 'SSLCert' }] } }]);
    assert.deepEqual(l.Properties?.DefaultActions, [{ Type: 'forward', TargetGroupArn: { Ref: 'TargetGroup' } }]);
    for (const [k, v] of walk(infra.Resources as unknown as CfnValue)) {
      if (k === 'Port' || k === 'FromPort' || k === 'ToPort') assert.notEqual(v, 80, `port 80 appears (${k})`);
    }
  });

  test('the ALB security group lets in TCP 443 and nothing else', () => {
    assert.deepEqual(props(infra, 'LoadBalancer').SecurityGroups, [{ Ref: 'LoadBalancerSecurityGroup' }]);
    const ingress = props(infra, 'LoadBalancerSecurityGroup').SecurityGroupIngress;
    assert.ok(Array.isArray(ingress), 'ingress is a list');
    assert.deepEqual(ingress.map((r) => ({ ...(r as Record<string, CfnValue>), Description: undefined })), [
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: undefined },
    ]);
    // Stand-alone ingress rules would bypass the inline lists checked here.
    assert.deepEqual(resourcesOfType(infra, 'AWS::EC2::SecurityGroupIngress'), []);
  });

  test('the containers accept only the container port, only from the ALB security group', () => {
    const svcNet = (props(infra, 'Service').NetworkConfiguration as Record<string, Record<string, CfnValue>>).AwsvpcConfiguration;
    assert.deepEqual(svcNet?.SecurityGroups, [{ Ref: 'ContainerSecurityGroup' }]);
    const ingress = props(infra, 'ContainerSecurityGroup').SecurityGroupIngress;
    assert.ok(Array.isArray(ingress) && ingress.length > 0, 'ingress is a non-empty list');
    for (const r of ingress as Record<string, CfnValue>[]) {
      assert.deepEqual(r.SourceSecurityGroupId, { 'Fn::GetAtt': ['LoadBalancerSecurityGroup', 'GroupId'] });
      assert.equal(r.IpProtocol, 'tcp');
      assert.equal(r.FromPort, 5000);
      assert.equal(r.ToPort, 5000);
      for (const open of ['CidrIp', 'CidrIpv6', 'SourcePrefixListId']) assert.equal(r[open], undefined, `${open} opens the containers`);
    }
  });

  test('the target group talks HTTPS to port 5000 by IP, health-checks /health over HTTPS, drains in ≤ 30 s', () => {
    const tg = props(infra, 'TargetGroup');
    assert.equal(tg.Protocol, 'HTTPS');
    assert.equal(tg.Port, 5000);
    assert.equal(tg.TargetType, 'ip');
    assert.equal(tg.HealthCheckPath, '/health');
    assert.equal(tg.HealthCheckProtocol, 'HTTPS');
    const attrs = tg.TargetGroupAttributes as { Key: string; Value: string }[];
    const delay = attrs.find((a) => a.Key === 'deregistration_delay.timeout_seconds');
    assert.ok(delay !== undefined && Number(delay.Value) <= 30, 'deregistration delay ≤ 30 s');
  });
});

describe('ECS, scaling and alerts wiring', () => {
  test('Fargate task: 256/512, port 5000 with PORT=5000, execution role ARN with the managed policy, a policy-free task role', () => {
    const td = props(infra, 'TaskDefinition');
    assert.equal(td.Cpu, '256');
    assert.equal(td.Memory, '512');
    assert.equal(td.NetworkMode, 'awsvpc');
    assert.deepEqual(td.ExecutionRoleArn, { 'Fn::GetAtt': ['ExecutionRole', 'Arn'] });
    const [c] = td.ContainerDefinitions as Record<string, CfnValue>[];
    assert.ok(c);
    assert.deepEqual(c.PortMappings, [{ ContainerPort: 5000, Protocol: 'tcp' }]);
    assert.deepEqual(c.Environment, [{ Name: 'PORT', Value: '5000' }]);
    assert.equal((c.LogConfiguration as Record<string, CfnValue>).LogDriver, 'awslogs');
    assert.equal(typeof props(infra, 'LogGroup').RetentionInDays, 'number');
    assert.deepEqual(props(infra, 'ExecutionRole').ManagedPolicyArns, [
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' },
    ]);
    const task = props(infra, 'TaskRole');
    assert.equal(task.Policies, undefined);
    assert.equal(task.ManagedPolicyArns, undefined);
  });

  test('the task runs on the CpuArchitecture parameter (X86_64 or ARM64, default X86_64, what Fargate runs without one) on Linux', () => {
    assert.deepEqual(props(infra, 'TaskDefinition').RuntimePlatform, { CpuArchitecture: { Ref: 'CpuArchitecture' }, OperatingSystemFamily: 'LINUX' });
    const p = infra.Parameters?.CpuArchitecture;
    assert.deepEqual(p?.AllowedValues, ['X86_64', 'ARM64']);
    assert.equal(p?.Default, 'X86_64');
  });

  test('service: FARGATE behind the target group, circuit breaker with rollback, after the listener; no DesiredCount', () => {
    const svc = resource(infra, 'Service');
    // The full creation order (route, associations, gateway) is walked in infra-rules.test.ts.
    assert.ok([svc.DependsOn ?? []].flat().includes('HttpsListener'));
    const p = svc.Properties ?? {};
    // Autoscaling owns the count; AWS starts a new service with 1 task (infra-rules.test.ts, infra-moto.test.ts).
    assert.equal(p.DesiredCount, undefined);
    assert.equal(p.LaunchType, 'FARGATE');
    assert.deepEqual(p.DeploymentConfiguration, {
      MinimumHealthyPercent: 100, MaximumPercent: 200, DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    });
    assert.equal(typeof p.HealthCheckGracePeriodSeconds, 'number');
    assert.deepEqual(p.LoadBalancers, [{ ContainerName: 'hello-world', ContainerPort: 5000, TargetGroupArn: { Ref: 'TargetGroup' } }]);
    const net = (p.NetworkConfiguration as Record<string, Record<string, CfnValue>>).AwsvpcConfiguration;
    assert.equal(net?.AssignPublicIp, 'ENABLED');
    assert.deepEqual(
      (props(infra, 'Cluster').ClusterSettings as CfnValue[]),
      [{ Name: 'containerInsights', Value: 'enabled' }],
    );
  });

  test('autoscaling 1..MaxTasks (default 4) on 70% CPU; the scaling-limit alarm → SNS topic → e-mail subscription', () => {
    assert.equal(infra.Parameters?.MaxTasks?.Default, 4);
    const st = props(infra, 'ScalableTarget');
    assert.equal(st.MinCapacity, 1);
    assert.deepEqual(st.MaxCapacity, { Ref: 'MaxTasks' });
    const pol = props(infra, 'CpuScalingPolicy');
    assert.equal(pol.PolicyType, 'TargetTrackingScaling');
    const cfg = pol.TargetTrackingScalingPolicyConfiguration as Record<string, CfnValue>;
    assert.deepEqual(cfg.PredefinedMetricSpecification, { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' });
    assert.equal(cfg.TargetValue, 70);
    // What the alarm means (at MaxTasks and CPU above 85% for 5 minutes) is replayed in infra-rules.test.ts.
    const alarm = props(infra, 'CpuHighAlarm');
    assert.equal(alarm.Threshold, 85);
    assert.equal(alarm.ComparisonOperator, 'GreaterThanThreshold');
    for (const q of alarm.Metrics as Record<string, Record<string, Record<string, CfnValue>>>[]) {
      if (!q.MetricStat) continue;
      assert.deepEqual(q.MetricStat.Metric?.Dimensions, [
        { Name: 'ClusterName', Value: { Ref: 'Cluster' } },
        { Name: 'ServiceName', Value: { 'Fn::GetAtt': ['Service', 'Name'] } },
      ]);
    }
    assert.deepEqual(alarm.AlarmActions, [{ Ref: 'AlarmTopic' }]);
    const sub = resource(infra, 'AlarmEmailSubscription');
    assert.equal(sub.Type, 'AWS::SNS::Subscription');
    assert.deepEqual(sub.Properties, { TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: { Ref: 'EmailAddress' } });
  });

  test('outputs: the six infra outputs with an https:// ServiceUrl (+ the certificate with a domain); the ECR stack exports URI and name', () => {
    assert.deepEqual(Object.keys(infra.Outputs ?? {}).sort(),
      ['AlarmTopicArn', 'ClusterName', 'DomainCertificateArn', 'LoadBalancerDNSName', 'LogGroupName', 'ServiceName', 'ServiceUrl']);
    assert.deepEqual(infra.Outputs?.ServiceUrl?.Value,
      { 'Fn::If': ['HasDomain', { 'Fn::Sub': 'https://${DomainName}' }, { 'Fn::Sub': 'https://${LoadBalancer.DNSName}' }] });
    assert.equal(infra.Outputs?.DomainCertificateArn?.Condition, 'HasDomain');
    assert.deepEqual(Object.keys(ecr.Outputs ?? {}).sort(), ['RepositoryName', 'RepositoryUri']);
    for (const o of Object.values(ecr.Outputs ?? {})) {
      assert.match(JSON.stringify(o.Export), /\$\{Ecosystem\}/, 'export names are scoped by ecosystem');
    }
  });

  test('no Fn::ImportValue (values travel as parameters) and no `!GetAZs !Ref AWS::Region` (breaks moto)', () => {
    for (const t of [ecr, infra]) {
      for (const [k, v] of walk(t as unknown as CfnValue)) {
        assert.notEqual(k, 'Fn::ImportValue');
        if (k === 'Fn::GetAZs') assert.equal(v, '');
      }
    }
  });
});

describe('per-ecosystem names and tags', () => {
  // Properties that set a physical name; each must contain the ecosystem so two ecosystems never collide.
  const NAME_PROPS = ['RepositoryName', 'Name', 'ClusterName', 'ServiceName', 'Family', 'LogGroupName', 'TopicName', 'AlarmName', 'PolicyName'];

  test('every physical name contains ${Ecosystem}', () => {
    let seen = 0;
    for (const t of [ecr, infra]) {
      for (const [id, r] of Object.entries(t.Resources)) {
        for (const k of NAME_PROPS) {
          // The record's Name is the user's domain: two ecosystems on one name is what doctor refuses, not a collision
          // a prefix could avoid.
          if (r.Type === 'AWS::Route53::RecordSet') continue;
          const v = r.Properties?.[k];
          if (v === undefined) continue;
          seen += 1;
          assert.match(JSON.stringify(v), /\$\{Ecosystem\}/, `${id}.${k} is not per ecosystem`);
        }
      }
    }
    assert.ok(seen >= 10, `found only ${seen} names`);
  });

  test('Ecosystem MaxLength keeps the ALB and target group names within 32 characters', () => {
    const max = infra.Parameters?.Ecosystem?.MaxLength;
    assert.equal(typeof max, 'number');
    for (const id of ['LoadBalancer', 'TargetGroup']) {
      const sub = (props(infra, id).Name as Record<string, string>)['Fn::Sub'];
      assert.ok(sub);
      const longest = sub.replace('${Ecosystem}', 'x'.repeat(max as number));
      assert.ok(longest.length <= 32, `${id} name ${longest} is ${longest.length} > 32`);
    }
    // …and it is no tighter than it has to be: one more character would overflow the ALB name.
    const alb = (props(infra, 'LoadBalancer').Name as Record<string, string>)['Fn::Sub']!;
    assert.equal(alb.replace('${Ecosystem}', 'x'.repeat(max as number)).length, 32);
  });

  test('every resource whose type takes Tags carries the Ecosystem tag (taggability from cfn-lint\'s schemas)', () => {
    const schemas = path.join(path.dirname(VENV_BIN), 'lib');
    const pyLib = readDirOne(schemas, /^python3/);
    const base = path.join(schemas, pyLib, 'site-packages', 'cfnlint', 'data', 'schemas');
    const index = JSON.parse(readFileSync(path.join(base, 'providers', 'us-east-1.json'), 'utf8')) as Record<string, string>;
    let tagged = 0;
    for (const t of [ecr, infra]) {
      for (const [id, r] of Object.entries(t.Resources)) {
        const hash = index[r.Type];
        assert.ok(hash, `no cfn-lint schema for ${r.Type}`);
        const schema = JSON.parse(readFileSync(path.join(base, 'resources', `${hash}.json`), 'utf8')) as { properties: Record<string, unknown> };
        if (!('Tags' in schema.properties)) continue;
        tagged += 1;
        const tags = r.Properties?.Tags as { Key: string; Value: CfnValue }[] | undefined;
        assert.ok(Array.isArray(tags), `${id} (${r.Type}) has no Tags`);
        assert.deepEqual(tags.find((x) => x.Key === 'Ecosystem')?.Value, { Ref: 'Ecosystem' }, `${id} lacks the Ecosystem tag`);
      }
    }
    assert.ok(tagged >= 15, `only ${tagged} taggable resources found`);
  });
});

function readDirOne(dir: string, re: RegExp): string {
  const hit = readdirSync(dir).find((n) => re.test(n));
  assert.ok(hit, `nothing matching ${re} in ${dir}`);
  return hit;
}

describe('parameters', () => {
  test('the original deploy command\'s parameter names are kept', () => {
    // CpuArchitecture is new, with a default, so the original command (which does not pass it) still deploys.
    // So are DomainName and HostedZoneId (both default ''), and SSLCert's '' default only matters with a domain.
    assert.deepEqual(Object.keys(infra.Parameters ?? {}).sort(),
      ['CpuArchitecture', 'DomainName', 'Ecosystem', 'EmailAddress', 'HostedZoneId', 'ImageId', 'MaxTasks', 'SSLCert']);
    for (const p of ['DomainName', 'HostedZoneId', 'SSLCert']) assert.equal(infra.Parameters?.[p]?.Default, '', `${p} defaults to ''`);
    assert.deepEqual(Object.keys(ecr.Parameters ?? {}), ['Ecosystem']);
  });

  test('both templates constrain Ecosystem identically', () => {
    const strip = (p: Record<string, CfnValue> | undefined) => ({ ...p, Description: undefined });
    assert.deepEqual(strip(ecr.Parameters?.Ecosystem), strip(infra.Parameters?.Ecosystem));
  });

  test('every constrained parameter explains its constraint', () => {
    for (const [name, p] of Object.entries(infra.Parameters ?? {})) {
      assert.equal(typeof p.ConstraintDescription, 'string', `${name} has no ConstraintDescription`);
      assert.match(p.ConstraintDescription as string, new RegExp(`^${name} must `));
    }
  });

  test('Ecosystem pattern: lowercase, starts with a letter, single inner hyphens (ECR rejects doubled separators), not internal-', () => {
    const re = paramPattern(infra, 'Ecosystem');
    for (const ok of ['main', 'a', 'feature-login', 'release-2-1', 'x'.repeat(25), 'internal', 'internals-x', 'b-internal-api']) assert.match(ok, re);
    for (const bad of ['Bad_Name', 'Main', '1main', '-main', 'main-', 'a--b', 'feat/login', '', 'internal-api']) assert.doesNotMatch(bad, re);
  });

  test('EmailAddress, ImageId and SSLCert patterns', () => {
    const email = paramPattern(infra, 'EmailAddress');
    assert.match('ops@example.com', email);
    for (const bad of ['x', 'ops@', '@example.com', 'a b@example.com']) assert.doesNotMatch(bad, email);

    const image = paramPattern(infra, 'ImageId');
    const repo = '123456789012.dkr.ecr.us-east-1.amazonaws.com/main-hello-world-ecr';
    assert.match(`${repo}:test`, image);
    assert.match(`${repo}:git-abc1234`, image);
    assert.match(`${repo}@sha256:${'a'.repeat(64)}`, image);
    assert.match('localhost:5000/hello:1', image);
    for (const bad of [repo, `${repo}:`, `${repo}@sha256:abc`, 'main-hello-world-ecr:test', `${repo}:bad tag`]) assert.doesNotMatch(bad, image);

    const cert = paramPattern(infra, 'SSLCert');
    assert.match('', cert, 'empty is let through the pattern (a domain needs no SSLCert); the rule below refuses it without one');
    assert.match('arn:aws:acm:us-east-1:123456789012:certificate/7abdb562-e1fa-4012-ac87-9742e98186bc', cert);
    assert.match('arn:aws-cn:acm:cn-north-1:123456789012:certificate/7abdb562-e1fa-4012-ac87-9742e98186bc', cert);
    for (const bad of ['arn:aws:iam::123456789012:server-certificate/x', 'arn:aws:acm:us-east-1:123:certificate/x', 'cert.pem']) {
      assert.doesNotMatch(bad, cert);
    }
  });
});

describe('the optional domain (issue 16)', () => {
  test('HasDomain: DomainName set; HasZone: both set; the certificate (DNS validation, zone only with HasZone) and the A alias', () => {
    assert.deepEqual(infra.Conditions?.HasDomain, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'DomainName' }, ''] }] });
    assert.deepEqual(infra.Conditions?.HasZone, { 'Fn::And': [{ Condition: 'HasDomain' }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'HostedZoneId' }, ''] }] }] });
    const cert = resource(infra, 'DomainCertificate');
    assert.equal(cert.Type, 'AWS::CertificateManager::Certificate');
    assert.equal(cert.Condition, 'HasDomain');
    assert.equal(cert.Properties?.ValidationMethod, 'DNS');
    assert.deepEqual(cert.Properties?.DomainValidationOptions,
      { 'Fn::If': ['HasZone', [{ DomainName: { Ref: 'DomainName' }, HostedZoneId: { Ref: 'HostedZoneId' } }], { Ref: 'AWS::NoValue' }] });
    const rec = resource(infra, 'DomainRecord');
    assert.equal(rec.Type, 'AWS::Route53::RecordSet');
    assert.equal(rec.Condition, 'HasZone');
    assert.equal(rec.Properties?.Type, 'A');
    assert.deepEqual(rec.Properties?.AliasTarget, {
      DNSName: { 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] },
      HostedZoneId: { 'Fn::GetAtt': ['LoadBalancer', 'CanonicalHostedZoneID'] },
      EvaluateTargetHealth: false,
    });
    // No AAAA record, because the ALB has no IPv6 address: adding dualstack must add one.
    assert.equal(props(infra, 'LoadBalancer').IpAddressType, 'ipv4');
    assert.deepEqual(resourcesOfType(infra, 'AWS::Route53::RecordSet').map(([id]) => id), ['DomainRecord']);
  });

  test('the rules: without DomainName an empty SSLCert and a lone HostedZoneId are refused', () => {
    const rules = (infra as unknown as { Rules?: Record<string, { RuleCondition: CfnValue; Assertions: { Assert: CfnValue }[] }> }).Rules ?? {};
    const noDomain = { 'Fn::Equals': [{ Ref: 'DomainName' }, ''] };
    assert.deepEqual(rules['SSLCertWithoutDomain']?.RuleCondition, noDomain);
    assert.deepEqual(rules['SSLCertWithoutDomain']?.Assertions.map((a) => a.Assert), [{ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'SSLCert' }, ''] }] }]);
    assert.deepEqual(rules['HostedZoneWithDomain']?.RuleCondition, noDomain);
    assert.deepEqual(rules['HostedZoneWithDomain']?.Assertions.map((a) => a.Assert), [{ 'Fn::Equals': [{ Ref: 'HostedZoneId' }, ''] }]);
  });

  test('DomainName and HostedZoneId patterns: empty, or an FQDN / a bare zone ID', () => {
    const name = paramPattern(infra, 'DomainName');
    for (const ok of ['', 'hello.example.com', 'example.com', 'a-b.c1.example.co.uk']) assert.match(ok, name);
    for (const bad of ['*.example.com', 'example', '-a.example.com', 'hello.example.com.', 'a b.example.com', 'https://x.com']) assert.doesNotMatch(bad, name);
    const zone = paramPattern(infra, 'HostedZoneId');
    for (const ok of ['', 'Z0123456789ABCDEFGHIJ', 'Z2P70J7EXAMPLE']) assert.match(ok, zone);
    for (const bad of ['/hostedzone/Z0123', 'z0123', 'Z'.repeat(33)]) assert.doesNotMatch(bad, zone);
  });
});
