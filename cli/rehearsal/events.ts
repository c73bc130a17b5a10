// What a rehearsal (`deploy --local`) reports beyond the common step events: the fidelity report (one `fidelity`
// event after teardown) and a `result` that carries the deploy's fields plus `rehearsal`, the summary of what ran,
// what was probed and what was not rehearsed. The wire shape is in README.md (`--local`).
import type { EngineEvent, ResultEvent, StepId } from '../core/events.ts';
import type { stackNames } from '../domain/names.ts';
import type { RolloutEvent } from '../domain/rollout.ts';
import type { EmulatorInfo } from '../ports/rehearsal.ts';

/**
 * How far the emulator went with one template resource. Only `created` is a success mark: `partial` means the
 * emulator created it but dropped some of what the template asked for; `not-emulated` means it skipped it;
 * `static-only` means only ValidateTemplate and cfn-lint saw it; `not-checked` means not even that ran.
 */
export type FidelityMark = 'created' | 'partial' | 'not-emulated' | 'static-only' | 'not-checked';

export interface ResourceFidelity {
  stack: string;
  logicalId: string;
  resourceType: string;
  mark: FidelityMark;
  /** Why, in words: e.g. "loadBalancers empty (the template wires 1)". */
  detail?: string;
}

export interface NotRehearsed {
  /** A step id, or a part of the deployment (e.g. "registry auth"). */
  what: string;
  reason: string;
}

export interface StepTiming {
  step: StepId;
  title: string;
  outcome: 'succeeded' | 'skipped' | 'failed' | 'not-run';
  durationMs: number;
}

export interface FidelityReport {
  emulator?: EmulatorInfo;
  resources: ResourceFidelity[];
  notRehearsed: NotRehearsed[];
  timings: StepTiming[];
  totalMs: number;
  /** When this rehearsal rolled out onto a kept one: the outcome and the load loop's failed-request count. */
  rollout?: RolloutSummary;
}

/** Emitted once, after teardown and before the `result` event of a rehearsal. */
export type FidelityEvent = { type: 'fidelity' } & FidelityReport;

export interface ProbeOutcome {
  path: string;
  status: number;
  /** The first bytes of the body (the app answers a short greeting). */
  body: string;
  ok: boolean;
}

export interface RehearsalProbes {
  /** How the app ran: the built image under Docker, or app/ directly under gunicorn (no Docker engine). */
  runtime: 'docker' | 'gunicorn';
  url: string;
  /** The port the task definition names, and the one used (they differ only when that port was taken here). */
  port: { template: number; used: number };
  root: ProbeOutcome;
  health: ProbeOutcome;
  /** SHA-256 fingerprints (colon-separated upper-case hex) of the certificate served and the one generated/given. */
  servedFingerprint: string;
  expectedFingerprint: string;
  fingerprintMatches: boolean;
}

/** The probes through the load balancer (HAProxy standing in for the ALB), as a user's browser would reach the app. */
export interface LoadBalancerProbes {
  url: string;
  /** The listener's port in the template, and the loopback port that stands in for it. */
  port: { template: number; used: number };
  sslPolicy: string;
  minTls: string;
  root: ProbeOutcome;
  health: ProbeOutcome;
  servedFingerprint: string;
  /** The listener's certificate as ACM GetCertificate gives it. */
  listenerFingerprint: string;
  fingerprintMatches: boolean;
  /** A handshake offering at most TLS 1.1 was refused; plain HTTP got no answer. */
  tls11Refused: boolean;
  plainHttpRefused: boolean;
  /** Health checks and the deregistration delay run this much faster than the template's (0.1 = ten times). */
  timeScale: number;
  /** --domain: the name sent as SNI and Host on every probe through the load balancer. */
  servername?: string;
  /** DescribeTargetHealth of the emulated target group after the target turned healthy. */
  targetHealth: Array<{ id: string; port: number; state: string; reason?: string }>;
}

/** A new image rolled out onto a kept rehearsal (steps/roll-out.ts), as ECS rolls out a service update. */
export interface RolloutSummary {
  from: string;
  to: string;
  /** completed: the new tasks serve and the old ones drained; rolled-back: the circuit breaker kept the old ones. */
  outcome: 'completed' | 'rolled-back' | 'unchanged';
  maximumPercent: number;
  started: number;
  failed: number;
  drained: number;
  /** The load loop through the load balancer for the whole rollout (0 failed is zero downtime). */
  load?: { sent: number; ok: number; failed: number; rps: number; failures: Array<{ what: string; count: number }> };
  /** The deregistration delay and health-check grace period, as the template gives them and as rehearsed (scaled). */
  delays: { deregistrationS: number; graceS: number; scale: number };
  durationMs: number;
}

/** One line for the fidelity report, the plain printer and the wizard alike. */
export function rolloutSummaryLine(ro: RolloutSummary): string {
  const short = (td: string) => td.split('/').pop() ?? td;
  if (ro.outcome === 'unchanged') return `Rollout: nothing to roll out, the service already runs ${short(ro.to)}`;
  const load = ro.load ? `; ${ro.load.sent} requests at ${ro.load.rps}/s through the load balancer, ${ro.load.failed} failed` : '';
  const what = ro.outcome === 'completed' ? `${ro.started} started, ${ro.drained} drained` : `rolled back after ${ro.failed} failed task${ro.failed === 1 ? '' : 's'}`;
  return `Rollout ${short(ro.from)} → ${short(ro.to)} (max ${ro.maximumPercent} %): ${what}${load}; in ${(ro.durationMs / 1000).toFixed(1)} s, delays scaled by ${ro.delays.scale} (grace ${ro.delays.graceS} s, deregistration ${ro.delays.deregistrationS} s)`;
}

export interface RehearsalSummary {
  emulator?: EmulatorInfo;
  probes?: RehearsalProbes;
  loadBalancer?: LoadBalancerProbes;
  rollout?: RolloutSummary;
  fidelity: FidelityReport;
  skipped: NotRehearsed[];
  /** The certificate the rehearsal used (public part only): generated for it, or the user's own pair. */
  certificate?: { source: 'generated' | 'user'; certFile: string; fingerprintSha256: string; certificatePem: string };
  /** Every process and container the rehearsal started, so a caller can check they are gone (or stop them after --keep). */
  started: Array<{ what: string; pid?: number; containerId?: string; endpoint?: string; stop: string }>;
  /** True when --keep left them running. */
  kept: boolean;
  /** The rehearsal's temp folder (generated pair, registry data, logs); removed at teardown unless kept. */
  workDir?: string;
}

/** A passed rehearsal: what a deploy reports (in the emulator), plus what the rehearsal proved and did not. */
export interface Rehearsed {
  url: string;
  stacks: ReturnType<typeof stackNames>;
  image: string;
  created?: Record<string, string>;
  rehearsal: RehearsalSummary;
}

/** Absent only when the rehearsal was refused before it started (bad flags): then nothing ran to summarise. */
export interface RehearsalFailure {
  rehearsal?: RehearsalSummary;
}

export type RehearsalResult = ResultEvent<'rehearsal', Rehearsed, RehearsalFailure>;

export type RehearsalEvent = EngineEvent | RolloutEvent | FidelityEvent | RehearsalResult;
