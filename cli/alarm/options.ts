// `alarm test`'s flags → validated options, before any AWS call (exit 2 on a bad value), with deploy's parsers.
import { awsTargetFromFlags, collector, ecosystemOf, refuseCollected } from '../domain/collect.ts';

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
  const ecosystem = ecosystemOf(flags.ecosystem, env.branch, c);
  const { region, profile, endpointUrl } = await awsTargetFromFlags(flags, c, env.resolveRegion);
  refuseCollected(c, 'Nothing was sent to AWS. Pass the flags above; `hello-deploy alarm test --help` lists them all.');
  return { ecosystem: ecosystem!, ...(region ? { region } : {}), ...(profile ? { profile } : {}), ...(endpointUrl ? { endpointUrl } : {}) };
}
