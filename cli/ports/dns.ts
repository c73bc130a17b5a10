// What the lifecycle reads of Route 53 for --domain (doctor's zone and record check, destroy's leftover check):
// hosted zones by name and the records of one name. Read only. Adapter: cli/adapters/aws/route53-reads.ts; tests
// drive it on moto. The rules over what it returns (the longest-matching zone, a record pointing elsewhere) are in
// cli/domain/dns-records.ts.

import type { HostedZoneView, RecordView } from '../domain/dns-records.ts';

export type { HostedZoneView, RecordView };

export interface DnsReadPort {
  /** ListHostedZonesByName from the name's parent zones on: every hosted zone whose name the DNS name ends with. */
  zonesHolding(name: string, opts?: { signal?: AbortSignal }): Promise<HostedZoneView[]>;
  /** ListResourceRecordSets of the zone from that name: the records of exactly that name; [] when the zone is gone. */
  records(zoneId: string, name: string, opts?: { signal?: AbortSignal }): Promise<RecordView[]>;
}

// --domain (issue 16): what the deploy reads of Route 53 (the zone to validate through). Adapter: cli/adapters/aws/route53.ts.

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

/**
 * deploy --replace-record: the records of the name (the doctor's read, DnsReadPort.records), and the DELETE of one
 * of them with its current values, right before the infra stack creates its alias over it.
 */
export interface DnsRecordPort extends Pick<DnsReadPort, 'records'> {
  /** ChangeResourceRecordSets DELETE of the record of this name and type, as Route 53 holds it now. */
  deleteRecord(zoneId: string, record: Pick<RecordView, 'name' | 'type'>, opts?: { signal?: AbortSignal }): Promise<void>;
}

/**
 * deploy --local --domain: the emulator's Route 53 zone the rehearsal makes for the name, and removes at teardown.
 * Only ever wired to an emulator (cli/adapters/rehearsal-ports.ts).
 */
export interface DnsZoneAdminPort {
  /** CreateHostedZone: a public zone of this name. */
  createPublicZone(name: string, opts?: { signal?: AbortSignal }): Promise<HostedZone>;
  /** Every record but the zone's own SOA and NS (each DELETEd with its current values), then DeleteHostedZone. */
  deleteZone(zoneId: string, opts?: { signal?: AbortSignal }): Promise<{ records: number }>;
}
