// status's flags → validated options, before any AWS call. Every problem is collected (exit 2), with the same
// parsers and words as deploy and doctor.
import { awsTargetFromFlags, collector, type ResolveRegion, refuseCollected } from '../domain/collect.ts';
import { sanitizeEcosystem, validateEcosystem } from '../domain/ecosystem.ts';
import { shown } from '../domain/shown.ts';
import { parseTraffic, type CostFlags } from '../domain/cost-flags.ts';

export interface StatusFlags extends CostFlags {
  ecosystem?: string;
  all?: boolean;
  /** `--watch` alone is true; `--watch 10` is "10". */
  watch?: boolean | string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  json?: boolean;
}

export interface StatusOptions {
  /** Undefined with --all. */
  readonly ecosystem?: string;
  readonly all: boolean;
  /** Seconds between refreshes; undefined: one snapshot. */
  readonly watchSeconds?: number;
  readonly region: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  /** --traffic: the request rate the estimate prices (default idle). */
  readonly trafficRps?: number;
  readonly livePrices?: boolean;
}

export interface StatusEnv {
  branch?: string;
  resolveRegion?: ResolveRegion;
}

export const WATCH_DEFAULT_SECONDS = 5;
const WATCH_MAX_SECONDS = 3600;

export function parseWatch(raw: boolean | string | undefined): number | undefined {
  if (raw === undefined || raw === false) return undefined;
  if (raw === true) return WATCH_DEFAULT_SECONDS;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > WATCH_MAX_SECONDS) throw new Error(`--watch ${shown(raw)} is not a whole number of seconds from 1 to ${WATCH_MAX_SECONDS}.`);
  return Number(raw);
}

export async function resolveStatusOptions(flags: StatusFlags, env: StatusEnv): Promise<StatusOptions> {
  const c = collector();
  const { missing, bad, check } = c;
  const all = flags.all === true;
  let ecosystem: string | undefined;
  if (all && flags.ecosystem !== undefined) bad.push('--all lists every ecosystem; --ecosystem names one: give one or the other.');
  else if (flags.ecosystem !== undefined) ecosystem = check(() => validateEcosystem(flags.ecosystem!, '--ecosystem'));
  else if (!all && env.branch) ecosystem = check(() => sanitizeEcosystem(env.branch!));
  else if (!all) missing.push('--ecosystem <name> or --all (no git branch to default to)');
  const watchSeconds = check(() => parseWatch(flags.watch));
  const trafficRps = flags.traffic === undefined ? undefined : check(() => parseTraffic(flags.traffic!));
  const { region, profile, endpointUrl } = await awsTargetFromFlags(flags, c, env.resolveRegion);
  if (!missing.length && !bad.length && region === undefined) missing.push('--region <region>');
  refuseCollected(c, 'Nothing was sent to AWS. `hello-deploy status --help` lists the flags.');
  return {
    ...(ecosystem ? { ecosystem } : {}),
    all,
    ...(watchSeconds !== undefined ? { watchSeconds } : {}),
    region: region!,
    ...(profile ? { profile } : {}),
    ...(endpointUrl ? { endpointUrl } : {}),
    ...(trafficRps !== undefined ? { trafficRps } : {}),
    ...(flags.livePrices ? { livePrices: true } : {}),
  };
}
