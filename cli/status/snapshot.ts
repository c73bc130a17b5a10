// What `status` shows of one ecosystem: everything read at one moment, each part either what AWS said or why it
// could not be read. Plain data (dates as ISO strings), so the `status` event is the snapshot as it is.
import type { SubscriptionView, TargetHealthView } from '../ports/ecosystem.ts';
import type { CostEstimate } from '../domain/cost.ts';

export interface StackState {
  name: string;
  status: string;
  reason?: string;
  /** ISO time of the last update, else of the creation. */
  updatedAt?: string;
}

export interface DeploymentState {
  status: string;
  rolloutState?: string;
  rolloutStateReason?: string;
  taskDefinition: string;
  desired: number;
  running: number;
  pending: number;
  failedTasks: number;
}

export interface ServiceState {
  name: string;
  cluster: string;
  status: string;
  desired: number;
  running: number;
  pending: number;
  taskDefinition: string;
  deployments: DeploymentState[];
  /** The last service events, newest first. */
  events: Array<{ at: string; message: string }>;
}

export interface StoppedGroup {
  reason: string;
  count: number;
  /** ISO time of the newest task stopped for this reason. */
  lastAt?: string;
  /** The newest few task ids, for `logs`. */
  tasks: string[];
}

export interface CertificateState {
  arn: string;
  domain?: string;
  notAfter?: string;
  /** Whole days until notAfter (negative once expired). */
  daysLeft?: number;
  status?: string;
  /** IMPORTED (never renews: rotate it) or AMAZON_ISSUED (--domain: ACM renews it by itself). */
  type?: string;
  renewalEligibility?: string;
  renewalStatus?: string;
}

/** The alias record --domain made (the stack's DomainRecord): its name → the load balancer's DNS name. */
export interface DomainRecordState {
  name: string;
  /** Unset when the domain's zone is not in Route 53: then the stack made no record (the user's DNS provider holds it). */
  zoneId?: string;
  target?: string;
}

export interface StatusSnapshot {
  ecosystem: string;
  region: string;
  /** ISO time the reads started. */
  at: string;
  /** An --endpoint-url run: what reads back empty is "not reported by the emulator", not invented. */
  emulator: boolean;
  url?: string;
  stacks: { ecr?: StackState; infra?: StackState };
  /** The infra stack's ImageId parameter (`repo@sha256:…`) and its digest. */
  image?: string;
  digest?: string;
  architecture?: string;
  service?: ServiceState;
  /** The digests the running tasks report (ECS's imageDigest), distinct. */
  runningDigests?: string[];
  runningTasks?: number;
  stopped?: StoppedGroup[];
  targets?: TargetHealthView[];
  alarm?: { name: string; state: string; reason?: string; updatedAt?: string };
  /** The alarm topic's subscriptions. */
  subscriptions?: SubscriptionView[];
  certificate?: CertificateState;
  record?: DomainRecordState;
  cost?: CostEstimate;
  /** Each read that failed: which, and AWS's reason (the rest of the screen still stands). */
  unread: Array<{ what: string; reason: string }>;
}
