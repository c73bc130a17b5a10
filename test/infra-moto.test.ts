// The two templates on the moto emulator (moto_server from the project virtualenv): they validate, two ecosystems
// deploy side by side, and what moto actually built is inspected through its APIs. Where moto 5.2 does less than
// AWS (see the measured gaps in the assertions below), the test pins what moto really does, so a moto upgrade that
// closes a gap fails here and tells us to update the fidelity report, rather than a test pretending the gap works.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { ACMClient, ImportCertificateCommand } from '@aws-sdk/client-acm';
import { CloudFormationClient, UpdateStackCommand, ValidateTemplateCommand, type StackResource } from '@aws-sdk/client-cloudformation';
import { ECRClient, DescribeRepositoriesCommand, GetLifecyclePolicyCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { parseCfnYaml } from '../cli/domain/cfn-yaml.ts';
import { startMoto, type Moto } from './support/moto.ts';
import {
  cfnClient, createStackAndWait, describeStack, motoClientConfig, motoQuery, readTemplate, stackResources, waitForTerminal, xmlAll,
  type StackResult,
} from './support/stacks.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { withoutDomain } from './support/template-stacks.ts';

const ECR_TEMPLATE = readTemplate('hello-world-ecr-infra.yaml');
const INFRA_TEMPLATE = readTemplate('hello-world-infra.yaml');
const infraParsed = parseCfnYaml(INFRA_TEMPLATE);
const constraintOf = (name: string) => String(infraParsed.Parameters?.[name]?.ConstraintDescription);

let moto: Moto;
let cfn: CloudFormationClient;
let acm: ACMClient;
let ecrApi: ECRClient;
let ecs: ECSClient;
let cert: TestCert;

before(async () => {
  moto = await startMoto();
  cfn = cfnClient(moto.endpoint);
  acm = new ACMClient(motoClientConfig(moto.endpoint));
  ecrApi = new ECRClient(motoClientConfig(moto.endpoint));
  ecs = new ECSClient(motoClientConfig(moto.endpoint));
  cert = makeTestCert('hello-deploy.test');
});

after(async () => {
  cfn?.destroy();
  acm?.destroy();
  ecrApi?.destroy();
  ecs?.destroy();
  await moto?.stop();
  if (cert) rmSync(cert.dir, { recursive: true, force: true });
});

/** Imports the throwaway cert into moto's ACM (a reset forgets it) and returns its ARN for SSLCert. */
async function importCert(): Promise<string> {
  const res = await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(cert.certPem), PrivateKey: Buffer.from(cert.keyPem) }));
  assert.ok(res.CertificateArn);
  return res.CertificateArn;
}

function infraParams(eco: string, imageId: string, certArn: string, over: Record<string, string> = {}) {
  return { Ecosystem: eco, EmailAddress: 'ops@example.com', ImageId: imageId, SSLCert: certArn, ...over };
}

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/main-hello-world-ecr:test';

/** The error CreateStack throws (moto fails the call itself rather than the stack), or a failure if it does not throw. */
async function createStackError(stackName: string, templateBody: string, parameters: Record<string, string>): Promise<Error> {
  try {
    const r = await createStackAndWait(cfn, { stackName, templateBody, parameters, capabilities: ['CAPABILITY_IAM'] });
    assert.fail(`stack ${stackName} was expected to fail but is ${r.status}`);
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    assert.ok(err instanceof Error);
    return err;
  }
}

describe('ValidateTemplate on the emulator', () => {
  before(() => moto.reset());

  test('both templates validate (in parallel: moto runs cfn-lint inside, ~2.5 s each)', async () => {
    const [e, i] = await Promise.all([ECR_TEMPLATE, INFRA_TEMPLATE].map((TemplateBody) => cfn.send(new ValidateTemplateCommand({ TemplateBody }))));
    assert.equal(e?.Description, parseCfnYaml(ECR_TEMPLATE).Description);
    assert.equal(i?.Description, infraParsed.Description);
    // Measured gap: moto 5.2 answers with an empty Parameters list (AWS lists each parameter).
    assert.deepEqual(e?.Parameters ?? [], []);
    assert.deepEqual(i?.Parameters ?? [], []);
  });

  test('a broken template is rejected (so the test above can fail)', async () => {
    const broken = INFRA_TEMPLATE.replace('HealthCheckPath: /health', 'HealthCheckPathz: /health');
    await assert.rejects(cfn.send(new ValidateTemplateCommand({ TemplateBody: broken })), /HealthCheckPathz/);
  });
});

