// How a command's flags are checked: every problem is collected, so one run names every bad value at once
// (exit 2), rather than stopping at the first. Shared by deploy and doctor.
import { parseEndpointUrl, parseProfile, parseRegion } from './parsers.ts';

export interface Collected {
  missing: string[];
  bad: string[];
  /** Runs one parser; its error's message joins `bad`, and undefined comes back instead of a throw. */
  check<T>(fn: () => T): T | undefined;
}

export function collector(): Collected {
  const missing: string[] = [];
  const bad: string[] = [];
  return {
    missing,
    bad,
    check<T>(fn: () => T): T | undefined {
      try {
        return fn();
      } catch (e) {
        bad.push(e instanceof Error ? e.message : String(e));
        return undefined;
      }
    },
  };
}

/** The region the SDK would use when --region is not given (configuration only, no call). */
export type ResolveRegion = (aws: { profile?: string; endpointUrl?: string }) => Promise<string | undefined>;

/**
 * --region, --profile and --endpoint-url, and without --region the region the SDK's configuration gives, checked
 * by the same rule as the flag (a region nobody configured is named as missing).
 */
export async function awsTargetFromFlags(flags: { region?: string | undefined; profile?: string | undefined; endpointUrl?: string | undefined }, c: Collected, resolveRegion?: ResolveRegion) {
  let region = flags.region === undefined ? undefined : c.check(() => parseRegion(flags.region!));
  const profile = flags.profile === undefined ? undefined : c.check(() => parseProfile(flags.profile!));
  const endpointUrl = flags.endpointUrl === undefined ? undefined : c.check(() => parseEndpointUrl(flags.endpointUrl!));
  // A bad --profile is already reported; its region would only add a second, misleading line.
  if (flags.region === undefined && resolveRegion && (flags.profile === undefined || profile !== undefined)) {
    const found = await resolveRegion({ ...(profile ? { profile } : {}), ...(endpointUrl ? { endpointUrl } : {}) });
    if (found === undefined) c.missing.push('--region <region> (no AWS_REGION, AWS_DEFAULT_REGION or region in your AWS profile)');
    else region = c.check(() => parseRegion(found, "The configured region (AWS_REGION, AWS_DEFAULT_REGION or the profile's)"));
  }
  return { region, profile, endpointUrl };
}
