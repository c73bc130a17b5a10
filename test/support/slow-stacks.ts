// A FAKE StackPort for the rollout watcher's tests (test/rollout-watch.test.ts over fake reads,
// test/rollout-watch-moto.test.ts over moto's reads): CloudFormation waiting on a service that never stabilises.
import { InterruptedError } from '../../cli/core/errors.ts';
import type { DeployStackRequest, StackPort } from '../../cli/ports/deploy.ts';

/**
 * A FAKE StackPort whose create or update never finishes by itself (CloudFormation waiting on a service that never
 * stabilises): it confirms the change set, then waits until the step stops waiting, and throws what the adapter
 * throws then. Or it finishes when `finish` resolves (a rollout that goes well).
 */
export function slowStacks(status: string, finish?: Promise<void>): StackPort & { cancelled: string[]; requests: DeployStackRequest[] } {
  const cancelled: string[] = [];
  const requests: DeployStackRequest[] = [];
  return {
    cancelled,
    requests,
    async deploy(req) {
      requests.push(req);
      if (req.method === 'change-set' && !(await req.confirmChanges([{ action: 'Modify', logicalId: 'Service', resourceType: 'AWS::ECS::Service' }]))) throw new Error('declined');
      const stopped = new Promise<void>((resolve) => (req.signal?.aborted ? resolve() : req.signal?.addEventListener('abort', () => resolve(), { once: true })));
      await Promise.race([stopped, finish ?? new Promise(() => undefined)]);
      if (req.signal?.aborted) throw new InterruptedError(`Stopped waiting for ${req.stackName}; CloudFormation carries on with it.`);
      return { status: 'updated', stackId: `id/${req.stackName}`, outputs: { ServiceUrl: 'https://lb' }, changes: [] };
    },
    describeStatus: async () => status,
    describeTags: async () => undefined,
    cancelUpdate: async (name) => void cancelled.push(name),
  };
}