describe('two ecosystems side by side', () => {
  const ECOSYSTEMS = ['main', 'feature-login'] as const;
  type Eco = (typeof ECOSYSTEMS)[number];
  const made = {} as Record<Eco, { ecr: StackResult; infra: StackResult; resources: StackResource[] }>;
  let certArn = '';

  before(async () => {
    await moto.reset();
    certArn = await importCert();
    // One after the other, as the tool does per ecosystem: the ECR stack's output feeds the infra stack's ImageId.
    for (const eco of ECOSYSTEMS) {
      const ecr = await createStackAndWait(cfn, { stackName: `hello-world-ecr-${eco}`, templateBody: ECR_TEMPLATE, parameters: { Ecosystem: eco } });
      const imageId = `${ecr.outputs.RepositoryUri ?? 'missing'}:test`;
      const infra = await createStackAndWait(cfn, {
        stackName: `hello-world-infra-${eco}`,
        templateBody: INFRA_TEMPLATE,
        parameters: infraParams(eco, imageId, certArn),
        capabilities: ['CAPABILITY_IAM'],
      });
      made[eco] = { ecr, infra, resources: await stackResources(cfn, `hello-world-infra-${eco}`) };
    }
  });

  test('both stacks of both ecosystems reach CREATE_COMPLETE (creation times reported, not asserted)', (t) => {
    for (const eco of ECOSYSTEMS) {
      const { ecr, infra } = made[eco];
      assert.equal(ecr.status, 'CREATE_COMPLETE', `ecr ${eco}: ${ecr.reason}`);
      assert.equal(infra.status, 'CREATE_COMPLETE', `infra ${eco}: ${infra.reason}`);
      t.diagnostic(`moto stack creation, ${eco}: ECR ${ecr.elapsedMs} ms, infra ${infra.elapsedMs} ms`);
    }
  });

  test('outputs: ECR URI and name; the six infra outputs with an https:// ServiceUrl; ECR URI feeds ImageId', async () => {
    for (const eco of ECOSYSTEMS) {
      const { ecr, infra } = made[eco];
      assert.equal(ecr.outputs.RepositoryName, `${eco}-hello-world-ecr`);
      assert.match(ecr.outputs.RepositoryUri ?? '', new RegExp(`^\\d{12}\\.dkr\\.ecr\\.us-east-1\\.amazonaws\\.com/${eco}-hello-world-ecr$`));
      const o = infra.outputs;
      assert.deepEqual(Object.keys(o).sort(), ['AlarmTopicArn', 'ClusterName', 'LoadBalancerDNSName', 'LogGroupName', 'ServiceName', 'ServiceUrl']);
      assert.ok(o.ServiceUrl?.startsWith('https://'), o.ServiceUrl);
      assert.equal(o.ServiceUrl, `https://${o.LoadBalancerDNSName}`);
      assert.equal(o.ClusterName, `${eco}-hello-world`);
      assert.equal(o.ServiceName, `${eco}-hello-world`);
      assert.equal(o.LogGroupName, `/ecs/${eco}-hello-world`);
      assert.match(o.AlarmTopicArn ?? '', new RegExp(`^arn:aws:sns:us-east-1:\\d{12}:${eco}-hello-world-alarms$`));
      const params = (await describeStack(cfn, `hello-world-infra-${eco}`)).Parameters ?? [];
      assert.equal(params.find((p) => p.ParameterKey === 'ImageId')?.ParameterValue, `${ecr.outputs.RepositoryUri}:test`);
      // Not passed: the default, which is what Fargate runs without a RuntimePlatform.
      assert.equal(params.find((p) => p.ParameterKey === 'CpuArchitecture')?.ParameterValue, 'X86_64');
    }
    // No output value is shared between the two ecosystems.
    const [a, b] = ECOSYSTEMS.map((eco) => new Set([...Object.values(made[eco].infra.outputs), ...Object.values(made[eco].ecr.outputs)]));
    assert.deepEqual([...a!].filter((v) => b!.has(v)), []);
  });

  test('DescribeStackResources lists the network, ALB, listener, target group, ECS, logs, roles and topic', () => {
    const expected: Record<string, string> = {
      VPC: 'AWS::EC2::VPC', PublicSubnet1: 'AWS::EC2::Subnet', PublicSubnet2: 'AWS::EC2::Subnet',
      InternetGateway: 'AWS::EC2::InternetGateway', InternetGatewayAttachment: 'AWS::EC2::VPCGatewayAttachment',
      PublicRouteTable: 'AWS::EC2::RouteTable', DefaultPublicRoute: 'AWS::EC2::Route',
      LoadBalancerSecurityGroup: 'AWS::EC2::SecurityGroup', ContainerSecurityGroup: 'AWS::EC2::SecurityGroup',
      LoadBalancer: 'AWS::ElasticLoadBalancingV2::LoadBalancer', HttpsListener: 'AWS::ElasticLoadBalancingV2::Listener',
      TargetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup', Cluster: 'AWS::ECS::Cluster', Service: 'AWS::ECS::Service',
      TaskDefinition: 'AWS::ECS::TaskDefinition', LogGroup: 'AWS::Logs::LogGroup', ExecutionRole: 'AWS::IAM::Role',
      TaskRole: 'AWS::IAM::Role', AlarmTopic: 'AWS::SNS::Topic',
    };
    const physical: Record<string, Set<string>> = {};
    for (const eco of ECOSYSTEMS) {
      const byId = new Map(made[eco].resources.filter((r) => r.LogicalResourceId).map((r) => [r.LogicalResourceId!, r]));
      for (const [id, type] of Object.entries(expected)) {
        const r = byId.get(id);
        assert.ok(r, `${eco}: ${id} not in DescribeStackResources`);
        assert.equal(r.ResourceType, type);
        assert.equal(r.ResourceStatus, 'CREATE_COMPLETE');
        assert.ok(r.PhysicalResourceId, `${eco}: ${id} has no physical id`);
        (physical[id] ??= new Set()).add(r.PhysicalResourceId);
      }
      assert.match(byId.get('LoadBalancer')?.PhysicalResourceId ?? '', new RegExp(`:loadbalancer/app/${eco}-hw-alb/`));
      assert.match(byId.get('TargetGroup')?.PhysicalResourceId ?? '', new RegExp(`:targetgroup/${eco}-hw-tg/`));
    }
    for (const id of ['VPC', 'LoadBalancer', 'TargetGroup', 'Cluster', 'Service', 'TaskDefinition', 'LogGroup', 'AlarmTopic']) {
      assert.equal(physical[id]?.size, ECOSYSTEMS.length, `${id} is shared between ecosystems`);
    }
  });

  test('measured moto gap: the alarm, the e-mail subscription and both autoscaling resources are not created', () => {
    // moto 5.2 silently skips these four types: they are absent by logical id and type, and moto lists them only
    // as anonymous rows (no logical id, no type, no physical id) marked CREATE_COMPLETE. If moto starts creating
    // them, this fails: then update the fidelity report and assert the real resources here instead.
    const skipped = { CpuHighAlarm: 'AWS::CloudWatch::Alarm', AlarmEmailSubscription: 'AWS::SNS::Subscription',
      ScalableTarget: 'AWS::ApplicationAutoScaling::ScalableTarget', CpuScalingPolicy: 'AWS::ApplicationAutoScaling::ScalingPolicy' };
    for (const eco of ECOSYSTEMS) {
      const rows = made[eco].resources;
      for (const [id, type] of Object.entries(skipped)) {
        assert.equal(rows.find((r) => r.LogicalResourceId === id), undefined, `${eco}: moto now lists ${id}`);
        assert.equal(rows.find((r) => r.ResourceType === type), undefined, `${eco}: moto now lists a ${type}`);
      }
      const anonymous = rows.filter((r) => r.LogicalResourceId === undefined);
      // …and an anonymous row for each resource whose Condition is false too (the --domain certificate and record).
      const conditionedOut = Object.keys(infraParsed.Resources).length - Object.keys(withoutDomain(infraParsed)).length;
      assert.equal(conditionedOut, 2);
      assert.equal(anonymous.length, Object.keys(skipped).length + conditionedOut);
      assert.equal(rows.length, Object.keys(infraParsed.Resources).length);
    }
  });

  test('the listener moto made: 443/HTTPS with the imported certificate and the TLS 1.3-only policy; no other listener', async () => {
    for (const eco of ECOSYSTEMS) {
      const lbArn = made[eco].resources.find((r) => r.LogicalResourceId === 'LoadBalancer')?.PhysicalResourceId ?? '';
      const tgArn = made[eco].resources.find((r) => r.LogicalResourceId === 'TargetGroup')?.PhysicalResourceId ?? '';
      const xml = await motoQuery(moto.endpoint, 'elasticloadbalancing', { Action: 'DescribeListeners', LoadBalancerArn: lbArn });
      assert.equal(xmlAll(xml, 'ListenerArn').length, 1, 'exactly one listener');
      assert.deepEqual(xmlAll(xml, 'Port'), ['443']);
      assert.deepEqual(xmlAll(xml, 'Protocol'), ['HTTPS']);
      assert.deepEqual(xmlAll(xml, 'CertificateArn'), [certArn]);
      assert.deepEqual(xmlAll(xml, 'SslPolicy'), ['ELBSecurityPolicy-TLS13-1-3-PQ-2025-09']);
      assert.deepEqual(xmlAll(xml, 'TargetGroupArn'), [tgArn]);
    }
    // The policy exists in the emulator's copy of AWS's list (moto does not refuse unknown names, so ask), and it
    // offers TLS 1.3 alone.
    const policy = await motoQuery(moto.endpoint, 'elasticloadbalancing', { Action: 'DescribeSSLPolicies', 'Names.member.1': 'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09' });
    assert.deepEqual(xmlAll(xmlAll(policy, 'SslProtocols').join(''), 'member'), ['TLSv1.3']);
  });

  test('the target group moto made: HTTPS to port 5000 by IP, health check /health over HTTPS', async () => {
    for (const eco of ECOSYSTEMS) {
      const tgArn = made[eco].resources.find((r) => r.LogicalResourceId === 'TargetGroup')?.PhysicalResourceId ?? '';
      const xml = await motoQuery(moto.endpoint, 'elasticloadbalancing', { Action: 'DescribeTargetGroups', 'TargetGroupArns.member.1': tgArn });
      assert.deepEqual(xmlAll(xml, 'TargetGroupName'), [`${eco}-hw-tg`]);
      assert.deepEqual(xmlAll(xml, 'Protocol'), ['HTTPS']);
      assert.deepEqual(xmlAll(xml, 'Port'), ['5000']);
      assert.deepEqual(xmlAll(xml, 'TargetType'), ['ip']);
      assert.deepEqual(xmlAll(xml, 'HealthCheckPath'), ['/health']);
      assert.deepEqual(xmlAll(xml, 'HealthCheckProtocol'), ['HTTPS']);
      const attrs = await motoQuery(moto.endpoint, 'elasticloadbalancing', { Action: 'DescribeTargetGroupAttributes', TargetGroupArn: tgArn });
      const i = xmlAll(attrs, 'Key').indexOf('deregistration_delay.timeout_seconds');
      // Measured moto gap: TargetGroupAttributes from CloudFormation are ignored (moto reports the default 300 s,
      // the template sets 30 s; the template itself is checked in infra-lint.test.ts).
      assert.equal(xmlAll(attrs, 'Value')[i], '300');
    }
  });

  test('the security groups moto made: ALB in on 443 from anywhere; containers in on 5000 from the ALB group only', async () => {
    for (const eco of ECOSYSTEMS) {
      const sg = (id: string) => made[eco].resources.find((r) => r.LogicalResourceId === id)?.PhysicalResourceId ?? '';
      const albSg = sg('LoadBalancerSecurityGroup');
      const describe = (id: string) => motoQuery(moto.endpoint, 'ec2', { Action: 'DescribeSecurityGroups', 'GroupId.1': id });

      const alb = await describe(albSg);
      const albIn = xmlAll(alb, 'ipPermissions').join('');
      assert.deepEqual(xmlAll(albIn, 'fromPort'), ['443']);
      assert.deepEqual(xmlAll(albIn, 'toPort'), ['443']);
      assert.deepEqual(xmlAll(albIn, 'cidrIp'), ['0.0.0.0/0']);
      assert.deepEqual(xmlAll(albIn, 'groupId'), []);
      // Measured moto gap: the inline SecurityGroupEgress (5000 into the VPC only) is ignored; moto keeps allow-all.
      assert.deepEqual(xmlAll(xmlAll(alb, 'ipPermissionsEgress').join(''), 'ipProtocol'), ['-1']);

      const containers = await describe(sg('ContainerSecurityGroup'));
      const cIn = xmlAll(containers, 'ipPermissions').join('');
      assert.deepEqual(xmlAll(cIn, 'fromPort'), ['5000']);
      assert.deepEqual(xmlAll(cIn, 'toPort'), ['5000']);
      assert.deepEqual(xmlAll(cIn, 'groupId'), [albSg]);
      assert.deepEqual(xmlAll(cIn, 'cidrIp'), [], 'no address range may reach the containers');
      // Measured moto gap, as for the ALB: the containers' inline egress (HTTPS only) is not applied either.
      assert.deepEqual(xmlAll(xmlAll(containers, 'ipPermissionsEgress').join(''), 'ipProtocol'), ['-1']);
    }
  });

  test('the ECR repositories moto made: one per ecosystem, tagged', async () => {
    for (const eco of ECOSYSTEMS) {
      const name = `${eco}-hello-world-ecr`;
      const repo = (await ecrApi.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }))).repositories?.[0];
      assert.ok(repo?.repositoryArn);
      assert.equal(repo.repositoryUri, made[eco].ecr.outputs.RepositoryUri);
      const tags = (await ecrApi.send(new ListTagsForResourceCommand({ resourceArn: repo.repositoryArn }))).tags ?? [];
      assert.equal(tags.find((x) => x.Key === 'Ecosystem')?.Value, eco);
      // Measured moto gaps: the CloudFormation ImageScanningConfiguration and LifecyclePolicy are not applied.
      assert.notEqual(repo.imageScanningConfiguration?.scanOnPush, true);
      await assert.rejects(ecrApi.send(new GetLifecyclePolicyCommand({ repositoryName: name })), { name: 'LifecyclePolicyNotFoundException' });
    }
  });
});

