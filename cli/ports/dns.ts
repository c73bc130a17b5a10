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
