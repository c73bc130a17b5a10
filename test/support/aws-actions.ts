// What AWS actions a run made, read from moto's request recorder (MOTO_ENABLE_RECORDING: moto appends each request
// it serves, headers and body, to a JSON-lines file). Each request becomes the IAM action it needs: the service from
// the SigV4 credential scope of its Authorization header, the operation from whichever protocol the SDK used
// (X-Amz-Target for JSON services, Action= for query services, /operation/<Op> for Smithy RPC v2 CBOR).
import { readFileSync, existsSync } from 'node:fs';

export interface AwsCall {
  /** The IAM action, e.g. `cloudformation:DescribeStacks`. */
  action: string;
  /** The access key the request was signed with (a test's own set-up calls use another one). */
  accessKeyId: string;
  /** The request's parameters (query protocol: form fields; JSON protocol: the body's top-level fields). */
  params: Record<string, unknown>;
}

/** SigV4 signing names whose IAM service prefix differs (CloudWatch signs as "monitoring"). */
const PREFIX: Record<string, string> = { monitoring: 'cloudwatch', tagging: 'tag' };

export function readRecordedCalls(file: string): AwsCall[] {
  if (!existsSync(file)) return [];
  const calls: AwsCall[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as { headers: Record<string, string>; url: string; body: string | null; body_encoded: boolean };
    const h = Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const scope = /Credential=([^/]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(h['authorization'] ?? '');
    if (!scope) continue; // unsigned: the test's own moto-api calls, or an image registry request
    const service = PREFIX[scope[2]!] ?? scope[2]!;
    const body = e.body === null ? '' : e.body_encoded ? Buffer.from(e.body, 'base64').toString('utf8') : e.body;
    let op: string | undefined;
    let params: Record<string, unknown> = {};
    const target = h['x-amz-target'];
    const cbor = /\/operation\/([A-Za-z]+)/.exec(e.url);
    if (target) {
      op = target.split('.').pop();
      try { params = JSON.parse(body || '{}') as Record<string, unknown>; } catch { params = {}; }
    } else if (cbor) {
      op = cbor[1];
    } else {
      const form = new URLSearchParams(body || new URL(e.url, 'http://x').search.slice(1));
      op = form.get('Action') ?? undefined;
      params = Object.fromEntries(form.entries());
    }
    if (op) calls.push({ action: `${service}:${op}`, accessKeyId: scope[1]!, params });
  }
  return calls;
}
