// DnsZonePort over Route 53 (--domain). The SDK is imported on first use, so `--help` never loads it; the client is
// bounded like every other (clientConfig).
import type { DnsRecordPort, DnsZoneAdminPort, DnsZonePort, HostedZone } from '../../ports/dns.ts';
import { plainZoneName } from '../../domain/domain-name.ts';
import { dnsName as plain } from '../../domain/dns-records.ts';
import { createDnsReads } from './route53-reads.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { mapAwsError } from './errors.ts';

type R53 = typeof import('@aws-sdk/client-route-53');
type RecordSet = import('@aws-sdk/client-route-53').ResourceRecordSet;

/**
 * A listed record as a DELETE names it: every value it has (routing fields included), an alias by its target (with
 * EvaluateTargetHealth, false when not listed) and never with an empty ResourceRecords, which Route 53 (and moto)
 * read as a plain record without a TTL and refuse.
 */
function deletable(r: RecordSet): RecordSet {
  const { AliasTarget, ResourceRecords, TTL, ...rest } = r;
  if (AliasTarget) return { ...rest, AliasTarget: { ...AliasTarget, EvaluateTargetHealth: AliasTarget.EvaluateTargetHealth ?? false } };
  return { ...rest, ...(TTL !== undefined ? { TTL } : {}), ...(ResourceRecords?.length ? { ResourceRecords } : {}) };
}

export interface LiveDnsZonePort extends DnsZonePort, DnsRecordPort, DnsZoneAdminPort {
  close(): void;
}

export function createDnsZones(opts: AwsOptions): LiveDnsZonePort {
  let client: Promise<{ r53: R53; client: InstanceType<R53['Route53Client']> }> | undefined;
  const open = () =>
    (client ??= (async () => {
      const r53 = await import('@aws-sdk/client-route-53');
      return { r53, client: new r53.Route53Client((await clientConfig(opts)) as import('@aws-sdk/client-route-53').Route53ClientConfig) };
    })());
  // The records of a name are read as doctor reads them (one rule for "points elsewhere" in both commands).
  const reads = createDnsReads(opts);
  return {
    records: (zoneId, name, o) => reads.records(zoneId, name, o),
    async deleteRecord(zoneId, record, o = {}) {
      const { r53, client: c } = await open();
      const n = plain(record.name);
      const signal = o.signal ? { abortSignal: o.signal } : {};
      try {
        // A DELETE must carry every value the record was created with (TTL, values, alias target and its
        // EvaluateTargetHealth): https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html
        // ("To delete a resource record set, you must specify all the same values…"). So the record is read again
        // as Route 53 holds it now and sent back exactly, rather than rebuilt from what the check showed.
        const listed = await c.send(new r53.ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: n, StartRecordType: record.type as import('@aws-sdk/client-route-53').RRType, MaxItems: 1 }), signal);
        const current = (listed.ResourceRecordSets ?? []).find((r) => plain(r.Name ?? '') === n && r.Type === record.type);
        if (!current) return; // Already gone: what the deploy wanted.
        await c.send(new r53.ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Comment: 'hello-deploy --replace-record', Changes: [{ Action: 'DELETE', ResourceRecordSet: deletable(current) }] } }), signal);
      } catch (err) {
        throw mapAwsError(err, { service: 'Route 53', operation: 'ChangeResourceRecordSets', endpoint: opts.endpointUrl, subject: `${record.type} ${n} in zone ${zoneId}` });
      }
    },
    async zonesFrom(dnsName, max, o = {}) {
      const { r53, client: c } = await open();
      try {
        const out = await c.send(new r53.ListHostedZonesByNameCommand({ DNSName: dnsName, MaxItems: max }), o.signal ? { abortSignal: o.signal } : {});
        return (out.HostedZones ?? []).map((z): HostedZone => ({
          id: (z.Id ?? '').replace(/^\/hostedzone\//, ''),
          name: plainZoneName(z.Name ?? ''),
          private: z.Config?.PrivateZone === true,
        }));
      } catch (err) {
        throw mapAwsError(err, { service: 'Route 53', operation: 'ListHostedZonesByName', endpoint: opts.endpointUrl, subject: dnsName });
      }
    },
    async createPublicZone(name, o = {}) {
      const { r53, client: c } = await open();
      try {
        const out = await c.send(new r53.CreateHostedZoneCommand({ Name: name, CallerReference: `hello-deploy-${name}-${Date.now()}`, HostedZoneConfig: { PrivateZone: false, Comment: 'hello-deploy rehearsal' } }), o.signal ? { abortSignal: o.signal } : {});
        return { id: (out.HostedZone?.Id ?? '').replace(/^\/hostedzone\//, ''), name: plainZoneName(out.HostedZone?.Name ?? name), private: false };
      } catch (err) {
        throw mapAwsError(err, { service: 'Route 53', operation: 'CreateHostedZone', endpoint: opts.endpointUrl, subject: name });
      }
    },
    async deleteZone(zoneId, o = {}) {
      const { r53, client: c } = await open();
      const signal = o.signal ? { abortSignal: o.signal } : {};
      try {
        // DeleteHostedZone refuses a zone that holds records other than its own SOA and NS
        // (https://docs.aws.amazon.com/Route53/latest/APIReference/API_DeleteHostedZone.html): the stack's alias and the
        // certificate's validation CNAME go first, each DELETEd with the values it has.
        const zone = await c.send(new r53.GetHostedZoneCommand({ Id: zoneId }), signal);
        const apex = plain(zone.HostedZone?.Name ?? '');
        const listed = await c.send(new r53.ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 300 }), signal);
        const doomed = (listed.ResourceRecordSets ?? []).filter((r) => !(plain(r.Name ?? '') === apex && (r.Type === 'SOA' || r.Type === 'NS')));
        if (doomed.length) await c.send(new r53.ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: doomed.map((r) => ({ Action: 'DELETE' as const, ResourceRecordSet: deletable(r) })) } }), signal);
        await c.send(new r53.DeleteHostedZoneCommand({ Id: zoneId }), signal);
        return { records: doomed.length };
      } catch (err) {
        throw mapAwsError(err, { service: 'Route 53', operation: 'DeleteHostedZone', endpoint: opts.endpointUrl, subject: zoneId });
      }
    },
    close: () => {
      reads.close();
      void client?.then((x) => x.client.destroy(), () => undefined);
    },
  };
}
