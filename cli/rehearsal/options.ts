// `deploy --local` flags → the deploy options the steps read plus the rehearsal's own, validated before anything
// starts (exit 2). A rehearsal needs no answers: the e-mail, the ecosystem and the certificate have local defaults.
import { access, constants, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { sanitizeEcosystem, validateEcosystem } from '../domain/ecosystem.ts';
import type { DeployFlags } from '../domain/flags.ts';
import { parseEmail, parseEndpointUrl, parseRegion } from '../domain/parsers.ts';
import { shown } from '../domain/shown.ts';
import { parseDomainName } from '../domain/dns-records.ts';
import { parseImageName } from '../domain/image-ref.ts';
import { hostArchitecture, parseArchitecture, type CpuArchitecture } from '../domain/architecture.ts';
import { LOCAL_BASE_IMAGE, dockerfileDefaultBase } from '../domain/base-image.ts';
import type { DeployOptions } from '../steps/context.ts';
import type { RehearsalOptions } from './context.ts';
import type { DockerStatus, EmulatorEngine } from '../ports/rehearsal.ts';


// LocalStack's rules, checked before anything starts (the adapter in cli/adapters/emulator/localstack.ts runs it).
/** Unpinned on purpose: the consolidated image's tags could not be checked offline. Pin with --localstack-image. */
export const DEFAULT_LOCALSTACK_IMAGE = 'localstack/localstack:latest';

const PAID = 'ECS, ECR, ELBv2 and Application Auto Scaling (all used by the infra template) need a paid LocalStack tier';

/** The fail-fast check (exit 2, before anything starts). */
export function localstackPreflight(token: string | undefined, docker: DockerStatus): UsageError | undefined {
  const problems: string[] = [];
  if (!token) problems.push('LOCALSTACK_AUTH_TOKEN is not set: since 2026-03 the LocalStack image does not start without an auth token');
  if (!docker.available) problems.push(`LocalStack runs in Docker, and no Docker engine answers (${docker.reason})`);
  if (problems.length === 0) return undefined;
  return new UsageError('LOCALSTACK_UNAVAILABLE', `--emulator localstack cannot run here: ${problems.join('; ')}. Also, ${PAID}.`, {
    hint: 'Use --emulator moto (the default: embedded, free, no account), or set LOCALSTACK_AUTH_TOKEN (localstack.cloud) with Docker running.',
  });
}

export interface LocalFlags {
  local?: boolean;
  emulator?: string;
  keep?: boolean;
  baseImage?: string;
  localstackImage?: string;
  /** deploy's --domain, as the rehearsal takes it. */
  domain?: string;
}

export type RehearsalFlags = DeployFlags & LocalFlags;

/** The e-mail the emulated SNS subscription gets when none is given: a reserved domain, so nothing is ever sent. */
export const REHEARSAL_EMAIL = 'rehearsal@example.com';
/** The local tag every rehearsal of an ecosystem builds to (replaced each run, never added to). */
export const rehearsalBuildTag = (ecosystem: string) => `hello-deploy-local/${ecosystem}:rehearsal`;
/** The ecosystem outside a git repository. */
export const REHEARSAL_ECOSYSTEM = 'rehearsal';
/** The local stand-in for python:slim that `npm run setup` builds where no image can be pulled. */
export { LOCAL_BASE_IMAGE };
export const ENGINES: readonly EmulatorEngine[] = ['moto', 'moto-plain', 'localstack', 'endpoint'];

/** Flags that mean nothing without --local: a usage error rather than silently ignored. */
export function localOnlyFlagsError(flags: RehearsalFlags): UsageError | undefined {
  if (flags.local) return undefined;
  const given = [flags.emulator && '--emulator', flags.keep && '--keep', flags.localstackImage && '--localstack-image'].filter(Boolean);
  if (!given.length) return undefined;
  return new UsageError('LOCAL_ONLY_FLAG', `${given.join(', ')} only make${given.length === 1 ? 's' : ''} sense with --local.`, { hint: 'Add --local to rehearse on this machine, or drop the flag.' });
}

export interface ResolveEnv {
  cwd: string;
  projectDir: string;
  branch?: string;
  imageTag: string;
  docker: DockerStatus;
  /** The rehearsal's temp folder (created by the caller after these checks pass). */
  workDir: string;
  /** `docker image inspect` succeeded for this reference. */
  imageExists(ref: string): Promise<boolean>;
  env?: NodeJS.ProcessEnv;
  /** Node's `process.arch` of this machine, whose architecture is the default --arch (default: process.arch). */
  hostArch?: string;
}

const readable = (p: string) => access(p, constants.R_OK).then(() => true, () => false);

/** Runs a parser; a UsageError becomes one more line in `bad` (every problem is listed at once). */
const collector = (bad: string[]) => <T>(fn: () => T): T | undefined => {
  try {
    return fn();
  } catch (e) {
    bad.push(e instanceof Error ? e.message : String(e));
    return undefined;
  }
};

async function pairChecked(bad: string[], certFile: string, keyFile: string, source?: { cert: string; key: string }): Promise<void> {
  const { pairProblem } = await import('../domain/certificates/pair.ts');
  const problem = await pairProblem(certFile, keyFile, source);
  if (problem !== undefined) bad.push(problem);
}

/** Checks that need no folder or process: run before the rehearsal's temp folder is made. */
export function checkLocalFlags(flags: RehearsalFlags, docker: DockerStatus, env: NodeJS.ProcessEnv = process.env): EmulatorEngine {
  const bad: string[] = [];
  const check = collector(bad);
  const engine = (flags.emulator ?? (flags.endpointUrl !== undefined ? 'endpoint' : 'moto')) as EmulatorEngine;
  if (!ENGINES.includes(engine)) bad.push(`--emulator "${flags.emulator}" must be one of ${ENGINES.join(', ')}`);
  if (engine === 'endpoint' && flags.endpointUrl === undefined) bad.push('--emulator endpoint needs --endpoint-url <url> (an emulator that is already running)');
  if (engine !== 'endpoint' && flags.endpointUrl !== undefined) bad.push(`--endpoint-url goes with --emulator endpoint (--emulator ${engine} starts its own)`);
  if (flags.endpointUrl !== undefined) check(() => parseEndpointUrl(flags.endpointUrl!));
  // These point at a real account or registry; a rehearsal never uses one.
  if (flags.profile !== undefined) bad.push('--profile names a real AWS account; a rehearsal uses fake credentials only');
  if (flags.certArn !== undefined) bad.push('--cert-arn names a certificate in a real ACM; a rehearsal imports a local pair into the emulator (give --cert/--key, or nothing to generate one)');
  const region = flags.region === undefined ? undefined : check(() => parseRegion(flags.region!));
  if (region !== undefined && region !== 'us-east-1') bad.push('--region: the emulator runs in us-east-1 only');
  if (flags.image !== undefined) bad.push('--image: a rehearsal builds the image from the Dockerfile');
  if (flags.registry !== undefined) bad.push('--registry: a rehearsal starts its own local registry');
  // What prices or protects a real deployment means nothing here: the emulator bills nothing, and its zone is its own.
  if (flags.traffic !== undefined) bad.push('--traffic prices a deployment on AWS; a rehearsal costs nothing (use it with deploy or status)');
  if (flags.livePrices) bad.push('--live-prices prices a deployment on AWS; a rehearsal costs nothing (use it with deploy or status)');
  if (flags.replaceRecord) bad.push('--replace-record replaces a record in your Route 53 zone; a rehearsal makes a zone of its own in the emulator');
  const baseImage = flags.baseImage ?? (env.HELLO_DEPLOY_BASE_IMAGE || undefined);
  if (baseImage !== undefined) check(() => parseImageName(baseImage, flags.baseImage === undefined ? 'HELLO_DEPLOY_BASE_IMAGE' : '--base-image'));
  if (flags.localstackImage !== undefined) check(() => parseImageName(flags.localstackImage!, '--localstack-image'));
  if (flags.arch !== undefined) check(() => parseArchitecture(flags.arch!));
  if (flags.domain !== undefined) check(() => parseDomainName(flags.domain!));
  if (bad.length) {
    throw new UsageError('BAD_INPUT', bad.length === 1 ? bad[0]! : `${bad.length} problems:\n  - ${bad.join('\n  - ')}`, {
      hint: 'Nothing was started. `hello-deploy deploy --help` lists the flags; --local needs none of them.',
    });
  }
  if (engine === 'localstack') {
    const problem = localstackPreflight(env.LOCALSTACK_AUTH_TOKEN, docker);
    if (problem) throw problem;
  }
  return engine;
}

/** The Dockerfile's own default base image (`ARG BASE_IMAGE=…`). */
export async function dockerfileBaseImage(dockerfile: string): Promise<string | undefined> {
  return dockerfileDefaultBase(await readFile(dockerfile, 'utf8').catch(() => ''));
}

export async function resolveRehearsal(flags: RehearsalFlags, engine: EmulatorEngine, env: ResolveEnv): Promise<{ options: DeployOptions; rehearsal: RehearsalOptions }> {
  const bad: string[] = [];
  const check = collector(bad);
  let ecosystem = flags.ecosystem;
  if (ecosystem === undefined) ecosystem = env.branch ? sanitizeEcosystem(env.branch) : REHEARSAL_ECOSYSTEM;
  check(() => validateEcosystem(ecosystem, flags.ecosystem === undefined ? 'The ecosystem name' : '--ecosystem'));
  const email = flags.email === undefined ? REHEARSAL_EMAIL : check(() => parseEmail(flags.email!));
  // As a real deploy: --arch (checked by checkLocalFlags), else this machine's own architecture.
  const hostArch = env.hostArch ?? process.arch;
  const architecture: CpuArchitecture | undefined = flags.arch !== undefined ? check(() => parseArchitecture(flags.arch!)) : hostArchitecture(hostArch);
  if (architecture === undefined && flags.arch === undefined) bad.push(`--arch: this machine is ${shown(hostArch)}, which Fargate does not run; give --arch x86_64 or --arch arm64`);

  // The user's pair when there is one (given, or where generate-certs writes it); else one made for the rehearsal.
  // A given pair is read and checked here, as deploy does, so a bad one (or a FIFO, a device) stops before anything starts.
  let certificate: { certFile: string; keyFile: string; source: 'user' | 'generated' };
  if (flags.cert !== undefined || flags.key !== undefined) {
    const certFile = path.resolve(env.cwd, flags.cert ?? '');
    const keyFile = path.resolve(env.cwd, flags.key ?? '');
    if (flags.cert === undefined || flags.key === undefined) bad.push('--cert and --key go together');
    else await pairChecked(bad, certFile, keyFile, { cert: '--cert', key: '--key' });
    certificate = { certFile, keyFile, source: 'user' };
  } else {
    const certFile = path.resolve(env.cwd, 'app/certs/cert.pem');
    const keyFile = path.resolve(env.cwd, 'app/certs/key.pem');
    const mine = (await readable(certFile)) && (await readable(keyFile));
    if (mine) await pairChecked(bad, certFile, keyFile);
    certificate = mine
      ? { certFile, keyFile, source: 'user' }
      : { certFile: path.join(env.workDir, 'certs', 'cert.pem'), keyFile: path.join(env.workDir, 'certs', 'key.pem'), source: 'generated' };
  }
  if (bad.length) {
    throw new UsageError('BAD_INPUT', bad.length === 1 ? bad[0]! : `${bad.length} problems:\n  - ${bad.join('\n  - ')}`, { hint: 'Nothing was started.' });
  }

  const dockerfile = path.join(env.projectDir, 'Dockerfile');
  const { buildArgs, note } = await chooseBaseImage(flags, dockerfile, env);
  // Validated by checkLocalFlags already.
  const rehearsalDomain = flags.domain === undefined ? undefined : parseDomainName(flags.domain);
  const options: DeployOptions = {
    ecosystem,
    email: email!,
    region: 'us-east-1',
    certificate: { kind: 'pair', certFile: certificate.certFile, keyFile: certificate.keyFile },
    // moto gives a CREATE change set no outputs; direct create/update is what emulators support.
    deployMethod: 'direct',
    architecture: architecture!,
    ...(flags.arch === undefined ? { architectureFromHost: true } : {}),
    projectDir: env.projectDir,
    ecrTemplate: path.join(env.projectDir, 'infra/hello-world-ecr-infra.yaml'),
    infraTemplate: path.join(env.projectDir, 'infra/hello-world-infra.yaml'),
    dockerfile,
    buildArgs,
    imageTag: env.imageTag,
    // One local tag, reused by every rehearsal of this ecosystem, so none piles up in `docker images`. The registry
    // tag stays per run (it names the run); the infra stack pins the image by digest either way (push-image).
    buildTag: rehearsalBuildTag(ecosystem),
    // As a real deploy (cli/deploy/options.ts): the branch owns the ecosystem only when it named it, so the
    // rehearsal records it on the emulator's stacks and checks it, and a second branch onto the same ecosystem of a
    // kept or shared emulator stops with ECOSYSTEM_TAKEN as it would in AWS (or takes it over with --take-over).
    ...(flags.ecosystem === undefined && env.branch ? { branch: env.branch } : {}),
    ...(flags.takeOver ? { takeOver: true } : {}),
    // --domain on the launcher, whose ACM model issues the stack's certificate through the zone the prerequisites
    // make (moto_ext/acm_certificate.py): the infra stack gets DomainName and HostedZoneId, as a real deploy's does.
    // Plain moto and LocalStack have no model for AWS::CertificateManager::Certificate: the stack is deployed
    // without them there, and the report says so.
    ...(rehearsalDomain && engine === 'moto' ? { domain: { name: rehearsalDomain } } : {}),
  };
  const domain = rehearsalDomain;
  const rehearsal: RehearsalOptions = {
    engine,
    ...(flags.endpointUrl !== undefined ? { endpointUrl: parseEndpointUrl(flags.endpointUrl) } : {}),
    localstackImage: flags.localstackImage ?? DEFAULT_LOCALSTACK_IMAGE,
    keep: flags.keep === true,
    workDir: env.workDir,
    certificateSource: certificate.source,
    appDir: path.join(env.projectDir, 'app'),
    ...(note ? { baseImageNote: note } : {}),
    ...(domain ? { domain } : {}),
  };
  return { options, rehearsal };
}

/**
 * --base-image, else HELLO_DEPLOY_BASE_IMAGE, else the Dockerfile's default — unless that is not on this machine
 * and the locally built stand-in is: then the stand-in, said out loud (the README's first command must work where
 * nothing can be pulled).
 */
async function chooseBaseImage(flags: RehearsalFlags, dockerfile: string, env: ResolveEnv): Promise<{ buildArgs: Record<string, string>; note?: string }> {
  const given = flags.baseImage ?? (env.env ?? process.env).HELLO_DEPLOY_BASE_IMAGE;
  if (given) return { buildArgs: { BASE_IMAGE: given } };
  if (!env.docker.available) return { buildArgs: {} };
  const fallback = await dockerfileBaseImage(dockerfile);
  if (fallback && !(await env.imageExists(fallback)) && (await env.imageExists(LOCAL_BASE_IMAGE))) {
    return { buildArgs: { BASE_IMAGE: LOCAL_BASE_IMAGE }, note: `The Dockerfile's base image ${fallback} is not on this machine but ${LOCAL_BASE_IMAGE} is: building FROM ${LOCAL_BASE_IMAGE} (pass --base-image to choose).` };
  }
  return { buildArgs: {} };
}
