// DnsReadPort over Route 53's REST API, signed with SigV4 by hand: this worktree has no @aws-sdk/client-route-53
// (the deploy's zone lookup adds that dependency; once it is in, this file should become a thin use of it). Two
// read-only GETs, each bounded like every SDK call (callLimits: the request timeout and the attempts), failures
// mapped by mapAwsError. Route 53 is global: one endpoint, signed for us-east-1
// (https://docs.aws.amazon.com/general/latest/gr/r53.html).
import { createHash, createHmac } from 'node:crypto';
import type { AwsOptions } from '../../ports/aws.ts';
import type { DnsReadPort, HostedZoneView, RecordView } from '../../ports/dns.ts';
import { dnsName } from '../../domain/dns-records.ts';
import { callLimits } from './config.ts';
import { mapAwsError } from './errors.ts';

const ENDPOINT = 'https://route53.amazonaws.com';
const API = '/2013-04-01';

interface Credentials { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s).digest();
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** SigV4 headers of a GET (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html). */
function signedHeaders(url: URL, creds: Credentials, now: Date): Record<string, string> {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = { host: url.host, 'x-amz-date': amzDate, ...(creds.sessionToken ? { 'x-amz-security-token': creds.sessionToken } : {}) };
  const names = Object.keys(headers).sort();
  const query = [...url.searchParams.entries()].map(([k, v]) => `${enc(k)}=${enc(v)}`).sort().join('&');
  const canonical = ['GET', url.pathname, query, ...names.map((n) => `${n}:${headers[n]}`), '', names.join(';'), sha256('')].join('\n');
  const scope = `${day}/us-east-1/route53/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), 'us-east-1'), 'route53'), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

/** The text of each `<tag>…</tag>` (Route 53's responses are flat enough for this; no attributes are read). */
const all = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
const one = (xml: string, tag: string) => all(xml, tag)[0];

class Route53Error extends Error {}

export function createDnsReads(opts: AwsOptions): DnsReadPort {
  const base = (opts.endpointUrl ?? ENDPOINT).replace(/\/$/, '');
  let creds: Promise<Credentials> | undefined;
  const credentials = async () => {
    const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    return fromNodeProviderChain(opts.profile ? { profile: opts.profile } : {})();
  };

  async function get(path: string, query: Record<string, string>, operation: string, subject: string, signal?: AbortSignal): Promise<string | undefined> {
    const url = new URL(`${base}${API}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const { requestMs, attempts } = callLimits();
    try {
      const c = await (creds ??= credentials());
      for (let attempt = 1; ; attempt++) {
        const bound = AbortSignal.timeout(requestMs);
        const res = await fetch(url, { headers: signedHeaders(url, c, new Date()), signal: signal ? AbortSignal.any([signal, bound]) : bound });
        const body = await res.text();
        if (res.ok) return body;
        const code = one(body, 'Code') ?? `HTTP ${res.status}`;
        if (code === 'NoSuchHostedZone') return undefined;
        // Throttling and 5xx are retried like the SDK's standard strategy would (with a short backoff).
        if ((res.status >= 500 || code === 'Throttling' || code === 'PriorRequestNotComplete') && attempt < attempts) {
          await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
          continue;
        }
        const e = new Route53Error(one(body, 'Message') ?? body.slice(0, 200));
        e.name = code;
        throw e;
      }
    } catch (err) {
      throw mapAwsError(err, { service: 'Route 53', operation, subject, ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}) });
    }
  }

  return {
    async zonesHolding(name, o) {
      // ListHostedZonesByName sorts by reversed labels (com.example.app), so a name's parent zones come before it:
      // each suffix is asked for by itself (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZonesByName.html).
      const labels = dnsName(name).split('.');
      const out: HostedZoneView[] = [];
      for (let i = 0; i < labels.length - 1; i++) {
        const suffix = labels.slice(i).join('.');
        const xml = await get('/hostedzonesbyname', { dnsname: suffix, maxitems: '10' }, 'ListHostedZonesByName', suffix, o?.signal);
        for (const z of all(xml ?? '', 'HostedZone')) {
          const zone = { id: (one(z, 'Id') ?? '').replace(/^\/hostedzone\//, ''), name: dnsName(one(z, 'Name') ?? ''), private: one(z, 'PrivateZone') === 'true' };
          if (zone.name === suffix) out.push(zone);
        }
      }
      return out;
    },
    async records(zoneId, name, o) {
      const n = dnsName(name);
      const xml = await get(`/hostedzone/${encodeURIComponent(zoneId)}/rrset`, { name: n, maxitems: '20' }, 'ListResourceRecordSets', `zone ${zoneId}`, o?.signal);
      const out: RecordView[] = [];
      for (const r of all(xml ?? '', 'ResourceRecordSet')) {
        const alias = one(r, 'AliasTarget');
        const rec: RecordView = { name: dnsName(one(r, 'Name') ?? ''), type: one(r, 'Type') ?? '', values: all(r, 'Value'), ...(alias ? { aliasTarget: dnsName(one(alias, 'DNSName') ?? ''), aliasZoneId: one(alias, 'HostedZoneId') ?? '' } : {}) };
        if (rec.name === n) out.push(rec);
      }
      return out;
    },
  };
}
