// The load balancer's port: HAProxy standing in for the ALB (start, adopt, add and drain targets), read from and
// reported to the emulated ELBv2, and the bounded load loop that proves a rollout drops nothing.
import type { Running } from './rehearsal.ts';

export interface LoadBalancerPort {
  /** Where haproxy is, or undefined when it is not installed. */
  haproxy(): string | undefined;
  read(endpoint: string, stackName: string): Promise<LoadBalancerSpec>;
  registerTarget(endpoint: string, targetGroupArn: string, target: { id: string; port: number }): Promise<void>;
  /** DeregisterTargets: after drainTarget, so DescribeTargetHealth stops listing it. */
  deregisterTarget(endpoint: string, targetGroupArn: string, target: { id: string; port: number }): Promise<void>;
  /** False when the emulator cannot take the report (plain moto): its DescribeTargetHealth keeps its own answer. */
  reportTargetHealth(endpoint: string, targetGroupArn: string, views: TargetHealthView[]): Promise<boolean>;
  describeTargetHealth(endpoint: string, targetGroupArn: string): Promise<Array<{ id: string; port: number; state: string; reason?: string }>>;
  start(req: { haproxy: string; spec: LoadBalancerSpec; certFile: string; keyFile: string; port: number; timeScale: number }, signal: AbortSignal): Promise<StartedLoadBalancer>;
  /** A real TLS handshake offering at most `maxVersion`: the protocol agreed, or undefined when refused. */
  handshake(port: number, maxVersion: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'): Promise<string | undefined>;
  /** True when a plain-HTTP request to 127.0.0.1:port gets an HTTP answer. */
  plainHttpAnswered(port: number): Promise<boolean>;
  /** Takes over a load balancer a kept rehearsal left running; undefined when its process is gone. */
  attach(saved: SavedLoadBalancer): Promise<StartedLoadBalancer | undefined>;
  /** A bounded load loop on a loopback URL (anything else is refused), as a browser would send it. */
  startLoad(url: string, opts: LoadOptions): LoadRun;
}

/** A load balancer kept with --keep, as JSON, so that a later hello-deploy process can take it over. */
export interface SavedLoadBalancer {
  pid: number;
  port: number;
  url: string;
  statsSocket: string;
  configFile: string;
  logFile: string;
  timeScale: number;
  /** What a target added later is checked with, and the deregistration delay (unscaled, as the emulator holds it). */
  targetGroup: Pick<LoadBalancerSpec['targetGroup'], 'arn' | 'protocol' | 'healthCheck' | 'deregistrationDelaySeconds'>;
}

export interface LoadOptions {
  /** Requests started per second (open loop: a slow answer does not slow the next request). */
  rps: number;
  /** Hard cap on requests sent. */
  maxRequests: number;
  /** Per request. */
  timeoutMs: number;
  /** Hard cap on the run's length; default: the time maxRequests take at rps, plus one timeout. */
  maxDurationMs?: number;
}

export interface LoadReport {
  sent: number;
  ok: number;
  /** A network error, a timeout or a 5xx. */
  failed: number;
  /** The most frequent failures (top 5): an HTTP status or an error message. */
  failures: Array<{ status?: number; error?: string; count: number }>;
  p50Ms: number;
  p99Ms: number;
  durationMs: number;
}

export interface LoadRun {
  /** Counts so far, for progress lines. */
  progress(): { sent: number; ok: number; failed: number };
  /** Stops sending, waits for the requests in flight (each bounded by timeoutMs), and reports. */
  stop(): Promise<LoadReport>;
}

/** The ALB as the emulator holds it (DescribeLoadBalancers, DescribeListeners, DescribeTargetGroups, ACM). */
export interface LoadBalancerSpec {
  loadBalancerArn: string;
  dnsName: string;
  listener: { arn: string; port: number; protocol: string; sslPolicy: string; minTls: 'TLSv1.0' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'; certificateArn: string; certificatePem: string; certificateFingerprint: string };
  targetGroup: {
    arn: string;
    protocol: 'HTTP' | 'HTTPS';
    healthCheck: { protocol: 'HTTP' | 'HTTPS'; path: string; intervalSeconds: number; timeoutSeconds: number; healthyThreshold: number; unhealthyThreshold: number; matcher: string };
    deregistrationDelaySeconds: number;
  };
  /** Registered in the emulated target group: 127.0.0.1 and the app's port. */
  targets: Array<{ id: string; port: number }>;
}

export interface TargetHealthView {
  id: string;
  port: number;
  state: 'initial' | 'healthy' | 'unhealthy' | 'draining';
  reason?: string;
  description?: string;
  /** HAProxy's own words (status and check), for the log. */
  haproxy: string;
}

export interface StartedLoadBalancer extends Running {
  url: string;
  port: number;
  /** HAProxy's current view of every current target (its stats socket), `draining` while one drains. */
  targetHealth(): Promise<TargetHealthView[]>;
  logTail(): Promise<string>;
  /** A new target, checked as the others; no traffic until its healthy threshold of checks pass (ELB's `initial`). */
  addTarget(t: { id: string; port: number }): Promise<void>;
  /** ELB deregistration: no new requests; removed when nothing is in flight or after delayMs, whichever first. */
  drainTarget(t: { id: string; port: number }, delayMs: number): Promise<void>;
  /** What attach() needs to take it over from another process. */
  saved(): SavedLoadBalancer;
}
