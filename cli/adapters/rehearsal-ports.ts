// Wires the real launchers and adapters behind the rehearsal's ports. Loaded lazily, like deploy-ports.ts.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AbortError, BugError } from '../core/errors.ts';
import type { EmulatorEngine, ProgressIO, RehearsalPorts, StartedEmulator, StartedRegistry } from '../ports/rehearsal.ts';
import { EMULATOR_REGION } from './emulator/fake-aws.ts';
import { freePort, portIsFree } from './emulator/net.ts';
import { handshake, httpsGet, plainHttpAnswered } from './emulator/probe.ts';
import { findHaproxy } from './emulator/haproxy-bin.ts';
import { startLoad } from './emulator/load-loop.ts';
import { interpreterOf, resolvePythonEnv } from './emulator/python-env.ts';
import { fileValidationCache, userCacheDir } from './emulator/cache.ts';

export interface RehearsalPortsConfig {
  /** The rehearsal's choices this adapter needs (cli/rehearsal/context.ts RehearsalOptions has them all). */
  options: { engine: EmulatorEngine; endpointUrl?: string; localstackImage: string; workDir: string; appDir: string };
  /** Folders whose .venv counts: the project folder and the installed package. */
  projectDirs: string[];
  /** Where hello-deploy's own files are (localstack/requirements-moto.txt, app/requirements.txt). */
  packageRoot: string;
  /** The docker label on every container this rehearsal starts. */
  label: string;
  /** The per-user cache (registry layers, validation verdicts); default: userCacheDir(). */
  cacheDir?: string;
}

const run = (file: string, args: string[]) =>
  new Promise<{ ok: boolean; stdout: string }>((resolve) => execFile(file, args, { timeout: 60_000 }, (err, stdout) => resolve({ ok: !err, stdout: String(stdout) })));

