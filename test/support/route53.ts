// Route 53 on moto through the Route 53 SDK (the same calls the product's adapters make): hosted zones and records
// for the domain path's tests. Test-only.
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, ListHostedZonesCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { motoClientConfig } from './stacks.ts';

async function withRoute53<T>(endpoint: string, fn: (c: Route53Client) => Promise<T>): Promise<T> {
  const c = new Route53Client(motoClientConfig(endpoint));
  try {
    return await fn(c);
  } finally {
    c.destroy();
  }
}
const bare = (id: string | undefined) => (id ?? '').replace('/hostedzone/', '');

/** Creates a public hosted zone; returns its bare ID (what the template's HostedZoneId takes). */
export function createZone(endpoint: string, name: string): Promise<string> {
  return withRoute53(endpoint, async (c) => bare((await c.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `${name}-${Date.now()}-${Math.random()}` }))).HostedZone?.Id));
}

export function zoneIds(endpoint: string): Promise<string[]> {
  return withRoute53(endpoint, async (c) => ((await c.send(new ListHostedZonesCommand({}))).HostedZones ?? []).map((z) => bare(z.Id)));
}

export function upsertCname(endpoint: string, zoneId: string, name: string, value: string): Promise<void> {
  return withRoute53(endpoint, async (c) => {
    await c.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: name, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: value }] } }] } }));
  });
}

export interface Rrset { name: string; type: string; values: string[]; alias?: { dnsName: string; zoneId: string } }

/** A zone's records, names without the trailing dot. */
export function records(endpoint: string, zoneId: string): Promise<Rrset[]> {
  return withRoute53(endpoint, async (c) =>
    ((await c.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets ?? []).map((r) => ({
      name: (r.Name ?? '').replace(/\.$/, ''),
      type: r.Type ?? '',
      values: (r.ResourceRecords ?? []).map((v) => v.Value ?? ''),
      ...(r.AliasTarget ? { alias: { dnsName: r.AliasTarget.DNSName ?? '', zoneId: r.AliasTarget.HostedZoneId ?? '' } } : {}),
    })),
  );
}
