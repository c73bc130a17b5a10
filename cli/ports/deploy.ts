// The narrow ports the deploy steps use. Adapters in cli/aws and cli/docker implement them against the AWS SDK
// and the docker CLI; tests drive the real adapters against moto, a real engine and a real registry.
import type { EcosystemReadPorts } from './ecosystem.ts';
import type { ResourceChange } from '../core/events.ts';
import type { ImagePlatform } from '../domain/architecture.ts';
import type { PreflightPorts, ServiceLinkedRolePort } from './preflight.ts';
import type { SubscriptionPort } from './ecosystem.ts';
import type { DnsRecordPort, DnsZonePort } from './dns.ts';

export interface Identity {
  account: string;
  arn: string;
  region: string;
}

export interface IdentityPort {
  /** STS GetCallerIdentity plus the region the SDK resolved. */
  whoAmI(): Promise<Identity>;
}

export interface TemplateCheck {
  /** CloudFormation ValidateTemplate: throws AbortError with the root cause when the template is invalid. */
  validate(templateBody: string, opts?: { signal?: AbortSignal }): Promise<{ parameters: string[]; capabilities: string[] }>;
}

export interface LintFinding {
  level: 'error' | 'warning' | 'informational';
  rule: string;
  message: string;
  location: string;
}

export interface LintPort {
  /**
   * cfn-lint when installed; `available: false` when not (the step then says so and goes on). All templates go to
   * one process: cfn-lint's start-up is most of its cost.
   */
  lint(templatePaths: string[], opts?: { signal?: AbortSignal }): Promise<{ available: boolean; findings: LintFinding[] }>;
}

export interface StackEventInfo {
  logicalId: string;
  resourceType: string;
  status: string;
  reason?: string;
  timestamp: string;
  /** PhysicalResourceId, once the resource has one (a certificate's is its ARN). */
  physicalId?: string;
}

export interface DeployStackRequest {
  stackName: string;
  templateBody: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  capabilities: string[];
  method: 'change-set' | 'direct';
  onEvent(e: StackEventInfo): void;
  onProgress(message: string): void;
  /** Called with the change set before it is executed; false leaves it unexecuted (and deletes it). */
  confirmChanges(changes: ResourceChange[]): Promise<boolean>;
  /** Called when the stack sits in ROLLBACK_COMPLETE and must be deleted before it can be created again. */
  confirmRecreate(status: string): Promise<boolean>;
  /** Ctrl-C, or the rollout watcher giving up on the service: stop waiting (the stack operation goes on in CloudFormation). */
  signal?: AbortSignal;
  /** How long to wait for the create or update to finish (--timeout, or the step's default); then STACK_TIMEOUT. */
  timeoutMs?: number;
}

export interface DeployStackResult {
  status: 'created' | 'updated' | 'no-changes' | 'declined';
  stackId: string;
  outputs: Record<string, string>;
  changes: ResourceChange[];
}

export interface StackPort {
  deploy(req: DeployStackRequest): Promise<DeployStackResult>;
  /** Stacks still changing when the run stops (for the Ctrl-C message): name → status. */
  describeStatus(stackName: string): Promise<string | undefined>;
  /** DescribeStacks: the live stack's tags, or undefined when there is no such stack. */
  describeTags(stackName: string): Promise<Record<string, string> | undefined>;
  /** CancelUpdateStack: CloudFormation rolls the update back (the wizard offers it on Ctrl-C). */
  cancelUpdate(stackName: string): Promise<void>;
}

export interface RegistryLogin {
  registry: string;
  username: string;
  password: string;
}

export interface RegistryAuthPort {
  /** ECR GetAuthorizationToken, decoded. */
  getLogin(): Promise<RegistryLogin>;
}

export interface RepositoryPort {
  /**
   * ECR DescribeRepositories: whether the repository exists. CloudFormation does not notice a repository deleted
   * out of band (its stack still says CREATE_COMPLETE), so the deploy asks ECR itself.
   */
  exists(name: string): Promise<boolean>;
}

/** A tagged image reference, split: `registry/repository:tag`. */
export interface TaggedImage {
  /** host[:port] */
  registry: string;
  repository: string;
  tag: string;
}

