// Wires the real adapters behind destroy's ports. Loaded lazily: the SDK comes in only here.
import type { AwsOptions } from './aws/config.ts';
import type { CloudFormationDeps } from './aws/cloudformation.ts';
import type { DestroyPorts } from '../ports/destroy.ts';

export async function createDestroyPorts(aws: AwsOptions, deps: CloudFormationDeps = {}): Promise<DestroyPorts & { close(): void }> {
  const [{ createCloudFormationPorts }, { createImageRepositories, createCertificateCleanup }] = await Promise.all([import('./aws/cloudformation.ts'), import('./aws/destroy.ts')]);
  // Emulators settle in milliseconds; real CloudFormation is polled gently.
  const cfn = createCloudFormationPorts(aws, { ...(aws.endpointUrl ? { pollMs: 250 } : {}), ...deps });
  const images = createImageRepositories(aws);
  const certificates = createCertificateCleanup(aws);
  return {
    stacks: cfn.deletes,
    images,
    certificates,
    close: () => {
      cfn.destroy();
      images.close();
      certificates.close();
    },
  };
}
