// Wires the real adapters behind `ci init --aws`'s ports. Loaded lazily: the SDK comes in only here.
import type { AwsOptions } from './aws/config.ts';
import type { CloudFormationDeps } from './aws/cloudformation.ts';
import type { CiRolePorts } from '../ports/ci-role.ts';

export async function createCiRolePorts(aws: AwsOptions, templatePath: string, deps: CloudFormationDeps = {}): Promise<CiRolePorts & { close(): void }> {
  const [{ createCloudFormationPorts }, { createOidcProviders }, { readFile }] = await Promise.all([
    import('./aws/cloudformation.ts'),
    import('./aws/oidc.ts'),
    import('node:fs/promises'),
  ]);
  // Emulators settle in milliseconds; real CloudFormation is polled gently.
  const cfn = createCloudFormationPorts(aws, { ...(aws.endpointUrl ? { pollMs: 250 } : {}), ...deps });
  return {
    oidc: createOidcProviders(aws),
    stacks: cfn.stacks,
    reads: cfn.reads,
    template: () => readFile(templatePath, 'utf8'),
    close: () => cfn.destroy(),
  };
}
