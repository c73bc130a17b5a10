// --domain: the public Route 53 hosted zone that holds the name, by longest suffix match. ListHostedZonesByName
// lists zones sorted by their labels reversed, starting at DNSName
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZonesByName.html), so a parent zone
// (example.com for hello.example.com) sorts *before* the name and is not in a page that starts at the name: each
// candidate suffix is asked for on its own, longest first, and the first public zone of exactly that name wins.
import type { DnsZonePort, HostedZone } from '../ports/dns.ts';
import { zoneCandidates } from '../domain/domain-name.ts';

/** Zones of one name a page must show: a public zone and a few private ones (split-horizon) of the same name. */
const SAME_NAME_PAGE = 20;

export async function findHostedZone(dns: DnsZonePort, name: string, signal?: AbortSignal): Promise<HostedZone | undefined> {
  // The top-level domain alone is never a zone of this account; at most 127 labels fit in a name, so this is bounded.
  for (const candidate of zoneCandidates(name).slice(0, -1)) {
    const zones = await dns.zonesFrom(candidate, SAME_NAME_PAGE, signal ? { signal } : {});
    const zone = zones.find((z) => z.name === candidate && !z.private);
    if (zone) return zone;
  }
  return undefined;
}
