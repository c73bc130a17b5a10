// The ports a rehearsal runs on: the emulator, the local registry, the app runtime and the HTTPS probe, and the
// shapes they hand back. Adapters in cli/adapters/emulator implement them.
import type { DeployPorts, DockerPort } from './deploy.ts';
import type { LoadBalancerPort, SavedLoadBalancer } from './load-balancer.ts';
import type { DnsZoneAdminPort } from './dns.ts';

// The load balancer's shapes live in load-balancer.ts; re-exported for the rehearsal's users.
export type { LoadBalancerPort, SavedLoadBalancer, LoadOptions, LoadReport, LoadRun, LoadBalancerSpec, TargetHealthView, StartedLoadBalancer } from './load-balancer.ts';

/** moto: the moto launcher (localstack/moto_launcher.py, moto with hello-deploy's extensions); moto-plain: moto_server as released. */
export type EmulatorEngine = 'moto' | 'moto-plain' | 'localstack' | 'endpoint';

/** Which emulator a rehearsal ran against: named in its fidelity report and result. */
export interface EmulatorInfo {
  engine: EmulatorEngine;
  endpoint: string;
  version?: string;
  /** The moto launcher's extensions, as it reported applying them at start-up. */
  extensions?: string[];
}

/** Something the rehearsal started: stopped at teardown, or left running (and described) with --keep. */
export interface Running {
  what: string;
  pid?: number;
  containerId?: string;
  endpoint?: string;
  /** How to stop it by hand (printed with --keep). */
  stopHint: string;
  stop(): Promise<void>;
  /** Last resort when hello-deploy is forced out (a second Ctrl-C): synchronous, best effort. */
  killNow(): void;
  /** --keep: let hello-deploy exit while it runs on. */
  release(): void;
}

export interface StartedEmulator extends Running {
  info: EmulatorInfo;
}

export interface StartedRegistry extends Running {
  /** `127.0.0.1:PORT`, what docker login/tag/push use. */
  host: string;
  runs: string;
}

export interface StartedApp extends Running {
  runtime: 'docker' | 'gunicorn';
  url: string;
  logTail(): Promise<string>;
  /** False once the container or process has exited (it crashed on start, or was stopped). */
  isRunning(): Promise<boolean>;
  /** The container's exit code once it has exited; undefined while it runs (or when the runtime cannot tell). */
  exitCode?(): Promise<number | undefined>;
}

/** What the runtime tells the emulator about one container it runs, as the ECS agent tells ECS. */
export interface TaskReportRequest {
  endpoint: string;
  cluster: string;
  service: string;
  containerName: string;
  /** The docker container id (the task's runtimeId). */
  containerId: string;
  /** The image digest the container runs (sha256:…), when the image was pulled by digest. */
  imageDigest?: string;
}

/** A task the emulator shows for a container this rehearsal runs; also a Running (its log shipping stops with it). */
export interface ReportedTask extends Running {
  taskId: string;
  taskArn: string;
  /** Where the container's output goes, as the task definition's awslogs options say; undefined when it has none. */
  logStream?: { group: string; stream: string };
  /** False on an emulator that keeps no task state (plain moto): the task is listed, its counts are not kept. */
  countsKept: boolean;
  /** The container exited: StopTask with ECS's reason and the exit code, after the last log lines are shipped. */
  exited(exitCode: number | undefined): Promise<void>;
  /**
   * The scheduler stopped it (drained after a rollout, or failed its health checks): StopTask with that reason, after
   * the last log lines are shipped. The container itself is stopped by whoever runs it.
   */
  stoppedBy(reason: string, exitCode?: number): Promise<void>;
}

/** Where moto_server, cfn-lint and (when the app's requirements are installed) gunicorn come from. */
export interface PythonEnv {
  source: 'project-venv' | 'path' | 'cache-venv';
  /** The folder holding the tools. */
  bin: string;
  motoServer?: string;
  /** The interpreter behind moto_server: the one that runs the moto launcher. */
  python?: string;
  motoVersion?: string;
  cfnLint?: string;
  gunicorn?: string;
}

export type DockerStatus = { available: true; version: string } | { available: false; reason: string };

