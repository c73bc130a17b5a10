// DnsZonePort over Route 53 (--domain). The SDK is imported on first use, so `--help` never loads it; the client is
// bounded like every other (clientConfig).
import type { DnsZonePort, HostedZone } from '../../ports/dns.ts';
import { plainZoneName } from '../../domain/domain-name.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { mapAwsError } from './errors.ts';

type R53 = typeof import('@aws-sdk/client-route-53');

export interface LiveDnsZonePort extends DnsZonePort {
  close(): void;
}

export function createDnsZones(opts: AwsOptions): LiveDnsZonePort {
  let client: Promise<{ r53: R53; client: InstanceType<R53['Route53Client']> }> | undefined;
  const open = () =>
    (client ??= (async () => {
      const r53 = await import('@aws-sdk/client-route-53');
      return { r53, client: new r53.Route53Client((await clientConfig(opts)) as import('@aws-sdk/client-route-53').Route53ClientConfig) };
    })());
  return {
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
    close: () => void client?.then((x) => x.client.destroy(), () => undefined),
  };
}
