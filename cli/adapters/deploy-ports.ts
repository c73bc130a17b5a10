// Wires the real adapters behind the deploy steps' ports. Loaded lazily: the SDK and execa come in only here.
import type { AwsOptions } from './aws/config.ts';
import type { DeployPorts } from '../ports/deploy.ts';

export interface LiveDeployPorts extends DeployPorts {
  /** Closes SDK sockets so the process can exit as soon as the run ends. */
  close(): void;
}

export async function createDeployPorts(aws: AwsOptions): Promise<LiveDeployPorts> {
  const [{ createIdentity }, { createEcrAuth, createEcrRepositories }, { createSmoke }, { createDockerPort }, { createCloudFormationPorts }, { createCfnLint }, { createCertificatePort }, { createImageDigests }, { createServiceLinkedRoles }, { createPreflightPorts }, { createEcosystemReads }, { packageRoot, cacheRoot }, { readFile, access, constants }, { default: path }] =
    await Promise.all([
      import('./aws/sts.ts'),
      import('./aws/ecr.ts'),
      import('./smoke.ts'),
      import('./docker/docker.ts'),
      import('./aws/cloudformation.ts'),
      import('./cfn-lint.ts'),
      import('./aws/acm.ts'),
      import('./image-digests.ts'),
      import('./aws/iam.ts'),
      import('./aws/preflight.ts'),
      import('./aws/ecosystem.ts'),
      import('../core/paths.ts'),
      import('node:fs/promises'),
      import('node:path'),
    ]);
  // Emulators settle in milliseconds; real CloudFormation is polled gently.
  const cfn = createCloudFormationPorts(aws, aws.endpointUrl ? { pollMs: 250 } : {});
  // No usable home folder: cfn-lint runs every time rather than creating a cache under a HOME that does not exist.
  const cache = cacheRoot();
  const repositories = createEcrRepositories(aws);
  const certs = createCertificatePort(aws);
  const files = {
    readable: (p: string) => access(p, constants.R_OK).then(() => true, () => false),
    read: (p: string) => readFile(p, 'utf8'),
  };
  const ecrAuth = createEcrAuth(aws);
  const imageDigests = createImageDigests(aws);
  // The rollout watcher's reads (ECS, target health, logs) and the alarm topic's subscriptions (the last step): each
  // client opens only when first used.
  const ecosystem = createEcosystemReads(aws);
  const dns = (await import('./aws/route53.ts')).createDnsZones(aws);
  return {
    identity: createIdentity(aws),
    ecrAuth,
    repositories,
    smoke: createSmoke(),
    docker: createDockerPort(),
    imageDigests,
    templates: cfn.templates,
    stacks: cfn.stacks,
    lint: createCfnLint({ projectRoot: packageRoot(), ...(cache ? { cacheDir: path.join(cache, 'cfn-lint') } : {}) }),
    certs,
    files,
    serviceRoles: createServiceLinkedRoles(aws),
    preflight: createPreflightPorts(aws, { repositories, certs, files, stackResources: cfn.resources, imageDigests, ecrAuth }),
    ecosystem,
    subscriptions: ecosystem.subscriptions,
    dns,
    close: () => {
      dns.close();
      cfn.destroy();
      ecosystem.close();
    },
  };
}
