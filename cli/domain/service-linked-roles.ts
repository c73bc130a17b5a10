// The service-linked roles the infra stack relies on, found from the resource types it creates. Each service makes
// its role on first use, but in an account that has never used the service that creation races the resource that
// needs it: an ECS cluster created in a fresh account can fail with "Unable to assume the service linked role.
// Please verify that the ECS service linked role exists" (CreateCluster only *attempts* to make the role:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html). The deploy makes sure each
// exists (IAM GetRole, else CreateServiceLinkedRole) before any stack change.
import { AbortError } from '../core/errors.ts';
import { parseCfnYaml } from './cfn-yaml.ts';

export interface ServiceLinkedRole {
  /** The role's name in AWS (what GetRole asks for). */
  roleName: string;
  /** The service principal CreateServiceLinkedRole takes (AWSServiceName). */
  service: string;
  /** What in the stack uses it. */
  usedBy: string;
  /** The page that names the role and its principal. */
  source: string;
  /** Whether a template needs it. */
  neededBy(resources: ReadonlyArray<{ type: string; properties: Record<string, unknown> }>): boolean;
}

const has = (type: string) => (rs: ReadonlyArray<{ type: string }>) => rs.some((r) => r.type === type);

export const SERVICE_LINKED_ROLES: readonly ServiceLinkedRole[] = [
  {
    roleName: 'AWSServiceRoleForECS',
    service: 'ecs.amazonaws.com',
    usedBy: 'the ECS cluster and service (task network interfaces, load balancer registration)',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using-service-linked-roles.html',
    neededBy: (rs) => has('AWS::ECS::Cluster')(rs) || has('AWS::ECS::Service')(rs),
  },
  {
    roleName: 'AWSServiceRoleForElasticLoadBalancing',
    service: 'elasticloadbalancing.amazonaws.com',
    usedBy: 'the load balancer (its network interfaces in the subnets)',
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-service-linked-roles.html',
    neededBy: (rs) => has('AWS::ElasticLoadBalancingV2::LoadBalancer')(rs) || has('AWS::ElasticLoadBalancingV2::TargetGroup')(rs),
  },
  {
    // Used when the scalable target has no RoleARN of its own (the template's choice).
    roleName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
    service: 'ecs.application-autoscaling.amazonaws.com',
    usedBy: 'the autoscaling of the ECS service (the scalable target and its CPU policy)',
    source: 'https://docs.aws.amazon.com/autoscaling/application/userguide/services-that-can-integrate-ecs.html',
    neededBy: (rs) => rs.some((r) => r.type === 'AWS::ApplicationAutoScaling::ScalableTarget' && r.properties['ServiceNamespace'] === 'ecs' && r.properties['RoleARN'] === undefined),
  },
];

/** The roles a template's resources rely on. */
export function serviceLinkedRolesFor(templateBody: string): ServiceLinkedRole[] {
  const resources = Object.values(parseCfnYaml(templateBody).Resources).map((r) => ({ type: r.Type, properties: r.Properties ?? {} }));
  return SERVICE_LINKED_ROLES.filter((role) => role.neededBy(resources));
}

/** The identity may not create a role the stack needs: what to ask an administrator for. */
export function serviceLinkedRoleDenied(role: ServiceLinkedRole, cause: unknown): AbortError {
  return new AbortError('SERVICE_LINKED_ROLE_DENIED', `The service-linked role ${role.roleName} does not exist yet, and this identity may not create it (IAM CreateServiceLinkedRole was denied); ${role.usedBy} would fail without it.`, {
    hint: `Have an administrator create it once for the account: \`aws iam create-service-linked-role --aws-service-name ${role.service}\`, or grant this identity iam:CreateServiceLinkedRole (with the condition iam:AWSServiceName = ${role.service}); then run again.`,
    cause,
  });
}
