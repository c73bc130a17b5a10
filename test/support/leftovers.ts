// "Nothing of the ecosystem is left": for every resource type the two templates declare, a moto lookup that lists
// what of one ecosystem still exists (by the names the templates give, the ecosystem tag, or the physical ids the
// stacks reported before they were deleted). Test-only; aimed at moto on loopback with fixed fake keys.
import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { DescribeAlarmsCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeInternetGatewaysCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListSubscriptionsCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { resourceNames } from '../../cli/domain/names.ts';
import { records, zoneIds } from './route53.ts';
import { motoClientConfig, TEST_REGION } from './stacks.ts';

/** What the stacks held before they were deleted: type → physical ids. */
export type Recorded = Map<string, string[]>;

const absentOn = async (f: () => Promise<string[]>, notFound: RegExp): Promise<string[]> => {
  try {
    return await f();
  } catch (err) {
    if (notFound.test(`${(err as Error).name} ${(err as Error).message}`)) return [];
    throw err;
  }
};

/** application-autoscaling over moto's JSON protocol (the project has no SDK client for it). */
export async function autoscaling(endpoint: string, action: string, body: object): Promise<Record<string, unknown[]>> {
  const res = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AnyScaleFrontendService.${action}`,
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20240101/${TEST_REGION}/application-autoscaling/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`application-autoscaling ${action}: HTTP ${res.status}`);
  return (await res.json()) as Record<string, unknown[]>;
}

/** For each resource type: what of the ecosystem still exists (empty: nothing). */
export function leftoverChecks(endpoint: string, ecosystem: string, recorded: Recorded): Record<string, () => Promise<string[]>> {
  const cfg = motoClientConfig(endpoint);
  const n = resourceNames(ecosystem);
  const ids = (type: string) => recorded.get(type) ?? [];
  const ec2 = new EC2Client(cfg);
  const elb = new ElasticLoadBalancingV2Client(cfg);
  const ecs = new ECSClient(cfg);
  const tagged = [{ Name: 'tag:Ecosystem', Values: [ecosystem] }];
  const vpcIds = ids('AWS::EC2::VPC');
  const ecsService = `service/${n.cluster}/${n.service}`;
  return {
    'AWS::ECR::Repository': () => absentOn(async () => ((await new ECRClient(cfg).send(new DescribeRepositoriesCommand({ repositoryNames: [n.repository] }))).repositories ?? []).map((r) => r.repositoryName ?? ''), /RepositoryNotFound/),
    'AWS::EC2::VPC': async () => ((await ec2.send(new DescribeVpcsCommand({ Filters: tagged }))).Vpcs ?? []).map((v) => v.VpcId ?? ''),
    'AWS::EC2::InternetGateway': async () => ((await ec2.send(new DescribeInternetGatewaysCommand({ Filters: tagged }))).InternetGateways ?? []).map((g) => g.InternetGatewayId ?? ''),
    'AWS::EC2::VPCGatewayAttachment': async () =>
      vpcIds.length ? ((await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: vpcIds }] }))).InternetGateways ?? []).map((g) => `${g.InternetGatewayId} attached`) : [],
    'AWS::EC2::Subnet': async () => ((await ec2.send(new DescribeSubnetsCommand({ Filters: tagged }))).Subnets ?? []).map((s) => s.SubnetId ?? ''),
    'AWS::EC2::RouteTable': async () => (vpcIds.length ? ((await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: vpcIds }] }))).RouteTables ?? []).filter((t) => !t.Associations?.some((a) => a.Main)).map((t) => t.RouteTableId ?? '') : []),
    'AWS::EC2::Route': async () =>
      vpcIds.length ? ((await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: vpcIds }] }))).RouteTables ?? []).filter((t) => !t.Associations?.some((a) => a.Main)).flatMap((t) => (t.Routes ?? []).filter((r) => r.GatewayId?.startsWith('igw-')).map((r) => `${t.RouteTableId}~${r.DestinationCidrBlock}`)) : [],
    'AWS::EC2::SubnetRouteTableAssociation': async () =>
      ids('AWS::EC2::Subnet').length ? ((await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: ids('AWS::EC2::Subnet') }] }))).RouteTables ?? []).map((t) => `${t.RouteTableId} associated`) : [],
    'AWS::EC2::SecurityGroup': async () => (vpcIds.length ? ((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: vpcIds }] }))).SecurityGroups ?? []).filter((g) => g.GroupName !== 'default').map((g) => g.GroupId ?? '') : []),
    'AWS::ElasticLoadBalancingV2::LoadBalancer': () => absentOn(async () => ((await elb.send(new DescribeLoadBalancersCommand({ Names: [n.loadBalancer] }))).LoadBalancers ?? []).map((l) => l.LoadBalancerName ?? ''), /LoadBalancerNotFound/),
    'AWS::ElasticLoadBalancingV2::TargetGroup': () => absentOn(async () => ((await elb.send(new DescribeTargetGroupsCommand({ Names: [n.targetGroup] }))).TargetGroups ?? []).map((t) => t.TargetGroupName ?? ''), /TargetGroupNotFound/),
    'AWS::ElasticLoadBalancingV2::Listener': () =>
      ids('AWS::ElasticLoadBalancingV2::Listener').length ? absentOn(async () => ((await elb.send(new DescribeListenersCommand({ ListenerArns: ids('AWS::ElasticLoadBalancingV2::Listener') }))).Listeners ?? []).map((l) => l.ListenerArn ?? ''), /ListenerNotFound/) : Promise.resolve([]),
    'AWS::ECS::Cluster': async () => ((await ecs.send(new DescribeClustersCommand({ clusters: [n.cluster] }))).clusters ?? []).filter((c) => c.status === 'ACTIVE').map((c) => c.clusterName ?? ''),
    'AWS::ECS::Service': () => absentOn(async () => ((await ecs.send(new DescribeServicesCommand({ cluster: n.cluster, services: [n.service] }))).services ?? []).filter((s) => s.status !== 'INACTIVE').map((s) => s.serviceName ?? ''), /ClusterNotFound/),
    // A deregistered task definition stays readable as INACTIVE, on AWS as on moto; ACTIVE would be a leftover.
    'AWS::ECS::TaskDefinition': () => absentOn(async () => [(await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: n.cluster }))).taskDefinition].filter((t) => t?.status === 'ACTIVE').map((t) => t!.taskDefinitionArn ?? ''), /not ?found|Unable to describe|ClientException/i),
    'AWS::Logs::LogGroup': async () => ((await new CloudWatchLogsClient(cfg).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: n.logGroup }))).logGroups ?? []).map((g) => g.logGroupName ?? ''),
    'AWS::IAM::Role': async () => {
      const iam = new IAMClient(cfg);
      const left: string[] = [];
      for (const role of ids('AWS::IAM::Role')) left.push(...(await absentOn(async () => [(await iam.send(new GetRoleCommand({ RoleName: role }))).Role?.RoleName ?? role], /NoSuchEntity/)));
      return left;
    },
    'AWS::ApplicationAutoScaling::ScalableTarget': async () => ((await autoscaling(endpoint, 'DescribeScalableTargets', { ServiceNamespace: 'ecs', ResourceIds: [ecsService] })).ScalableTargets ?? []).map(() => ecsService),
    'AWS::ApplicationAutoScaling::ScalingPolicy': async () => ((await autoscaling(endpoint, 'DescribeScalingPolicies', { ServiceNamespace: 'ecs', ResourceId: ecsService })).ScalingPolicies ?? []).map((p) => String((p as { PolicyName?: string }).PolicyName)),
    'AWS::SNS::Topic': async () => ((await new SNSClient(cfg).send(new ListTopicsCommand({}))).Topics ?? []).map((t) => t.TopicArn ?? '').filter((a) => a.endsWith(`:${n.topic}`)),
    'AWS::SNS::Subscription': async () => ((await new SNSClient(cfg).send(new ListSubscriptionsCommand({}))).Subscriptions ?? []).filter((s) => s.TopicArn?.endsWith(`:${n.topic}`)).map((s) => `${s.Protocol}:${s.Endpoint}`),
    // The --domain resources (issue 16), by what the stack reported: the certificate's ARN, the alias record's name
    // (looked for in every zone). A deploy without a domain has neither.
    'AWS::CertificateManager::Certificate': async () => {
      const left: string[] = [];
      for (const arn of ids('AWS::CertificateManager::Certificate')) {
        left.push(...(await absentOn(async () => [(await new ACMClient(cfg).send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.CertificateArn ?? arn], /ResourceNotFound/)));
      }
      return left;
    },
    'AWS::Route53::RecordSet': async () => {
      const names = ids('AWS::Route53::RecordSet').map((x) => x.replace(/\.$/, ''));
      if (names.length === 0) return [];
      const left: string[] = [];
      for (const zone of await zoneIds(endpoint)) left.push(...(await records(endpoint, zone)).filter((r) => r.type === 'A' && names.includes(r.name)).map((r) => `${zone}/${r.name}`));
      return left;
    },
    'AWS::CloudWatch::Alarm': async () => ((await new CloudWatchClient(cfg).send(new DescribeAlarmsCommand({ AlarmNames: [n.alarm] }))).MetricAlarms ?? []).map((a) => a.AlarmName ?? ''),
  };
}
