// The one typed channel between the engine and whatever shows it (line printer, NDJSON printer, Ink wizard).
// Events are plain data: they serialise to NDJSON unchanged, and every printer reads the same stream.
import type { ErrorShape } from './errors.ts';

export type StepId =
  | 'prerequisites'
  | 'validate-templates'
  | 'deploy-ecr-stack'
  | 'ecr-login'
  | 'docker-build'
  | 'tag-image'
  | 'push-image'
  | 'deploy-infra-stack'
  | 'result'
  // A rehearsal (`deploy --local`) adds these around the deploy steps.
  | 'emulator'
  | 'local-registry'
  | 'run-app'
  | 'teardown';

export interface PlannedStep {
  id: StepId;
  title: string;
  /** What the step will do, in words: the dry-run description sits beside the real action. */
  description: string;
  after: StepId[];
}

export interface ResourceChange {
  action: 'Add' | 'Modify' | 'Remove' | 'Import' | 'Dynamic' | string;
  logicalId: string;
  resourceType: string;
  /** 'True' | 'False' | 'Conditional' when CloudFormation says; undefined for adds. */
  replacement?: string;
}

export type EngineEvent =
  | { type: 'plan'; ecosystem: string; region: string; steps: PlannedStep[] }
  | { type: 'step-start'; step: StepId; title: string }
  | { type: 'step-progress'; step: StepId; message: string; current?: number; total?: number }
  | { type: 'log'; step: StepId; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'info'; step?: StepId; message: string }
  | { type: 'warn'; step?: StepId; message: string }
  | {
      type: 'stack-event';
      step: StepId;
      stack: string;
      logicalId: string;
      resourceType: string;
      status: string;
      reason?: string;
      timestamp: string;
    }
  | { type: 'change-set'; step: StepId; stack: string; changes: ResourceChange[] }
  | { type: 'question'; id: string; message: string; answer: unknown; answeredBy: 'user' | 'default' }
  | { type: 'step-succeeded'; step: StepId; durationMs: number; summary?: string }
  | { type: 'step-skipped'; step: StepId; reason: string }
  | { type: 'step-failed'; step: StepId; durationMs: number; error: ErrorShape }
  | FidelityEvent
  | ResultEvent;

export type ResultEvent =
  | {
      type: 'result';
      ok: true;
      url: string;
      stacks: { ecr: string; infra: string };
      image: string;
      created?: Record<string, string>;
      /** Set by a rehearsal (`deploy --local`): what ran, what was probed, and what was not rehearsed. */
      rehearsal?: RehearsalSummary;
    }
  | { type: 'result'; ok: false; error: ErrorShape; inProgress?: string[]; rehearsal?: RehearsalSummary };

// ---------------------------------------------------------------- rehearsal (deploy --local)

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

export interface EmulatorInfo {
  engine: 'moto' | 'localstack' | 'endpoint';
  endpoint: string;
  version?: string;
}

export interface FidelityReport {
  emulator?: EmulatorInfo;
  resources: ResourceFidelity[];
  notRehearsed: NotRehearsed[];
  timings: StepTiming[];
  totalMs: number;
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

export interface RehearsalSummary {
  emulator?: EmulatorInfo;
  probes?: RehearsalProbes;
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

export type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;
