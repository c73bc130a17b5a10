// `hello-deploy` on a TTY: the Ink wizard. This file builds WizardServices from the real adapters (the UI itself
// never touches the SDK, docker or execa) and renders the app. The deploy is the same runDeploy as with --yes.
import { access, constants, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, HelloDeployError, toHelloDeployError, type ErrorShape, type ExitCode } from '../core/errors.ts';
import { sanitizeEcosystem, validateEcosystem } from '../domain/ecosystem.ts';
import type { AwsOptions } from '../adapters/aws/config.ts';
import type React from 'react';
import type { AcmCertificate, AwsTarget, CertificateAnswer, Check, RehearsalServices, RehearsalStart, SavedAnswers, WizardAnswers, WizardServices, WizardStart } from '../ui/shared/services.ts';
import type { AppProps } from '../ui/deploy/App.tsx';
import type { RehearsalFlags } from '../rehearsal/options.ts';
import { parseCertificateArn, parseProfile, EMAIL } from '../domain/parsers.ts';
import { immutableTag, resolveDeployOptions, type DeployFlags } from '../deploy/options.ts';

export const ANSWERS_DIR = '.hello-deploy';
const TEMPLATE_FILES = ['infra/hello-world-ecr-infra.yaml', 'infra/hello-world-infra.yaml', 'Dockerfile'];

const fail = (err: unknown): { ok: false; error: ErrorShape } => ({ ok: false, error: toHelloDeployError(err).toJSON() });

async function attempt<T>(f: () => Promise<T>): Promise<Check<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (err) {
    return fail(err);
  }
}

const readable = (p: string) => access(p, constants.R_OK).then(() => true, () => false);

export function answersFile(cwd: string, ecosystem: string): string {
  // validateEcosystem keeps the name to [a-z0-9-]: it cannot climb out of the folder.
  return path.join(cwd, ANSWERS_DIR, `${validateEcosystem(ecosystem)}.json`);
}

/** Reads saved answers, keeping only well-formed fields: a hand-edited file cannot smuggle anything in. */
export async function loadAnswers(cwd: string, ecosystem: string): Promise<SavedAnswers | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(answersFile(cwd, ecosystem), 'utf8'));
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const str = (k: string) => (typeof r[k] === 'string' && r[k] !== '' ? (r[k] as string) : undefined);
  const out: SavedAnswers = { ecosystem };
  const email = str('email');
  if (email && EMAIL.test(email)) out.email = email;
  const region = str('region');
  if (region) out.region = region;
  const profile = str('profile');
  if (profile) out.profile = profile;
  const c = r.certificate as Record<string, unknown> | undefined;
  if (c && c.kind === 'arn' && typeof c.arn === 'string' && safe(() => parseCertificateArn(c.arn as string))) out.certificate = { kind: 'arn', arn: c.arn };
  else if (c && c.kind === 'pair' && typeof c.certFile === 'string' && typeof c.keyFile === 'string') out.certificate = { kind: 'pair', certFile: c.certFile, keyFile: c.keyFile };
  return out;
}

