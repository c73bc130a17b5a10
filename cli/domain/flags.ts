// The flags every AWS-facing command shares with `deploy`, as commander hands them over (all strings, unvalidated).
import type { CostFlags } from './cost-flags.ts';
export interface DeployFlags extends CostFlags {
  yes?: boolean;
  json?: boolean;
  ecosystem?: string;
  email?: string;
  region?: string;
  profile?: string;
  certArn?: string;
  cert?: string;
  key?: string;
  image?: string;
  endpointUrl?: string;
  registry?: string;
  deployMethod?: string;
  takeOver?: boolean;
  /** --arch: x86_64 or arm64, any case; default this machine's. */
  arch?: string;
  /** --timeout: the longest wait for each stack (90s, 10m, 1h). */
  timeout?: string;
  /** --no-cancel sets this false: a failing rollout is left to the ECS circuit breaker. */
  cancel?: boolean;
  /** --domain: serve on this host name with an ACM certificate the template makes (issue 16). */
  domain?: string;
  /** --domain-wait: how long to wait for the certificate's DNS validation (90s, 10m). */
  domainWait?: string;
  /** --replace-record: with --domain, delete a record of that name pointing elsewhere so the stack's alias replaces it. */
  replaceRecord?: boolean;
}
