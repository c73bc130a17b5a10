// The CloudFormation adapter's entry: assembles StackPort and TemplateCheck from the parts in cloudformation/.
import type { StackPort, TemplateCheck } from '../../ports/deploy.ts';
import type { StackResourcesPort } from '../../ports/preflight.ts';
import type { StackReadPort } from '../../ports/stacks.ts';
import type { AwsOptions } from './config.ts';
import { CfnApi, isValidation, type CloudFormationDeps, type Cfn } from './cloudformation/client.ts';
import { StackOps } from './cloudformation/stack-ops.ts';
import { createStackPort } from './cloudformation/stacks.ts';
import { createStackReads } from './cloudformation/reads.ts';
import { validateTemplate } from './cloudformation/template.ts';

export type { CloudFormationDeps, CloudFormationLike } from './cloudformation/client.ts';
export { stackFailure } from './cloudformation/diagnose.ts';

export interface CloudFormationPorts {
  stacks: StackPort;
  templates: TemplateCheck;
  /** What a stack holds, for the preflight: a resource of ours is no name collision. */
  resources: StackResourcesPort;
  /** DescribeStacks, read only: what status and the other lifecycle commands show of a stack. */
  reads: StackReadPort;
  /** Closes the SDK client's sockets (a no-op for an injected client). */
  destroy(): void;
}

export function createCloudFormationPorts(opts: AwsOptions, deps: CloudFormationDeps = {}): CloudFormationPorts {
  const api = new CfnApi(opts, deps);
  return {
    stacks: createStackPort(new StackOps(api, deps)),
    templates: {
      validate: (body, opts) => validateTemplate(api, body, opts?.signal),
    },
    reads: createStackReads(api),
    resources: {
      async physicalIds(stackName) {
        try {
          const out = await api.send<Cfn.DescribeStackResourcesCommandOutput>('DescribeStackResources', (sdk) => new sdk.DescribeStackResourcesCommand({ StackName: stackName }));
          const ids = new Map<string, string>();
          for (const r of out.StackResources ?? []) if (r.LogicalResourceId && r.PhysicalResourceId) ids.set(r.LogicalResourceId, r.PhysicalResourceId);
          return ids;
        } catch (err) {
          // "Stack with id … does not exist": nothing of ours yet.
          if (isValidation(err, /does not exist/)) return undefined;
          throw api.failure(err, `stack ${stackName}`);
        }
      },
    },
    destroy: () => api.destroy(),
  };
}
