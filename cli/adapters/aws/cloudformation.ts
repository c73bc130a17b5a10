// The CloudFormation adapter's entry: assembles StackPort and TemplateCheck from the parts in cloudformation/.
import type { StackPort, TemplateCheck } from '../../ports/deploy.ts';
import type { StackResourcesPort } from '../../ports/preflight.ts';
import type { StackDeletePort } from '../../ports/destroy.ts';
import type { StackReadPort } from '../../ports/stacks.ts';
import type { AwsOptions } from './config.ts';
import { CfnApi, isValidation, type CloudFormationDeps, type Cfn } from './cloudformation/client.ts';
import { StackOps } from './cloudformation/stack-ops.ts';
import { createStackPort } from './cloudformation/stacks.ts';
import { deleteStack, lookStack } from './cloudformation/delete.ts';
import { createStackReads } from './cloudformation/reads.ts';
import { validateTemplate } from './cloudformation/template.ts';

export type { CloudFormationDeps, CloudFormationLike } from './cloudformation/client.ts';
export { stackFailure } from './cloudformation/diagnose.ts';

export interface CloudFormationPorts {
  stacks: StackPort;
  templates: TemplateCheck;
  /** What a stack holds, for the preflight: a resource of ours is no name collision. */
  resources: StackResourcesPort;
  /** destroy's: what a stack holds, and deleting it with live progress. */
  deletes: StackDeletePort;
  /** DescribeStacks, read only: what status and the other lifecycle commands show of a stack. */
  reads: StackReadPort;
  /** Closes the SDK client's sockets (a no-op for an injected client). */
  destroy(): void;
}

export function createCloudFormationPorts(opts: AwsOptions, deps: CloudFormationDeps = {}): CloudFormationPorts {
  const api = new CfnApi(opts, deps);
  const ops = new StackOps(api, deps);
  // At the port's boundary, a failed send names its operation and stack (an interruption passes through as it is).
  const mapped = <T>(stackName: string, f: () => Promise<T>): Promise<T> => f().catch((err: unknown) => Promise.reject(api.failure(err, `stack ${stackName}`)));
  return {
    stacks: createStackPort(ops),
    deletes: {
      look: (stackName) => mapped(stackName, () => lookStack(ops, stackName)),
      delete: (req) => mapped(req.stackName, () => deleteStack(ops, req)),
    },
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
