// Turns raw flags into validated DeployOptions, before any AWS call. Every problem is collected, so one run
// names every missing flag and every bad value at once (exit 2).
import { access, constants, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { sanitizeEcosystem, validateEcosystem } from '../domain/ecosystem.ts';
import { EMAIL, IMAGE_URI, REGISTRY, parseCertificateArn, parseEndpointUrl, parseProfile, parseRegion } from '../domain/parsers.ts';
import type { DeployOptions } from '../steps/context.ts';

import type { DeployFlags } from '../domain/flags.ts';

export type { DeployFlags };



export interface ResolveEnv {
  cwd: string;
  projectDir: string;
  branch?: string;
  imageTag: string;
  buildArgs?: Record<string, string>;
  /**
   * Finds the region the SDK would use when --region is not given (AWS_REGION, AWS_DEFAULT_REGION, the profile's
   * config). Reads configuration only, never calls AWS, so a missing region is reported with the other missing
   * answers (exit 2) instead of failing the first AWS call (exit 1). Omitted: the region is left to the SDK.
   */
  resolveRegion?: () => Promise<string | undefined>;
}

async function readable(p: string): Promise<boolean> {
  try {
    await access(p, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export async function resolveDeployOptions(flags: DeployFlags, env: ResolveEnv): Promise<DeployOptions> {
  const missing: string[] = [];
  const bad: string[] = [];

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
  if (ecosystem === undefined) missing.push(unusableBranch ? `--ecosystem <name> (the git branch ${JSON.stringify(env.branch)} leaves nothing to name one)` : '--ecosystem <name> (no git branch to default to)');
  if (!flags.email) missing.push('--email <addr> (where the CPU alarm is sent)');

  // First the templates' own parameter constraints, reported with their ConstraintDescriptions (what
  // CloudFormation itself would say); then our stricter checks for values the templates accept.
  const ecrTemplate = path.join(env.projectDir, 'infra/hello-world-ecr-infra.yaml');
  const infraTemplate = path.join(env.projectDir, 'infra/hello-world-infra.yaml');
  const known: Record<string, string> = {};
  if (ecosystem !== undefined) known['Ecosystem'] = ecosystem;
  if (flags.email) known['EmailAddress'] = flags.email;
  const violated = new Set<string>();
  const { checkParameterValues } = await import('../domain/template-params.ts');
  for (const file of [ecrTemplate, infraTemplate]) {
    if (!(await readable(file))) continue; // the prerequisites step reports a missing template with its fix
    for (const v of checkParameterValues(await readFile(file, 'utf8'), known)) {
      if (!violated.has(v.parameter)) bad.push(v.message);
      violated.add(v.parameter);
    }
  }
  if (ecosystem !== undefined && !violated.has('Ecosystem')) {
    try {
      validateEcosystem(ecosystem);
    } catch (e) {
      bad.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (flags.email && !violated.has('EmailAddress') && !EMAIL.test(flags.email)) bad.push(`--email "${flags.email}" is not an e-mail address`);

  // One validator per kind of value, shared with generate-certs; each failure is collected, not thrown.
  const check = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      bad.push(e instanceof Error ? e.message : String(e));
    }
  };
  if (flags.region !== undefined) check(() => parseRegion(flags.region!));
  const profileBefore = bad.length;
  if (flags.profile !== undefined) check(() => parseProfile(flags.profile!));
  let region = flags.region;
  // A bad --profile is already reported; its region would only add a second, misleading line.
  if (region === undefined && env.resolveRegion && bad.length === profileBefore) {
    region = await env.resolveRegion();
    if (region === undefined) missing.push('--region <region> (no AWS_REGION, AWS_DEFAULT_REGION or region in your AWS profile)');
  }
  if (flags.endpointUrl !== undefined) check(() => parseEndpointUrl(flags.endpointUrl!));
  if (flags.registry !== undefined && !REGISTRY.test(flags.registry)) bad.push(`--registry "${flags.registry}" is not host[:port]`);
  if (flags.image !== undefined && !IMAGE_URI.test(flags.image)) bad.push(`--image "${flags.image}" is not an image URI (registry/repository:tag or @sha256:digest)`);
  // Emulators give no outputs on a CREATE change set, so with --endpoint-url the default is direct.
  const method = flags.deployMethod ?? (flags.endpointUrl !== undefined ? 'direct' : 'change-set');
  if (method !== 'change-set' && method !== 'direct') bad.push(`--deploy-method "${method}" must be change-set or direct`);

  let certificate: DeployOptions['certificate'] | undefined;
  if (flags.certArn !== undefined && (flags.cert !== undefined || flags.key !== undefined)) {
    bad.push('give either --cert-arn or --cert/--key, not both');
  } else if (flags.certArn !== undefined) {
    const before = bad.length;
    check(() => parseCertificateArn(flags.certArn!, '--cert-arn'));
    if (bad.length === before) certificate = { kind: 'arn', arn: flags.certArn.trim() };
  } else if (flags.cert !== undefined || flags.key !== undefined) {
    if (flags.cert === undefined || flags.key === undefined) bad.push('--cert and --key go together');
    else {
      const certFile = path.resolve(env.cwd, flags.cert);
      const keyFile = path.resolve(env.cwd, flags.key);
      const before = bad.length;
      for (const f of [certFile, keyFile]) if (!(await readable(f))) bad.push(`${f} is missing or unreadable`);
      if (bad.length === before) await checkPair(certFile, keyFile, bad);
      certificate = { kind: 'pair', certFile, keyFile };
    }
  } else {
    // Where `hello-deploy generate-certs` writes by default.
    const certFile = path.resolve(env.cwd, 'app/certs/cert.pem');
    const keyFile = path.resolve(env.cwd, 'app/certs/key.pem');
    if ((await readable(certFile)) && (await readable(keyFile))) {
      await checkPair(certFile, keyFile, bad);
      certificate = { kind: 'pair', certFile, keyFile };
    }
    else missing.push('--cert-arn <arn> or --cert <file> --key <file> (no app/certs/cert.pem + key.pem; run `hello-deploy generate-certs`)');
  }

  if (missing.length || bad.length) {
    const lines = [...missing.map((m) => `missing ${m}`), ...bad];
    throw new UsageError(missing.length ? 'MISSING_ANSWERS' : 'BAD_INPUT', lines.length === 1 ? lines[0]! : `${lines.length} problems:\n  - ${lines.join('\n  - ')}`, {
      hint: 'Nothing was sent to AWS. Pass the flags above; `hello-deploy deploy --help` lists them all.',
    });
  }

  return {
    ecosystem: ecosystem!,
    email: flags.email!,
    ...(region ? { region } : {}),
    ...(flags.endpointUrl ? { endpointUrl: parseEndpointUrl(flags.endpointUrl) } : {}),
    certificate: certificate!,
    ...(flags.image ? { image: flags.image } : {}),
    ...(flags.registry ? { registry: flags.registry } : {}),
    deployMethod: method as DeployOptions['deployMethod'],
    projectDir: env.projectDir,
    ecrTemplate,
    infraTemplate,
    dockerfile: path.join(env.projectDir, 'Dockerfile'),
    buildArgs: env.buildArgs ?? {},
    imageTag: env.imageTag,
  };
}

/**
 * The pair's content (PEM, key matches certificate, dates, key type), checked here on this machine so a bad pair
 * is exit 2 with nothing sent to AWS; the prerequisites step validates it again as it imports.
 */
async function checkPair(certFile: string, keyFile: string, bad: string[]): Promise<void> {
  const { loadAndValidatePair } = await import('../domain/certificates/pair.ts');
  try {
    await loadAndValidatePair(certFile, keyFile);
  } catch (e) {
    bad.push(e instanceof Error ? e.message : String(e));
  }
}

export function immutableTag(sha: string | undefined, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${sha ?? 'nogit'}-${stamp}`;
}
