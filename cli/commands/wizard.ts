// `hello-deploy` on a TTY: the deploy wizard. Checks the flags as --yes would, settles what the command line, git
// and saved answers already know, and mounts the Ink app with the real services (wizard-services.ts). The deploy
// itself is the same runDeploy as with --yes.
import path from 'node:path';
import { type ExitCode } from '../core/errors.ts';
import { sanitizeEcosystem, validateEcosystem } from '../domain/ecosystem.ts';
import { EMAIL } from '../domain/parsers.ts';
import { valueOrUndefined } from '../domain/optional.ts';
import { deployPassThrough } from '../domain/equivalent-command.ts';
import { parseDomainName } from '../domain/domain-name.ts';
import { hostArchitecture, parseArchitecture } from '../domain/architecture.ts';
import type { CertificateAnswer, WizardStart } from '../ui/shared/services.ts';
import { resolveDeployOptions, type DeployFlags } from '../deploy/options.ts';
import { answersFile, loadAnswers } from '../deploy/answers.ts';
import { createWizardServices, type WizardEnv } from './wizard-services.ts';
import { runWizardApp } from './skeleton.ts';

/**
 * Flags are checked before the wizard opens, as with --yes (exit 2): only the answers the wizard can ask for
 * (ecosystem, e-mail, certificate) may be missing or wrong, because it will ask for them.
 */
export async function preflight(flags: DeployFlags, env: WizardEnv): Promise<void> {
  const stand: DeployFlags = {
    ...flags,
    ecosystem: flags.ecosystem && valueOrUndefined(() => validateEcosystem(flags.ecosystem!)) ? flags.ecosystem : 'wizard',
    email: flags.email && EMAIL.test(flags.email) ? flags.email : 'wizard@example.com',
  };
  if (flags.certArn === undefined && flags.cert === undefined && flags.key === undefined && flags.domain === undefined) stand.certArn = 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000';
  await resolveDeployOptions(stand, { cwd: env.cwd, projectDir: env.projectDir, imageTag: 'preflight', buildArgs: env.buildArgs, ...(env.hostArch ? { hostArch: env.hostArch } : {}) });
}

/** What the wizard opens with: flags first, then the answers saved for the ecosystem, then the git branch. */
export async function wizardStart(flags: DeployFlags & { baseImage?: string }, env: WizardEnv): Promise<WizardStart> {
  const ecosystem = flags.ecosystem ?? (env.branch ? valueOrUndefined(() => sanitizeEcosystem(env.branch!)) : undefined);
  // An ecosystem that is not a valid name has no saved answers (loadAnswers says undefined).
  const saved = ecosystem ? await loadAnswers(env.cwd, ecosystem) : undefined;
  let certificate: CertificateAnswer | undefined = saved?.certificate;
  if (flags.certArn) certificate = { kind: 'arn', arn: flags.certArn };
  else if (flags.cert && flags.key) certificate = { kind: 'pair', certFile: path.resolve(env.cwd, flags.cert), keyFile: path.resolve(env.cwd, flags.key) };
  const pick = <T>(...vs: Array<T | undefined>) => vs.find((v) => v !== undefined);
  const start: WizardStart = { passThrough: deployPassThrough(flags) };
  const set = <K extends keyof WizardStart>(k: K, v: WizardStart[K] | undefined) => {
    if (v !== undefined) start[k] = v;
  };
  set('ecosystem', ecosystem);
  set('branch', flags.ecosystem ? undefined : env.branch);
  set('email', pick(flags.email, saved?.email));
  set('region', pick(flags.region, saved?.region));
  set('profile', pick(flags.profile, saved?.profile));
  set('certificate', certificate);
  // --domain was checked by preflight() (resolveDeployOptions); the question starts with it, or the saved answer.
  set('domain', pick(flags.domain === undefined ? undefined : parseDomainName(flags.domain), saved?.domain));
  set('endpointUrl', flags.endpointUrl);
  set('image', flags.image);
  // --arch was validated by preflight(); without it, this machine's (preflight refused a machine Fargate cannot run).
  const cpu = flags.arch !== undefined ? parseArchitecture(flags.arch) : hostArchitecture(env.hostArch ?? process.arch);
  set('architecture', cpu ? { cpu, fromHost: flags.arch === undefined } : undefined);
  if (saved && ecosystem) set('savedFrom', answersFile(env.cwd, ecosystem));
  if (cpu) {
    // Priced for the region the answers start with (us-east-1's table until one is known), at the autoscaling minimum.
    const [{ loadPricing }, { deployCost }, { parseTraffic }] = await Promise.all([import('./pricing.ts'), import('../deploy/cost.ts'), import('../domain/cost-flags.ts')]);
    const pricing = await loadPricing({ projectDir: env.projectDir, region: start.region ?? 'us-east-1', ...(flags.livePrices ? { live: true } : {}), ...(flags.traffic !== undefined ? { trafficRps: parseTraffic(flags.traffic) } : {}), ...(start.profile ? { profile: start.profile } : {}), ...(flags.endpointUrl ? { endpointUrl: flags.endpointUrl } : {}) });
    if (pricing) set('cost', deployCost({ architecture: cpu, ...(start.domain ? { domain: { name: start.domain } } : {}) }, pricing, new Date()));
  }
  return start;
}

/** Runs the wizard on this TTY; resolves with the exit code (0 deployed, 1 failed, 2 bad flags, 130 interrupted). */
export function runWizard(flags: DeployFlags & { baseImage?: string }): Promise<ExitCode> {
  // SIGINT, SIGTERM and SIGHUP reach the app (skeleton.ts); it asks about SIGINT only (the "Stop the deploy?" dialog).
  return runWizardApp({
    prepare: async () => {
      const cwd = process.cwd();
      const [{ projectDir }, git] = await Promise.all([import('../core/paths.ts'), import('../adapters/git.ts')]);
      const dir = projectDir(cwd);
      const [branch, sha] = await Promise.all([git.currentBranch(cwd), git.shortSha(dir)]);
      // As `deploy --yes` does: the flag first, then the environment.
      const baseImage = flags.baseImage ?? process.env.HELLO_DEPLOY_BASE_IMAGE;
      const env: WizardEnv = {
        cwd,
        projectDir: dir,
        ...(branch ? { branch } : {}),
        ...(sha ? { sha } : {}),
        buildArgs: baseImage ? { BASE_IMAGE: baseImage } : {},
      };
      await preflight(flags, env);
      return { start: await wizardStart(flags, env), services: createWizardServices(flags, env) };
    },
    app: async (settled, chrome) => ({ component: (await import('../ui/deploy/App.tsx')).App, props: { ...chrome, ...settled } }),
    // s, l or d on the result screen: status, logs or destroy of what was just deployed, here, as if typed.
    then: async (args) => (await import('./program.ts')).runCommandLine([process.argv[0]!, process.argv[1]!, ...args]),
  });
}