/** One image in a registry, by tag or by digest: `registry/repository:tag` or `registry/repository@sha256:…`. */
export interface RegistryImage {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** What an image's manifest says it runs on. */
export interface ImagePlatforms {
  /** The manifest digest the reference names now (an index's own, for a multi-platform image): what ECS pulls. */
  digest: string;
  /** The platforms: an index's entries, or the one a single image's config names. Unset when the registry cannot say. */
  platforms?: ImagePlatform[];
  /** Why the platforms are unknown: an emulator's ECR that serves no image config (moto has no GetDownloadUrlForLayer). */
  unknown?: string;
}

export interface ImageDigestPort {
  /**
   * The manifest digest (`sha256:…`) the tag points at now: what the infra stack then pins. A tag the registry
   * does not hold is IMAGE_NOT_FOUND. `login` is offered when the registry asks for a password (the --registry that
   * stands in for ECR on an emulator takes the ECR token's); other registries are read anonymously.
   */
  resolve(image: TaggedImage, opts?: { login?: () => Promise<RegistryLogin>; signal?: AbortSignal }): Promise<{ digest: string }>;
  /**
   * The image's manifest digest and the platforms it runs on, read from its manifest (and, for a single image, its
   * config blob), as a runtime pulling it would. Missing: IMAGE_NOT_FOUND; errors as resolve's.
   */
  platforms(image: RegistryImage, opts?: { login?: () => Promise<RegistryLogin>; signal?: AbortSignal }): Promise<ImagePlatforms>;
}

export interface DockerPort {
  ping(): Promise<{ serverVersion: string }>;
  /** `docker login --password-stdin`: the password goes over stdin only, never argv. */
  login(login: RegistryLogin): Promise<void>;
  /**
   * `docker build --platform <platform>`, streamed. Returns the image id and the platform the engine really built
   * (`docker image inspect`): a builder may ignore --platform (the legacy builder uses a local base image of
   * another architecture as it is), so the caller compares.
   */
  build(req: { context: string; dockerfile: string; tags: string[]; buildArgs: Record<string, string>; platform: string; onLine(line: string): void }): Promise<{ imageId: string; platform?: ImagePlatform }>;
  tag(source: string, target: string): Promise<void>;
  /** Whether this engine has the image (`docker image inspect`): to name a base image that would work. */
  imageExists(ref: string): Promise<boolean>;
  /** Pushes and returns the manifest digest (`sha256:…`) the registry reported. */
  push(ref: string, onLine: (line: string) => void): Promise<{ digest: string }>;
}

export interface SmokePort {
  /**
   * HTTPS GET. Without `verifyFor` it accepts the self-signed certificate; with it (--domain) the chain must verify
   * against the trusted CAs and the certificate must name that host, or it fails with DOMAIN_TLS_UNTRUSTED.
   */
  httpsGet(url: string, timeoutMs: number, check?: { verifyFor?: string }): Promise<{ status: number; body: string }>;
  /** Plain HTTP to port 80 of the host: must be refused or time out. Returns what happened. */
  httpProbe(host: string, timeoutMs: number): Promise<'refused' | 'timeout' | 'answered' | 'unresolvable'>;
}

/** ACM DescribeCertificate, as much as the deploy reads of it. */
export interface DescribedCertificate {
  arn: string;
  domain?: string;
  notAfter?: Date;
  /** ACM's KeyAlgorithm (RSA_2048, EC_prime256v1, …). */
  keyAlgorithm?: string;
  /** ISSUED, PENDING_VALIDATION, EXPIRED, … */
  status?: string;
  /** The subjectAltNames. */
  names?: string[];
  /** IMPORTED (hello-deploy's self-signed or --cert pair: never renews) or AMAZON_ISSUED (--domain: ACM renews it). */
  type?: string;
  /** ELIGIBLE or INELIGIBLE (ACM's RenewalEligibility). */
  renewalEligibility?: string;
  /** RenewalSummary.RenewalStatus, once ACM has started a renewal. */
  renewalStatus?: string;
  /** DNS validation: the records ACM looks for (DomainValidationOptions[].ResourceRecord), once it has made them. */
  validation?: ValidationRecord[];
}

/** A DNS record ACM checks to validate a certificate (always a CNAME today). */
export interface ValidationRecord {
  name: string;
  type: string;
  value: string;
}

export interface CertificatePort {
  /** Confirms an ACM certificate exists and reports its domain, expiry and what the preflight judges it by. */
  describe(arn: string): Promise<DescribedCertificate>;
  /** Validates a local pair, then imports it (tagged with the ecosystem); reuses an existing import of the same pair. */
  importPair(certFile: string, keyFile: string, ecosystem: string): Promise<{ arn: string; reused: boolean; notAfter?: Date }>;
}

export interface FileCheck {
  readable(path: string): Promise<boolean>;
  read(path: string): Promise<string>;
}

export interface DeployPorts {
  identity: IdentityPort;
  templates: TemplateCheck;
  lint: LintPort;
  stacks: StackPort;
  ecrAuth: RegistryAuthPort;
  repositories: RepositoryPort;
  docker: DockerPort;
  imageDigests: ImageDigestPort;
  smoke: SmokePort;
  certs: CertificatePort;
  files: FileCheck;
  /** Issue 12: the service-linked roles the stack relies on (made before any stack change). */
  serviceRoles: ServiceLinkedRolePort;
  /** Issue 12: what the preflight reads before the first stack change. */
  preflight: PreflightPorts;
  /** Issue 13: what the rollout watcher reads of the service while the infra stack deploys it. */
  ecosystem: RolloutReadPorts;
  /** Issue 13: the alarm topic's subscriptions, to name an e-mail not confirmed yet after the deploy. */
  subscriptions: SubscriptionPort;
  /** Issue 16: the Route 53 zone that holds --domain, and the record --replace-record deletes. */
  dns: DnsZonePort & DnsRecordPort;
}

/** The part of the lifecycle read ports (cli/ports/ecosystem.ts) the deploy's rollout watcher uses. */
export type RolloutReadPorts = Pick<EcosystemReadPorts, 'ecs' | 'targets' | 'logs'>;
