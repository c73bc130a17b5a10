// The names the stacks give their resources, read from the templates themselves (so a template change moves the
// preflight with it), resolved for one ecosystem. A resource CloudFormation creates under a fixed name fails its
// create when something of that name already exists: a registry resource handler must fail with AlreadyExists
// (https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-test-contract-errors.html), which
// AWS reports 5 to 15 minutes into a create, followed by a rollback. The classic case is a log group left behind by
// an earlier stack (the awslogs driver recreates it while the old tasks drain).
import { parseCfnYaml, type CfnResource, type CfnValue } from '../cfn-yaml.ts';
import { shown } from '../shown.ts';
import type { Problem } from './report.ts';

export type NamedKind = 'ecr-repository' | 'load-balancer' | 'target-group' | 'ecs-cluster' | 'log-group' | 'sns-topic' | 'cloudwatch-alarm';

interface NamedType {
  kind: NamedKind;
  /** The property that fixes the name. */
  property: string;
  /** What a person calls it. */
  label: string;
  /** The AWS CLI command that deletes one left behind. */
  deleteCommand(name: string, where: NameContext): string;
}

/** Every resource type the templates may name, with the property that holds its name. */
export const NAMED_TYPES: Readonly<Record<string, NamedType>> = {
  'AWS::ECR::Repository': { kind: 'ecr-repository', property: 'RepositoryName', label: 'ECR repository', deleteCommand: (n, { region: r }) => `aws ecr delete-repository --repository-name ${n} --force --region ${r}` },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { kind: 'load-balancer', property: 'Name', label: 'load balancer', deleteCommand: (n, { region: r }) => `aws elbv2 delete-load-balancer --region ${r} --load-balancer-arn "$(aws elbv2 describe-load-balancers --names ${n} --region ${r} --query 'LoadBalancers[0].LoadBalancerArn' --output text)"` },
  'AWS::ElasticLoadBalancingV2::TargetGroup': { kind: 'target-group', property: 'Name', label: 'target group', deleteCommand: (n, { region: r }) => `aws elbv2 delete-target-group --region ${r} --target-group-arn "$(aws elbv2 describe-target-groups --names ${n} --region ${r} --query 'TargetGroups[0].TargetGroupArn' --output text)"` },
  'AWS::ECS::Cluster': { kind: 'ecs-cluster', property: 'ClusterName', label: 'ECS cluster', deleteCommand: (n, { region: r }) => `aws ecs delete-cluster --cluster ${n} --region ${r}` },
  'AWS::Logs::LogGroup': { kind: 'log-group', property: 'LogGroupName', label: 'CloudWatch Logs log group', deleteCommand: (n, { region: r }) => `aws logs delete-log-group --log-group-name ${n} --region ${r}` },
  'AWS::SNS::Topic': { kind: 'sns-topic', property: 'TopicName', label: 'SNS topic', deleteCommand: (n, w) => `aws sns delete-topic --region ${w.region} --topic-arn arn:${w.partition}:sns:${w.region}:${w.account}:${n}` },
  'AWS::CloudWatch::Alarm': { kind: 'cloudwatch-alarm', property: 'AlarmName', label: 'CloudWatch alarm', deleteCommand: (n, { region: r }) => `aws cloudwatch delete-alarms --alarm-names ${n} --region ${r}` },
};

/**
 * Named resources that cannot collide outside the stacks, and why (test/preflight-units.test.ts holds every named
 * resource of the templates to one list or the other, so a new named resource is a decision, not an oversight).
 */
export const NOT_COLLIDING: Readonly<Record<string, string>> = {
  'AWS::ECS::Service': 'a service name is unique within its cluster, and the cluster is checked',
  'AWS::ECS::TaskDefinition': 'registering a family that exists adds a revision; it never fails',
  'AWS::ApplicationAutoScaling::ScalingPolicy': 'a policy name is unique per scalable target, which the stack creates',
  'AWS::CertificateManager::Certificate': 'ACM issues any number of certificates for one domain name',
  // It can collide (an A record of that name already in the zone fails the stack), but the name is the user's domain in
  // the user's zone: the --domain path looks the record up itself (issue 16), not this fixed-name check.
  'AWS::Route53::RecordSet': 'the --domain path checks the record in its hosted zone itself',
};

export type StackKind = 'ecr' | 'infra';

export interface FixedName {
  stack: StackKind;
  logicalId: string;
  type: string;
  kind: NamedKind;
  label: string;
  name: string;
}

/** `${Ecosystem}` and the pseudo parameters in a Fn::Sub string; undefined when it refers to anything else. */
function substitute(template: string, vars: Record<string, string>): string | undefined {
  let unknown = false;
  const out = template.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
    const v = vars[name];
    if (v === undefined) unknown = true;
    return v ?? '';
  });
  return unknown ? undefined : out;
}

/** A name property's value for this ecosystem: a plain string, or a `!Sub` over known variables. */
function resolveName(value: CfnValue | undefined, vars: Record<string, string>): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value) && 'Fn::Sub' in value) {
    const sub = value['Fn::Sub'];
    if (typeof sub === 'string') return substitute(sub, vars);
  }
  return undefined;
}

export interface NameContext {
  ecosystem: string;
  region: string;
  account: string;
  partition: string;
}

/** Every resource of one template created under a fixed name, resolved; a name the preflight cannot resolve throws. */
export function fixedNamesOf(templateBody: string, stack: StackKind, ctx: NameContext): FixedName[] {
  const vars = { Ecosystem: ctx.ecosystem, 'AWS::Region': ctx.region, 'AWS::AccountId': ctx.account, 'AWS::Partition': ctx.partition };
  const resources: Record<string, CfnResource> = parseCfnYaml(templateBody).Resources;
  const out: FixedName[] = [];
  for (const [logicalId, r] of Object.entries(resources)) {
    const named = NAMED_TYPES[r.Type];
    if (!named) continue;
    const raw = r.Properties?.[named.property];
    if (raw === undefined) continue; // CloudFormation makes up a unique name: nothing to collide with
    const name = resolveName(raw, vars);
    // A name built from something only AWS knows (a !Ref to another resource) cannot be checked beforehand; the
    // templates name everything after the ecosystem, so this is a template change the preflight must learn about.
    if (name === undefined) throw new Error(`${logicalId}.${named.property} in the ${stack} template is not a name the preflight can resolve`);
    out.push({ stack, logicalId, type: r.Type, kind: named.kind, label: named.label, name });
  }
  return out;
}

/** The one line a collision is reported with, and its fix. */
export function collision(n: FixedName, stackName: string, where: NameContext): Problem {
  return {
    message: `the ${n.label} ${shown(n.name, 200)} already exists and is not part of ${stackName}: creating ${n.logicalId} (${n.type}) would fail with "already exists" and roll the stack back`,
    fix: `if it is left over from an earlier deploy, delete it: ${NAMED_TYPES[n.type]!.deleteCommand(n.name, where)}; if something else uses it, deploy under another --ecosystem`,
  };
}

/** Whether a physical id CloudFormation reports (a name, or an ARN ending in it) is this resource. */
export function samePhysical(physicalId: string, found: { name: string; arn?: string }): boolean {
  return physicalId === found.name || physicalId === found.arn || physicalId.endsWith(`/${found.name}`) || physicalId.endsWith(`:${found.name}`);
}
