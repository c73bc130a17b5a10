// PreflightPorts over the read-only lookups (one small adapter per service). Every call is bounded like any AWS call
// (clientConfig), and nothing here writes.
import type { NamedKind } from '../../domain/preflight/names.ts';
import type { CertificatePort, FileCheck, ImageDigestPort, RegistryAuthPort, RepositoryPort } from '../../ports/deploy.ts';
import type { ExistingResource, NameLookupPort, PreflightPorts, StackResourcesPort, Where } from '../../ports/preflight.ts';
import type { AwsOptions } from './config.ts';
import { countVpcs } from './ec2.ts';
import { countApplicationLoadBalancers, countTargetGroups, findLoadBalancer, findTargetGroup } from './elbv2.ts';
import { findAlarm, findCluster, findLogGroup, findTopic } from './lookups.ts';
import { createQuotas } from './service-quotas.ts';

export interface PreflightDeps {
  repositories: RepositoryPort;
  certs: Pick<CertificatePort, 'describe'>;
  files: Pick<FileCheck, 'read'>;
  stackResources: StackResourcesPort;
  imageDigests: Pick<ImageDigestPort, 'platforms'>;
  ecrAuth: RegistryAuthPort;
}

/**
 * The preflight's lookup of a resource by its fixed name (NameLookupPort); destroy's leftover check uses the same one,
 * so the two never disagree on what "exists" means. `repositories` answers for ECR.
 */
export function createNameLookup(opts: AwsOptions, repositories: Pick<RepositoryPort, 'exists'>): NameLookupPort {
  const find = async (kind: NamedKind, name: string, where: Where): Promise<ExistingResource | undefined> => {
    // The region of the deploy: the identity check resolved it, and it is the one the stacks are created in.
    const aws: AwsOptions = { ...opts, region: where.region };
    switch (kind) {
      case 'ecr-repository':
        return (await repositories.exists(name)) ? { name } : undefined;
      case 'load-balancer':
        return findLoadBalancer(aws, name);
      case 'target-group':
        return findTargetGroup(aws, name);
      case 'ecs-cluster':
        return findCluster(aws, name);
      case 'log-group':
        return findLogGroup(aws, name);
      case 'sns-topic':
        return findTopic(aws, name, where);
      case 'cloudwatch-alarm':
        return findAlarm(aws, name);
    }
  };
  return { find };
}

export function createPreflightPorts(opts: AwsOptions, deps: PreflightDeps): PreflightPorts {
  return {
    names: createNameLookup(opts, deps.repositories),
    stackResources: deps.stackResources,
    quotas: createQuotas(opts),
    usage: {
      vpcs: () => countVpcs(opts),
      applicationLoadBalancers: () => countApplicationLoadBalancers(opts),
      targetGroups: () => countTargetGroups(opts),
    },
    certs: deps.certs,
    files: deps.files,
    imageDigests: deps.imageDigests,
    ecrAuth: deps.ecrAuth,
  };
}
