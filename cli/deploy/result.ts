// What a deploy ends with: the closing `result` event, and the deploy's whole event stream (the common step
// events plus that result). The wire shape is in README.md (NDJSON events); only these fields, in this order.
import type { EngineEvent, ResultEvent } from '../core/events.ts';
import type { stackNames } from '../domain/names.ts';
import type { RolloutEvent } from '../domain/rollout.ts';

export type { RolloutEvent };

export interface Deployed {
  url: string;
  stacks: ReturnType<typeof stackNames>;
  image: string;
  created?: Record<string, string>;
  /** --domain: the name the trusted, ACM-managed certificate is for (it renews automatically). */
  domain?: string;
}

export interface DeployFailure {
  /** Stacks CloudFormation is still working on after a failure or Ctrl-C (it carries on without us). */
  inProgress?: string[];
}

export type DeployResult = ResultEvent<'deploy', Deployed, DeployFailure>;

export type DeployEvent = EngineEvent | RolloutEvent | DeployResult;
