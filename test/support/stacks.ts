// CloudFormation helpers for tests that run stacks on the moto emulator: a client aimed at moto, create a stack
// and wait for a terminal status, read outputs and resources. Never aimed at a real account (fixed fake keys).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  type Capability,
  type Stack,
  type StackResource,
} from '@aws-sdk/client-cloudformation';
import { ROOT } from './paths.ts';

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/** Any AWS SDK v3 client config aimed at moto: endpoint, region and fake credentials. */
export function motoClientConfig(endpoint: string) {
  return { endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
}

export function cfnClient(endpoint: string): CloudFormationClient {
  return new CloudFormationClient(motoClientConfig(endpoint));
}

/** The text of a template in infra/, e.g. readTemplate('hello-world-infra.yaml'). */
export function readTemplate(file: string): string {
  return readFileSync(path.join(ROOT, 'infra', file), 'utf8');
}

export interface CreateStackInput {
  stackName: string;
  templateBody: string;
  parameters?: Record<string, string>;
  capabilities?: Capability[];
}

export interface StackResult {
  stack: Stack;
  status: string;
  reason: string | undefined;
  outputs: Record<string, string>;
  /** Wall-clock time from CreateStack to the terminal status. */
  elapsedMs: number;
}

/** A status is terminal when nothing is still in progress (…_COMPLETE or …_FAILED). */
export function isTerminal(status: string | undefined): boolean {
  return status !== undefined && !status.endsWith('_IN_PROGRESS');
}

export function outputsOf(stack: Stack): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of stack.Outputs ?? []) if (o.OutputKey !== undefined) out[o.OutputKey] = o.OutputValue ?? '';
  return out;
}

export async function describeStack(client: CloudFormationClient, stackName: string): Promise<Stack> {
  const res = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  const stack = res.Stacks?.[0];
  if (stack === undefined) throw new Error(`stack ${stackName} not found`);
  return stack;
}

/** Polls until the stack reaches a terminal status (moto usually gets there within the CreateStack call). */
export async function waitForTerminal(client: CloudFormationClient, stackName: string, timeoutMs = 120_000): Promise<Stack> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stack = await describeStack(client, stackName);
    if (isTerminal(stack.StackStatus)) return stack;
    if (Date.now() > deadline) throw new Error(`stack ${stackName} still ${stack.StackStatus} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** CreateStack, then wait for a terminal status. Errors from CreateStack itself are thrown as they come. */
export async function createStackAndWait(client: CloudFormationClient, input: CreateStackInput, timeoutMs?: number): Promise<StackResult> {
  const started = Date.now();
  await client.send(new CreateStackCommand({
    StackName: input.stackName,
    TemplateBody: input.templateBody,
    Parameters: Object.entries(input.parameters ?? {}).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    Capabilities: input.capabilities,
  }));
  const stack = await waitForTerminal(client, input.stackName, timeoutMs);
  return {
    stack,
    status: stack.StackStatus ?? 'UNKNOWN',
    reason: stack.StackStatusReason,
    outputs: outputsOf(stack),
    elapsedMs: Date.now() - started,
  };
}

export async function stackResources(client: CloudFormationClient, stackName: string): Promise<StackResource[]> {
  const res = await client.send(new DescribeStackResourcesCommand({ StackName: stackName }));
  return res.StackResources ?? [];
}

/**
 * One AWS Query-protocol call (EC2, ELBv2, …) straight to moto, for services the project has no SDK client for.
 * moto routes by the credential scope's service name and does not check the signature.
 */
export async function motoQuery(endpoint: string, service: 'ec2' | 'elasticloadbalancing', params: Record<string, string>): Promise<string> {
  const version = service === 'ec2' ? '2016-11-15' : '2015-12-01';
  const res = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20240101/${TEST_REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Version: version, ...params }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${service} ${params.Action ?? '?'}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return text;
}

/** The text of every <tag>…</tag> in `xml` (non-nested use only: good enough for moto's flat answers). */
export function xmlAll(xml: string, tag: string): string[] {
  const re = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1] ?? '');
}