/** How the task definition and target group say the container runs, as far as it can be read from the template. */
export interface LocalRunSpec {
  containerName: string;
  containerPort: number;
  environment: Record<string, string>;
  /** Fargate task size: CPU units (1024 = 1 vCPU) and MiB. */
  cpuUnits?: number;
  memoryMiB?: number;
  health: { protocol: 'HTTP' | 'HTTPS'; path: string; matcher: string };
  /** The container definition's HealthCheck: Command as ECS takes it (["CMD", exe, …] or ["CMD-SHELL", script]), seconds. */
  healthCheck?: { command: string[]; intervalS: number; timeoutS: number; retries: number; startPeriodS: number };
  /** What could not be reproduced locally (e.g. the awslogs driver), in words. */
  notes: string[];
}

export interface RunRequest {
  spec: LocalRunSpec;
  /** The port to use: the spec's, or a free one when the spec's is taken on this machine. */
  port: number;
  certFile: string;
  keyFile: string;
}

export interface HttpsAnswer {
  status: number;
  body: string;
  /** SHA-256 of the certificate the server presented, colon-separated upper-case hex. */
  fingerprint: string;
}

export interface LiveRehearsalPorts extends DeployPorts {
  /** --domain: the emulator's hosted zone for the name (absent where the adapter has none: fakes). */
  dnsAdmin?: DnsZoneAdminPort;
  close(): void;
}

export interface ProgressIO {
  signal: AbortSignal;
  progress(message: string): void;
  log(line: string): void;
}

export interface EmulatedResource {
  /** Empty for the anonymous rows moto lists for resources it skipped. */
  logicalId: string;
  resourceType: string;
  physicalId: string;
  status: string;
}

/**
 * The service API that must see a resource before the fidelity report counts it created: DescribeStackResources
 * alone is CloudFormation's bookkeeping, and an emulator can list a resource its service backend never made.
 */
export type ServiceLookup =
  | { api: 'DescribeAlarms'; alarmName: string }
  | { api: 'ListSubscriptionsByTopic'; topicArn: string; subscriptionArn: string; protocol?: string; endpoint?: string }
  | { api: 'DescribeScalableTargets'; serviceNamespace: string; resourceId: string; scalableDimension: string }
  | { api: 'DescribeScalingPolicies'; serviceNamespace: string; policyArn: string }
  | { api: 'DescribeCertificate'; certificateArn: string }
  | { api: 'ListResourceRecordSets'; hostedZoneId: string; name: string; type: string };

/** found: the API lists it; note: what it says about it worth reporting (e.g. a pending e-mail subscription). */
export interface LookupAnswer {
  found: boolean;
  note?: string;
}

export interface EmulatorInspector {
  /** undefined when the stack does not exist in the emulator. */
  stackResources(stackName: string): Promise<EmulatedResource[] | undefined>;
  /** ECS DescribeServices; the raw service object, or undefined when the emulator has none. */
  describeService(cluster: string, service: string): Promise<Record<string, unknown> | undefined>;
  /** Asks a resource's own service API whether it exists (see ServiceLookup). */
  lookup(q: ServiceLookup): Promise<LookupAnswer>;
  close(): void;
}

