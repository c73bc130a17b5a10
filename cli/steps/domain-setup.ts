// --domain in the prerequisites step: no certificate to import (the infra template makes an ACM certificate for the
// name), and the Route 53 zone that holds the name, looked up once so the plan and the stack both know whether the
// validation and alias records can be made for the user or must be added at another DNS provider.
import type { StepIO } from '../core/runner.ts';
import { AbortError } from '../core/errors.ts';
import { dnsName, recordsElsewhere, recordText } from '../domain/dns-records.ts';
import { stackNames } from '../domain/names.ts';
import { shown } from '../domain/shown.ts';
import type { DeployOptions, StepCtx } from './context.ts';
import { findHostedZone } from './domain-zone.ts';

/** What the prerequisites do about the certificate, for the dry-run plan. */
export function certificatePlan(options: Pick<DeployOptions, 'certificate' | 'domain'>): string {
  const c = options.certificate;
  if (c.kind === 'arn') return `confirm certificate ${c.arn} exists in ACM`;
  if (c.kind === 'pair') return `validate and import ${c.certFile} into ACM`;
  return `find the public Route 53 hosted zone holding ${options.domain?.name ?? 'the --domain name'} (ListHostedZonesByName, longest match); no self-signed certificate is imported (the infra stack makes a trusted ACM certificate)`;
}

/** What the infra stack makes for --domain, given the zone (or its absence): the plan and the wizard's summary say it. */
export function domainResources(name: string, zone: { name: string } | null | undefined): string {
  const cert = `an ACM certificate for ${name} with DNS validation (it renews itself)`;
  if (zone === null) return `${cert}; no Route 53 zone holds ${name}, so the validation CNAME and the record pointing ${name} at the load balancer are yours to add at your DNS provider (both are printed)`;
  const where = zone ? `in the Route 53 zone ${zone.name}` : 'in the Route 53 zone that holds it';
  // The load balancer is IPv4 only (its IpAddressType is ipv4), so there is no AAAA record to make.
  return `${cert}, its validation CNAME ${where} (CloudFormation adds it), and an alias A record ${name} → the load balancer (IPv4 only, so no AAAA)`;
}

export async function lookUpZone({ options, ports, state }: Pick<StepCtx<'dns'>, 'options' | 'ports' | 'state'>, io: StepIO): Promise<void> {
  const name = options.domain?.name;
  if (!name) return;
  if (options.domain?.hostedZoneId) {
    state.hostedZone = { id: options.domain.hostedZoneId, name };
  } else {
    io.progress(`looking up the Route 53 zone for ${name}`);
    const zone = await findHostedZone(ports.dns, name, io.signal);
    state.hostedZone = zone ? { id: zone.id, name: zone.name } : null;
  }
  io.info(`Domain ${name}: ${domainResources(name, state.hostedZone)}.`);
  io.info(`No certificate to import: with --domain the self-signed pair is not used.`);
}

/** The infra template's alias record (infra/hello-world-infra.yaml): a record of the name that is this, is ours. */
const RECORD_LOGICAL_ID = 'DomainRecord';

/**
 * Before any stack change: a record of the name that is not the stack's own DomainRecord. Route 53 creates a record
 * only where none of that name and type exists (CREATE, unlike UPSERT:
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_Change.html), and a CNAME allows no other record at
 * its name (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/ResourceRecordTypes.html#CNAMEFormat), so
 * CloudFormation's alias would fail half-way through the stack. Without --replace-record that is refused here, with
 * nothing changed; with it, the records are remembered for the infra step, which deletes them right before the stack
 * changes. The A record is ours when the infra stack already has a DomainRecord of this name (its physical id is the
 * record's name): a re-deploy never needs --replace-record.
 */
export async function checkRecordElsewhere({ options, ports, state }: Pick<StepCtx<'dns' | 'preflight'>, 'options' | 'ports' | 'state'>, io: StepIO): Promise<void> {
  const d = options.domain;
  const zone = state.hostedZone;
  if (!d || !zone) return;
  const stackName = stackNames(options.ecosystem).infra;
  const [records, ids] = await Promise.all([ports.dns.records(zone.id, d.name, { signal: io.signal }), ports.preflight.stackResources.physicalIds(stackName)]);
  const ourRecord = ids?.get(RECORD_LOGICAL_ID);
  const ours = ourRecord !== undefined && dnsName(ourRecord) === dnsName(d.name);
  const elsewhere = recordsElsewhere(d.name, records, undefined).filter((r) => !(ours && r.type === 'A' && r.aliasTarget));
  if (elsewhere.length === 0) return;
  const what = `${shown(d.name)} already has ${elsewhere.map((r) => shown(recordText(r), 300)).join(', ')} in the Route 53 zone ${shown(zone.name)}, which is not ${stackName}'s alias record`;
  if (!d.replaceRecord) {
    throw new AbortError('DOMAIN_RECORD_ELSEWHERE', `${what}; CloudFormation cannot create the alias over it, and serving the name here would take that away. Nothing was changed.`, {
      hint: 'Pick another --domain, remove that record yourself, or pass --replace-record to have the deploy delete it right before the infra stack creates its alias.',
    });
  }
  state.recordsToReplace = elsewhere.map((r) => ({ type: r.type, name: r.name, text: recordText(r) }));
  io.warn(`${what}: --replace-record, so the deploy deletes it right before ${stackName} changes, and the stack's alias A record takes its place.`);
}

/** --replace-record: deletes the records the prerequisites found, each with its current values (DnsRecordPort). */
export async function replaceRecords({ ports, state }: Pick<StepCtx<'dns'>, 'ports' | 'state'>, io: StepIO): Promise<void> {
  const zone = state.hostedZone;
  if (!zone || !state.recordsToReplace?.length) return;
  for (const r of state.recordsToReplace) {
    await ports.dns.deleteRecord(zone.id, r, { signal: io.signal });
    io.info(`Deleted ${shown(r.name)} ${shown(r.text, 300)} from the zone ${shown(zone.name)} (--replace-record): the stack creates its alias there now.`);
  }
  state.recordsToReplace = [];
}
