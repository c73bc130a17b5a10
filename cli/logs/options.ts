// logs' flags → validated options, before any AWS call. Every problem is collected, so one run names every bad
// value at once (exit 2), with the same parsers and words as deploy and doctor.
import { awsTargetFromFlags, collector, type ResolveRegion, ecosystemOf, refuseCollected } from '../domain/collect.ts';
import { parseDuration, parseTaskId } from '../domain/parsers.ts';

/** The flags as commander hands them over (strings; nothing trusted yet). */
export interface LogsFlags {
  ecosystem?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  since?: string;
  task?: string;
  previous?: boolean;
  follow?: boolean;
  json?: boolean;
}

export interface LogsOptions {
  readonly ecosystem: string;
  readonly region: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  /** How far back to read, in ms (default 10 minutes). */
  readonly sinceMs: number;
  /** A task id, or its first 8 or more characters: the start of its log stream's last part. */
  readonly task?: string;
  readonly previous: boolean;
  readonly follow: boolean;
}

export const DEFAULT_SINCE_MS = 10 * 60_000;

export interface LogsEnv {
  branch?: string;
  resolveRegion?: ResolveRegion;
}

export async function resolveLogsOptions(flags: LogsFlags, env: LogsEnv): Promise<LogsOptions> {
  const c = collector();
  const { missing, bad, check } = c;

  const ecosystem = ecosystemOf(flags.ecosystem, env.branch, c);

  const { region, profile, endpointUrl } = await awsTargetFromFlags(flags, c, env.resolveRegion);
  const sinceMs = flags.since === undefined ? DEFAULT_SINCE_MS : check(() => parseDuration(flags.since!));
  const task = flags.task === undefined ? undefined : check(() => parseTaskId(flags.task!));
  // --previous picks the task itself; a stopped task writes no new lines, so there is nothing to follow.
  if (flags.previous && flags.task !== undefined) bad.push('--previous and --task both name the task to read: give one of them.');
  if (flags.previous && flags.follow) bad.push('--previous reads a stopped task, which writes no new lines: --follow has nothing to wait for.');
  if (region === undefined && !missing.length && !bad.length) missing.push('--region <region>');

  refuseCollected(c, 'Nothing was sent to AWS. Pass the flags above; `hello-deploy logs --help` lists them all.');
  return {
    ecosystem: ecosystem!,
    region: region!,
    ...(profile ? { profile } : {}),
    ...(endpointUrl ? { endpointUrl } : {}),
    sinceMs: sinceMs!,
    ...(task ? { task } : {}),
    previous: flags.previous === true,
    follow: flags.follow === true,
  };
}
