// Wires the real adapters behind what a rollback reads (the infra stack as it stands, the ECR push history).
// Loaded lazily, like deploy-ports.ts.
import type { AwsOptions } from './aws/config.ts';
import type { DeployedStackPort, ImageHistoryPort } from '../ports/rollback.ts';

export async function createRollbackPorts(aws: AwsOptions): Promise<{ stacks: DeployedStackPort; images: ImageHistoryPort; close(): void }> {
  const [{ createCloudFormationPorts }, { createEcrImageHistory }] = await Promise.all([import('./aws/cloudformation.ts'), import('./aws/ecr.ts')]);
  const cfn = createCloudFormationPorts(aws);
  return { stacks: cfn.deployed, images: createEcrImageHistory(aws), close: () => cfn.destroy() };
}
