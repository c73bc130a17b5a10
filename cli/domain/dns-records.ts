// The pure rules of --domain's DNS: which hosted zone holds a name (the longest suffix match among the public zones,
// as Route 53 itself answers for the most specific delegated zone), and whether a record of that name points
// elsewhere than this ecosystem's load balancer (which doctor refuses unless --replace-record).
import { parseDomainName as parseHostName } from './domain-name.ts';

export interface HostedZoneView {
  /** The bare id (Z…), without ListHostedZones' `/hostedzone/` prefix: what CloudFormation takes. */
  id: string;
  /** The zone's name without the trailing dot, lower-cased. */
  name: string;
  private: boolean;
}

export interface RecordView {
  /** Without the trailing dot, lower-cased. */
  name: string;
  /** A, AAAA, CNAME, … */
  type: string;
  /** An alias record's target DNS name (without the trailing dot, lower-cased). */
  aliasTarget?: string;
  /** The alias target's own hosted zone (an ALB's CanonicalHostedZoneID): a DELETE must name it. */
  aliasZoneId?: string;
  /** A plain record's values. */
  values: string[];
}

/** Lower-cased, without the trailing dot: how names are compared. */
export const dnsName = (n: string) => n.trim().toLowerCase().replace(/\.$/, '');

const within = (name: string, zone: string) => name === zone || name.endsWith(`.${zone}`);

/** The public zone whose name is the longest suffix of `name` (private zones are not what browsers resolve). */
export function zoneFor(name: string, zones: readonly HostedZoneView[]): HostedZoneView | undefined {
  const n = dnsName(name);
  return zones.filter((z) => !z.private && within(n, dnsName(z.name))).sort((a, b) => dnsName(b.name).length - dnsName(a.name).length)[0];
}

/** The types that answer a browser's lookup of the name: what would be replaced by our alias A record. */
const ADDRESS_TYPES = new Set(['A', 'AAAA', 'CNAME']);

/**
 * The records of `name` that point somewhere else than `ours` (the load balancer's DNS name; undefined when this
 * ecosystem has none yet, so any address record is elsewhere). An alias to our load balancer is ours; so is an
 * alias whose target is a `dualstack.` prefix of it (Route 53 shows ALB aliases that way).
 */
export function recordsElsewhere(name: string, records: readonly RecordView[], ours: string | undefined): RecordView[] {
  const n = dnsName(name);
  const alb = ours ? dnsName(ours) : undefined;
  return records.filter((r) => {
    if (dnsName(r.name) !== n || !ADDRESS_TYPES.has(r.type)) return false;
    const target = r.aliasTarget ? dnsName(r.aliasTarget).replace(/^dualstack\./, '') : undefined;
    if (alb && target === alb) return false;
    if (alb && r.type === 'CNAME' && r.values.map(dnsName).includes(alb)) return false;
    return true;
  });
}

/** --domain as every command reads it: one rule, the deploy's (cli/domain/domain-name.ts). */
export function parseDomainName(raw: string): string {
  return parseHostName(raw);
}

/** "A alias → x" or "CNAME → y": a record as a person reads it. */
export const recordText = (r: RecordView) => `${r.type}${r.aliasTarget ? ` alias → ${r.aliasTarget}` : ` → ${r.values.join(', ') || '(no value)'}`}`;
