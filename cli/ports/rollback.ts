// What a rollback reads besides the infra stack as it stands (StackReadPort, cli/ports/stacks.ts): the ECR
// repository's push history. Adapter: cli/adapters/aws/ecr.ts (DescribeImages); tests drive it on moto.
import type { PushedImage } from '../domain/rollback-target.ts';

export interface ImageHistoryPort {
  /**
   * ECR DescribeImages over every page (bounded): each image's digest, tags and push time. Undefined when the
   * repository does not exist.
   */
  history(repositoryName: string, opts?: { signal?: AbortSignal }): Promise<PushedImage[] | undefined>;
}
