// What the emulator really holds, for the fidelity report: DescribeStackResources per stack, and ECS
// DescribeServices for the service.
import type * as Cfn from '@aws-sdk/client-cloudformation';
import { boundedCalls } from '../aws/config.ts';
import { EMULATOR_REGION, FAKE_CREDENTIALS } from './fake-aws.ts';
import type { EmulatorInspector } from '../../ports/rehearsal.ts';

export async function createInspector(endpoint: string): Promise<EmulatorInspector> {
  const sdk = await import('@aws-sdk/client-cloudformation');
  // Explicit fake credentials and region: this client can only ever talk to the emulator.
  const cfn = new sdk.CloudFormationClient({ endpoint, region: EMULATOR_REGION, credentials: FAKE_CREDENTIALS, ...boundedCalls() });
  const ecsSdk = await import('@aws-sdk/client-ecs');
  const ecs = new ecsSdk.ECSClient({ endpoint, region: EMULATOR_REGION, credentials: FAKE_CREDENTIALS, ...boundedCalls() });
  return {
    async stackResources(stackName) {
      try {
        const out: Cfn.DescribeStackResourcesCommandOutput = await cfn.send(new sdk.DescribeStackResourcesCommand({ StackName: stackName }));
        return (out.StackResources ?? []).map((r) => ({
          logicalId: r.LogicalResourceId ?? '',
          resourceType: r.ResourceType ?? '',
          physicalId: r.PhysicalResourceId ?? '',
          status: r.ResourceStatus ?? '',
        }));
      } catch (err) {
        if (/does not exist/i.test(err instanceof Error ? err.message : '')) return undefined;
        throw err;
      }
    },
    async describeService(cluster, service) {
      const out = await ecs.send(new ecsSdk.DescribeServicesCommand({ cluster, services: [service] }));
      // Plain data for the report: the SDK's typed object, minus its Date instances.
      const found = out.services?.[0];
      return found === undefined ? undefined : (JSON.parse(JSON.stringify(found)) as Record<string, unknown>);
    },
    close: () => {
      cfn.destroy();
      ecs.destroy();
    },
  };
}
