// What `destroy --stale` emits: the sweep's report (which ecosystems are stale, which are not and why, and what
// deleting saves), then for each stale ecosystem its destroy's step events between `stale-start` and
// `stale-destroyed`, and the closing `result`. The wire shape is in README.md ("Sweeping stale ecosystems").
import type { ErrorShape } from '../core/errors.ts';
import type { EngineEvent, ResultEvent } from '../core/events.ts';

/** One ecosystem as the sweep reads it (the shape `status --all` lists). */
export interface SweepRow {
  ecosystem: string;
  state: string;
  stacks: string[];
  /** The git branch the stacks record (their hello-deploy:branch tag); absent: none recorded. */
  branch?: string;
  desired?: number;
  /** USD per month for the desired count (an estimate; cli/domain/cost.ts); absent with no infra stack. */
  monthly?: number;
  /** Why the desired count could not be read (then there is an infra stack but no price). */
  unread?: string;
}

export interface StaleEcosystem {
  ecosystem: string;
  branch: string;
  state: string;
  stacks: string[];
  monthly?: number;
  unread?: string;
}

export interface StalePlanEvent {
  type: 'stale-plan';
  remote: string;
  region: string;
  emulator: boolean;
  /** How many branches the remote has. */
  branches: number;
  stale: StaleEcosystem[];
  /** Ecosystems whose recorded branch is still on the remote. */
  live: string[];
  /** Ecosystems with no recorded branch: never stale (deployed with --ecosystem, or by an older hello-deploy). */
  unowned: string[];
  /** What deleting the stale ones saves, USD per month (the sum of those that could be priced). */
  savesMonthly: number;
  /** Stale ecosystems whose cost could not be read (not in savesMonthly); one with no infra stack runs nothing. */
  unpriced: string[];
  costBasis: string;
  dryRun: boolean;
}

export type StaleStartEvent = { type: 'stale-start'; ecosystem: string; branch: string; index: number; total: number };

/** One stale ecosystem's destroy, done: what it deleted, or why it failed. No `ok`: only the closing result has one. */
export type StaleDestroyedEvent = { type: 'stale-destroyed'; ecosystem: string; succeeded: boolean; deleted: string[]; error?: ErrorShape };

export interface SweepTally {
  remote: string;
  dryRun: boolean;
  stale: StaleEcosystem[];
  /** The ecosystems deleted (all of them stale). */
  deleted: string[];
  savesMonthly: number;
}

export type SweepResult = ResultEvent<
  'destroy-stale',
  SweepTally & { nothingToDelete: boolean },
  /** notDeleted: stale ecosystems neither deleted nor failed (Ctrl-C stopped the sweep first). */
  SweepTally & { failed: Array<{ ecosystem: string; error: ErrorShape }>; notDeleted: string[] }
>;

export type SweepEvent = EngineEvent | StalePlanEvent | StaleStartEvent | StaleDestroyedEvent | SweepResult;