describe('bad parameters', () => {
  let certArn = '';
  before(async () => {
    await moto.reset();
    certArn = await importCert();
  });

  // Real CloudFormation rejects a value that breaks AllowedPattern with the parameter's ConstraintDescription.
  // moto 5.2 does not check AllowedPattern at all (the tool validates its inputs itself before any AWS call, and
  // the patterns are unit-checked in infra-lint.test.ts); these tests pin what moto really does.
  test('moto ignores AllowedPattern: e-mail "x" still creates the stack', async () => {
    const r = await createStackAndWait(cfn, {
      stackName: 'bad-email', templateBody: INFRA_TEMPLATE, capabilities: ['CAPABILITY_IAM'],
      parameters: infraParams('bademail', IMAGE, certArn, { EmailAddress: 'x' }),
    });
    assert.equal(r.status, 'CREATE_COMPLETE');
  });

  test('moto ignores the pattern and AWS\'s load balancer name rule: ecosystem "internal-api" still creates the stack', async () => {
    // AWS refuses this at parameter validation (the pattern's lookahead; cfn-lint proves it in infra-rules.test.ts),
    // and even without the pattern it would fail on the ALB name; moto creates an ALB named internal-api-hw-alb.
    const r = await createStackAndWait(cfn, {
      stackName: 'internal-eco', templateBody: INFRA_TEMPLATE, capabilities: ['CAPABILITY_IAM'],
      parameters: infraParams('internal-api', IMAGE, certArn),
    });
    assert.equal(r.status, 'CREATE_COMPLETE');
    const lb = (await stackResources(cfn, 'internal-eco')).find((x) => x.LogicalResourceId === 'LoadBalancer');
    assert.match(lb?.PhysicalResourceId ?? '', /:loadbalancer\/app\/internal-api-hw-alb\//);
  });

  test('ecosystem "Bad_Name" fails, but on moto\'s own resource-name checks, not with our ConstraintDescription', async () => {
    const infraErr = await createStackError('bad-eco-infra', INFRA_TEMPLATE, infraParams('Bad_Name', IMAGE, certArn));
    assert.match(infraErr.message, /Target group name 'Bad_Name-hw-tg' can only contain characters that are alphanumeric characters or hyphens/);
    assert.ok(!infraErr.message.includes(constraintOf('Ecosystem')));

    const ecrErr = await createStackError('bad-eco-ecr', ECR_TEMPLATE, { Ecosystem: 'Bad_Name' });
    assert.equal(ecrErr.name, 'InvalidParameterException');
    assert.match(ecrErr.message, /repositoryName/);
  });

  test('why the Ecosystem pattern forbids a trailing hyphen: "main-" makes an ECR name with a doubled separator', async () => {
    const err = await createStackError('trailing-hyphen-ecr', ECR_TEMPLATE, { Ecosystem: 'main-' });
    assert.equal(err.name, 'InvalidParameterException');
    assert.match(err.message, /repositoryName/);
  });

  test('CpuArchitecture ARM64 reaches the stack; measured moto gap: its task definition keeps no runtimePlatform', async () => {
    const r = await createStackAndWait(cfn, {
      stackName: 'arm64', templateBody: INFRA_TEMPLATE, capabilities: ['CAPABILITY_IAM'],
      parameters: infraParams('armeco', IMAGE, certArn, { CpuArchitecture: 'ARM64' }),
    });
    assert.equal(r.status, 'CREATE_COMPLETE', r.reason);
    const params = (await describeStack(cfn, 'arm64')).Parameters ?? [];
    assert.equal(params.find((p) => p.ParameterKey === 'CpuArchitecture')?.ParameterValue, 'ARM64');
    // moto 5.2 registers the task definition from the family, containers, volumes and memory only: AWS would
    // answer runtimePlatform { cpuArchitecture: ARM64, operatingSystemFamily: LINUX }. If moto starts keeping it,
    // this fails: assert the real value here instead.
    const ecs = new ECSClient(motoClientConfig(moto.endpoint));
    try {
      const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'armeco-hello-world' }))).taskDefinition;
      assert.equal(td?.family, 'armeco-hello-world');
      assert.equal(td?.runtimePlatform, undefined);
    } finally {
      ecs.destroy();
    }
  });

  test('the HTTPS listener takes only an imported certificate: an unknown ARN fails with CertificateNotFound', async () => {
    const unknown = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000';
    const err = await createStackError('unknown-cert', INFRA_TEMPLATE, infraParams('unknowncert', IMAGE, unknown));
    assert.equal(err.name, 'CertificateNotFound');
    // Measured moto gap: the failed stack is left CREATE_IN_PROGRESS for good (AWS would roll it back).
    assert.equal((await describeStack(cfn, 'unknown-cert')).StackStatus, 'CREATE_IN_PROGRESS');
  });
});

