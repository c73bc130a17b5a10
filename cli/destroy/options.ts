// destroy's flags → validated options, before any AWS call. Every problem is collected, so one run names every
// bad value at once (exit 2), with the same parsers and words as deploy and doctor.
import path from 'node:path';
import { awsTargetFromFlags, collector, type ResolveRegion, ecosystemOf, refuseCollected } from '../domain/collect.ts';
import { shown } from '../domain/shown.ts';
import { parseTimeout } from '../domain/parsers.ts';

/** The flags as commander hands them over (strings; nothing trusted yet). */
export interface DestroyFlags {
  ecosystem?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  yes?: boolean;
  keepImages?: boolean;
  timeout?: string;
  retain?: string[];
  json?: boolean;
  /** --stale and its two flags: the sweep (cli/sweep/options.ts); refused here without --stale. */
  stale?: boolean;
  remote?: string;
  dryRun?: boolean;
}

export interface DestroyOptions {
  readonly ecosystem: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  /** --yes: nothing is asked (the confirmation, retain or retry after a DELETE_FAILED: each takes its default). */
  readonly yes: boolean;
  readonly keepImages: boolean;
  /** How long each stack's deletion is waited for. */
  readonly timeoutMs: { infra: number; ecr: number };
  /** --retain: logical ids a stack in DELETE_FAILED may keep (DeleteStack RetainResources). */
  readonly retain: string[];
  /** Where the saved answers are (`.hello-deploy/<ecosystem>.json` under it). */
  readonly cwd: string;
  /** The two templates, whose fixed names the last step looks up to prove nothing is left. */
  readonly ecrTemplate: string;
  readonly infraTemplate: string;
}

export interface DestroyEnv {
  cwd: string;
  /** Where the templates are: the current folder, or the installed package (cli/core/paths.ts). */
  projectDir: string;
  branch?: string;
  /** Whether a person can type the ecosystem name: stdin and stdout are terminals, and no --json. */
  interactive: boolean;
  resolveRegion?: ResolveRegion;
}

/** Without --timeout: CloudFormation takes minutes to drain a load balancer and an ECS service; the ECR stack less. */
export const DEFAULT_TIMEOUT_MS = { infra: 30 * 60_000, ecr: 15 * 60_000 } as const;
/** A CloudFormation logical id: 1-255 letters and digits (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html). */
export function parseLogicalId(raw: string): string {
  if (!/^[A-Za-z0-9]{1,255}$/.test(raw)) throw new Error(`--retain ${shown(raw)} is not a CloudFormation logical id (letters and digits, as the DELETE_FAILED message names it).`);
  return raw;
}

export async function resolveDestroyOptions(flags: DestroyFlags, env: DestroyEnv): Promise<DestroyOptions> {
  const c = collector();
  const { missing, bad, check } = c;

  const ecosystem = ecosystemOf(flags.ecosystem, env.branch, c);

  const { region, profile, endpointUrl } = await awsTargetFromFlags(flags, c, env.resolveRegion);
  const timeout = flags.timeout === undefined ? undefined : check(() => parseTimeout(flags.timeout!));
  const retain = (flags.retain ?? []).flatMap((r) => check(() => parseLogicalId(r)) ?? []);
  if (flags.remote !== undefined || flags.dryRun === true) bad.push(`${flags.remote !== undefined ? '--remote' : '--dry-run'} goes with --stale (the sweep of ecosystems whose branch is gone); destroy of one ecosystem has none.`);
  // Deleting is not undone: a person types the ecosystem name, or --yes says it for a script.
  if (flags.yes !== true && !env.interactive) missing.push('--yes (destroy deletes the ecosystem; with no terminal to type its name into, or with --json, --yes is the confirmation)');

  refuseCollected(c, 'Nothing was sent to AWS and nothing was deleted. `hello-deploy destroy --help` lists the flags.');
  return {
    ecosystem: ecosystem!,
    ...(region ? { region } : {}),
    ...(profile ? { profile } : {}),
    ...(endpointUrl ? { endpointUrl } : {}),
    yes: flags.yes === true,
    keepImages: flags.keepImages === true,
    timeoutMs: timeout === undefined ? { ...DEFAULT_TIMEOUT_MS } : { infra: timeout, ecr: timeout },
    retain,
    cwd: env.cwd,
    ecrTemplate: path.join(env.projectDir, 'infra/hello-world-ecr-infra.yaml'),
    infraTemplate: path.join(env.projectDir, 'infra/hello-world-infra.yaml'),
  };
}

/** The command that runs this destroy again (to resume it, or with `extra` such as --retain), as a person types it. */
export function rerunCommand(o: DestroyOptions, extra: string[] = []): string {
  const flags = [
    `--ecosystem ${o.ecosystem}`,
    ...(o.region ? [`--region ${o.region}`] : []),
    ...(o.profile ? [`--profile ${o.profile}`] : []),
    ...(o.endpointUrl ? [`--endpoint-url ${o.endpointUrl}`] : []),
    ...(o.keepImages ? ['--keep-images'] : []),
    ...o.retain.map((r) => `--retain ${r}`),
    ...extra,
  ];
  return `hello-deploy destroy ${flags.join(' ')}${o.yes ? ' --yes' : ''}`;
}
