// `ci init`'s flags → validated options, before anything is written. Every problem is collected, so one run names
// every bad value at once (exit 2), with the same collector and refusal as every other command.
import { awsTargetFromFlags, collector, refuseCollected, type ResolveRegion } from '../domain/collect.ts';
import { checkCiRoleRequest } from './role.ts';
import { parseRegion } from '../domain/parsers.ts';
import { shown } from '../domain/shown.ts';
import { DEFAULT_CRON, parseCron } from './cron.ts';

/** The flags as commander hands them over (strings; nothing trusted yet). */
export interface CiInitFlags {
  provider?: string;
  aws?: boolean;
  force?: boolean;
  cron?: string;
  roleArn?: string;
  region?: string;
  repository?: string;
  branches?: string;
  profile?: string;
  endpointUrl?: string;
  json?: boolean;
}

/** The CI systems a workflow can be written for. */
export const PROVIDERS = ['github'] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface CiInitOptions {
  readonly provider: Provider;
  /** --aws: also deploy the CI role (cli/ci/role.ts, when built) and write its ARN into the workflow. */
  readonly aws: boolean;
  readonly force: boolean;
  /** The sweep's schedule (POSIX cron, UTC). */
  readonly cron: string;
  /** The role the workflow assumes; without it the workflow reads the repository variable HELLO_DEPLOY_ROLE_ARN. */
  readonly roleArn?: string;
  /** The region the workflow deploys to; without it the workflow reads the repository variable AWS_REGION. */
  readonly region?: string;
  /** --aws: the role's stack, and who may assume it (the repository; from origin's URL when not given). */
  readonly role?: { repository?: string; branches: string[]; region: string; profile?: string; endpointUrl?: string };
}

/** What the options resolver needs from this machine: the AWS region a profile or the environment names. */
export interface CiInitEnv {
  resolveRegion?: ResolveRegion;
}

/** An IAM role ARN in any partition, with an optional path (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). */
export function parseRoleArn(raw: string): string {
  if (!/^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/.test(raw)) throw new Error(`--role-arn ${shown(raw)} is not an IAM role ARN (arn:aws:iam::123456789012:role/name)`);
  return raw;
}

export async function resolveCiInitOptions(flags: CiInitFlags, env: CiInitEnv = {}): Promise<CiInitOptions> {
  const c = collector();
  const { check, bad } = c;
  const provider = flags.provider ?? 'github';
  if (!(PROVIDERS as readonly string[]).includes(provider)) bad.push(`--provider ${shown(provider)} is not supported: the only provider is ${PROVIDERS.join(', ')}`);
  const cron = flags.cron === undefined ? DEFAULT_CRON : check(() => parseCron(flags.cron!));
  const roleArn = flags.roleArn === undefined ? undefined : check(() => parseRoleArn(flags.roleArn!));
  const aws = flags.aws === true;
  // With --aws the region is read once, below, as every AWS command reads it.
  let region = flags.region === undefined || aws ? undefined : check(() => parseRegion(flags.region!));
  let role: CiInitOptions['role'];
  if (aws) {
    // The role's stack is deployed now: where, and as whom, as every AWS command reads it.
    if (flags.roleArn !== undefined) bad.push('--aws makes the role and --role-arn names one you have: give one of them');
    const target = await awsTargetFromFlags(flags, c, env.resolveRegion);
    region = target.region;
    const branches = flags.branches === undefined ? [] : flags.branches.split(',').map((b) => b.trim()).filter(Boolean);
    check(() => checkCiRoleRequest({ repository: flags.repository ?? 'placeholder/placeholder', branches }));
    if (target.region) role = { ...(flags.repository !== undefined ? { repository: flags.repository } : {}), branches, region: target.region, ...(target.profile ? { profile: target.profile } : {}), ...(target.endpointUrl ? { endpointUrl: target.endpointUrl } : {}) };
  } else {
    for (const [flag, given] of [['--repository', flags.repository], ['--branches', flags.branches], ['--profile', flags.profile], ['--endpoint-url', flags.endpointUrl]] as const) {
      if (given !== undefined) bad.push(`${flag} goes with --aws (the CI role it deploys)`);
    }
  }
  refuseCollected(c, 'Nothing was written. `hello-deploy ci init --help` lists the flags.');
  return {
    provider: provider as Provider,
    aws,
    force: flags.force === true,
    cron: cron!,
    ...(roleArn ? { roleArn } : {}),
    ...(region ? { region } : {}),
    ...(role ? { role } : {}),
  };
}
