// Wires the real adapters behind the deploy steps' ports. Loaded lazily: the SDK and execa come in only here.
import type { AwsOptions } from '../aws/config.ts';
import type { DeployPorts } from '../steps/context.ts';
import { BugError } from '../engine/errors.ts';

export async function createDeployPorts(aws: AwsOptions): Promise<DeployPorts> {
  const [{ createIdentity }, { createEcrAuth }, { createSmoke }, { createDockerPort }, { readFile, access, constants }] = await Promise.all([
    import('../aws/sts.ts'),
    import('../aws/ecr.ts'),
    import('../aws/smoke.ts'),
    import('../docker/docker.ts'),
    import('node:fs/promises'),
  ]);
  const pending = (what: string) => () => Promise.reject(new BugError(`${what} is being wired`));
  return {
    identity: createIdentity(aws),
    ecrAuth: createEcrAuth(aws),
    smoke: createSmoke(),
    docker: createDockerPort(),
    templates: { validate: pending('templates') },
    lint: { lint: pending('lint') },
    stacks: { deploy: pending('stacks'), describeStatus: pending('stacks') },
    certs: { describe: pending('certs'), importPair: pending('certs') },
    files: {
      readable: (p) => access(p, constants.R_OK).then(() => true, () => false),
      read: (p) => readFile(p, 'utf8'),
    },
  };
}
