// Application Auto Scaling reads for the fidelity report, sent to the emulator only. hello-deploy has no
// @aws-sdk/client-application-auto-scaling (a new dependency for two read calls on an emulator), so these are the
// service's awsJson1_1 requests by hand: POST / with `X-Amz-Target: AnyScaleFrontendService.<Action>` (the service
// model's protocol "json" 1.1, signing name application-autoscaling and targetPrefix AnyScaleFrontendService, as in
// botocore's application-autoscaling/2016-02-06/service-2.json), signed with SigV4 by the SDK's own signer
// (@smithy/signature-v4, which every @aws-sdk client already brings) and the fake credentials, bounded like every
// call. The requests: https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalableTargets.html
// and https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalingPolicies.html.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { callLimits } from '../aws/config.ts';
import { EMULATOR_REGION, FAKE_CREDENTIALS } from './fake-aws.ts';

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: SourceData): string | Uint8Array => (typeof d === 'string' ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength));

/** The signer's checksum interface over node:crypto (a secret makes it an HMAC). */
class Sha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.h.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
  reset(): void {
    // single use
  }
}

const signer = new SignatureV4({ service: 'application-autoscaling', region: EMULATOR_REGION, credentials: FAKE_CREDENTIALS, sha256: Sha256 });

export async function autoscalingCall(endpoint: string, action: 'DescribeScalableTargets' | 'DescribeScalingPolicies', body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const url = new URL(endpoint);
  const payload = JSON.stringify(body);
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: '/',
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AnyScaleFrontendService.${action}` },
    body: payload,
  });
  const res = await fetch(new URL('/', url), { method: 'POST', headers: signed.headers, body: payload, signal: AbortSignal.timeout(callLimits().requestMs) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${action} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}
