// What `hello-deploy destroy` needs of AWS: the stacks (what they hold, and deleting them with live progress), the
// ECR repository's images, and the ACM certificate hello-deploy imported for the ecosystem. Adapters:
// cli/adapters/aws/cloudformation/delete.ts and cli/adapters/aws/destroy.ts (the leftover check: the preflight's
// lookups and cli/adapters/aws/ec2.ts); tests drive them on moto, and the
// DELETE_FAILED shapes moto cannot produce on the FakeCloudFormation.
import type { NetworkResource } from '../domain/leftovers.ts';
import type { FileCheck, IdentityPort, StackEventInfo } from './deploy.ts';
import type { NameLookupPort } from './preflight.ts';
import type { DnsReadPort } from './dns.ts';

export interface StackResourceView {
  logicalId: string;
  resourceType: string;
  physicalId?: string;
  status: string;
}

/** A live stack, as destroy names it before deleting anything. */
export interface StackView {
  name: string;
  id: string;
  status: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  outputs: Record<string, string>;
  resources: StackResourceView[];
}

export interface StackDeleteRequest {
  stackName: string;
  /**
   * Logical ids to keep (DeleteStack RetainResources). CloudFormation accepts them only for a stack in DELETE_FAILED,
   * and only ids that failed: the adapter passes those of them that did, and none otherwise.
   */
  retain?: readonly string[];
  /** How long to wait for the stack to be gone before STACK_TIMEOUT (CloudFormation carries on without us). */
  timeoutMs: number;
  onEvent(e: StackEventInfo): void;
  onProgress(message: string, current?: number, total?: number): void;
  /** Ctrl-C: stop waiting (the deletion goes on in CloudFormation; a re-run resumes it). */
  signal?: AbortSignal;
}

export interface FailedResource {
  logicalId: string;
  resourceType: string;
  physicalId?: string;
  reason: string;
}

export type StackDeleteOutcome =
  /** `resumed`: it was already DELETE_IN_PROGRESS (an earlier, interrupted run): waited for, not deleted again. */
  | { status: 'deleted'; resumed: boolean; resources: number; retained: FailedResource[]; warning?: string }
  | { status: 'absent' }
  | { status: 'failed'; reason?: string; failed: FailedResource[] };

export interface StackDeletePort {
  /** DescribeStacks + DescribeStackResources; undefined when there is no such stack (or it is DELETE_COMPLETE). */
  look(stackName: string): Promise<StackView | undefined>;
  /** DeleteStack (unless it is already being deleted), then follows it until it is gone or DELETE_FAILED. */
  delete(req: StackDeleteRequest): Promise<StackDeleteOutcome>;
}

export interface ImageRepositoryPort {
  /** ECR ListImages: how many images the repository holds; undefined when there is no such repository. */
  count(repository: string, opts?: { signal?: AbortSignal }): Promise<number | undefined>;
  /** ECR BatchDeleteImage of every image (100 per call); how many were deleted. A missing repository is 0. */
  empty(repository: string, opts?: { signal?: AbortSignal }): Promise<number>;
  /** ECR DeleteRepository (force); false when there was none. */
  remove(repository: string): Promise<boolean>;
}

export interface ManagedCertificate {
  arn: string;
  domain?: string;
  /** DescribeCertificate's InUseBy: the load balancers (and other services) still using it. */
  inUseBy: string[];
  tags: Record<string, string>;
}

export interface CertificateCleanupPort {
  /** ListCertificates + ListTagsForCertificate: those tagged `Ecosystem=<ecosystem>` and `ManagedBy=hello-deploy`. */
  managed(ecosystem: string): Promise<ManagedCertificate[]>;
  /** DescribeCertificate + its tags; undefined when ACM has no such certificate. */
  describe(arn: string): Promise<ManagedCertificate | undefined>;
  /** DeleteCertificate; false when ACM refuses because something uses it (ResourceInUseException). */
  delete(arn: string): Promise<{ deleted: true } | { deleted: false; reason: string }>;
}

export interface NetworkByStackPort {
  /**
   * EC2 DescribeVpcs, DescribeSubnets, DescribeInternetGateways, DescribeSecurityGroups and DescribeRouteTables, each
   * filtered on the tag `aws:cloudformation:stack-name` = stackName: what of that stack's network still exists.
   */
  ofStack(stackName: string): Promise<NetworkResource[]>;
}

/** What destroy's last, read-only step looks through: who and where (for the names), the preflight's lookups, EC2. */
export interface LeftoverPorts {
  identity: IdentityPort;
  /** The two templates, to read the names they give (as the preflight does). */
  files: FileCheck;
  names: NameLookupPort;
  network: NetworkByStackPort;
  /** Route 53 reads, for a --domain ecosystem's alias record (absent: that record is not checked, and said so). */
  dns?: DnsReadPort;
}

export interface DestroyPorts {
  stacks: StackDeletePort;
  images: ImageRepositoryPort;
  certificates: CertificateCleanupPort;
  leftovers: LeftoverPorts;
}
