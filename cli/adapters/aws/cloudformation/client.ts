// The CloudFormation client: loads the SDK on first use, sends commands, and maps their failures to our errors.
import type * as Cfn from '@aws-sdk/client-cloudformation';
import { AbortError, HelloDeployError } from '../../../core/errors.ts';
import { clientConfig, type AwsOptions } from '../config.ts';

export type Sdk = typeof import('@aws-sdk/client-cloudformation');
export type { Cfn };

/**
 * What the adapter needs from a client: the SDK's CloudFormationClient, or a fake with the same `send` (injected
 * through CloudFormationDeps for the failure shapes an emulator cannot produce).
 */
export interface CloudFormationLike {
  send(command: object): Promise<unknown>;
}

export interface CloudFormationDeps {
  client?: CloudFormationLike;
  sleep?: (ms: number) => Promise<void>;
  /** Time between DescribeStacks/DescribeStackEvents polls: ~2 s is gentle on the API; tests use less. */
  pollMs?: number;
  /** How long to wait for an operation someone else started on the stack before giving up. */
  settleTimeoutMs?: number;
  /** How long to follow our own operation (an ECS service that never stabilises can hold a stack for hours). */
  deployTimeoutMs?: number;
  now?: () => number;
}

// Loaded with import() on first use, so `--help` never pays for the SDK.
let sdkPromise: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
  sdkPromise ??= import('@aws-sdk/client-cloudformation');
  return sdkPromise;
}

/** Lazily builds the client and sends commands built from the lazily loaded SDK module. */
export class CfnApi {
  private client: Promise<CloudFormationLike> | undefined;
  private real: Cfn.CloudFormationClient | undefined;

  constructor(
    readonly opts: AwsOptions,
    deps: CloudFormationDeps,
  ) {
    if (deps.client) this.client = Promise.resolve(deps.client);
  }

  async send<O>(make: (sdk: Sdk) => object): Promise<O> {
    const sdk = await loadSdk();
    this.client ??= clientConfig(this.opts).then((config) => {
      this.real = new sdk.CloudFormationClient(config as Cfn.CloudFormationClientConfig);
      return this.real;
    });
    const client = await this.client;
    return (await client.send(make(sdk))) as O;
  }

  destroy(): void {
    this.real?.destroy();
  }
}

function errorName(err: unknown): string {
  return typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : '';
}

export function errorMessage(err: unknown): string {
  if (err instanceof AggregateError && err.message === '') return err.errors.map(errorMessage).join('; ');
  if (err instanceof Error) return err.message || String((err as { code?: unknown }).code ?? err.name);
  return String(err);
}

/** CloudFormation answers "no such stack", "no updates" and template errors alike as ValidationError. */
export function isValidation(err: unknown, pattern?: RegExp): boolean {
  return errorName(err) === 'ValidationError' && (pattern === undefined || pattern.test(errorMessage(err)));
}

/** Turns an SDK failure into an AbortError the user can act on. The SDK has already retried throttling. */
export function sdkError(err: unknown, what: string): HelloDeployError {
  if (err instanceof HelloDeployError) return err;
  const name = errorName(err);
  const message = errorMessage(err);
  const netCode = typeof err === 'object' && err !== null ? String((err as { code?: unknown }).code ?? '') : '';
  const abort = (code: string, text: string, hint: string) => new AbortError(code, `${what}: ${text}`, { hint, cause: err });
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return abort('AWS_NO_CREDENTIALS', message, 'Configure credentials (aws configure, aws sso login, or AWS_PROFILE / --profile), then run again.');
  }
  if (/^(ExpiredToken|ExpiredTokenException|RequestExpired|TokenRefreshRequired)$/.test(name) || /token.*expired/i.test(message)) {
    return abort('AWS_CREDENTIALS_EXPIRED', message, 'Your AWS session expired: refresh it (e.g. aws sso login) and run again.');
  }
  if (/^(InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|InvalidSignatureException|IncompleteSignature)$/.test(name)) {
    return abort('AWS_CREDENTIALS_INVALID', message, 'AWS rejected the credentials: check the access key and profile in use (aws sts get-caller-identity).');
  }
  if (/^(AccessDenied|AccessDeniedException|UnauthorizedOperation)$/.test(name) || /not authorized to perform/i.test(message)) {
    return abort('AWS_ACCESS_DENIED', message, 'The identity in use lacks a CloudFormation permission: grant it (see the action named above) or use another profile.');
  }
  if (/^(Throttling|ThrottlingException|TooManyRequestsException|RequestLimitExceeded)$/.test(name) || /rate exceeded/i.test(message)) {
    return abort('AWS_THROTTLED', message, 'AWS kept throttling the calls even after retries: wait a minute and run again.');
  }
  if (/region is missing/i.test(message)) {
    return abort('AWS_REGION_MISSING', message, 'Pass --region, set AWS_REGION, or set a region in your AWS profile.');
  }
  if (/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH)$/.test(netCode) || name === 'TimeoutError') {
    return abort('AWS_UNREACHABLE', message, 'CloudFormation could not be reached: check the network, proxy settings, and --endpoint-url if you use one.');
  }
  if (name === 'InsufficientCapabilitiesException' || /requires capabilities/i.test(message)) {
    return abort('STACK_CAPABILITIES', message, 'The template needs a capability (e.g. CAPABILITY_NAMED_IAM) that was not passed.');
  }
  if (name === 'LimitExceededException') {
    return abort('AWS_LIMIT_EXCEEDED', message, 'An account quota was reached: delete unused stacks or ask AWS for a higher limit.');
  }
  return abort('AWS_ERROR', name && name !== 'Error' ? `${name}: ${message}` : message, 'See the message from AWS above; run again once it is fixed.');
}
