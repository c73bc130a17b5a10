// Wires the real adapters behind destroy's ports. Loaded lazily: the SDK comes in only here.
import type { AwsOptions } from './aws/config.ts';
import type { CloudFormationDeps } from './aws/cloudformation.ts';
import type { DestroyPorts } from '../ports/destroy.ts';

export async function createDestroyPorts(aws: AwsOptions, deps: CloudFormationDeps = {}): Promise<DestroyPorts & { close(): void }> {
  const [{ createCloudFormationPorts }, { createImageRepositories, createCertificateCleanup }, { createNameLookup }, { createIdentity }, { networkOfStack }, { createDnsReads }, { readFile, access, constants }] = await Promise.all([
    import('./aws/cloudformation.ts'),
    import('./aws/destroy.ts'),
    import('./aws/preflight.ts'),
    import('./aws/sts.ts'),
    import('./aws/ec2.ts'),
    import('./aws/route53-reads.ts'),
    import('node:fs/promises'),
  ]);
  // Emulators settle in milliseconds; real CloudFormation is polled gently.
  const cfn = createCloudFormationPorts(aws, { ...(aws.endpointUrl ? { pollMs: 250 } : {}), ...deps });
  const images = createImageRepositories(aws);
  const certificates = createCertificateCleanup(aws);
  return {
    stacks: cfn.deletes,
    images,
    certificates,
    leftovers: {
      identity: createIdentity(aws),
      files: { readable: (p) => access(p, constants.R_OK).then(() => true, () => false), read: (p) => readFile(p, 'utf8') },
      // The preflight's own lookups; ECR's "does the repository exist" is ListImages answering at all.
      names: createNameLookup(aws, { exists: async (name) => (await images.count(name)) !== undefined }),
      network: { ofStack: (stackName) => networkOfStack(aws, stackName) },
      dns: createDnsReads(aws),
    },
    close: () => {
      cfn.destroy();
      images.close();
      certificates.close();
    },
  };
}