export function createRehearsalPorts(cfg: RehearsalPortsConfig): RehearsalPorts {
  const { options } = cfg;
  const cacheDir = cfg.cacheDir ?? userCacheDir();
  return {
    validationCache: fileValidationCache(cacheDir),
    localDocker: async () => (await import('./docker/docker.ts')).createDockerPort(),

    python: (io: ProgressIO, { needApp }) =>
      resolvePythonEnv(
        {
          projectDirs: cfg.projectDirs,
          requirements: [path.join(cfg.packageRoot, 'localstack', 'requirements-moto.txt'), path.join(cfg.packageRoot, 'app', 'requirements.txt')],
          needApp,
          create: true,
          scratchDir: options.workDir,
        },
        io,
      ),

    async startEmulator(io, python): Promise<StartedEmulator> {
      if (options.engine === 'moto' || options.engine === 'moto-plain') {
        if (!python?.motoServer) throw new BugError('moto needs the Python environment first');
        const { startMotoServer } = await import('./emulator/moto.ts');
        // The launcher runs under the interpreter of the moto_server that was found (the pinned moto it extends).
        const launcher = options.engine === 'moto' ? { python: python.python ?? interpreterOf(python.motoServer), script: path.join(cfg.packageRoot, 'localstack', 'moto_launcher.py') } : undefined;
        if (launcher && !launcher.python) throw new BugError(`no interpreter found behind ${python.motoServer}`);
        return startMotoServer({
          motoServer: python.motoServer,
          ...(python.motoVersion ? { version: python.motoVersion } : {}),
          workDir: options.workDir,
          signal: io.signal,
          ...(launcher ? { launcher: { python: launcher.python!, script: launcher.script } } : {}),
        });
      }
      if (options.engine === 'localstack') {
        const token = process.env.LOCALSTACK_AUTH_TOKEN;
        if (!token) throw new BugError('the LocalStack preflight let a run without a token through');
        const { startLocalstack } = await import('./emulator/localstack.ts');
        return startLocalstack({ image: options.localstackImage, token, onProgress: io.progress });
      }
      const endpoint = options.endpointUrl;
      if (!endpoint) throw new BugError('--emulator endpoint without --endpoint-url');
      // Not ours: never stopped, never listed as started.
      return { what: `emulator at ${endpoint}`, endpoint, info: { engine: 'endpoint', endpoint }, stopHint: '(not started by hello-deploy)', stop: async () => undefined, killNow: () => undefined, release: () => undefined };
    },

    async connect(endpoint, python) {
      const [{ createDeployPorts }, { createCfnLint }] = await Promise.all([import('./deploy-ports.ts'), import('./cfn-lint.ts')]);
      const deployPorts = await createDeployPorts({ region: EMULATOR_REGION, endpointUrl: endpoint });
      // --domain: the zone the rehearsal makes in the emulator (never wired to AWS).
      const dnsAdmin = (await import('./aws/route53.ts')).createDnsZones({ region: EMULATOR_REGION, endpointUrl: endpoint });
      const ports = { ...deployPorts, dnsAdmin, close: () => { dnsAdmin.close(); deployPorts.close(); } };
      // The cfn-lint of the environment moto came from (the cached virtualenv has one too).
      return python?.cfnLint ? { ...ports, lint: createCfnLint({ env: { ...process.env, HELLO_DEPLOY_CFN_LINT: python.cfnLint } }) } : ports;
    },

    async startRegistry(login): Promise<StartedRegistry> {
      const { startRegistry, findRegistryBinary } = await import('./emulator/registry.ts');
      let reg;
      try {
        // The binary keeps its blobs in the per-user cache, so a warm push uploads only changed layers.
        const where = findRegistryBinary() ? { storageDir: path.join(cacheDir, 'registry') } : { container: { label: cfg.label } };
        reg = await startRegistry({ ...login, parentDir: options.workDir, ...where });
      } catch (err) {
        throw new AbortError('REGISTRY_START_FAILED', `The local registry did not start: ${err instanceof Error ? err.message : String(err)}`, {
          hint: 'Install docker-registry (Debian/Ubuntu) or let Docker pull registry:2; htpasswd (apache2-utils) makes its password file.',
        });
      }
      const stopRegistry = reg.stop;
      return {
        ...reg,
        async stop() {
          // Leave no trace in the user's Docker: the login entry and the tags that name this throwaway registry.
          await run('docker', ['logout', reg.host]);
          const images = await run('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}']);
          const ours = images.stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith(`${reg.host}/`));
          if (ours.length) await run('docker', ['rmi', ...ours]);
          await stopRegistry();
        },
      };
    },

    async generatePair(certFile, keyFile, domain) {
      const [{ generateSelfSigned, DEFAULT_COMMON_NAME, DEFAULT_SANS, DEFAULT_KEY_TYPE }, { writePair }] = await Promise.all([import('../domain/certificates/generate.ts'), import('../domain/certificates/files.ts')]);
      // A rehearsal pair lives as long as the rehearsal: a month is plenty, and it is never imported into real ACM.
      const pair = await generateSelfSigned({ commonName: { type: 'dns', value: domain ?? DEFAULT_COMMON_NAME }, sans: domain ? [{ type: 'dns', value: domain }, ...DEFAULT_SANS] : DEFAULT_SANS, days: 30, keyType: DEFAULT_KEY_TYPE });
      if (path.dirname(certFile) !== path.dirname(keyFile)) throw new BugError('the generated pair goes into one folder');
      await writePair({ dir: path.dirname(certFile), certPath: certFile, keyPath: keyFile }, pair, { force: false });
      return { fingerprint: pair.info.fingerprintSha256 };
    },

    async fingerprintOf(certFile) {
      const { certInfoFromPem } = await import('../domain/certificates/inspect.ts');
      return certInfoFromPem(await readFile(certFile, 'utf8')).fingerprintSha256;
    },

    portIsFree,
    freePort,

    async runContainer(image, req, io) {
      const { runAppContainer } = await import('./emulator/app-runner.ts');
      return runAppContainer(image, req, io, { workDir: options.workDir, label: cfg.label, appDir: options.appDir });
    },

    async runGunicorn(python, req, io) {
      const { runAppGunicorn } = await import('./emulator/app-runner.ts');
      return runAppGunicorn(python, req, io, { workDir: options.workDir, label: cfg.label, appDir: options.appDir });
    },

    async reportTask(req, io) {
      const { reportTask } = await import('./emulator/task-reporter.ts');
      return reportTask(req, io);
    },

    httpsGet,
    loadBalancer: {
      haproxy: () => findHaproxy(),
      read: async (endpoint, stack) => (await import('./emulator/load-balancer.ts')).readLoadBalancer(endpoint, stack),
      registerTarget: async (endpoint, arn, target) => (await import('./emulator/load-balancer.ts')).registerTarget(endpoint, arn, target),
      deregisterTarget: async (endpoint, arn, target) => (await import('./emulator/load-balancer.ts')).registerTarget(endpoint, arn, target, true),
      reportTargetHealth: async (endpoint, arn, views) => (await import('./emulator/load-balancer.ts')).reportTargetHealth(endpoint, arn, views),
      describeTargetHealth: async (endpoint, arn) => (await import('./emulator/load-balancer.ts')).describeTargetHealth(endpoint, arn),
      async start(req, signal) {
        const { startHaproxy } = await import('./emulator/load-balancer.ts');
        const [certPem, keyPem] = await Promise.all([readFile(req.certFile, 'utf8'), readFile(req.keyFile, 'utf8')]);
        return startHaproxy({ ...req, certPem, keyPem, workDir: options.workDir, signal });
      },
      handshake,
      plainHttpAnswered,
      attach: async (saved) => (await import('./emulator/load-balancer.ts')).attachHaproxy(saved),
      startLoad,
    },
    inspect: async (endpoint) => (await import('./emulator/inspect.ts')).createInspector(endpoint),
    adopt: {
      emulator: async (saved) => (await import('./emulator/adopt.ts')).adoptPorts().emulator(saved),
      registry: async (saved) => (await import('./emulator/adopt.ts')).adoptPorts().registry(saved),
      app: async (saved) => (await import('./emulator/adopt.ts')).adoptPorts().app(saved),
      task: async (endpoint, cluster, saved, io) => (await import('./emulator/adopt.ts')).adoptPorts().task(endpoint, cluster, saved, io),
    },
  };
}