/** No secrets: the ecosystem, the e-mail, where AWS is, and which certificate (an ARN or two paths, never a key). */
export async function saveAnswers(cwd: string, a: WizardAnswers): Promise<string> {
  const file = answersFile(cwd, a.ecosystem);
  await mkdir(path.dirname(file), { recursive: true });
  const body: SavedAnswers = { ecosystem: a.ecosystem, email: a.email, ...(a.region ? { region: a.region } : {}), ...(a.profile ? { profile: a.profile } : {}), certificate: a.certificate };
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

/** The flags --yes would need for these answers, plus the run-shaping flags the user gave. */
export function flagsFor(a: WizardAnswers, flags: DeployFlags): DeployFlags {
  const { yes: _y, json: _j, ecosystem: _e, email: _m, region: _r, profile: _p, certArn: _a, cert: _c, key: _k, ...rest } = flags;
  return {
    ...rest,
    ecosystem: a.ecosystem,
    email: a.email,
    ...(a.region ? { region: a.region } : {}),
    ...(a.profile ? { profile: a.profile } : {}),
    ...(a.certificate.kind === 'arn' ? { certArn: a.certificate.arn } : { cert: a.certificate.certFile, key: a.certificate.keyFile }),
  };
}

function passThrough(flags: DeployFlags & { baseImage?: string }): string[] {
  const out: string[] = [];
  if (flags.baseImage) out.push(`--base-image ${shellQuote(flags.baseImage)}`);
  if (flags.endpointUrl) out.push(`--endpoint-url ${flags.endpointUrl}`);
  if (flags.registry) out.push(`--registry ${flags.registry}`);
  if (flags.image) out.push(`--image ${flags.image}`);
  if (flags.deployMethod && (flags.deployMethod !== 'change-set' || flags.endpointUrl)) out.push(`--deploy-method ${flags.deployMethod}`);
  return out;
}

export interface WizardEnv {
  cwd: string;
  projectDir: string;
  branch?: string;
  sha?: string;
  buildArgs: Record<string, string>;
}

/**
 * Flags are checked before the wizard opens, as with --yes (exit 2): only the answers the wizard can ask for
 * (ecosystem, e-mail, certificate) may be missing or wrong, because it will ask for them.
 */
export async function preflight(flags: DeployFlags, env: WizardEnv): Promise<void> {
  const stand: DeployFlags = {
    ...flags,
    ecosystem: flags.ecosystem && safe(() => validateEcosystem(flags.ecosystem!)) ? flags.ecosystem : 'wizard',
    email: flags.email && EMAIL.test(flags.email) ? flags.email : 'wizard@example.com',
  };
  if (flags.certArn === undefined && flags.cert === undefined && flags.key === undefined) stand.certArn = 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000';
  await resolveDeployOptions(stand, { cwd: env.cwd, projectDir: env.projectDir, imageTag: 'preflight', buildArgs: env.buildArgs });
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

export async function wizardStart(flags: DeployFlags & { baseImage?: string }, env: WizardEnv): Promise<WizardStart> {
  const ecosystem = flags.ecosystem ?? (env.branch ? safe(() => sanitizeEcosystem(env.branch!)) : undefined);
  const saved = ecosystem && safe(() => validateEcosystem(ecosystem)) ? await loadAnswers(env.cwd, ecosystem) : undefined;
  let certificate: CertificateAnswer | undefined = saved?.certificate;
  if (flags.certArn) certificate = { kind: 'arn', arn: flags.certArn };
  else if (flags.cert && flags.key) certificate = { kind: 'pair', certFile: path.resolve(env.cwd, flags.cert), keyFile: path.resolve(env.cwd, flags.key) };
  const pick = <T>(...vs: Array<T | undefined>) => vs.find((v) => v !== undefined);
  const start: WizardStart = { passThrough: passThrough(flags) };
  const set = <K extends keyof WizardStart>(k: K, v: WizardStart[K] | undefined) => {
    if (v !== undefined) start[k] = v;
  };
  set('ecosystem', ecosystem);
  set('branch', flags.ecosystem ? undefined : env.branch);
  set('email', pick(flags.email, saved?.email));
  set('region', pick(flags.region, saved?.region));
  set('profile', pick(flags.profile, saved?.profile));
  set('certificate', certificate);
  set('endpointUrl', flags.endpointUrl);
  set('image', flags.image);
  if (saved && ecosystem) set('savedFrom', answersFile(env.cwd, ecosystem));
  return start;
}

export function createWizardServices(flags: DeployFlags, env: WizardEnv): WizardServices {
  const aws = (t: AwsTarget): AwsOptions => ({ ...(t.region ? { region: t.region } : {}), ...(t.profile ? { profile: t.profile } : {}), ...(flags.endpointUrl ? { endpointUrl: flags.endpointUrl } : {}) });
  const pairPaths = () => ({
    certFile: path.join(env.cwd, 'app', 'certs', 'cert.pem'),
    keyFile: path.join(env.cwd, 'app', 'certs', 'key.pem'),
    label: path.join('app', 'certs', 'cert.pem'),
  });

  const toAcm = async (c: { arn: string; domainName: string | undefined; notAfter: Date | undefined }, tags: Record<string, string>): Promise<AcmCertificate> => {
    const { expiryStatus } = await import('../domain/certificates/store.ts');
    const e = expiryStatus(c);
    return {
      arn: c.arn,
      state: e.state,
      ...(c.domainName ? { domain: c.domainName } : {}),
      ...(c.notAfter ? { notAfter: c.notAfter.toISOString() } : {}),
      ...(e.daysLeft !== undefined ? { daysLeft: e.daysLeft } : {}),
      ...(tags.Ecosystem ? { ecosystem: tags.Ecosystem } : {}),
    };
  };

  const withAcm = async <T>(t: AwsTarget, f: (store: import('../domain/certificates/store.ts').CertificateStore) => Promise<T>): Promise<T> => {
    const { createAcmStore } = await import('../adapters/aws/acm.ts');
    const store = await createAcmStore(aws(t));
    try {
      return await f(store);
    } finally {
      store.close();
    }
  };

  return {
    checkIdentity: (t) =>
      attempt(async () => {
        if (t.profile !== undefined) parseProfile(t.profile);
        return (await import('../adapters/aws/sts.ts')).createIdentity(aws(t)).whoAmI();
      }),
    pingDocker: () => attempt(async () => (await import('../adapters/docker/docker.ts')).createDockerPort().ping()),
    async localCertificates() {
      const p = pairPaths();
      const present = (await readable(p.certFile)) && (await readable(p.keyFile));
      if (!present) return { ...p, present };
      try {
        const { certInfoFromPem } = await import('../domain/certificates/inspect.ts');
        const info = certInfoFromPem(await readFile(p.certFile, 'utf8'));
        return { ...p, present, subject: info.subject, notAfter: info.notAfter.toISOString() };
      } catch {
        return { ...p, present };
      }
    },
    generateCertificates: () =>
      attempt(async () => {
        const { runGenerateCerts } = await import('../certs/run.ts');
        const r = await runGenerateCerts({}, { cwd: env.cwd });
        return { certFile: r.certPath, keyFile: r.keyPath, label: path.relative(env.cwd, r.certPath), present: true, subject: r.subject, notAfter: r.notAfter };
      }),
    listCertificates: (t) =>
      attempt(() =>
        withAcm(t, async (store) => {
          const { findCertificates } = await import('../domain/certificates/store.ts');
          const found = await findCertificates(store, {});
          return Promise.all(found.map((c) => toAcm(c, c.tags)));
        }),
      ),
    importCertificate: (t, pair, ecosystem) =>
      attempt(() =>
        withAcm(t, async (store) => {
          const [{ loadAndValidatePair }, { importPairOnce }] = await Promise.all([import('../domain/certificates/pair.ts'), import('../domain/certificates/store.ts')]);
          const validated = await loadAndValidatePair(pair.certFile, pair.keyFile);
          const { arn } = await importPairOnce(store, validated, ecosystem);
          const described = await store.describeCertificate(arn);
          return toAcm({ ...described, notAfter: described.notAfter ?? validated.info.notAfter, domainName: described.domainName ?? validated.info.commonName }, { Ecosystem: ecosystem });
        }),
      ),
    async templatesPresent() {
      const found: string[] = [];
      const missing: string[] = [];
      for (const f of TEMPLATE_FILES) ((await readable(path.join(env.projectDir, f))) ? found : missing).push(f);
      return { found, missing };
    },
    loadAnswers: (ecosystem) => (safe(() => validateEcosystem(ecosystem)) ? loadAnswers(env.cwd, ecosystem) : Promise.resolve(undefined)),
    saveAnswers: (a) => attempt(() => saveAnswers(env.cwd, a)),
    async deploy(a, host, signal) {
      let options;
      try {
        options = await resolveDeployOptions(flagsFor(a, flags), {
          cwd: env.cwd,
          projectDir: env.projectDir,
          imageTag: immutableTag(env.sha),
          buildArgs: env.buildArgs,
        });
      } catch (err) {
        const e = toHelloDeployError(err);
        host.emit({ type: 'result', ok: false, error: e.toJSON() });
        return { exitCode: e.exitCode };
      }
      const [{ createDeployPorts }, { runDeploy }] = await Promise.all([import('../adapters/deploy-ports.ts'), import('../deploy/run.ts')]);
      const ports = await createDeployPorts(aws(a));
      try {
        const outcome = await runDeploy({ options, ports, state: { stacksTouched: [] } }, host, signal);
        return { exitCode: outcome.ok ? EXIT.ok : (outcome.error?.exitCode ?? EXIT.failure) };
      } finally {
        ports.close();
      }
    },
    async stackStatus(t, stackName) {
      const { createCloudFormationPorts } = await import('../adapters/aws/cloudformation.ts');
      const cfn = createCloudFormationPorts(aws(t));
      try {
        return await cfn.stacks.describeStatus(stackName);
      } catch {
        return undefined;
      } finally {
        cfn.destroy();
      }
    },
    cancelUpdate: (t, stackName) =>
      attempt(async () => {
        const cfn = (await import('../adapters/aws/cloudformation.ts')).createCloudFormationPorts(aws(t));
        try {
          await cfn.stacks.cancelUpdate(stackName);
        } finally {
          cfn.destroy();
        }
      }),
  };
}

/** Runs the wizard on this TTY; resolves with the exit code (0 deployed, 1 failed, 2 bad flags, 130 interrupted). */
export async function runWizard(flags: DeployFlags & { baseImage?: string }): Promise<ExitCode> {
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
  try {
    await preflight(flags, env);
  } catch (err) {
    if (!(err instanceof HelloDeployError)) throw err;
    process.stderr.write(`✘ ${err.message}\n${err.hint ? `  hint: ${err.hint}\n` : ''}`);
    return err.exitCode;
  }

  const start = await wizardStart(flags, env);
  const services = createWizardServices(flags, env);
  const { App } = await import('../ui/deploy/App.tsx');
  return renderWizard((props) => ({ component: App, props: { ...props, services, start } }), ['SIGINT']);
}

type AppChrome = Pick<AppProps, 'onExit' | 'subscribeInterrupt'>;

/**
 * Renders one of the wizards on this TTY and resolves with its exit code. The given signals reach the app as
 * interrupts (Ctrl-C itself arrives as a key in raw mode); the app decides what they mean, never a silent exit.
 */
async function renderWizard<P extends AppChrome>(make: (chrome: AppChrome) => { component: React.FunctionComponent<P>; props: P }, signals: NodeJS.Signals[]): Promise<ExitCode> {
  const [React, { render }, { UiEnvContext, detectUiEnv }] = await Promise.all([import('react'), import('ink'), import('../ui/shared/env.tsx')]);
  let code: ExitCode = EXIT.interrupted;
  let hard = false;
  const listeners = new Set<() => void>();
  const onSignal = () => {
    for (const fn of listeners) fn();
  };
  for (const s of signals) process.on(s, onSignal);
  try {
    const { component, props } = make({
      onExit: (c, info) => {
        code = c;
        hard = info.hard === true;
      },
      subscribeInterrupt: (fn) => {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
    });
    // Every card follows terminal resizes through Ink's useWindowSize, one stdout listener each; a full progress
    // screen has more cards than Node's default of 10 listeners before it warns (into the wizard's own screen).
    process.stdout.setMaxListeners(Math.max(process.stdout.getMaxListeners(), 64));
    const instance = render(React.createElement(UiEnvContext.Provider, { value: detectUiEnv() }, React.createElement(component, props)), { exitOnCtrlC: false });
    await instance.waitUntilExit();
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
  // "Quit at once" while the engine still winds down: do not wait for it (a rehearsal's exit hook kills what it started).
  if (hard) process.exit(code);
  return code;
}

// ---------------------------------------------------------------- the rehearsal wizard (`hello-deploy --local`)

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

/** The flags that shape a rehearsal without being answers, for the equivalent `--local --yes` command. */
export function rehearsalPassThrough(flags: RehearsalFlags): string[] {
  const out: string[] = [];
  if (flags.emulator) out.push(`--emulator ${flags.emulator}`);
  if (flags.endpointUrl) out.push(`--endpoint-url ${shellQuote(flags.endpointUrl)}`);
  if (flags.localstackImage) out.push(`--localstack-image ${shellQuote(flags.localstackImage)}`);
  if (flags.cert !== undefined && flags.key !== undefined) out.push(`--cert ${shellQuote(flags.cert)} --key ${shellQuote(flags.key)}`);
  if (flags.baseImage) out.push(`--base-image ${shellQuote(flags.baseImage)}`);
  if (flags.keep) out.push('--keep');
  return out;
}

/**
 * What the rehearsal wizard opens with, from a dry preparation of the run: the flags are checked exactly as with
 * `--local --yes` (a UsageError, exit 2, before the wizard opens), except the two answers it asks for, which may
 * be wrong on the command line. The dry run's folder is removed at once; each rehearsal prepares its own.
 */
export async function rehearsalStart(flags: RehearsalFlags, cwd = process.cwd()): Promise<RehearsalStart> {
  const [{ prepareRehearsal }, { planOf }, { rehearsalSteps }, { REHEARSAL_EMAIL }, git] = await Promise.all([
    import('./local.ts'),
    import('../core/runner.ts'),
    import('../rehearsal/plan.ts'),
    import('../rehearsal/options.ts'),
    import('../adapters/git.ts'),
  ]);
  const goodEcosystem = flags.ecosystem !== undefined && safe(() => validateEcosystem(flags.ecosystem!)) !== undefined;
  const goodEmail = flags.email !== undefined && EMAIL.test(flags.email);
  const { ecosystem: _e, email: _m, ...rest } = flags;
  const [ctx, branch] = await Promise.all([
    prepareRehearsal({ ...rest, ...(goodEcosystem ? { ecosystem: flags.ecosystem } : {}), ...(goodEmail ? { email: flags.email } : {}) }, cwd),
    git.currentBranch(cwd),
  ]);
  try {
    const r = ctx.rehearsal;
    const certFile = ctx.options.certificate.kind === 'pair' ? ctx.options.certificate.certFile : '';
    return {
      ecosystem: flags.ecosystem ?? ctx.options.ecosystem,
      ...(branch && flags.ecosystem === undefined ? { branch } : {}),
      email: flags.email ?? '',
      defaultEmail: REHEARSAL_EMAIL,
      emulator: r.options.engine,
      docker: r.docker,
      certificate: { source: r.options.certificateSource, label: path.relative(cwd, certFile) || certFile },
      ...(r.options.baseImageNote ? { baseImageNote: r.options.baseImageNote } : {}),
      keep: r.options.keep,
      steps: planOf(rehearsalSteps, ctx),
      passThrough: rehearsalPassThrough(flags),
    };
  } finally {
    await rm(ctx.rehearsal.options.workDir, { recursive: true, force: true });
  }
}

/** The rehearsal wizard's one service: prepare a fresh rehearsal with the answers, and run it (runRehearsal). */
export function createRehearsalServices(flags: RehearsalFlags, cwd = process.cwd()): RehearsalServices {
  return {
    async rehearse(a, host, signal) {
      const { prepareRehearsal } = await import('./local.ts');
      let ctx;
      try {
        ctx = await prepareRehearsal({ ...flags, ecosystem: a.ecosystem, email: a.email }, cwd);
      } catch (err) {
        const e = toHelloDeployError(err);
        host.emit({ type: 'result', ok: false, error: e.toJSON() });
        return { exitCode: e.exitCode };
      }
      const { runRehearsal } = await import('../rehearsal/run.ts');
      const outcome = await runRehearsal(ctx, host, signal);
      return { exitCode: outcome.ok ? EXIT.ok : (outcome.error?.exitCode ?? EXIT.failure) };
    },
  };
}

/** `hello-deploy --local` on a TTY; resolves with the exit code (0 passed, 1 failed, 2 bad flags, 130 interrupted). */
export async function runRehearsalWizard(flags: RehearsalFlags): Promise<ExitCode> {
  const cwd = process.cwd();
  let start: RehearsalStart;
  try {
    start = await rehearsalStart(flags, cwd);
  } catch (err) {
    if (!(err instanceof HelloDeployError)) throw err;
    process.stderr.write(`✘ ${err.message}\n${err.hint ? `  hint: ${err.hint}\n` : ''}`);
    return err.exitCode;
  }
  const services = createRehearsalServices(flags, cwd);
  const { RehearsalApp } = await import('../ui/rehearsal/RehearsalApp.tsx');
  // SIGTERM and SIGHUP (the terminal went away) stop the rehearsal too: it still tears down what it started.
  return renderWizard((props) => ({ component: RehearsalApp, props: { ...props, services, start } }), ['SIGINT', 'SIGTERM', 'SIGHUP']);
}
