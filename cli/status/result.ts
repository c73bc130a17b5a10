// What `status` prints: one `status` event per snapshot (each refresh under --watch), or one `status-all` event
// with every ecosystem, then the closing `result`: the verdict and its reasons. Wire shape: README.md (status).
import type { EngineEvent, ResultEvent } from '../core/events.ts';
import type { EcosystemRow } from './all.ts';
import type { Verdict } from './judge.ts';
import type { StatusSnapshot } from './snapshot.ts';

export type StatusEvent = { type: 'status'; verdict: Verdict } & StatusSnapshot;

export interface StatusAllEvent {
  type: 'status-all';
  region: string;
  at: string;
  emulator: boolean;
  ecosystems: EcosystemRow[];
  /** "estimate, us-east-1 prices of …": what each row's monthly figure is. */
  costBasis: string;
  /** USD per month across the priced ecosystems. */
  totalMonthly: number;
  /** How many record no git branch (deployed with --ecosystem, or by an older hello-deploy). */
  noBranch: number;
  /** How many record a branch origin no longer had at the last fetch; absent when origin's branches are unknown. */
  branchGone?: number;
}

export interface StatusVerdictFields {
  region: string;
  /** The ecosystem judged; absent with --all. */
  ecosystem?: string;
  all?: boolean;
  healthy: boolean;
  reasons: string[];
  warnings: string[];
}

export type StatusResult = ResultEvent<'status', StatusVerdictFields, StatusVerdictFields>;

export type StatusOutput = EngineEvent | StatusEvent | StatusAllEvent | StatusResult;