describe('the desired count changed out of band (autoscaling, or a person), then a new image is deployed', () => {
  // What AWS does (AWS::ECS::Service, DesiredCount: "For new services, if a desired count is not specified, a
  // default value of 1 is used ... For existing services, if a desired count is not specified, it is omitted from
  // the operation", https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-service.html#cfn-ecs-service-desiredcount):
  // a new ImageId replaces the task definition, so CloudFormation updates the service; with `DesiredCount: 1` in
  // the template that update sets the count back to 1, without it the count autoscaling chose stays. What moto
  // does with both templates is measured here, so a moto that changes its behaviour fails this test.
  const shipped = INFRA_TEMPLATE;
  const old = INFRA_TEMPLATE.replace(/^ {6}HealthCheckGracePeriodSeconds:/m, '      DesiredCount: 1\n      HealthCheckGracePeriodSeconds:');
  let certArn = '';

  before(async () => {
    await moto.reset();
    certArn = await importCert();
  });

  /** Create, scale to 3 out of band, redeploy with a new ImageId; the service as DescribeServices sees it at each step. */
  async function scenario(eco: string, templateBody: string) {
    const params = (image: string) => infraParams(eco, image, certArn);
    const created = await createStackAndWait(cfn, { stackName: eco, templateBody, parameters: params(`${IMAGE}-1`), capabilities: ['CAPABILITY_IAM'] });
    assert.equal(created.status, 'CREATE_COMPLETE', created.reason);
    const ids = { cluster: `${eco}-hello-world`, service: `${eco}-hello-world` };
    const service = async () => (await ecs.send(new DescribeServicesCommand({ cluster: ids.cluster, services: [ids.service] }))).services?.[0];
    const atCreate = await service();
    await ecs.send(new UpdateServiceCommand({ ...ids, desiredCount: 3 }));
    const scaled = await service();
    await cfn.send(new UpdateStackCommand({
      StackName: eco, TemplateBody: templateBody, Capabilities: ['CAPABILITY_IAM'],
      Parameters: Object.entries(params(`${IMAGE}-2`)).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }));
    const updated = await waitForTerminal(cfn, eco);
    const redeployed = await service();
    const latest = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${eco}-hello-world` }))).taskDefinition;
    return { atCreate, scaled, status: updated.StackStatus, redeployed, latest };
  }

  test('the shipped template (no DesiredCount): moto starts 0 tasks where AWS starts 1, and keeps the 3 on redeploy', async () => {
    const r = await scenario('dc-shipped', shipped);
    assert.equal(r.atCreate?.desiredCount, 0, 'measured moto gap: no DesiredCount creates 0 tasks (AWS: 1)');
    assert.equal(r.scaled?.desiredCount, 3);
    assert.equal(r.status, 'UPDATE_COMPLETE');
    assert.equal(r.redeployed?.desiredCount, 3, 'the count chosen out of band survives the image deploy');
    // Measured moto gaps in the same update: it registers revision 2 of the task definition, but without the
    // container's image, and leaves the service on revision 1 (AWS rolls the service out to the new revision).
    assert.equal(r.latest?.revision, 2);
    assert.equal(r.latest?.containerDefinitions?.[0]?.image, undefined);
    assert.match(r.redeployed?.taskDefinition ?? '', /:task-definition\/dc-shipped-hello-world:1$/);
  });

  test('the old template (DesiredCount: 1): moto keeps the 3 as well, so it cannot show the reset AWS does', async () => {
    assert.notEqual(old, shipped, 'the planted DesiredCount is where this test expects it');
    const r = await scenario('dc-old', old);
    assert.equal(r.atCreate?.desiredCount, 1);
    assert.equal(r.status, 'UPDATE_COMPLETE');
    // moto updates the service only when one of its own properties names a changed parameter; the task definition
    // it names changed, which moto does not follow. On AWS this update sends desiredCount 1.
    assert.equal(r.redeployed?.desiredCount, 3);
  });
});
