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
  | 'result';

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
  | ResultEvent;

export type ResultEvent =
  | {
      type: 'result';
      ok: true;
      url: string;
      stacks: { ecr: string; infra: string };
      image: string;
      created?: Record<string, string>;
    }
  | { type: 'result'; ok: false; error: ErrorShape; inProgress?: string[] };

export type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;
