// The CloudFormation client: loads the SDK on first use, sends commands, and maps their failures to our errors.
import type * as Cfn from '@aws-sdk/client-cloudformation';
import { AbortError, type HelloDeployError } from '../../../core/errors.ts';
import { clientConfig, type AwsOptions } from '../config.ts';
import { mapAwsError, sdkErrorFacts } from '../errors.ts';

export type Sdk = typeof import('@aws-sdk/client-cloudformation');
export type { Cfn };

/**
 * What the adapter needs from a client: the SDK's CloudFormationClient, or a fake with the same `send` (injected
 * through CloudFormationDeps for the failure shapes an emulator cannot produce).
 */
export interface CloudFormationLike {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
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
  /** Where deploys of one stack from this machine take turns (default: a folder of this user under the OS temp dir). */
  lockDir?: string;
}

// Loaded with import() on first use, so `--help` never pays for the SDK.
let sdkPromise: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
  sdkPromise ??= import('@aws-sdk/client-cloudformation');
  return sdkPromise;
}

/**
 * The operation each failed send was for. Callers inside the adapter still see the SDK's own error (to tell "does
 * not exist" or "no updates" from real failures); the port's boundary then names the operation in the message.
 */
const failedOperation = new WeakMap<object, string>();

/** Lazily builds the client and sends commands built from the lazily loaded SDK module. */
export class CfnApi {
  private client: Promise<CloudFormationLike> | undefined;
  private real: Cfn.CloudFormationClient | undefined;
  /** Set once a call timed out after every retry: the endpoint stopped answering, and later calls fail at once. */
  private stalled: string | undefined;

  constructor(
    readonly opts: AwsOptions,
    deps: CloudFormationDeps,
  ) {
    if (deps.client) this.client = Promise.resolve(deps.client);
  }

  /** `operation` is the API action (CreateChangeSet) that `make` builds the command for. */
  async send<O>(operation: string, make: (sdk: Sdk) => object, signal?: AbortSignal): Promise<O> {
    try {
      if (this.stalled !== undefined) {
        // Each call would wait out every attempt again (the Ctrl-C report after a failure asks for two stacks).
        throw Object.assign(new Error(`not sent: the endpoint stopped answering an earlier ${this.stalled}`), { name: 'TimeoutError' });
      }
      const sdk = await loadSdk();
      this.client ??= clientConfig(this.opts).then((config) => {
        this.real = new sdk.CloudFormationClient(config as Cfn.CloudFormationClientConfig);
        return this.real;
      });
      const client = await this.client;
      return (await (signal ? client.send(make(sdk), { abortSignal: signal }) : client.send(make(sdk)))) as O;
    } catch (err) {
      if (typeof err === 'object' && err !== null && !failedOperation.has(err)) failedOperation.set(err, operation);
      if (this.stalled === undefined && sdkErrorFacts(err).name === 'TimeoutError') this.stalled = operation;
      throw err;
    }
  }

  destroy(): void {
    this.real?.destroy();
  }

  /** The API action a send failed in (CreateStack…), or undefined for anything a send did not throw. */
  operationOf(err: unknown): string | undefined {
    return typeof err === 'object' && err !== null ? failedOperation.get(err) : undefined;
  }

  /**
   * The error the port throws for what a send threw: the shared AWS mapping, naming the operation. Anything that
   * did not come out of a send (and is not already ours) is a bug in the adapter, and is left as it is.
   */
  failure(err: unknown, subject?: string): unknown {
    const operation = this.operationOf(err);
    if (operation === undefined) return err;
    return cfnError(err, operation, this.opts.endpointUrl, subject);
  }
}

function cfnError(err: unknown, operation: string, endpoint: string | undefined, subject: string | undefined): HelloDeployError {
  return mapAwsError(err, { service: 'CloudFormation', operation, endpoint, subject }, {
    special: ({ name, message }) =>
      name === 'InsufficientCapabilitiesException' || /requires capabilities/i.test(message)
        ? new AbortError('STACK_CAPABILITIES', `CloudFormation ${operation}${subject ? ` (${subject})` : ''}: ${message}`, {
            hint: 'The template needs a capability (e.g. CAPABILITY_NAMED_IAM) that was not passed.',
            cause: err,
          })
        : undefined,
  });
}

/** CloudFormation answers "no such stack", "no updates" and template errors alike as ValidationError. */
export function isValidation(err: unknown, pattern?: RegExp): boolean {
  const { name, message } = sdkErrorFacts(err);
  return name === 'ValidationError' && (pattern === undefined || pattern.test(message));
}
