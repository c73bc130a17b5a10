// --domain (issue 16): what the deploy reads of Route 53. Adapter: cli/adapters/aws/route53.ts.

export interface HostedZone {
  /** The zone id without its `/hostedzone/` prefix: what the template's HostedZoneId takes. */
  id: string;
  /** The zone's name, lower-case, without the trailing dot. */
  name: string;
  /** A private zone answers only inside its VPCs: ACM's validation and browsers never see it. */
  private: boolean;
}

export interface DnsZonePort {
  /** ListHostedZonesByName from `dnsName` (one page, at most `max` zones): the zones named `dnsName` come first. */
  zonesFrom(dnsName: string, max: number, opts?: { signal?: AbortSignal }): Promise<HostedZone[]>;
}
