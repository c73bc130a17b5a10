// One place that turns --region/--profile/--endpoint-url into SDK client configuration. The SDK's default
// chain (env, shared config/credentials files, SSO, IMDS) resolves credentials and region like the AWS CLI.
// Clients are created lazily by callers through dynamic import(), so `--help` never loads the SDK.
//
// Every client built from it is bounded: a connect timeout, a per-request timeout and the SDK's standard retry
// strategy (exponential backoff with jitter). Without them, an endpoint that accepts connections but never
// answers (a stopped emulator, a black-holing proxy) hangs the SDK for its 15-minute socket default per attempt.

import type { AwsOptions } from '../../ports/aws.ts';

export type { AwsOptions };

/** The bounds every AWS call gets. */
export interface CallLimits {
  /** Time to establish the TCP (and TLS) connection. */
  connectMs: number;
  /** Time for one attempt, request sent to response read; also the socket idle bound. */
  requestMs: number;
  /** Attempts per call, the first included: the SDK's standard retry strategy spaces them with backoff. */
  attempts: number;
}

export const DEFAULT_LIMITS: CallLimits = { connectMs: 5_000, requestMs: 30_000, attempts: 3 };

/** Overrides the request timeout (and caps the connect timeout) of every AWS call: meant for tests. */
export const TIMEOUT_ENV = 'HELLO_DEPLOY_AWS_TIMEOUT_MS';

/** The limits in force: the defaults, or HELLO_DEPLOY_AWS_TIMEOUT_MS when it holds a positive whole number. */
export function callLimits(env: NodeJS.ProcessEnv = process.env): CallLimits {
  const raw = env[TIMEOUT_ENV]?.trim();
  const ms = raw && /^\d+$/.test(raw) ? Number(raw) : 0;
  if (ms <= 0) return DEFAULT_LIMITS;
  return { ...DEFAULT_LIMITS, requestMs: ms, connectMs: Math.min(DEFAULT_LIMITS.connectMs, ms) };
}

export interface SdkClientConfig {
  region?: string;
  endpoint?: string;
  profile?: string;
  credentials?: unknown;
  maxAttempts: number;
  retryMode: 'standard';
  /** NodeHttpHandler options (@smithy/node-http-handler): the client builds its handler from them. */
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true; socketTimeout: number };
}

/** The bounds as SDK client configuration; every client hello-deploy makes spreads them in. */
export function boundedCalls(): Pick<SdkClientConfig, 'maxAttempts' | 'retryMode' | 'requestHandler'> {
  const limits = callLimits();
  return {
    maxAttempts: limits.attempts,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: limits.connectMs, requestTimeout: limits.requestMs, throwOnRequestTimeout: true, socketTimeout: limits.requestMs },
  };
}

export async function clientConfig(opts: AwsOptions): Promise<SdkClientConfig> {
  const config: SdkClientConfig = boundedCalls();
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