export interface RehearsalPorts {
  /** What the emulator really holds, read back for the fidelity report. */
  inspect(endpoint: string): Promise<EmulatorInspector>;
  /** Finds (or, when allowed, creates and caches) the Python tools; `needApp` also requires the app's requirements. */
  python(io: ProgressIO, opts: { needApp: boolean }): Promise<PythonEnv>;
  startEmulator(io: ProgressIO, python: PythonEnv | undefined): Promise<StartedEmulator>;
  /** The deploy ports, aimed at the emulator with the fake credentials. */
  connect(endpoint: string, python: PythonEnv | undefined): Promise<LiveRehearsalPorts>;
  startRegistry(login: { username: string; password: string }): Promise<StartedRegistry>;
  /** Writes a new self-signed pair (key 0600); returns its fingerprint. */
  /** A self-signed pair; for `domain` (deploy --local --domain) its common name and first SAN are that name. */
  generatePair(certFile: string, keyFile: string, domain?: string): Promise<{ fingerprint: string }>;
  fingerprintOf(certFile: string): Promise<string>;
  portIsFree(port: number): Promise<boolean>;
  freePort(): Promise<number>;
  runContainer(image: string, req: RunRequest, io: ProgressIO & { warn(m: string): void }): Promise<StartedApp>;
  runGunicorn(python: PythonEnv, req: RunRequest, io: ProgressIO): Promise<StartedApp>;
  /** RunTask for the container on the emulated service, reported RUNNING, its output shipped to its log stream; `unreported` says why not. */
  reportTask(req: TaskReportRequest, io: ProgressIO & { warn(m: string): void }): Promise<ReportedTask | { unreported: string }>;
  /** GET https://127.0.0.1:port/path, accepting the self-signed certificate and recording its fingerprint. */
  /** `servername`: the TLS SNI and the Host header (a --domain rehearsal probes as a browser on that name would). */
  httpsGet(url: string, timeoutMs: number, opts?: { servername?: string }): Promise<HttpsAnswer>;
  /** The ALB stand-in; absent where the adapter has none (fakes). */
  loadBalancer?: LoadBalancerPort;
  /** Adopting a kept rehearsal's processes; absent where the adapter has none (fakes). */
  adopt?: AdoptPorts;
  /** This machine's Docker engine, before the emulator is connected: the build needs no emulator, so it starts first. */
  localDocker?(): Promise<DockerPort>;
  /** Template validation verdicts kept between rehearsals (the per-user cache); absent: always validate. */
  validationCache?: ValidationCache;
}

/** A clean validation, remembered under a hash of what it depended on (template bodies, validator versions). */
export interface ValidationVerdict {
  /** ISO time of the validation that produced it. */
  at: string;
  summary: string;
  /** The cfn-lint warnings it printed, shown again when the verdict is reused. */
  warnings: string[];
}

export interface ValidationCache {
  /** The validators' versions in `python` ("cfn-lint 1.58.0, moto 5.2.5"), part of the key; undefined: do not cache. */
  validators(python: PythonEnv | undefined): Promise<string | undefined>;
  get(key: string): Promise<ValidationVerdict | undefined>;
  put(key: string, verdict: ValidationVerdict): Promise<void>;
}

/**
 * What `deploy --local --keep` leaves behind, written where the next rehearsal of the same ecosystem finds it: the
 * processes and containers that keep running, so a second rehearsal can adopt them and roll a new image out onto
 * the kept service instead of starting afresh.
 */
export interface KeptRehearsal {
  version: 1;
  ecosystem: string;
  savedAt: string;
  workDir: string;
  emulator: { info: EmulatorInfo; pid: number; logFile?: string };
  registry?: { host: string; runs: string; pid?: number; containerId?: string; logFile?: string };
  /** The service's tasks as the rehearsal runs them: one container each, reported into the emulator. */
  tasks: KeptTask[];
  /** The load balancer's own record (LoadBalancerPort.attach reads it back). */
  loadBalancer?: SavedLoadBalancer;
  certificate: { certFile: string; keyFile: string; fingerprint: string; source: 'generated' | 'user' };
}

export interface KeptTask {
  containerId: string;
  containerName: string;
  url: string;
  port: number;
  taskArn?: string;
  taskDefinition?: string;
  /** The image it runs (repository@digest in the local registry): what a rollback runs again. */
  image?: string;
  logStream?: { group: string; stream: string };
}

/** Takes over what a kept rehearsal left running, to stop it or keep it again later. */
export interface AdoptPorts {
  /** undefined when the process is gone or its endpoint does not answer. */
  emulator(saved: KeptRehearsal['emulator']): Promise<StartedEmulator | undefined>;
  registry(saved: NonNullable<KeptRehearsal['registry']>): Promise<StartedRegistry | undefined>;
  /** undefined when the container no longer runs. */
  app(saved: KeptTask): Promise<StartedApp | undefined>;
  /** The emulator's task for a kept container: its log shipping resumes from now. */
  task(endpoint: string, cluster: string, saved: KeptTask & { taskArn: string }, io: ProgressIO & { warn(m: string): void }): Promise<ReportedTask>;
}

