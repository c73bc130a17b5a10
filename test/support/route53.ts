// Route 53 over its REST API straight to moto on loopback (the project has no Route 53 SDK client): moto routes by
// the credential scope's service name and does not check the signature. Test-only.
import { TEST_REGION, xmlAll } from './stacks.ts';

const NS = 'xmlns="https://route53.amazonaws.com/doc/2013-04-01/"';

async function route53(endpoint: string, method: 'GET' | 'POST', path: string, body?: string): Promise<string> {
  const res = await fetch(`${endpoint}/2013-04-01/${path}`, {
    method,
    headers: { authorization: `AWS4-HMAC-SHA256 Credential=testing/20240101/${TEST_REGION}/route53/aws4_request, SignedHeaders=host, Signature=0`, 'content-type': 'application/xml' },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`route53 ${method} ${path}: HTTP ${res.status}: ${text.slice(0, 400)}`);
  return text;
}

/** Creates a public hosted zone; returns its bare ID (what the template's HostedZoneId takes). */
export async function createZone(endpoint: string, name: string): Promise<string> {
  const xml = await route53(endpoint, 'POST', 'hostedzone',
    `<CreateHostedZoneRequest ${NS}><Name>${name}</Name><CallerReference>${name}-${Date.now()}</CallerReference></CreateHostedZoneRequest>`);
  return (xmlAll(xml, 'Id')[0] ?? '').replace('/hostedzone/', '');
}

export async function zoneIds(endpoint: string): Promise<string[]> {
  return xmlAll(await route53(endpoint, 'GET', 'hostedzone'), 'Id').filter((id) => id.startsWith('/hostedzone/')).map((id) => id.replace('/hostedzone/', ''));
}

export async function upsertCname(endpoint: string, zoneId: string, name: string, value: string): Promise<void> {
  await route53(endpoint, 'POST', `hostedzone/${zoneId}/rrset`,
    `<ChangeResourceRecordSetsRequest ${NS}><ChangeBatch><Changes><Change><Action>UPSERT</Action><ResourceRecordSet><Name>${name}</Name><Type>CNAME</Type><TTL>300</TTL><ResourceRecords><ResourceRecord><Value>${value}</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`);
}

export interface Rrset { name: string; type: string; values: string[]; alias?: { dnsName: string; zoneId: string } }

/** A zone's records, names without the trailing dot. */
export async function records(endpoint: string, zoneId: string): Promise<Rrset[]> {
  const xml = await route53(endpoint, 'GET', `hostedzone/${zoneId}/rrset`);
  return xmlAll(xml, 'ResourceRecordSet').map((r) => {
    const alias = xmlAll(r, 'AliasTarget')[0];
    return {
      name: (xmlAll(r, 'Name')[0] ?? '').replace(/\.$/, ''),
      type: xmlAll(r, 'Type')[0] ?? '',
      values: xmlAll(r, 'Value'),
      ...(alias === undefined ? {} : { alias: { dnsName: xmlAll(alias, 'DNSName')[0] ?? '', zoneId: xmlAll(alias, 'HostedZoneId')[0] ?? '' } }),
    };
  });
}
