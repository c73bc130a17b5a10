// WizardServices over the real adapters: the deploy wizard's hands (the UI itself never touches the SDK, docker or
// execa). Its prerequisite checks are the ones the deploy's first step runs (cli/steps/prerequisites.ts), and its
// deploy is the same runDeploy as with --yes. Adapters are imported lazily, as the call needs them.
import { access, constants, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BugError, toHelloDeployError } from '../core/errors.ts';
import { shown } from '../domain/shown.ts';
import { hostArchitecture, parseArchitecture } from '../domain/architecture.ts';
import type { ImageToCheck } from '../steps/preflight.ts';
import type { AwsOptions } from '../ports/aws.ts';
import type { AcmCertificate, AwsTarget, Check, WizardServices } from '../ui/shared/services.ts';
import { flagsFor } from '../domain/deploy-answers.ts';
import { immutableTag, resolveDeployOptions, type DeployFlags } from '../deploy/options.ts';
import { loadAnswers, saveAnswers } from '../deploy/answers.ts';
import { checkCertificate, checkDocker, checkIdentity, checkTemplates, checked, valueOf, type Checked } from '../steps/prerequisites.ts';
import { systemClock } from '../adapters/clock.ts';
import { exitCodeOf } from './skeleton.ts';

/** What the wizard finds around it: folders, git, and the build arguments a deploy passes on. */
export interface WizardEnv {
  cwd: string;
  projectDir: string;
  branch?: string;
  sha?: string;
  buildArgs: Record<string, string>;
  /** Node's `process.arch` of this machine (default: process.arch): the default --arch. */
  hostArch?: string;
}

/** Everything the deploy reads from the project folder, checked before the wizard lets it start. */
const TEMPLATE_FILES = ['infra/hello-world-ecr-infra.yaml', 'infra/hello-world-infra.yaml', 'Dockerfile'];

/** A check's failure as data a screen can show. */
const toCheck = <T>(r: Checked<T>): Check<T> => (r.ok ? r : { ok: false, error: r.error.toJSON() });
const attempt = async <T>(f: () => Promise<T>): Promise<Check<T>> => toCheck(await checked(f));

const readable = (p: string) => access(p, constants.R_OK).then(() => true, () => false);

export function createWizardServices(flags: DeployFlags, env: WizardEnv): WizardServices {
  // The preflight's Image check, for the architecture the deploy would run (--arch, else this machine's). A machine
  // Fargate does not run leaves it out: resolveDeployOptions then asks for --arch before anything is deployed.
  const imageToCheck = (): { image?: ImageToCheck } => {
    if (!flags.image) return {};
    const architecture = flags.arch !== undefined ? parseArchitecture(flags.arch) : hostArchitecture(env.hostArch ?? process.arch);
    if (!architecture) return {};
    return { image: { image: flags.image, architecture, ...(flags.registry ? { registry: flags.registry } : {}), ...(flags.arch === undefined ? { architectureFromHost: true } : {}) } };
  };
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

  return {
    checkIdentity: async (t) => toCheck(await checkIdentity({ whoAmI: async () => (await import('../adapters/aws/sts.ts')).createIdentity(aws(t)).whoAmI() }, t.profile)),
    pingDocker: async () => toCheck(await checkDocker({ ping: async () => (await import('../adapters/docker/docker.ts')).createDockerPort().ping() })),
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
      attempt(async () => {
        const [{ createAcmStore }, { findCertificates }] = await Promise.all([import('../adapters/aws/acm.ts'), import('../domain/certificates/store.ts')]);
        const store = await createAcmStore(aws(t));
        try {
          const found = await findCertificates(store, {});
          return await Promise.all(found.map((c) => toAcm(c, c.tags)));
        } finally {
          store.close();
        }
      }),
    importCertificate: (t, pair, ecosystem) =>
      attempt(async () => {
        // The deploy step's own certificate check: validate the pair, import it, or reuse an identical import.
        const certs = (await import('../adapters/aws/acm.ts')).createCertificatePort(aws(t));
        const imported = valueOf(await checkCertificate(certs, { kind: 'pair', ...pair }, ecosystem));
        const described = await certs.describe(imported.arn);
        return toAcm({ arn: described.arn, domainName: described.domain, notAfter: described.notAfter ?? imported.notAfter }, { Ecosystem: ecosystem });
      }),
    async templatesPresent() {
      const r = await checkTemplates({ readable: (f) => readable(path.join(env.projectDir, f)) }, TEMPLATE_FILES);
      return r.ok ? { found: r.value, missing: [] } : { found: TEMPLATE_FILES.filter((f) => !r.missing.includes(f)), missing: r.missing };
    },
    preflight: (t, ecosystem, certificate) =>
      attempt(async () => {
        const [{ createDeployPorts }, { runPreflight }, { PREFLIGHT_CHECKS }] = await Promise.all([import('../adapters/deploy-ports.ts'), import('../steps/preflight.ts'), import('../steps/preflight-checks.ts')]);
        const ports = await createDeployPorts(aws(t));
        try {
          const identity = await ports.identity.whoAmI();
          const read = (f: string) => readFile(path.join(env.projectDir, f), 'utf8');
          const templates = { ecr: await read(TEMPLATE_FILES[0]!), infra: await read(TEMPLATE_FILES[1]!) };
          return await runPreflight({ ecosystem, identity, templates, certificate, ...imageToCheck(), now: new Date() }, ports.preflight, PREFLIGHT_CHECKS);
        } finally {
          ports.close();
        }
      }),
    // An ecosystem that is not a valid name has no saved answers (loadAnswers says undefined).
    loadAnswers: (ecosystem) => loadAnswers(env.cwd, ecosystem),
    saveAnswers: (a) => attempt(() => saveAnswers(env.cwd, a)),
    async deploy(a, host, signal) {
      let options;
      try {
        // As `--yes` does: a branch-owned ecosystem comes without --ecosystem (flagsFor leaves it out) and is derived
        // from the branch, which the options then carry, so the stacks record it and a deploy onto another branch's
        // stacks stops with ECOSYSTEM_TAKEN (or takes them over with --take-over, which flagsFor keeps).
        options = await resolveDeployOptions(flagsFor(a, flags), {
          cwd: env.cwd,
          projectDir: env.projectDir,
          ...(a.branch !== undefined ? { branch: a.branch } : {}),
          imageTag: immutableTag(env.sha),
          buildArgs: env.buildArgs,
          ...(env.hostArch ? { hostArch: env.hostArch } : {}),
        });
        // The wizard said which ecosystem it deploys; owningBranch made the branch from it, so they cannot differ.
        if (options.ecosystem !== a.ecosystem) throw new BugError(`the wizard answered ecosystem ${a.ecosystem}, but its branch ${shown(a.branch ?? '')} derives ${options.ecosystem}`);
      } catch (err) {
        const e = toHelloDeployError(err);
        host.emit({ type: 'result', ok: false, error: e.toJSON() });
        return { exitCode: e.exitCode };
      }
      const [{ createDeployPorts }, { runDeploy }] = await Promise.all([import('../adapters/deploy-ports.ts'), import('../deploy/run.ts')]);
      const ports = await createDeployPorts(aws(a));
      try {
        return { exitCode: exitCodeOf(await runDeploy({ options, ports, state: { stacksTouched: [] }, clock: systemClock }, host, signal)) };
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
