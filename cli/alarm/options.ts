// `alarm test`'s flags → validated options, before any AWS call (exit 2 on a bad value), with deploy's parsers.
import { awsTargetFromFlags, collector } from '../domain/collect.ts';
import { UsageError } from '../core/errors.ts';
import { sanitizeEcosystem, validateEcosystem } from '../domain/ecosystem.ts';

export interface AlarmTestFlags {
  ecosystem?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  json?: boolean;
}

export interface AlarmTestOptions {
  readonly ecosystem: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
}

export async function resolveAlarmTestOptions(flags: AlarmTestFlags, env: { branch?: string; resolveRegion?: (aws: { profile?: string; endpointUrl?: string }) => Promise<string | undefined> }): Promise<AlarmTestOptions> {
  const c = collector();
  const { missing, bad, check } = c;
  let ecosystem: string | undefined;
  if (flags.ecosystem !== undefined) ecosystem = check(() => validateEcosystem(flags.ecosystem!, '--ecosystem'));
  else if (env.branch) ecosystem = check(() => sanitizeEcosystem(env.branch!));
  else missing.push('--ecosystem <name> (no git branch to default to)');
  const { region, profile, endpointUrl } = await awsTargetFromFlags(flags, c, env.resolveRegion);
  if (missing.length || bad.length) {
    const lines = [...missing.map((m) => `missing ${m}`), ...bad];
    throw new UsageError(missing.length ? 'MISSING_ANSWERS' : 'BAD_INPUT', lines.length === 1 ? lines[0]! : `${lines.length} problems:\n  - ${lines.join('\n  - ')}`, {
      hint: 'Nothing was sent to AWS. Pass the flags above; `hello-deploy alarm test --help` lists them all.',
    });
  }
  return { ecosystem: ecosystem!, ...(region ? { region } : {}), ...(profile ? { profile } : {}), ...(endpointUrl ? { endpointUrl } : {}) };
}
