// OidcProviderPort over IAM ListOpenIDConnectProviders (one call: the API is not paginated,
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOpenIDConnectProviders.html). IAM is global; the
// client still takes the region (the SDK's endpoint rules send every region to the partition's IAM endpoint).
import type { OidcProviderPort } from '../../ports/ci-role.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { callOnce } from './errors.ts';

export function createOidcProviders(opts: AwsOptions): OidcProviderPort {
  return {
    async list() {
      const { IAMClient, ListOpenIDConnectProvidersCommand } = await import('@aws-sdk/client-iam');
      const client = new IAMClient((await clientConfig(opts)) as import('@aws-sdk/client-iam').IAMClientConfig);
      return callOnce(client, { service: 'IAM', operation: 'ListOpenIDConnectProviders', subject: 'the account\'s OIDC providers', endpoint: opts.endpointUrl }, async (iam) => {
        const out = await iam.send(new ListOpenIDConnectProvidersCommand({}));
        return (out.OpenIDConnectProviderList ?? []).flatMap((p) => (p.Arn ? [p.Arn] : []));
      });
    },
  };
}
