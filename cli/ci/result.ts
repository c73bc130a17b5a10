// What `ci init` ends with: one `result` event (its --json last line). The wire shape is in README.md.
import type { ResultEvent } from '../core/events.ts';

export interface CiInitWritten {
  /** The workflow file, absolute. */
  path: string;
  provider: string;
  /** created: there was none; replaced: --force wrote over one. */
  action: 'created' | 'replaced';
  /** The role the workflow assumes, when written into it (--role-arn); else it reads the repository variable. */
  roleArn?: string;
  /** --aws: the role's stack, and whether it holds the account's GitHub OIDC provider. */
  role?: { stackName: string; providerCreated: boolean };
  /** The repository variables the workflow reads, each with why, for the person to set. */
  variables: Array<{ name: string; why: string }>;
  /** What to do next, in order. */
  next: string[];
}

export type CiInitResult = ResultEvent<'ci-init', CiInitWritten>;
export type CiInitEvent = CiInitResult;
