// --domain in the prerequisites step: no certificate to import (the infra template makes an ACM certificate for the
// name), and the Route 53 zone that holds the name, looked up once so the plan and the stack both know whether the
// validation and alias records can be made for the user or must be added at another DNS provider.
import type { StepIO } from '../core/runner.ts';
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
