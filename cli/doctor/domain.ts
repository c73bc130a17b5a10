// doctor's --domain step: the public Route 53 zone that holds the name (the longest match, as the deploy picks it),
// and no A/AAAA/CNAME record of the name pointing elsewhere than this ecosystem's load balancer. CloudFormation
// cannot create the alias record over an existing one of the same name and type (Route 53 refuses a duplicate, and a
// CNAME excludes every other type at its name: https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/ResourceRecordTypes.html#CNAMEFormat),
// and replacing someone's record would take their site down: so it is refused unless --replace-record says to.
import type { Step } from '../core/runner.ts';
import { AbortError, BugError } from '../core/errors.ts';
import { recordsElsewhere, recordText, zoneFor } from '../domain/dns-records.ts';
import { stackNames } from '../domain/names.ts';
import { shown } from '../domain/shown.ts';
import type { DoctorContext } from './context.ts';

export const domainCheck: Step<DoctorContext> = {
  id: 'domain',
  title: 'Check the domain',
  after: ['credentials'],
  describe: ({ options }) =>
    options.domain
      ? `Route 53 ListHostedZonesByName: the public hosted zone that holds ${options.domain.name} (longest match); ListResourceRecordSets: no record of the name pointing elsewhere than ${stackNames(options.ecosystem).infra}'s load balancer${options.domain.replaceRecord ? ' (--replace-record: one that does is reported, not refused)' : ''}.`
      : 'Skipped: no --domain.',
  async run({ options, ports, state }, io) {
    const d = options.domain;
    if (!d) return { status: 'skipped', reason: 'no --domain' };
    if (!ports.dns || !ports.stacks) throw new BugError('doctor --domain was wired without its Route 53 and stack reads.');
    const [zones, infra] = await Promise.all([ports.dns.zonesHolding(d.name, { signal: io.signal }), ports.stacks.describe(stackNames(options.ecosystem).infra, { signal: io.signal })]);
    const zone = zoneFor(d.name, zones);
    state.domain = { name: d.name, elsewhere: [], replaceRecord: d.replaceRecord, ...(zone ? { zone: { id: zone.id, name: zone.name } } : {}) };
    if (!zone) {
      // Not an error: the deploy handles it (it names the validation CNAME to add at the DNS provider).
      io.warn(`No public Route 53 hosted zone holds ${shown(d.name)}: the deploy will name the validation CNAME to add at your DNS provider, and the record to the load balancer is yours to add there.`);
      return { status: 'succeeded', summary: `no Route 53 zone holds ${d.name}: DNS is at your provider` };
    }
    io.info(`hosted zone ${zone.name} (${zone.id}) holds ${d.name}`);
    const ours = infra?.outputs.LoadBalancerDNSName;
    const elsewhere = recordsElsewhere(d.name, await ports.dns.records(zone.id, d.name, { signal: io.signal }), ours).map(recordText);
    state.domain.elsewhere = elsewhere;
    if (elsewhere.length === 0) return { status: 'succeeded', summary: `zone ${zone.name}; no record of ${d.name} points elsewhere` };
    const what = `${d.name} already has ${elsewhere.map((r) => shown(r, 300)).join(', ')} in zone ${zone.name}, not ${ours ? `this ecosystem's load balancer ${ours}` : `a load balancer of ${options.ecosystem} (not deployed yet)`}`;
    if (d.replaceRecord) {
      io.warn(`${what}: --replace-record, so the deploy replaces it with its alias A record.`);
      return { status: 'succeeded', summary: `zone ${zone.name}; the record elsewhere will be replaced (--replace-record)` };
    }
    throw new AbortError('DOMAIN_RECORD_ELSEWHERE', `${what}; serving it here would take that away.`, {
      hint: 'Pick another --domain, remove that record yourself, or pass --replace-record (to doctor and deploy) to replace it with the alias to this load balancer.',
    });
  },
};
