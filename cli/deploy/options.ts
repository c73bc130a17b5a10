// Turns raw flags into validated DeployOptions, before any AWS call. Every problem is collected, so one run
// names every missing flag and every bad value at once (exit 2).
import { access, constants, readFile } from 'node:fs/promises';
import path from 'node:path';
import { awsTargetFromFlags, collector, refuseCollected } from '../domain/collect.ts';
import { AbortError } from '../core/errors.ts';
import { sanitizeEcosystem, validateEcosystem } from '../domain/ecosystem.ts';
import { parseEmail, parseTimeout, shown } from '../domain/parsers.ts';
import { parseDeployImage, parseImageName, parseRegistry } from '../domain/image-ref.ts';
import { parseDomainName } from '../domain/domain-name.ts';
import { hostArchitecture, parseArchitecture } from '../domain/architecture.ts';
import { parseTraffic } from '../domain/cost-flags.ts';
import type { DeployOptions } from '../steps/context.ts';

import type { DeployFlags } from '../domain/flags.ts';
import { certificateFromFlags } from '../domain/certificates/flags.ts';

export type { DeployFlags };

/** The validated options, plus the checked --profile for the AWS clients. Every value is the parsed one. */
export type ResolvedDeployOptions = DeployOptions & { profile?: string };

export interface ResolveEnv {
  cwd: string;
  projectDir: string;
  branch?: string;
  imageTag: string;
  buildArgs?: Record<string, string>;
  /**
   * Finds the region the SDK would use when --region is not given (AWS_REGION, AWS_DEFAULT_REGION, the profile's
   * config), for the validated --profile and --endpoint-url. Reads configuration only, never calls AWS, so a missing
   * region is reported with the other missing answers (exit 2) instead of failing the first AWS call (exit 1).
   * Omitted: the region is left to the SDK.
   */
  resolveRegion?: (aws: { profile?: string; endpointUrl?: string }) => Promise<string | undefined>;
  /** Node's `process.arch` of this machine, whose architecture is the default --arch (default: process.arch). */
  hostArch?: string;
}

