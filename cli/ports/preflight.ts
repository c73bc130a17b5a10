// The ports the preflight and the service-linked role check talk through. Every one of them only reads, except
// ServiceLinkedRolePort.create, which the deploy uses and `doctor` is never handed (its ports are read-only by type).
import type { NamedKind } from '../domain/preflight/names.ts';
import type { CertificatePort, FileCheck, ImageDigestPort, RegistryAuthPort } from './deploy.ts';

export interface ServiceLinkedRolePort {
  /** IAM GetRole: whether a role of that name exists (NoSuchEntity is "no"). */
  exists(roleName: string): Promise<boolean>;
  /**
   * IAM CreateServiceLinkedRole for a service principal. `exists` when IAM answers that the role is already there
   * (created meanwhile by the service or another deploy). AccessDenied is thrown as AWS_ACCESS_DENIED.
   */
  create(service: string): Promise<{ status: 'created' | 'exists'; roleName?: string }>;
}

/** Account, region and partition a lookup is made in (an SNS topic is found by its ARN). */
export interface Where {
  account: string;
  region: string;
  partition: string;
}

export interface ExistingResource {
  name: string;
  /** Its ARN, when the service has one to give: CloudFormation reports some resources by ARN. */
  arn?: string;
}

export interface NameLookupPort {
  /** The resource of that kind and name in the region, or undefined when there is none. */
  find(kind: NamedKind, name: string, where: Where): Promise<ExistingResource | undefined>;
}

export interface StackResourcesPort {
  /** DescribeStackResources: logical id → physical id, or undefined when there is no such stack. */
  physicalIds(stackName: string): Promise<Map<string, string> | undefined>;
}

export type QuotaAnswer = { value: number; from: 'applied' | 'aws-default' } | { unavailable: string };

export interface QuotaPort {
  /** Service Quotas: the applied value (GetServiceQuota), else AWS's default (GetAWSDefaultServiceQuota); never throws. */
  quota(serviceCode: string, quotaCode: string): Promise<QuotaAnswer>;
}

export interface UsagePort {
  /** EC2 DescribeVpcs: the VPCs in the region (the default VPC counts too). */
  vpcs(): Promise<number>;
  /** ELBv2 DescribeLoadBalancers: load balancers of type application. */
  applicationLoadBalancers(): Promise<number>;
  /** ELBv2 DescribeTargetGroups: every target group (the quota is shared by ALBs and NLBs). */
  targetGroups(): Promise<number>;
}

/** What the preflight's checks are handed: read-only lookups (a new check adds its own port here). */
export interface PreflightPorts {
  names: NameLookupPort;
  stackResources: StackResourcesPort;
  quotas: QuotaPort;
  usage: UsagePort;
  certs: Pick<CertificatePort, 'describe'>;
  files: Pick<FileCheck, 'read'>;
  /** The --image's manifest (and a single image's config): what it runs on. Reads only. */
  imageDigests: Pick<ImageDigestPort, 'platforms'>;
  /** ECR GetAuthorizationToken, for the --registry that stands in for ECR on an emulator: a token, nothing created. */
  ecrAuth: RegistryAuthPort;
}
