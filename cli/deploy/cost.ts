// What the deploy will cost once it runs: the infra template priced with the parameters this deploy passes, at the
// autoscaling minimum (a new service starts there), with the range up to MaxTasks. Shown in the plan (--json), the
// wizard and the CI job summary.
import { priceEcosystem, type CostEstimate, type Pricing } from '../domain/cost.ts';
import type { DeployOptions } from '../steps/context.ts';

export function deployCost(options: Pick<DeployOptions, 'architecture' | 'domain'>, pricing: Pricing, now: Date): CostEstimate {
  // HostedZoneId is found while the deploy runs (a Route 53 lookup), after the estimate is shown. The estimate assumes
  // the usual case, a zone in Route 53, so its record and the zone's line are priced (at most $0.50 too much when the
  // name is served elsewhere); the placeholder only switches the template's HasZone condition on.
  return priceEcosystem(pricing, { CpuArchitecture: options.architecture, ...(options.domain ? { DomainName: options.domain.name, HostedZoneId: 'found-by-the-deploy' } : {}) }, now);
}
