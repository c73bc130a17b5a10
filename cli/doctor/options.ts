// doctor's flags → validated options, before any AWS call. Every problem is collected, so one run names every bad
// value at once (exit 2), with the same parsers and words as deploy.
import path from 'node:path';
import { awsTargetFromFlags, collector, ecosystemOf, refuseCollected } from '../domain/collect.ts';
import { hostArchitecture, parseArchitecture } from '../domain/architecture.ts';
import { parseDeployImage, parseRegistry } from '../domain/image-ref.ts';
import { shown } from '../domain/shown.ts';
import type { ImageToCheck } from '../steps/preflight.ts';
import type { CertificateToCheck } from '../steps/prerequisites.ts';
import { certificateFromFlags } from '../domain/certificates/flags.ts';
import { parseDomainName } from '../domain/dns-records.ts';

/** The flags as commander hands them over (strings; nothing trusted yet). */
export interface DoctorFlags {
  ecosystem?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  certArn?: string;
  cert?: string;
  key?: string;
  image?: string;
  arch?: string;
  registry?: string;
  domain?: string;
  replaceRecord?: boolean;
  json?: boolean;
}

export interface DoctorOptions {
  readonly ecosystem: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  /** Undefined: no certificate to judge; the certificate check is skipped and says so. */
  readonly certificate?: CertificateToCheck;
  /** Undefined: no --image; the Image check is skipped and says so. */
  readonly image?: ImageToCheck;
  /** --domain: check its hosted zone and that no record of the name points elsewhere (--replace-record accepts one). */
  readonly domain?: { name: string; replaceRecord: boolean };
  readonly ecrTemplate: string;
  readonly infraTemplate: string;
}

export interface DoctorEnv {
  cwd: string;
  projectDir: string;
  branch?: string;
  /** Node's `process.arch` of this machine, whose architecture is the default --arch (default: process.arch). */
  hostArch?: string;
  /** The region the SDK would use when --region is not given (configuration only, no call), as deploy finds it. */
  resolveRegion?: (aws: { profile?: string; endpointUrl?: string }) => Promise<string | undefined>;
}


export async function resolveDoctorOptions(flags: DoctorFlags, env: DoctorEnv): Promise<DoctorOptions> {
  const c = collector();
  const { missing, bad, check } = c;

  const ecosystem = ecosystemOf(flags.ecosystem, env.branch, c);

  const { region, profile, endpointUrl } = await awsTargetFromFlags(flags, c, env.resolveRegion);

  // As deploy parses them (cli/deploy/options.ts). --arch and --registry are checked even without --image, so a bad
  // value is never silently ignored; this machine's architecture is needed only when there is an image to judge.
  const hostArch = env.hostArch ?? process.arch;
  const architecture = flags.arch !== undefined ? check(() => parseArchitecture(flags.arch!)) : hostArchitecture(hostArch);
  const registry = flags.registry === undefined ? undefined : check(() => parseRegistry(flags.registry!));
  if (flags.image !== undefined) check(() => parseDeployImage(flags.image!));
  if (flags.image !== undefined && flags.arch === undefined && architecture === undefined) missing.push(`--arch x86_64|arm64 (this machine is ${shown(hostArch)}, which Fargate does not run)`);

  const domain = flags.domain === undefined ? undefined : check(() => parseDomainName(flags.domain!));
  if (flags.replaceRecord && flags.domain === undefined) bad.push('--replace-record needs --domain <name>: it is about that name\'s DNS record.');

  const certificate = await certificateFromFlags(flags, { cwd: env.cwd, region, regionIs: 'the check is for', bad });

  refuseCollected(c, 'Nothing was sent to AWS. Pass the flags above; `hello-deploy doctor --help` lists them all.');
  return {
    ecosystem: ecosystem!,
    ...(region ? { region } : {}),
    ...(profile ? { profile } : {}),
    ...(endpointUrl ? { endpointUrl } : {}),
    ...(certificate ? { certificate } : {}),
    ...(flags.image !== undefined ? { image: { image: flags.image, architecture: architecture!, ...(registry ? { registry } : {}), ...(flags.arch === undefined ? { architectureFromHost: true } : {}) } } : {}),
    ...(domain ? { domain: { name: domain, replaceRecord: flags.replaceRecord === true } } : {}),
    ecrTemplate: path.join(env.projectDir, 'infra/hello-world-ecr-infra.yaml'),
    infraTemplate: path.join(env.projectDir, 'infra/hello-world-infra.yaml'),
  };
}
