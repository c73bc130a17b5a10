// IdentityPort over STS: who the SDK's credential chain says we are, and which region it resolved.
// This is the first AWS call of a deploy, so it is where missing or expired credentials surface.
import { AbortError } from '../../core/errors.ts';
import type { Identity, IdentityPort } from '../../ports/deploy.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { CREDENTIALS_HINT, callOnce } from './errors.ts';

export function createIdentity(opts: AwsOptions): IdentityPort {
  return {
    async whoAmI(): Promise<Identity> {
      const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
      const client = new STSClient((await clientConfig(opts)) as import('@aws-sdk/client-sts').STSClientConfig);
      return callOnce(client, { service: 'STS', operation: 'GetCallerIdentity', endpoint: opts.endpointUrl }, async (sts) => {
        // The region first: without one nothing can be sent, and that is a usage problem, not a failed call.
        const region = await sts.config.region();
        const out = await sts.send(new GetCallerIdentityCommand({}));
        if (!out.Account || !out.Arn) {
          throw new AbortError('AWS_CREDENTIALS', 'STS GetCallerIdentity returned no account', { hint: CREDENTIALS_HINT });
        }
        return { account: out.Account, arn: out.Arn, region };
      });
    },
  };
}
