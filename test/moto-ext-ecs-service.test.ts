// moto_ext/ecs_service.py: on the launcher, the ECS service keeps what the template gives it. The real infra template
// is deployed on the launcher and on plain moto; DescribeServices must answer what AWS answers for it
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html: loadBalancers, networkConfiguration,
// launchType, deploymentConfiguration, healthCheckGracePeriodSeconds, propagateTags, enableECSManagedTags), and
// plain moto, the same deploy, must still drop them: that difference is the extension's.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CreateServiceCommand, DescribeServicesCommand, ECSClient, UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';
import { startMoto, type Moto } from './support/moto.ts';
import { cfnClient, motoClientConfig, waitForTerminal } from './support/stacks.ts';
import { deployBoth, physicalId, INFRA_PARSED, INFRA_TEMPLATE, infraParams, type Deployed } from './support/template-stacks.ts';

interface Side {
  moto: Moto;
  cfn: CloudFormationClient;
  ecs: ECSClient;
  deployed: Deployed;
  service: () => Promise<Service>;
}

const ECO = 'ecs-ext';
const sides: { launcher?: Side; plain?: Side } = {};
/** The template's own Service properties: what AWS is given, so what it answers back. */
const props = INFRA_PARSED.Resources['Service']!.Properties as Record<string, unknown>;

async function start(launcher: boolean): Promise<Side> {
  const moto = await startMoto({ launcher });
  const cfn = cfnClient(moto.endpoint);
  const ecs = new ECSClient(motoClientConfig(moto.endpoint));
  const deployed = await deployBoth(cfn, moto.endpoint, ECO);
  const ids = { cluster: physicalId(deployed, 'Cluster'), services: [physicalId(deployed, 'Service')] };
  const service = async () => {
    const s = (await ecs.send(new DescribeServicesCommand({ ...ids, include: ['TAGS'] }))).services?.[0];
    assert.ok(s, 'DescribeServices found the service');
    return s;
  };
  return { moto, cfn, ecs, deployed, service };
}

before(async () => {
  // One after the other: the machine is shared, and each moto is busy while its stacks are created.
  sides.launcher = await start(true);
  sides.plain = await start(false);
});

after(async () => {
  for (const s of [sides.launcher, sides.plain]) {
    s?.cfn.destroy();
    s?.ecs.destroy();
    await s?.moto.stop();
  }
});

