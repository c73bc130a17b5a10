// The one mapping from an AWS SDK failure to the error a user sees (code, message naming the call, hint).
// Every AWS adapter goes through it, so the same failure (no region, expired token, throttling…) has the same code
// and advice whichever call met it first.
import { AbortError, HelloDeployError, UsageError, type ErrorCode } from '../../core/errors.ts';
import { callLimits } from './config.ts';

export type AwsService = 'ACM' | 'CloudFormation' | 'ECR' | 'STS' | 'IAM' | 'Service Quotas' | 'EC2' | 'ELBv2' | 'ECS' | 'CloudWatch Logs' | 'SNS' | 'CloudWatch' | 'Route 53' | 'Price List';

/** The call that failed, as the message names it. */
export interface AwsCall {
  service: AwsService;
  /** The API action as AWS spells it (CreateChangeSet): the same word as in the IAM action and the AWS docs. */
  operation: string;
  /** What the call was about, e.g. `stack hello-world-main` or a certificate ARN. */
  subject?: string;
  /** --endpoint-url when one is in use; a network failure names it. */
  endpoint?: string;
}

/** What can be read off anything an SDK call throws. */
export interface SdkErrorFacts {
  /** The AWS error name (AccessDenied, ValidationError…) or the JS one; '' when none. */
  name: string;
  message: string;
  /** Node's network error code (ECONNREFUSED…); '' when none. */
  netCode: string;
}

export interface AwsErrorOptions {
  /** A service's own reading, tried first: e.g. ACM's ResourceNotFoundException is a missing certificate. */
  special?: (facts: SdkErrorFacts) => HelloDeployError | undefined;
  /** Hints that say more for this service than the generic ones. */
  hints?: Partial<Record<ErrorCode, string>>;
}

const IAM_PREFIX: Record<AwsService, string> = {
  ACM: 'acm',
  'Route 53': 'route53',
  CloudFormation: 'cloudformation',
  ECR: 'ecr',
  STS: 'sts',
  IAM: 'iam',
  'Service Quotas': 'servicequotas',
  EC2: 'ec2',
  ELBv2: 'elasticloadbalancing',
  ECS: 'ecs',
  'CloudWatch Logs': 'logs',
  SNS: 'sns',
  CloudWatch: 'cloudwatch',
  'Price List': 'pricing',
};

export const CREDENTIALS_HINT = 'Configure credentials with `aws configure` or `aws sso login`, or pick another profile with --profile.';
export const REGION_HINT = 'Pass --region, set AWS_REGION, or set a region in your profile (`aws configure`).';

interface Rule {
  code: ErrorCode;
  matches(f: SdkErrorFacts): boolean;
  /** What went wrong, in words; the message is `<service> <operation>: <what>: <AWS's message>`. */
  what(call: AwsCall, err: unknown): string;
  hint(call: AwsCall): string;
}

