// What destroy's last step reports as left behind, and how each is deleted by hand. Two kinds: a resource the
// templates create under a fixed name (the preflight's NAMED_TYPES, with their deleteCommand), and an unnamed EC2
// network resource, found by the tag CloudFormation put on it. Which of them an emulator is known to keep is pinned
// here too, so the step can tell an emulator's gap from a real leftover.
import { NAMED_TYPES, type FixedName, type NameContext } from './preflight/names.ts';

export interface Leftover {
  /** The CloudFormation resource type, as the templates declare it. */
  type: string;
  /** Its name (fixed-name resources), or its id (EC2). */
  name: string;
  /** The EC2 id, or the ARN when the service gave one. */
  id?: string;
  /** The AWS CLI command that deletes it, aimed at the same region (and --endpoint-url) destroy used. */
  deleteCommand: string;
  /** On an emulator: a type the emulator's CloudFormation is known not to delete (on AWS CloudFormation does). */
  emulatorGap?: true;
}

export type NetworkType = 'AWS::EC2::VPC' | 'AWS::EC2::Subnet' | 'AWS::EC2::InternetGateway' | 'AWS::EC2::SecurityGroup' | 'AWS::EC2::RouteTable';

/** An unnamed EC2 resource of a stack, found by its `aws:cloudformation:stack-name` tag. */
export interface NetworkResource {
  type: NetworkType;
  id: string;
  /** Its `aws:cloudformation:logical-id` tag, when it has one. */
  logicalId?: string;
  /** An internet gateway's VPC, while attached (it must be detached before it can be deleted). */
  attachedVpc?: string;
}

/** The AWS CLI command that deletes each, as NAMED_TYPES' deleteCommand does for the named ones. */
const NETWORK_DELETE: Readonly<Record<NetworkType, (r: NetworkResource, region: string) => string>> = {
  'AWS::EC2::SecurityGroup': (r, region) => `aws ec2 delete-security-group --group-id ${r.id} --region ${region}`,
  'AWS::EC2::Subnet': (r, region) => `aws ec2 delete-subnet --subnet-id ${r.id} --region ${region}`,
  'AWS::EC2::RouteTable': (r, region) => `aws ec2 delete-route-table --route-table-id ${r.id} --region ${region}`,
  'AWS::EC2::InternetGateway': (r, region) =>
    `${r.attachedVpc ? `aws ec2 detach-internet-gateway --internet-gateway-id ${r.id} --vpc-id ${r.attachedVpc} --region ${region} && ` : ''}aws ec2 delete-internet-gateway --internet-gateway-id ${r.id} --region ${region}`,
  'AWS::EC2::VPC': (r, region) => `aws ec2 delete-vpc --vpc-id ${r.id} --region ${region}`,
};

/**
 * The order the commands can be run in: what holds something before what it holds (the alarm and topic first, the
 * load balancer before its target group and its subnets, everything in the VPC before the VPC).
 */
const ORDER = [
  'AWS::Route53::RecordSet', 'AWS::CloudWatch::Alarm', 'AWS::SNS::Topic', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::CertificateManager::Certificate', 'AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::ECS::Cluster',
  'AWS::Logs::LogGroup', 'AWS::ECR::Repository', ...(Object.keys(NETWORK_DELETE) as NetworkType[]),
];

/**
 * The types moto 5.2's CloudFormation keeps after DeleteStack (it has no CloudFormation delete for the ECS cluster,
 * service and task definition, the target group, the route table, its route and the gateway attachment; the VPC then
 * refuses with DependencyViolation and stays with its internet gateway). On AWS, CloudFormation deletes each.
 * Measured by test/destroy-e2e.test.ts, which fails when moto keeps another type or closes one of these gaps.
 */
export const EMULATOR_KEEPS: ReadonlySet<string> = new Set([
  'AWS::EC2::VPC', 'AWS::EC2::InternetGateway', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::RouteTable', 'AWS::EC2::Route',
  'AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::ECS::Cluster', 'AWS::ECS::Service', 'AWS::ECS::TaskDefinition',
]);

/** A command aimed at an emulator as destroy was: every `--region <r>` in it gains `--endpoint-url <url>`. */
export function aimedAt(command: string, region: string, endpointUrl: string | undefined): string {
  return endpointUrl ? command.split(`--region ${region}`).join(`--region ${region} --endpoint-url ${endpointUrl}`) : command;
}

export function namedLeftover(n: FixedName, found: { arn?: string }, where: NameContext, endpointUrl?: string): Leftover {
  return { type: n.type, name: n.name, ...(found.arn ? { id: found.arn } : {}), deleteCommand: aimedAt(NAMED_TYPES[n.type]!.deleteCommand(n.name, where), where.region, endpointUrl) };
}

export function networkLeftover(r: NetworkResource, region: string, endpointUrl?: string): Leftover {
  return { type: r.type, name: r.id, id: r.id, deleteCommand: aimedAt(NETWORK_DELETE[r.type](r, region), region, endpointUrl) };
}

/** --domain's ACM certificate, still there after its stack: deleting it needs nothing else gone first but the listener. */
export function certificateLeftover(arn: string, domain: string, region: string, endpointUrl?: string): Leftover {
  return { type: 'AWS::CertificateManager::Certificate', name: domain, id: arn, deleteCommand: aimedAt(`aws acm delete-certificate --certificate-arn ${arn} --region ${region}`, region, endpointUrl) };
}

/** --domain's alias record, still there: a Route 53 DELETE names the whole record set, alias target included. */
export function recordLeftover(zoneId: string, r: { name: string; type: string; aliasTarget?: string; aliasZoneId?: string }, endpointUrl?: string): Leftover {
  const set = { Name: r.name, Type: r.type, ...(r.aliasTarget ? { AliasTarget: { HostedZoneId: r.aliasZoneId ?? '', DNSName: r.aliasTarget, EvaluateTargetHealth: false } } : {}) };
  const batch = JSON.stringify({ Changes: [{ Action: 'DELETE', ResourceRecordSet: set }] });
  // Route 53 is global: no --region; an emulator still needs --endpoint-url.
  return { type: 'AWS::Route53::RecordSet', name: r.name, deleteCommand: `aws route53 change-resource-record-sets --hosted-zone-id ${zoneId} --change-batch '${batch}'${endpointUrl ? ` --endpoint-url ${endpointUrl}` : ''}` };
}

/**
 * Splits what was found: on an emulator, a type it is known to keep is its gap (marked `emulatorGap`), anything
 * else is left behind for real; on AWS (no emulator) everything is. Both lists come in the order they can be deleted.
 */
export function classifyLeftovers(found: readonly Leftover[], emulator: boolean): { gaps: Leftover[]; real: Leftover[] } {
  const rank = (l: Leftover) => (ORDER.indexOf(l.type) + 1 || ORDER.length + 1);
  const sorted = [...found].sort((a, b) => rank(a) - rank(b));
  const gaps = emulator ? sorted.filter((l) => EMULATOR_KEEPS.has(l.type)).map((l) => ({ ...l, emulatorGap: true as const })) : [];
  const real = sorted.filter((l) => !(emulator && EMULATOR_KEEPS.has(l.type)));
  return { gaps, real };
}
