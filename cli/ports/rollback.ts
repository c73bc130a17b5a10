// What a rollback reads before it hands a target to the deploy: the infra stack as it stands (its parameters, to
// change only the image) and the ECR repository's push history. Adapters: cli/adapters/aws/cloudformation.ts
// (DescribeStacks) and cli/adapters/aws/ecr.ts (DescribeImages); tests drive them on moto.
import type { PushedImage } from '../domain/rollback-target.ts';

export interface DeployedStack {
  status: string;
  parameters: Record<string, string>;
  outputs: Record<string, string>;
}

export interface DeployedStackPort {
  /** DescribeStacks: the stack's status, parameters and outputs; undefined when there is no such stack. */
  describe(stackName: string, opts?: { signal?: AbortSignal }): Promise<DeployedStack | undefined>;
}

export interface ImageHistoryPort {
  /**
   * ECR DescribeImages over every page (bounded): each image's digest, tags and push time. Undefined when the
   * repository does not exist.
   */
  history(repositoryName: string, opts?: { signal?: AbortSignal }): Promise<PushedImage[] | undefined>;
}
