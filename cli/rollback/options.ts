// rollback's flags → validated options, before any AWS call. Every problem is collected (exit 2), with the same
// parsers and words as deploy and doctor. What the rollback deploys is decided later, from AWS (target.ts).
import { awsTargetFromFlags, collector, ecosystemOf, refuseCollected } from '../domain/collect.ts';
import { parseRegistry } from '../domain/image-ref.ts';
import { parseRollbackTo, type RollbackTo } from '../domain/rollback-target.ts';

/** The flags as commander hands them over (strings; nothing trusted yet). */
export interface RollbackFlags {
  to?: string;
  yes?: boolean;
  json?: boolean;
  ecosystem?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  registry?: string;
}

export interface RollbackOptions {
  readonly ecosystem: string;
  /** The ecosystem was named by --ecosystem (not derived from the branch): the deploy then records no owner. */
  readonly ecosystemGiven: boolean;
  readonly to?: RollbackTo;
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly registry?: string;
}

export interface RollbackEnv {
  branch?: string;
  resolveRegion?: (aws: { profile?: string; endpointUrl?: string }) => Promise<string | undefined>;
}

export async function resolveRollbackOptions(flags: RollbackFlags, env: RollbackEnv): Promise<RollbackOptions> {
  const c = collector();
  const { check } = c;
  const ecosystem = ecosystemOf(flags.ecosystem, env.branch, c);
  const to = flags.to === undefined ? undefined : check(() => parseRollbackTo(flags.to!));
  const registry = flags.registry === undefined ? undefined : check(() => parseRegistry(flags.registry!));
  const { region, profile, endpointUrl } = await awsTargetFromFlags(flags, c, env.resolveRegion);
  refuseCollected(c, 'Nothing was sent to AWS. Pass the flags above; `hello-deploy rollback --help` lists them all.');
  return {
    ecosystem: ecosystem!,
    ecosystemGiven: flags.ecosystem !== undefined,
    ...(to ? { to } : {}),
    ...(region ? { region } : {}),
    ...(profile ? { profile } : {}),
    ...(endpointUrl ? { endpointUrl } : {}),
    ...(registry ? { registry } : {}),
  };
}
