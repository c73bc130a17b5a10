// How a command's flags are checked: every problem is collected, so one run names every bad value at once
// (exit 2), rather than stopping at the first. Shared by every command's options (deploy, doctor, status, logs,
// destroy, rollback, alarm test): the same AWS target flags, the same ecosystem default, the same refusal.
import { parseEndpointUrl, parseProfile, parseRegion } from './parsers.ts';
import { sanitizeEcosystem, validateEcosystem } from './ecosystem.ts';
import { UsageError } from '../core/errors.ts';

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

/**
 * The ecosystem a command acts on: --ecosystem as given, else the git branch sanitized as deploy does; neither is
 * named as missing. Every lifecycle command reads it this one way, so they all land on the ecosystem deploy made.
 */
export function ecosystemOf(flag: string | undefined, branch: string | undefined, c: Collected): string | undefined {
  if (flag !== undefined) return c.check(() => validateEcosystem(flag, '--ecosystem'));
  if (branch) return c.check(() => sanitizeEcosystem(branch));
  c.missing.push('--ecosystem <name> (no git branch to default to)');
  return undefined;
}

/**
 * Ends the flag checks: nothing collected passes; otherwise one UsageError naming every problem (exit 2; a missing
 * flag is MISSING_ANSWERS, only bad values BAD_INPUT), with `hint` (what was not done, where the flags are listed).
 */
export function refuseCollected(c: Collected, hint: string): void {
  const { missing, bad } = c;
  if (!missing.length && !bad.length) return;
  const lines = [...missing.map((m) => `missing ${m}`), ...bad];
  throw new UsageError(missing.length ? 'MISSING_ANSWERS' : 'BAD_INPUT', lines.length === 1 ? lines[0]! : `${lines.length} problems:\n  - ${lines.join('\n  - ')}`, { hint });
}
