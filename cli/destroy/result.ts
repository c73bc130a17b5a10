// What `destroy` emits besides the common step events: the inventory it is about to delete (before the
// confirmation), and the closing `result`. The wire shape is in README.md (hello-deploy destroy).
import type { EngineEvent, ResultEvent } from '../core/events.ts';
import type { Leftover } from '../domain/leftovers.ts';

export interface InventoryStack {
  name: string;
  status: string;
  resources: Array<{ logicalId: string; resourceType: string; physicalId?: string }>;
}

export interface InventoryCertificate {
  arn: string;
  domain?: string;
  /** delete: imported by hello-deploy for this ecosystem, deleted once nothing uses it; keep: not ours. */
  action: 'delete' | 'keep';
  reason?: string;
}

/**
 * The --domain resources of the infra stack (template logical ids DomainCertificate and DomainRecord): CloudFormation
 * deletes them with the stack, the listener that uses the certificate before it (the listener refers to it).
 */
export interface InventoryDomain {
  name: string;
  /** The ACM certificate's ARN (DomainCertificate's physical id). */
  certificate?: string;
  /** The alias record's name (DomainRecord's physical id), and its zone. */
  record?: string;
  zoneId?: string;
}

/** Everything of the ecosystem destroy found, in the order it deletes it. */
export interface Inventory {
  ecosystem: string;
  /** The stacks that exist, infra first. */
  stacks: InventoryStack[];
  /** The ECR repository and how many images it holds (undefined: there is none). */
  repository?: { name: string; images: number; keep: boolean };
  certificates: InventoryCertificate[];
  /** With --domain: the certificate and record the infra stack holds. */
  domain?: InventoryDomain;
  /** The saved answers file, when there is one. */
  answersFile?: string;
  /** What will be left on purpose, and why. */
  kept: string[];
  /** Nothing of the ecosystem exists: nothing to delete. */
  nothing: boolean;
  /**
   * What deleting saves a month: the infra stack's template priced with its parameters, at the autoscaling minimum
   * (destroy reads no task count) and up to MaxTasks; absent without an infra stack or without the templates.
   */
  saves?: { monthly: number; high: number; tasks: { low: number; high: number }; architecture: string; basis: string };
}

export type DestroyPlanEvent = { type: 'destroy-plan' } & Inventory;

export interface DestroyTally {
  ecosystem: string;
  deleted: string[];
  /** Resources kept out of a DELETE_FAILED stack (RetainResources): left in the account, outside any stack. */
  retained: string[];
  /** What was left on purpose (--keep-images, a certificate something else uses), each with why. */
  kept: string[];
  /** What the last step found still there (on an emulator, its known gaps marked `emulatorGap`); [] when it did not run. */
  leftovers: Leftover[];
  /** The last step ran and found nothing of the ecosystem left (besides what was kept or retained on purpose). */
  verified: boolean;
}

export type DestroyResult = ResultEvent<'destroy', DestroyTally & { nothingToDelete: boolean }, DestroyTally & { inProgress: string[] }>;

export type DestroyEvent = EngineEvent | DestroyPlanEvent | DestroyResult;