const names = (...list: string[]) => new Set(list);
const EXPIRED = names('ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired');
const INVALID = names('InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'InvalidSignatureException', 'IncompleteSignature', 'InvalidAccessKeyId', 'AuthFailure');
const MISSING = names('CredentialsProviderError', 'TokenProviderError');
const DENIED = names('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation');
const THROTTLED = names('Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown');
const LIMIT = names('LimitExceededException', 'TooManyTagsException', 'ServiceQuotaExceededException');
const VALIDATION = names('ValidationError', 'ValidationException', 'InvalidParameterException', 'InvalidParameterValueException', 'InvalidParameterValue', 'InvalidParameterCombination', 'MissingParameter');
const NETWORK = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/;

// Order matters: an SSO "session has expired" arrives as a CredentialsProviderError, and expiry is the better advice.
const RULES: Rule[] = [
  {
    code: 'AWS_CREDENTIALS_EXPIRED',
    matches: (f) => EXPIRED.has(f.name) || /(token|session).*expired/i.test(f.message),
    what: () => 'the AWS session has expired',
    hint: () => 'Refresh the session (e.g. `aws sso login`, or new keys from your identity provider) and run again.',
  },
  {
    code: 'AWS_CREDENTIALS',
    matches: (f) => MISSING.has(f.name) || /could not load credentials|sso session/i.test(f.message),
    what: () => 'no usable AWS credentials were found',
    hint: () => CREDENTIALS_HINT,
  },
  {
    code: 'AWS_CREDENTIALS_INVALID',
    matches: (f) => INVALID.has(f.name),
    what: () => 'AWS rejected the credentials',
    hint: () => 'Check the access key and the profile in use (`aws sts get-caller-identity`), or pick another profile with --profile.',
  },
  {
    code: 'AWS_ACCESS_DENIED',
    matches: (f) => DENIED.has(f.name) || /not authorized to perform/i.test(f.message),
    what: () => 'access denied',
    hint: (call) => `The identity in use lacks a permission: grant it the action named above (this call is ${IAM_PREFIX[call.service]}:${call.operation}), or use another --profile.`,
  },
  {
    code: 'AWS_THROTTLED',
    matches: (f) => THROTTLED.has(f.name) || /rate exceeded/i.test(f.message),
    what: () => 'AWS throttled the calls',
    hint: () => 'AWS kept throttling the calls even after the SDK retried: wait a minute and run again.',
  },
  {
    code: 'AWS_UNREACHABLE',
    matches: (f) => NETWORK.test(f.netCode) || f.name === 'TimeoutError' || /socket hang up/i.test(f.message),
    what: (call, err) => {
      const target = call.endpoint ?? netTarget(err) ?? `the ${call.service} endpoint`;
      return isTimeout(sdkErrorFacts(err)) ? `${target} stopped answering (timed out${attemptsOf(err)})` : `could not reach ${target}${attemptsOf(err)}`;
    },
    hint: (call) => {
      const { requestMs, attempts } = callLimits();
      const bound = `each call gives up after ${Math.round(requestMs / 100) / 10} s, ${attempts} attempts`;
      return call.endpoint
        ? `Check that ${call.endpoint} (from --endpoint-url) is up and answering (${bound}), then run again.`
        : `Check the network and proxy settings (${bound}), and --endpoint-url if you meant to use an emulator, then run again.`;
    },
  },
  {
    code: 'AWS_LIMIT_EXCEEDED',
    matches: (f) => LIMIT.has(f.name),
    what: () => 'an account limit was reached',
    hint: () => 'Delete what you no longer use, or ask AWS for a higher quota.',
  },
  {
    code: 'AWS_VALIDATION',
    matches: (f) => VALIDATION.has(f.name),
    what: () => 'AWS rejected the request',
    hint: () => 'Fix what the message names (a value, the template, or the state of the resource), then run again.',
  },
];

/**
 * Turns anything an SDK call threw into a HelloDeployError. A HelloDeployError passes through unchanged, so a
 * caller can wrap a whole block. The SDK has already retried throttling and transient network errors.
 */
export function mapAwsError(err: unknown, call: AwsCall, opts: AwsErrorOptions = {}): HelloDeployError {
  if (err instanceof HelloDeployError) return err;
  const facts = sdkErrorFacts(err);
  const special = opts.special?.(facts);
  if (special) return special;
  // No region (or AWS_REGION set to ''), or one the SDK refuses: nothing was sent, so it is a usage problem (exit 2).
  if (/region is missing|region not accepted/i.test(facts.message)) {
    const message = /region is missing|region=""/i.test(facts.message)
      ? `No AWS region is configured (${call.service} needs one).`
      : `The AWS region is not usable (${call.service} needs one): ${facts.message}`;
    return new UsageError('AWS_REGION', message, { hint: opts.hints?.AWS_REGION ?? REGION_HINT, cause: err });
  }
  const where = `${call.service} ${call.operation}${call.subject ? ` (${call.subject})` : ''}`;
  const rule = RULES.find((r) => r.matches(facts));
  if (rule) {
    return new AbortError(rule.code, `${where}: ${rule.what(call, err)}: ${facts.message}`, { hint: opts.hints?.[rule.code] ?? rule.hint(call), cause: err });
  }
  const quoted = facts.name && facts.name !== 'Error' ? `${facts.name}: ${facts.message}` : facts.message;
  return new AbortError('AWS_ERROR', `${where} failed: ${quoted}`, {
    hint: opts.hints?.AWS_ERROR ?? 'See the message from AWS above; run again once it is fixed (the same call with the AWS CLI may say more).',
    cause: err,
  });
}

export function sdkErrorFacts(err: unknown): SdkErrorFacts {
  const name = typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : '';
  const netCode = typeof err === 'object' && err !== null ? String((err as { code?: unknown }).code ?? '') : '';
  return { name, message: errorMessage(err), netCode };
}

function isTimeout(f: SdkErrorFacts): boolean {
  return f.name === 'TimeoutError' || f.netCode === 'ETIMEDOUT';
}

/** ` after 3 attempts`, from the SDK's retry metadata; '' when the SDK did not say. */
function attemptsOf(err: unknown): string {
  const attempts = typeof err === 'object' && err !== null ? (err as { $metadata?: { attempts?: unknown } }).$metadata?.attempts : undefined;
  return typeof attempts === 'number' && attempts > 1 ? ` after ${attempts} attempts` : '';
}

/** Node's happy-eyeballs connect throws an AggregateError with an empty message; its parts say what happened. */
function errorMessage(err: unknown): string {
  if (err instanceof AggregateError && err.message === '') return err.errors.map(errorMessage).join('; ');
  if (err instanceof Error) return err.message || String((err as { code?: unknown }).code ?? err.name);
  return String(err);
}

/** host:port from a Node network error, when it says (ECONNREFUSED carries address and port, ENOTFOUND a hostname). */
function netTarget(err: unknown): string | undefined {
  const parts = [err, ...(err instanceof AggregateError ? err.errors : [])];
  for (const e of parts) {
    if (typeof e !== 'object' || e === null) continue;
    const { address, hostname, port } = e as { address?: unknown; hostname?: unknown; port?: unknown };
    const host = typeof address === 'string' ? address : typeof hostname === 'string' ? hostname : undefined;
    if (host) return typeof port === 'number' ? `${host}:${port}` : host;
  }
  return undefined;
}

/**
 * One AWS call on a client made for it: whatever it throws comes out as ours (mapAwsError), and the client's
 * sockets are closed either way, so the process can exit as soon as the run ends.
 */
export async function callOnce<C extends { destroy(): void }, T>(client: C, call: AwsCall, f: (client: C) => Promise<T>): Promise<T> {
  try {
    return await f(client);
  } catch (err) {
    throw mapAwsError(err, call);
  } finally {
    client.destroy();
  }
}
