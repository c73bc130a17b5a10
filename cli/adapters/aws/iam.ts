// ServiceLinkedRolePort over IAM: GetRole, then CreateServiceLinkedRole when the role is missing. IAM is global;
// the client still takes the region (the SDK's endpoint rules send every region to the partition's IAM endpoint).
import type { ServiceLinkedRolePort } from '../../ports/preflight.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { callOnce } from './errors.ts';

const nameOf = (err: unknown) => String((err as { name?: unknown }).name ?? '');
const messageOf = (err: unknown) => String((err as { message?: unknown }).message ?? '');

export function createServiceLinkedRoles(opts: AwsOptions): ServiceLinkedRolePort {
  const client = async () => {
    const { IAMClient } = await import('@aws-sdk/client-iam');
    return new IAMClient((await clientConfig(opts)) as import('@aws-sdk/client-iam').IAMClientConfig);
  };
  return {
    async exists(roleName) {
      const { GetRoleCommand } = await import('@aws-sdk/client-iam');
      return callOnce(await client(), { service: 'IAM', operation: 'GetRole', subject: `role ${roleName}`, endpoint: opts.endpointUrl }, async (iam) => {
        try {
          await iam.send(new GetRoleCommand({ RoleName: roleName }));
          return true;
        } catch (err) {
          if (nameOf(err) === 'NoSuchEntityException' || nameOf(err) === 'NoSuchEntity') return false;
          throw err;
        }
      });
    },
    async create(service) {
      const { CreateServiceLinkedRoleCommand } = await import('@aws-sdk/client-iam');
      return callOnce(await client(), { service: 'IAM', operation: 'CreateServiceLinkedRole', subject: `for ${service}`, endpoint: opts.endpointUrl }, async (iam) => {
        try {
          const out = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: service }));
          return { status: 'created' as const, ...(out.Role?.RoleName ? { roleName: out.Role.RoleName } : {}) };
        } catch (err) {
          // The role name is taken: the service made it meanwhile (or another deploy did). AWS says InvalidInput
          // "Service role name … has been taken in this account"
          // (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateServiceLinkedRole.html: the generated
          // name must be unique); moto says EntityAlreadyExists.
          if (nameOf(err) === 'EntityAlreadyExistsException' || ((nameOf(err) === 'InvalidInputException' || nameOf(err) === 'InvalidInput') && /has been taken|already exists/i.test(messageOf(err)))) {
            return { status: 'exists' as const };
          }
          throw err;
        }
      });
    },
  };
}
