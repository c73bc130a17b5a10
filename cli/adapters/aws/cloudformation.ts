// The CloudFormation adapter's entry: assembles StackPort and TemplateCheck from the parts in cloudformation/.
import type { StackPort, TemplateCheck } from '../../ports/deploy.ts';
import type { AwsOptions } from './config.ts';
import { CfnApi, type CloudFormationDeps } from './cloudformation/client.ts';
import { StackOps } from './cloudformation/stack-ops.ts';
import { createStackPort } from './cloudformation/stacks.ts';
import { validateTemplate } from './cloudformation/template.ts';

export type { CloudFormationDeps, CloudFormationLike } from './cloudformation/client.ts';
export { stackFailure } from './cloudformation/diagnose.ts';

export interface CloudFormationPorts {
  stacks: StackPort;
  templates: TemplateCheck;
  /** Closes the SDK client's sockets (a no-op for an injected client). */
  destroy(): void;
}

export function createCloudFormationPorts(opts: AwsOptions, deps: CloudFormationDeps = {}): CloudFormationPorts {
  const api = new CfnApi(opts, deps);
  return {
    stacks: createStackPort(new StackOps(api, deps)),
    templates: {
      validate: (body) => validateTemplate(api, body),
    },
    destroy: () => api.destroy(),
  };
}
