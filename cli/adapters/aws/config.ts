// One place that turns --region/--profile/--endpoint-url into SDK client configuration. The SDK's default
// chain (env, shared config/credentials files, SSO, IMDS) resolves credentials and region like the AWS CLI.
// Clients are created lazily by callers through dynamic import(), so `--help` never loads the SDK.

import type { AwsOptions } from '../../ports/aws.ts';

export type { AwsOptions };

export interface SdkClientConfig {
  region?: string;
  endpoint?: string;
  profile?: string;
  credentials?: unknown;
  maxAttempts: number;
}

export async function clientConfig(opts: AwsOptions): Promise<SdkClientConfig> {
  const config: SdkClientConfig = { maxAttempts: 5 };
  if (opts.region) config.region = opts.region;
  if (opts.endpointUrl) config.endpoint = opts.endpointUrl;
  if (opts.profile) {
    // `profile` makes the client read region and settings from that profile; the provider chain does credentials.
    config.profile = opts.profile;
    const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    config.credentials = fromNodeProviderChain({ profile: opts.profile });
  }
  return config;
}

/** The region the SDK would use, resolved the way the AWS CLI does (flag, env, profile config). */
export async function resolveRegion(opts: AwsOptions): Promise<string | undefined> {
  if (opts.region) return opts.region;
  const { STSClient } = await import('@aws-sdk/client-sts');
  const client = new STSClient((await clientConfig(opts)) as import('@aws-sdk/client-sts').STSClientConfig);
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}
