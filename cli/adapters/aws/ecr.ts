// RegistryAuthPort over ECR: the SDK equivalent of `aws ecr get-login-password`. The token is a base64
// "user:password" pair valid for 12 hours; the registry host comes from the proxy endpoint. RepositoryPort: does a
// repository exist (DescribeRepositories).
import { AbortError } from '../../core/errors.ts';
import type { RegistryAuthPort, RegistryLogin, RepositoryPort } from '../../ports/deploy.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { callOnce } from './errors.ts';

export function createEcrAuth(opts: AwsOptions): RegistryAuthPort {
  return {
    async getLogin(): Promise<RegistryLogin> {
      // Lazy import: `--help` and the commands that never push must not pay for loading the ECR client.
      const { ECRClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
      const client = new ECRClient((await clientConfig(opts)) as import('@aws-sdk/client-ecr').ECRClientConfig);
      return callOnce(client, { service: 'ECR', operation: 'GetAuthorizationToken', endpoint: opts.endpointUrl }, async (ecr) => {
        const data = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
        if (!data?.authorizationToken || !data.proxyEndpoint) {
          throw new AbortError('ECR_AUTH_FAILED', 'ECR GetAuthorizationToken returned no token', {
            hint: 'Check that ECR is available in this region and that your identity may call ecr:GetAuthorizationToken.',
          });
        }
        return decodeAuthorization(data.authorizationToken, data.proxyEndpoint);
      });
    },
  };
}

export function createEcrRepositories(opts: AwsOptions): RepositoryPort {
  return {
    async exists(name: string): Promise<boolean> {
      const { ECRClient, DescribeRepositoriesCommand } = await import('@aws-sdk/client-ecr');
      const client = new ECRClient((await clientConfig(opts)) as import('@aws-sdk/client-ecr').ECRClientConfig);
      return callOnce(client, { service: 'ECR', operation: 'DescribeRepositories', subject: `repository ${name}`, endpoint: opts.endpointUrl }, async (ecr) => {
        try {
          const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
          return (out.repositories ?? []).some((r) => r.repositoryName === name);
        } catch (err) {
          // The answer "no", not a failure: the deploy then says how to bring the repository back.
          if ((err as { name?: unknown }).name === 'RepositoryNotFoundException') return false;
          throw err;
        }
      });
    },
  };
}

/** `QVdTOnNlY3JldA==` + `https://123.dkr.ecr.r.amazonaws.com` → { registry: '123.dkr.ecr.r.amazonaws.com', username: 'AWS', password: 'secret' }. */
export function decodeAuthorization(token: string, proxyEndpoint: string): RegistryLogin {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    // Never echo the token: it is a credential.
    throw new AbortError('ECR_AUTH_FAILED', 'ECR returned an authorization token that is not "user:password"', {
      hint: 'Retry; if it persists, compare with `aws ecr get-login-password`.',
    });
  }
  const registry = proxyEndpoint.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  return { registry, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
