// What the lifecycle commands (status, logs, rollback, alarm test) and the deploy's rollout watcher read of a
// running ecosystem: the ECS service and its tasks, target health, the alarm, the SNS subscriptions and the logs.
// Read only, except `setAlarmState` (alarm test). Adapters: cli/adapters/aws/ecosystem.ts; tests drive them on moto.
// Every field is what AWS returns, renamed plainly; what an emulator leaves out is optional.

export interface ServiceDeployment {
  id: string;
  /** PRIMARY (the newest) or ACTIVE (being replaced). */
  status: string;
  /** IN_PROGRESS, COMPLETED or FAILED (ECS's rolloutState); unset when the API gives none (an emulator). */
  rolloutState?: string;
  rolloutStateReason?: string;
  taskDefinition: string;
  desired: number;
  running: number;
  pending: number;
  failedTasks: number;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface ServiceEvent {
  id: string;
  at: Date;
  message: string;
}

export interface ServiceView {
  name: string;
  cluster: string;
  /** ACTIVE, DRAINING, INACTIVE. */
  status: string;
  desired: number;
  running: number;
  pending: number;
  taskDefinition: string;
  deployments: ServiceDeployment[];
  /** Newest first, as ECS gives them. */
  events: ServiceEvent[];
}

export interface ContainerView {
  name: string;
  image?: string;
  /** The digest the task really runs (sha256:…), when ECS reports it. */
  imageDigest?: string;
  lastStatus?: string;
  exitCode?: number;
  reason?: string;
}

export interface TaskView {
  arn: string;
  /** The last part of the ARN: what log streams and the console call the task. */
  id: string;
  lastStatus: string;
  desiredStatus: string;
  taskDefinition: string;
  /** `service:<name>` for a service's tasks, `family:<family>` for RunTask's default (ECS's task group). */
  group?: string;
  /** ECS's stopCode (TaskFailedToStart, EssentialContainerExited, …) */
  stopCode?: string;
  stoppedReason?: string;
  startedAt?: Date;
  stoppedAt?: Date;
  createdAt?: Date;
  containers: ContainerView[];
}

export interface TargetHealthView {
  id: string;
  port?: number;
  /** healthy, unhealthy, initial, draining, unused, unavailable */
  state: string;
  /** Elb.InitialHealthChecking, Target.ResponseCodeMismatch, … */
  reason?: string;
  description?: string;
}

export interface AlarmView {
  name: string;
  /** OK, ALARM, INSUFFICIENT_DATA */
  state: string;
  reason?: string;
  updatedAt?: Date;
  actions: string[];
}

export interface SubscriptionView {
  protocol: string;
  endpoint: string;
  /** The subscription ARN, or `PendingConfirmation` until the recipient confirms (as SNS reports it). */
  arn: string;
  pending: boolean;
}

export interface LogEventView {
  id: string;
  stream: string;
  at: Date;
  message: string;
}

/** The names inside an ecosystem, as the infra stack's outputs give them (or the template's naming rule). */
export interface ServiceRef {
  cluster: string;
  service: string;
}

export interface EcsReadPort {
  /** DescribeServices; undefined when the cluster or service does not exist (or is INACTIVE and gone). */
  service(ref: ServiceRef, opts?: { signal?: AbortSignal }): Promise<ServiceView | undefined>;
  /** ListTasks (+ DescribeTasks) of the service: RUNNING (and PENDING) or STOPPED ones, newest first; at most `limit` (default 100). */
  tasks(ref: ServiceRef, which: 'running' | 'stopped', opts?: { limit?: number; signal?: AbortSignal }): Promise<TaskView[]>;
  /** DescribeTasks of given ARNs or ids. */
  describeTasks(cluster: string, tasks: string[], opts?: { signal?: AbortSignal }): Promise<TaskView[]>;
}

export interface TargetHealthPort {
  /** DescribeTargetGroups by name, then DescribeTargetHealth; undefined when the target group does not exist. */
  targets(targetGroupName: string, opts?: { signal?: AbortSignal }): Promise<TargetHealthView[] | undefined>;
}

export interface AlarmPort {
  /** DescribeAlarms by name; undefined when there is no such alarm. */
  describe(alarmName: string, opts?: { signal?: AbortSignal }): Promise<AlarmView | undefined>;
  /** SetAlarmState: the state holds until the next evaluation of the alarm's metric. */
  setState(alarmName: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', reason: string): Promise<void>;
}

export interface SubscriptionPort {
  /** ListSubscriptionsByTopic (all pages, bounded); undefined when the topic does not exist. */
  list(topicArn: string, opts?: { signal?: AbortSignal }): Promise<SubscriptionView[] | undefined>;
}

export interface LogsPort {
  /**
   * FilterLogEvents over the group from `startMs`, oldest first, optionally only the streams whose name starts with
   * `streamPrefix`. One page per call; `nextToken` continues. Undefined when the log group does not exist.
   */
  events(group: string, query: { startMs: number; endMs?: number; streamPrefix?: string; nextToken?: string; limit?: number }, opts?: { signal?: AbortSignal }): Promise<{ events: LogEventView[]; nextToken?: string } | undefined>;
  /** GetLogEvents from the end of one stream: its last `limit` lines, oldest first; [] when the stream does not exist. */
  tail(group: string, stream: string, limit: number, opts?: { signal?: AbortSignal }): Promise<LogEventView[]>;
}

export interface EcosystemReadPorts {
  ecs: EcsReadPort;
  targets: TargetHealthPort;
  alarms: AlarmPort;
  subscriptions: SubscriptionPort;
  logs: LogsPort;
}

/** The awslogs stream of a task's container: `<prefix>/<container>/<task id>` (the template's prefix is hello-world). */
export const logStreamOf = (taskId: string, container = 'hello-world', prefix = 'hello-world') => `${prefix}/${container}/${taskId}`;
