// DnsZonePort over Route 53 (--domain). The SDK is imported on first use, so `--help` never loads it; the client is
// bounded like every other (clientConfig).
import type { DnsRecordPort, DnsZonePort, HostedZone } from '../../ports/dns.ts';
import { plainZoneName } from '../../domain/domain-name.ts';
import { dnsName as plain } from '../../domain/dns-records.ts';
import { createDnsReads } from './route53-reads.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { mapAwsError } from './errors.ts';

type R53 = typeof import('@aws-sdk/client-route-53');

export interface LiveDnsZonePort extends DnsZonePort, DnsRecordPort {
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
        await c.send(new r53.ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Comment: 'hello-deploy --replace-record', Changes: [{ Action: 'DELETE', ResourceRecordSet: current }] } }), signal);
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
    close: () => {
      reads.close();
      void client?.then((x) => x.client.destroy(), () => undefined);
    },
  };
}