describe('a service created by CloudFormation (the infra template)', () => {
  test('the launcher answers the template\'s load balancer, network configuration, launch type, deployment configuration, grace period and tags', async () => {
    const side = sides.launcher!;
    const s = await side.service();
    const d = side.deployed;
    assert.deepEqual(s.loadBalancers, [{ targetGroupArn: physicalId(d, 'TargetGroup'), containerName: 'hello-world', containerPort: 5000 }]);
    assert.deepEqual(s.networkConfiguration, {
      awsvpcConfiguration: {
        subnets: [physicalId(d, 'PublicSubnet1'), physicalId(d, 'PublicSubnet2')],
        securityGroups: [physicalId(d, 'ContainerSecurityGroup')],
        assignPublicIp: 'ENABLED',
      },
    });
    assert.equal(s.launchType, props['LaunchType']);
    assert.equal(s.launchType, 'FARGATE');
    // The template's MinimumHealthyPercent 100, MaximumPercent 200, circuit breaker on with rollback.
    assert.deepEqual(s.deploymentConfiguration, { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100 });
    assert.equal(s.healthCheckGracePeriodSeconds, props['HealthCheckGracePeriodSeconds']);
    assert.equal(s.propagateTags, 'SERVICE');
    assert.equal(s.enableECSManagedTags, true);
    assert.deepEqual(s.tags, [{ key: 'Ecosystem', value: ECO }]);
    // The deployment runs where the service does.
    assert.equal(s.deployments?.[0]?.launchType, 'FARGATE');
    assert.deepEqual(s.deployments?.[0]?.networkConfiguration, s.networkConfiguration);
  });

  test('with no DesiredCount in the template it starts at 1, as AWS documents', async () => {
    // AWS::ECS::Service, DesiredCount: "For new services, if a desired count is not specified, a default value of 1
    // is used." (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-service.html#cfn-ecs-service-desiredcount)
    assert.equal('DesiredCount' in props, false, 'the shipped template leaves the count to autoscaling');
    assert.equal((await sides.launcher!.service()).desiredCount, 1);
  });

  test('plain moto, the same deploy, drops all of it (launch type EC2, desired count 0): the difference is the extension\'s', async () => {
    const s = await sides.plain!.service();
    assert.deepEqual(s.loadBalancers, []);
    assert.equal(s.networkConfiguration?.awsvpcConfiguration, undefined);
    assert.equal(s.launchType, 'EC2');
    assert.equal(s.deploymentConfiguration, undefined);
    assert.equal(s.healthCheckGracePeriodSeconds, undefined);
    assert.equal(s.propagateTags, 'NONE');
    assert.equal(s.enableECSManagedTags, undefined);
    assert.equal(s.desiredCount, 0);
  });

  test('a stack update that changes the service keeps the rest, and the count chosen out of band (DesiredCount omitted)', async () => {
    // "For existing services, if a desired count is not specified, it is omitted from the operation." (same page)
    const side = sides.launcher!;
    const ids = { cluster: physicalId(side.deployed, 'Cluster'), service: physicalId(side.deployed, 'Service') };
    await side.ecs.send(new UpdateServiceCommand({ ...ids, desiredCount: 3 }));
    const changed = INFRA_TEMPLATE.replace(/^( {6}HealthCheckGracePeriodSeconds:) 60$/m, '$1 90');
    assert.notEqual(changed, INFRA_TEMPLATE, 'the grace period is where this test expects it');
    await side.cfn.send(new UpdateStackCommand({
      StackName: side.deployed.infraStack, TemplateBody: changed, Capabilities: ['CAPABILITY_IAM'],
      Parameters: Object.entries(infraParams(ECO, side.deployed.certArn)).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }));
    assert.equal((await waitForTerminal(side.cfn, side.deployed.infraStack)).StackStatus, 'UPDATE_COMPLETE');
    const s = await side.service();
    assert.equal(s.healthCheckGracePeriodSeconds, 90);
    assert.equal(s.desiredCount, 3);
    assert.match(s.taskDefinition ?? '', /^arn:aws:ecs:us-east-1:123456789012:task-definition\/ecs-ext-hello-world:\d+$/);
    assert.equal(s.launchType, 'FARGATE');
    assert.equal(s.loadBalancers?.[0]?.containerPort, 5000);
    assert.equal(s.networkConfiguration?.awsvpcConfiguration?.assignPublicIp, 'ENABLED');
    assert.deepEqual(s.deploymentConfiguration?.deploymentCircuitBreaker, { enable: true, rollback: true });
  });
});

describe('a service created with CreateService', () => {
  /** A second service in the stack's cluster, from the API, with the fields moto's CreateService does not read. */
  async function createByApi(side: Side): Promise<Service | undefined> {
    const res = await side.ecs.send(new CreateServiceCommand({
      cluster: physicalId(side.deployed, 'Cluster'),
      serviceName: 'by-api',
      taskDefinition: physicalId(side.deployed, 'TaskDefinition'),
      desiredCount: 1,
      launchType: 'FARGATE',
      deploymentConfiguration: { maximumPercent: 150, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: false } },
      healthCheckGracePeriodSeconds: 30,
      enableECSManagedTags: true,
    }));
    const described = (await side.ecs.send(new DescribeServicesCommand({ cluster: physicalId(side.deployed, 'Cluster'), services: ['by-api'] }))).services?.[0];
    assert.deepEqual(res.service?.deploymentConfiguration, described?.deploymentConfiguration, 'CreateService answers what DescribeServices does');
    return described;
  }

  test('the launcher keeps deploymentConfiguration, healthCheckGracePeriodSeconds and enableECSManagedTags; plain moto drops them', async () => {
    const kept = await createByApi(sides.launcher!);
    assert.deepEqual(kept?.deploymentConfiguration, { maximumPercent: 150, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: false } });
    assert.equal(kept?.healthCheckGracePeriodSeconds, 30);
    assert.equal(kept?.enableECSManagedTags, true);
    const dropped = await createByApi(sides.plain!);
    assert.equal(dropped?.deploymentConfiguration, undefined);
    assert.equal(dropped?.healthCheckGracePeriodSeconds, undefined);
    assert.equal(dropped?.enableECSManagedTags, undefined);
  });
});
