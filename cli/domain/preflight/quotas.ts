// The regional quotas the infra stack consumes, and whether they have room. A full quota fails the stack half-way
// (LimitExceeded on the VPC or the load balancer) after minutes of creating; checked here, it fails in a second.
// The quota is read from Service Quotas when it answers; otherwise AWS's documented default is used, and the report
// says which one it was.
import { parseCfnYaml } from '../cfn-yaml.ts';
import type { Problem } from './report.ts';

export type QuotaId = 'vpcs' | 'application-load-balancers' | 'target-groups';

export interface QuotaSpec {
  id: QuotaId;
  title: string;
  /** Service Quotas' service code and quota code (`aws service-quotas get-service-quota`). */
  serviceCode: string;
  quotaCode: string;
  /** AWS's documented default, used when Service Quotas gives no value. */
  documentedDefault: number;
  /** Where the default and the quota code are documented. */
  source: string;
  /** How many of these one template creates. */
  consumedBy(types: readonly { type: string; properties: Record<string, unknown> }[]): number;
}

const count = (type: string) => (rs: readonly { type: string }[]) => rs.filter((r) => r.type === type).length;

export const QUOTAS: readonly QuotaSpec[] = [
  {
    id: 'vpcs',
    title: 'VPCs per Region',
    serviceCode: 'vpc',
    quotaCode: 'L-F678F1CE',
    documentedDefault: 5,
    // Internet gateways per Region (also 5) is tied to this quota by AWS, so one check covers both.
    source: 'https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html',
    consumedBy: count('AWS::EC2::VPC'),
  },
  {
    id: 'application-load-balancers',
    title: 'Application Load Balancers per Region',
    serviceCode: 'elasticloadbalancing',
    quotaCode: 'L-53DA6B97',
    documentedDefault: 50,
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html',
    // Type defaults to application.
    consumedBy: (rs) => rs.filter((r) => r.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && (r.properties['Type'] ?? 'application') === 'application').length,
  },
  {
    id: 'target-groups',
    title: 'Target Groups per Region',
    serviceCode: 'elasticloadbalancing',
    quotaCode: 'L-B22855CB',
    // Shared by Application and Network Load Balancers: every target group in the region counts.
    documentedDefault: 3000,
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html',
    consumedBy: count('AWS::ElasticLoadBalancingV2::TargetGroup'),
  },
];

/** The resources of a template as the quota specs read them: logical id, type, properties. */
export function resourcesOf(templateBody: string): Array<{ logicalId: string; type: string; properties: Record<string, unknown> }> {
  return Object.entries(parseCfnYaml(templateBody).Resources).map(([logicalId, r]) => ({ logicalId, type: r.Type, properties: r.Properties ?? {} }));
}

/** Where a quota's value came from, in words for the report. */
export type QuotaValue =
  | { value: number; from: 'applied' | 'aws-default' }
  | { value: number; from: 'documented'; why: string };

export function quotaSource(q: QuotaValue): string {
  if (q.from === 'documented') return `AWS's documented default; Service Quotas gave no value: ${q.why}`;
  return q.from === 'applied' ? 'Service Quotas, applied value' : 'Service Quotas, AWS default';
}

export interface QuotaReading {
  spec: QuotaSpec;
  quota: QuotaValue;
  used: number;
  /** What this deploy adds: the template's count less what the ecosystem's own stack already holds. */
  needed: number;
}

/** The line the report shows for one quota, and the problem when it has no room. */
export function judgeQuota(r: QuotaReading, region: string): { note: string; problem?: Problem } {
  const { spec, quota, used, needed } = r;
  const note = `${spec.title}: ${used} of ${quota.value} used, ${needed} more needed (${quotaSource(quota)})`;
  if (used + needed <= quota.value) return { note };
  return {
    note,
    problem: {
      message: `${spec.title} in ${region} is full: ${used} of ${quota.value} in use and this deploy needs ${needed} more (quota from ${quotaSource(quota)}); the stack would fail with a limit error`,
      fix: `delete ${spec.title.split(' per ')[0]!.toLowerCase()} you no longer use, or ask AWS for more: aws service-quotas request-service-quota-increase --service-code ${spec.serviceCode} --quota-code ${spec.quotaCode} --desired-value ${used + needed} --region ${region}`,
    },
  };
}
