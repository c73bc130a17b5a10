// IdentityPort over STS: who the SDK's credential chain says we are, and which region it resolved.
// This is the first AWS call of a deploy, so it is where missing or expired credentials surface.
import { AbortError } from '../../core/errors.ts';
import type { Identity, IdentityPort } from '../../ports/deploy.ts';
import { clientConfig, type AwsOptions } from './config.ts';

const CREDENTIAL_HINT = 'Configure credentials with `aws configure` or `aws sso login`, or pick another profile with --profile.';

export function createIdentity(opts: AwsOptions): IdentityPort {
  return {
    async whoAmI(): Promise<Identity> {
      const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
      const client = new STSClient((await clientConfig(opts)) as import('@aws-sdk/client-sts').STSClientConfig);
      try {
        let region: string;
        try {
          region = await client.config.region();
        } catch (err) {
          throw new AbortError('AWS_REGION', 'No AWS region is configured', {
            hint: 'Pass --region, set AWS_REGION, or set a region in your profile (`aws configure`).',
            cause: err,
          });
        }
        const out = await client.send(new GetCallerIdentityCommand({}));
        if (!out.Account || !out.Arn) {
          throw new AbortError('AWS_CREDENTIALS', 'STS GetCallerIdentity returned no account', { hint: CREDENTIAL_HINT });
        }
        return { account: out.Account, arn: out.Arn, region };
      } catch (err) {
        if (err instanceof AbortError) throw err;
        throw credentialError(err) ?? new AbortError('AWS_UNREACHABLE', `STS GetCallerIdentity failed: ${err instanceof Error ? err.message : String(err)}`, {
          hint: 'Check your network path to AWS (or --endpoint-url) and retry.',
          cause: err,
        });
      } finally {
        client.destroy();
      }
    },
  };
}

// Error names the SDK uses when the credential chain finds nothing, or AWS rejects what it found.
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'TokenRefreshRequired',
]);

/** An AWS_CREDENTIALS AbortError when err is a credentials problem, otherwise undefined. Shared with ECR. */
export function credentialError(err: unknown): AbortError | undefined {
  if (!(err instanceof Error)) return undefined;
  const name = err.name;
  const looksLikeCredentials =
    CREDENTIAL_ERRORS.has(name) || /could not load credentials|token (is )?expired|sso session/i.test(err.message);
  if (!looksLikeCredentials) return undefined;
  return new AbortError('AWS_CREDENTIALS', `AWS credentials are missing or invalid: ${err.message}`, { hint: CREDENTIAL_HINT, cause: err });
}
