// `destroy --stale`'s flags → validated options, before any AWS call and before git is asked: every problem is
// collected (exit 2), with the same parsers and words as destroy and status.
import { awsTargetFromFlags, collector, type ResolveRegion, refuseCollected } from '../domain/collect.ts';
import { parseTimeout } from '../domain/parsers.ts';
import { shown } from '../domain/shown.ts';

/** destroy's flags as commander hands them over, the --stale ones among them. */
export interface SweepFlags {
  stale?: boolean;
  remote?: string;
  dryRun?: boolean;
  ecosystem?: string;
  retain?: string[];
  region?: string;
  profile?: string;
  endpointUrl?: string;
  yes?: boolean;
  keepImages?: boolean;
  timeout?: string;
  json?: boolean;
}

export interface SweepOptions {
  /** The git remote whose branches decide what is stale: a remote's name or a URL (default origin). */
  readonly remote: string;
  /** --dry-run: list the stale ecosystems and what deleting them saves; delete nothing. */
  readonly dryRun: boolean;
  readonly yes: boolean;
  readonly keepImages: boolean;
  /** --timeout for each stack of each ecosystem; undefined: destroy's own defaults. */
  readonly timeoutMs?: number;
  readonly region: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  /** The repository git is asked in (the remote's name is resolved there). */
  readonly cwd: string;
}

export interface SweepEnv {
  cwd: string;
  /** Whether a person can type the confirmation: stdin and stdout are terminals, and no --json. */
  interactive: boolean;
  resolveRegion?: ResolveRegion;
}

export const DEFAULT_REMOTE = 'origin';
const REMOTE_MAX = 1024;

/**
 * A remote's name (`origin`), a URL or a path: git decides which, and `git ls-remote -- <remote>` never reads it as
 * an option. Refused here: empty, a leading dash (git refuses it as a "strange pathname" with a less clear word),
 * whitespace, control, invisible or bidi characters (no remote name or URL has them; so the remote prints as safely
 * as shown() would, without its quotes), and anything absurdly long.
 */
export function parseRemote(raw: string): string {
  if (raw === '' || raw.length > REMOTE_MAX || raw.startsWith('-') || /[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]/u.test(raw)) {
    throw new Error(`--remote ${shown(raw)} is not a git remote: give a remote's name (as \`git remote\` lists them) or its URL.`);
  }
  return raw;
}

export async function resolveSweepOptions(flags: SweepFlags, env: SweepEnv): Promise<SweepOptions> {
  const c = collector();
  const { missing, bad, check } = c;
  // The sweep decides which ecosystems go; naming one, or resources to retain in one, belongs to a plain destroy.
  if (flags.ecosystem !== undefined) bad.push('--stale finds the ecosystems to delete itself; --ecosystem names one: give one or the other.');
  if (flags.retain?.length) bad.push('--retain names resources of one ecosystem; run `hello-deploy destroy --ecosystem <name> --retain …` for it, not --stale.');
  const remote = check(() => parseRemote(flags.remote ?? DEFAULT_REMOTE));
  const timeoutMs = flags.timeout === undefined ? undefined : check(() => parseTimeout(flags.timeout!));
  const { region, profile, endpointUrl } = await awsTargetFromFlags(flags, c, env.resolveRegion);
  if (!missing.length && !bad.length && region === undefined) missing.push('--region <region>');
  const dryRun = flags.dryRun === true;
  if (!dryRun && flags.yes !== true && !env.interactive) missing.push('--yes (destroy --stale deletes every stale ecosystem; with no terminal to type the confirmation into, or with --json, --yes is the confirmation; --dry-run only lists them)');
  refuseCollected(c, 'Nothing was sent to AWS and nothing was deleted. `hello-deploy destroy --help` lists the flags.');
  return {
    remote: remote!,
    dryRun,
    yes: flags.yes === true,
    keepImages: flags.keepImages === true,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    region: region!,
    ...(profile ? { profile } : {}),
    ...(endpointUrl ? { endpointUrl } : {}),
    cwd: env.cwd,
  };
}
