// DnsReadPort over Route 53 (the lifecycle's --domain reads: doctor's zone and record check, destroy's leftover
// check), through @aws-sdk/client-route-53 like the deploy's zone lookup (route53.ts): bounded like every client
// (clientConfig), failures mapped by mapAwsError, the SDK imported on first use. Route 53 is global.
import type { AwsOptions } from './config.ts';
import type { DnsReadPort, HostedZoneView, RecordView } from '../../ports/dns.ts';
import { dnsName } from '../../domain/dns-records.ts';
import { clientConfig } from './config.ts';
import { mapAwsError } from './errors.ts';

type R53 = typeof import('@aws-sdk/client-route-53');

export function createDnsReads(opts: AwsOptions): DnsReadPort & { close(): void } {
  let client: Promise<{ r53: R53; client: InstanceType<R53['Route53Client']> }> | undefined;
  const open = () =>
    (client ??= (async () => {
      const r53 = await import('@aws-sdk/client-route-53');
      return { r53, client: new r53.Route53Client((await clientConfig(opts)) as import('@aws-sdk/client-route-53').Route53ClientConfig) };
    })());
  const fail = (err: unknown, operation: string, subject: string) => mapAwsError(err, { service: 'Route 53', operation, subject, ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}) });

  return {
    async zonesHolding(name, o) {
      const { r53, client: c } = await open();
      // ListHostedZonesByName sorts by reversed labels (com.example.app), so a name's parent zones come before it:
      // each suffix is asked for by itself (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZonesByName.html).
      const labels = dnsName(name).split('.');
      const out: HostedZoneView[] = [];
      for (let i = 0; i < labels.length - 1; i++) {
        const suffix = labels.slice(i).join('.');
        try {
          const res = await c.send(new r53.ListHostedZonesByNameCommand({ DNSName: suffix, MaxItems: 10 }), o?.signal ? { abortSignal: o.signal } : {});
          for (const z of res.HostedZones ?? []) {
            const zone = { id: (z.Id ?? '').replace(/^\/hostedzone\//, ''), name: dnsName(z.Name ?? ''), private: z.Config?.PrivateZone === true };
            if (zone.name === suffix) out.push(zone);
          }
        } catch (err) {
          throw fail(err, 'ListHostedZonesByName', suffix);
        }
      }
      return out;
    },
    async records(zoneId, name, o) {
      const { r53, client: c } = await open();
      const n = dnsName(name);
      try {
        const res = await c.send(new r53.ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: n, MaxItems: 20 }), o?.signal ? { abortSignal: o.signal } : {});
        return (res.ResourceRecordSets ?? [])
          .map((r): RecordView => ({
            name: dnsName(r.Name ?? ''),
            type: r.Type ?? '',
            values: (r.ResourceRecords ?? []).map((v) => v.Value ?? ''),
            ...(r.AliasTarget ? { aliasTarget: dnsName(r.AliasTarget.DNSName ?? ''), aliasZoneId: r.AliasTarget.HostedZoneId ?? '' } : {}),
          }))
          .filter((r) => r.name === n);
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchHostedZone') return [];
        throw fail(err, 'ListResourceRecordSets', `zone ${zoneId}`);
      }
    },
    close: () => void client?.then((x) => x.client.destroy(), () => undefined),
  };
}
