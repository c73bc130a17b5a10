// What `ci init --aws` needs of AWS to set up the CI role: the account's OIDC providers (IAM
// ListOpenIDConnectProviders), the role stack's deploy, and a read of that stack (to keep a provider it created).
// Adapters: cli/adapters/aws/oidc.ts and cli/adapters/ci-role-ports.ts.
import type { StackPort } from './deploy.ts';
import type { StackReadPort } from './stacks.ts';

export interface OidcProviderPort {
  /** The ARNs of the account's OIDC providers (IAM is global: one list per account). */
  list(opts?: { signal?: AbortSignal }): Promise<string[]>;
}

export interface CiRolePorts {
  oidc: OidcProviderPort;
  stacks: StackPort;
  reads: StackReadPort;
  /** infra/hello-world-ci-role.yaml's text. */
  template(): Promise<string>;
}