async function readable(p: string): Promise<boolean> {
  try {
    await access(p, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** How the template parameters are named in messages: by the flag that sets them. */
const PARAMETER_FLAGS: Record<string, string> = { Ecosystem: '--ecosystem', EmailAddress: '--email', ImageId: '--image', SSLCert: '--cert-arn', CpuArchitecture: '--arch' };

export async function resolveDeployOptions(flags: DeployFlags, env: ResolveEnv): Promise<ResolvedDeployOptions> {
  const c = collector();
  const { missing, bad, check } = c;

  let ecosystem = flags.ecosystem;
  let unusableBranch = false;
  if (ecosystem === undefined && env.branch) {
    try {
      ecosystem = sanitizeEcosystem(env.branch);
    } catch {
      unusableBranch = true; // listed with the other missing answers, not thrown on its own
    }
  }
  if (ecosystem === '') ecosystem = undefined;
  if (ecosystem === undefined) missing.push(unusableBranch ? `--ecosystem <name> (the git branch ${shown(env.branch ?? '')} leaves nothing to name one)` : '--ecosystem <name> (no git branch to default to)');
  if (!flags.email) missing.push('--email <addr> (where the CPU alarm is sent)');
  // Parsed before the template check: --arch is case-insensitive, the template's AllowedValues are not.
  const hostArch = env.hostArch ?? process.arch;
  const architecture = flags.arch !== undefined ? check(() => parseArchitecture(flags.arch!)) : hostArchitecture(hostArch);
  if (flags.arch === undefined && architecture === undefined) missing.push(`--arch x86_64|arm64 (this machine is ${shown(hostArch)}, which Fargate does not run)`);

  // First the templates' own parameter constraints, reported with their ConstraintDescriptions (what
  // CloudFormation itself would say); then our stricter checks for values the templates accept.
  const ecrTemplate = path.join(env.projectDir, 'infra/hello-world-ecr-infra.yaml');
  const infraTemplate = path.join(env.projectDir, 'infra/hello-world-infra.yaml');
  const known: Record<string, string> = {};
  if (ecosystem !== undefined) known['Ecosystem'] = ecosystem;
  if (flags.email) known['EmailAddress'] = flags.email;
  if (flags.image !== undefined) known['ImageId'] = flags.image;
  if (flags.certArn !== undefined) known['SSLCert'] = flags.certArn.trim();
  if (architecture !== undefined) known['CpuArchitecture'] = architecture;
  // The template's Rules see the parameters the deploy leaves out at their defaults: without --domain the stack gets
  // no DomainName or HostedZoneId (deploy-infra-stack.ts), so an empty --cert-arn is refused here, exit 2, as
  // CloudFormation would refuse it. With --domain, the zone and the certificate are not known yet.
  const omitted = flags.domain === undefined ? ['DomainName', 'HostedZoneId'] : [];
  const violated = new Set<string>();
  const { checkParameterValues } = await import('../domain/template-params.ts');
  for (const file of [ecrTemplate, infraTemplate]) {
    if (!(await readable(file))) continue; // the prerequisites step reports a missing template with its fix
    let violations;
    try {
      violations = checkParameterValues(await readFile(file, 'utf8'), known, PARAMETER_FLAGS, { omitted });
    } catch (err) {
      // A folder in the template's place, or YAML that does not parse: say which file, before any AWS call.
      throw new AbortError('TEMPLATE_INVALID', `${file}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, {
        hint: 'Nothing was sent to AWS. Fix the template (cfn-lint checks it locally), or restore it from the package: the templates live in infra/.',
      });
    }
    for (const v of violations) {
      if (!violated.has(v.parameter)) bad.push(v.message);
      violated.add(v.parameter);
    }
  }
  if (ecosystem !== undefined && !violated.has('Ecosystem')) check(() => validateEcosystem(ecosystem, '--ecosystem'));
  const email = flags.email && !violated.has('EmailAddress') ? check(() => parseEmail(flags.email!)) : undefined;

  const { region, profile, endpointUrl } = await awsTargetFromFlags(flags, c, env.resolveRegion);
  const registry = flags.registry === undefined ? undefined : check(() => parseRegistry(flags.registry!));
  const baseImage = env.buildArgs?.['BASE_IMAGE'];
  if (baseImage !== undefined) check(() => parseImageName(baseImage, '--base-image (or HELLO_DEPLOY_BASE_IMAGE)'));
  if (flags.image !== undefined && !violated.has('ImageId')) check(() => parseDeployImage(flags.image!));
  // Emulators give no outputs on a CREATE change set, so with --endpoint-url the default is direct.
  const method = flags.deployMethod ?? (flags.endpointUrl !== undefined ? 'direct' : 'change-set');
  if (method !== 'change-set' && method !== 'direct') bad.push(`--deploy-method ${shown(method)} must be change-set or direct`);

  const timeoutMs = flags.timeout === undefined ? undefined : check(() => parseTimeout(flags.timeout!));

  // --domain: the template makes an ACM certificate for the name, so no certificate flag is needed (or taken).
  const certFlags = flags.certArn !== undefined || flags.cert !== undefined || flags.key !== undefined;
  const domain = flags.domain === undefined ? undefined : check(() => parseDomainName(flags.domain!));
  if (flags.domain !== undefined && certFlags) bad.push('--domain makes its own ACM certificate: leave out --cert-arn, --cert and --key');
  if (flags.domainWait !== undefined && flags.domain === undefined) bad.push('--domain-wait goes with --domain');
  if (flags.replaceRecord && flags.domain === undefined) bad.push('--replace-record goes with --domain: it is about that name\'s DNS record');
  const domainWaitMs = flags.domainWait === undefined ? undefined : check(() => parseTimeout(flags.domainWait!, '--domain-wait'));
  const trafficRps = flags.traffic === undefined ? undefined : check(() => parseTraffic(flags.traffic!));
  const certificate = flags.domain !== undefined ? ({ kind: 'managed' } as const) : await certificateFromFlags(flags, { cwd: env.cwd, region, regionIs: 'the deployment goes to', bad, checkArn: !violated.has('SSLCert') });
  if (!certificate && !certFlags) {
    missing.push('--cert-arn <arn> or --cert <file> --key <file> (no app/certs/cert.pem + key.pem; run `hello-deploy generate-certs`)');
  }

  refuseCollected(c, 'Nothing was sent to AWS. Pass the flags above; `hello-deploy deploy --help` lists them all.');

  return {
    ecosystem: ecosystem!,
    email: email!,
    ...(region ? { region } : {}),
    ...(profile ? { profile } : {}),
    ...(endpointUrl ? { endpointUrl } : {}),
    certificate: certificate!,
    ...(flags.image ? { image: flags.image } : {}),
    ...(registry ? { registry } : {}),
    deployMethod: method as DeployOptions['deployMethod'],
    architecture: architecture!,
    ...(flags.arch === undefined ? { architectureFromHost: true } : {}),
    // The branch owns the ecosystem only when it named it; an explicit --ecosystem is the user's own choice.
    ...(flags.ecosystem === undefined && env.branch ? { branch: env.branch } : {}),
    ...(flags.takeOver ? { takeOver: true } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(flags.cancel === false ? { noCancel: true } : {}),
    ...(domain ? { domain: { name: domain, ...(flags.replaceRecord ? { replaceRecord: true } : {}) } } : {}),
    ...(domainWaitMs !== undefined ? { domainWaitMs } : {}),
    ...(trafficRps !== undefined ? { trafficRps } : {}),
    ...(flags.livePrices ? { livePrices: true } : {}),
    projectDir: env.projectDir,
    ecrTemplate,
    infraTemplate,
    dockerfile: path.join(env.projectDir, 'Dockerfile'),
    buildArgs: env.buildArgs ?? {},
    imageTag: env.imageTag,
  };
}

export function immutableTag(sha: string | undefined, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${sha ?? 'nogit'}-${stamp}`;
}
