// Wires the real adapters behind what a rollback reads (the infra stack as it stands, the ECR push history).
// Loaded lazily, like deploy-ports.ts.
import type { AwsOptions } from './aws/config.ts';
import type { ImageHistoryPort } from '../ports/rollback.ts';
import type { StackReadPort } from '../ports/stacks.ts';

export async function createRollbackPorts(aws: AwsOptions): Promise<{ stacks: StackReadPort; images: ImageHistoryPort; close(): void }> {
  const [{ createCloudFormationPorts }, { createEcrImageHistory }] = await Promise.all([import('./aws/cloudformation.ts'), import('./aws/ecr.ts')]);
  const cfn = createCloudFormationPorts(aws);
  return { stacks: cfn.reads, images: createEcrImageHistory(aws), close: () => cfn.destroy() };
}
