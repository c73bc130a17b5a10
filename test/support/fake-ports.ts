// FAKE ports, a recording StepIO and a fake clock, for the step tests (test/steps-*.test.ts,
// test/rehearsal-steps.test.ts). They exist ONLY to drive steps into the branches a real run cannot reach cheaply:
// a declined change set, a stack in ROLLBACK_COMPLETE, a build that fails, a push that reports no digest, a
// five-minute smoke window, an app that dies at start. What the real adapters do is tested against moto, a real
// Docker engine and a real registry elsewhere; nothing here stands in for those tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AbortError } from '../../cli/core/errors.ts';
import type { StepIO } from '../../cli/core/runner.ts';
import type { Question } from '../../cli/core/host.ts';
import type { ResourceChange } from '../../cli/core/events.ts';
import type { Clock } from '../../cli/ports/clock.ts';
import type { ServiceRef, ServiceView, TargetHealthView, TaskView } from '../../cli/ports/ecosystem.ts';
import type { DeployPorts, RolloutReadPorts, DeployStackRequest, DockerPort, RegistryLogin, StackEventInfo, StackPort, RepositoryPort } from '../../cli/ports/deploy.ts';
import type { DockerStatus, LiveRehearsalPorts, RehearsalPorts, Running, StartedApp, StartedEmulator } from '../../cli/ports/rehearsal.ts';
import type { DeployOptions, DeployState, StepCtx } from '../../cli/steps/context.ts';
import type { ImagePlatform } from '../../cli/domain/architecture.ts';
import type { PreflightPorts, ServiceLinkedRolePort } from '../../cli/ports/preflight.ts';
import type { RehearsalOptions, RehearsalState, RehearsalStepCtx } from '../../cli/rehearsal/context.ts';
import { ROOT } from './paths.ts';

export const ECOSYSTEM = 'feature-x';
export const DIGEST = `sha256:${'ab'.repeat(32)}`;
export const REPOSITORY = { uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/feature-x-hello-world-ecr', name: 'feature-x-hello-world-ecr' };
export const INFRA_TEMPLATE = readFileSync(path.join(ROOT, 'infra', 'hello-world-infra.yaml'), 'utf8');

/** A fake clock: virtual time that moves only when a step sleeps (or a fake says a call took time). */
export class FakeClock implements Clock {
  readonly slept: number[] = [];
  readonly sleepSignals: (AbortSignal | undefined)[] = [];
  constructor(public t = 1_700_000_000_000) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.slept.push(ms);
    this.sleepSignals.push(signal);
    this.t += ms;
  }
}

export interface Recorded {
  progress: string[];
  logs: string[];
  info: string[];
  warn: string[];
  stackEvents: { stack: string; logicalId: string; status: string }[];
  changeSets: { stack: string; changes: ResourceChange[] }[];
  questions: Question[];
  /** A product's own events (StepIO.emit), e.g. a deploy's `rollout`. */
  events: { type: string; [field: string]: unknown }[];
}

/**
 * A StepIO that records what a step reports. Questions are answered from `answers` (keyed by the part of the
 * question id before ':', e.g. 'execute-change-set'), else with their default, as --yes would.
 */
export function recordingIO(answers: Record<string, boolean> = {}, signal: AbortSignal = new AbortController().signal): { io: StepIO; rec: Recorded } {
  const rec: Recorded = { progress: [], logs: [], info: [], warn: [], stackEvents: [], changeSets: [], questions: [], events: [] };
  const io: StepIO = {
    signal,
    progress: (m) => void rec.progress.push(m),
    log: (_s, line) => void rec.logs.push(line),
    info: (m) => void rec.info.push(m),
    warn: (m) => void rec.warn.push(m),
    stackEvent: (e) => void rec.stackEvents.push({ stack: e.stack, logicalId: e.logicalId, status: e.status }),
    changeSet: (stack, changes) => void rec.changeSets.push({ stack, changes }),
    emit: (e) => void rec.events.push(e),
    ask: async (q) => {
      rec.questions.push(q);
      return answers[q.id.split(':')[0]!] ?? q.default;
    },
  };
  return { io, rec };
}

/** Every event text a step reported, for "this never appears anywhere" checks (e.g. a password). */
export const allText = (rec: Recorded): string => JSON.stringify(rec);

export function deployOptions(over: Partial<DeployOptions> = {}): DeployOptions {
  return {
    ecosystem: ECOSYSTEM,
    email: 'ops@example.com',
    certificate: { kind: 'arn', arn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
    deployMethod: 'change-set',
    architecture: 'X86_64',
    projectDir: '/project',
    ecrTemplate: '/project/infra/hello-world-ecr-infra.yaml',
    infraTemplate: '/project/infra/hello-world-infra.yaml',
    dockerfile: '/project/Dockerfile',
    buildArgs: {},
    imageTag: 'abc1234-20250101120000',
    ...over,
  };
}

/** A step's context over just the ports it names: the narrow type is what lets a test pass only those. */
/** FAKE certificate port for infra-step tests without --domain: the step never reads a certificate then (it throws if it does). */
export const UNUSED_CERTS: DeployPorts['certs'] = {
  describe: async () => { throw new Error('no certificate is read without --domain'); },
  importPair: async () => { throw new Error('no certificate is imported by the infra step'); },
};

/** FAKE Route 53 port for infra-step tests without --replace-record: the step never reads or deletes a record then. */
export const UNUSED_DNS: DeployPorts['dns'] = {
  zonesFrom: async () => { throw new Error('no zone is looked up by the infra step'); },
  records: async () => { throw new Error('no record is read by the infra step'); },
  deleteRecord: async () => { throw new Error('no record is deleted without --replace-record'); },
};

export function stepCtx<P extends keyof DeployPorts>(
  ports: Pick<DeployPorts, P>,
  over: { options?: Partial<DeployOptions>; state?: Partial<DeployState>; clock?: Clock } = {},
): StepCtx<P> {
  return { options: deployOptions(over.options), ports, state: { stacksTouched: [], ...over.state }, clock: over.clock ?? new FakeClock() };
}

/**
 * FAKE preflight ports: an empty account (no name taken, no stack, quotas with room) unless `over` says otherwise,
 * and a certificate that fits. For the prerequisites step's order (the preflight before anything is created); the
 * real lookups are tested against moto in test/preflight-moto.test.ts.
 */
export function fakePreflight(over: Partial<PreflightPorts> = {}, files: Record<string, string> = {}): PreflightPorts {
  return {
    names: { find: async () => undefined },
    stackResources: { physicalIds: async () => undefined },
    quotas: { quota: async () => ({ value: 5, from: 'applied' }) },
    usage: { vpcs: async () => 1, applicationLoadBalancers: async () => 0, targetGroups: async () => 0 },
    certs: { describe: async (arn) => ({ arn, keyAlgorithm: 'RSA_2048', status: 'ISSUED', notAfter: new Date(Date.now() + 300 * 86_400_000), domain: 'app.example.com', names: ['app.example.com'] }) },
    files: { read: async (p) => { if (files[p] === undefined) throw new Error(`no fake file ${p}`); return files[p]; } },
    // No registry by default: the deploy hands the Image check what it read already, so the preflight reads nothing.
    imageDigests: untouchable('preflight.imageDigests'),
    ecrAuth: untouchable('preflight.ecrAuth'),
    ...over,
  };
}

/** A FAKE IAM for the service-linked roles: the names in `present` exist; every call is recorded. */
export function fakeServiceRoles(present: string[] = []): ServiceLinkedRolePort & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    exists: async (name) => (calls.push(`get ${name}`), present.includes(name)),
    create: async (service) => (calls.push(`create ${service}`), { status: 'created' }),
  };
}

/** A fake port whose every method fails the test: for "this branch never touches the port". */
export function untouchable<T>(name: string): T {
  return new Proxy({}, { get: (_t, method) => () => { throw new Error(`${name}.${String(method)} must not be called`); } }) as T;
}

/**
 * A fake StackPort that follows the adapter's protocol with the request's own callbacks: a stack `stuckIn`
 * ROLLBACK_COMPLETE asks confirmRecreate and, declined, fails with the adapter's STACK_ROLLBACK_COMPLETE; a
 * change-set deploy shows `changes` to confirmChanges and, declined, returns 'declined' with no outputs. `tags` are
 * the tags of the stack that is already there (none: no stack).
 */
export function fakeStacks(script: { stuckIn?: string; changes?: ResourceChange[]; outputs?: Record<string, string>; events?: StackEventInfo[]; fail?: Error; tags?: Record<string, string> } = {}): StackPort & { requests: DeployStackRequest[] } {
  const requests: DeployStackRequest[] = [];
  return {
    requests,
    async deploy(req) {
      requests.push(req);
      if (script.stuckIn && !(await req.confirmRecreate(script.stuckIn))) {
        throw new AbortError('STACK_ROLLBACK_COMPLETE', `Stack ${req.stackName} is in ${script.stuckIn}; CloudFormation cannot update it, only delete it.`);
      }
      if (script.fail) throw script.fail;
      for (const e of script.events ?? []) req.onEvent(e);
      const changes = script.changes ?? [{ action: 'Add', logicalId: 'Repository', resourceType: 'AWS::ECR::Repository' }];
      if (req.method === 'change-set' && !(await req.confirmChanges(changes))) return { status: 'declined', stackId: `id/${req.stackName}`, outputs: {}, changes };
      return { status: 'created', stackId: `id/${req.stackName}`, outputs: script.outputs ?? {}, changes };
    },
    describeStatus: async () => undefined,
    describeTags: async () => script.tags,
    cancelUpdate: async () => undefined,
  };
}

/**
 * FAKE rollout reads (ECS, target health, logs) for the deploy's rollout watcher: `stopped()` says which stopped
 * tasks ECS would list at each look (none: a quiet rollout, or a service not made yet). They exist for the shapes
 * moto cannot produce (tasks that stop by themselves, exit codes, unhealthy targets); the real adapter reading
 * moto's RunTask/StopTask reasons is tested in test/rollout-watch.test.ts.
 */
export function fakeRolloutReads(script: { service?: Partial<ServiceView> | false; stopped?: () => TaskView[]; targets?: TargetHealthView[]; logs?: Record<string, string[]> } = {}): RolloutReadPorts & { looks: number } {
  const reads = {
    looks: 0,
    ecs: {
      service: async (ref: ServiceRef): Promise<ServiceView | undefined> =>
        script.service === false || script.service === undefined
          ? undefined
          : { name: ref.service, cluster: ref.cluster, status: 'ACTIVE', desired: 2, running: 0, pending: 2, taskDefinition: 'td:2', deployments: [], events: [], ...script.service },
      tasks: async (): Promise<TaskView[]> => {
        reads.looks += 1;
        return script.stopped?.() ?? [];
      },
      describeTasks: async () => [],
    },
    targets: { targets: async () => script.targets },
    logs: { events: async () => undefined, tail: async (_g: string, stream: string) => (script.logs?.[stream] ?? []).map((message, i) => ({ id: String(i), stream, at: new Date(0), message })) },
  };
  return reads;
}

/** A FAKE ECR: answers whether a repository exists, and records what was asked. */
export function fakeRepositories(present = true): RepositoryPort & { asked: string[] } {
  const asked: string[] = [];
  return { asked, exists: async (name) => (asked.push(name), present) };
}

/**
 * A fake DockerPort that records each call as a line ("build <tag>", "tag <src> <dst>", "push <ref>", "login
 * <registry>"). `buildFails` streams its lines then fails as the adapter does (DOCKER_BUILD_FAILED); `noDigest`
 * makes push fail as the adapter does when the registry reports no digest. `built` is the platform the engine
 * reports it built (none: it cannot say); `platforms` records each build's --platform.
 */
export function fakeDocker(script: { buildLines?: string[]; buildFails?: boolean; noDigest?: boolean; digests?: Record<string, string>; images?: string[]; built?: ImagePlatform } = {}): DockerPort & { calls: string[]; logins: RegistryLogin[]; platforms: string[] } {
  const calls: string[] = [];
  const logins: RegistryLogin[] = [];
  const platforms: string[] = [];
  return {
    calls,
    logins,
    platforms,
    ping: async () => ({ serverVersion: '26.1.5' }),
    async login(login) {
      calls.push(`login ${login.registry}`);
      logins.push(login);
    },
    async build(req) {
      calls.push(`build ${req.tags.join(' ')} ${JSON.stringify(req.buildArgs)}`);
      platforms.push(req.platform);
      for (const l of script.buildLines ?? ['Step 1/2 : FROM python', 'Step 2/2 : COPY app .']) req.onLine(l);
      if (script.buildFails) throw new AbortError('DOCKER_BUILD_FAILED', 'docker build failed: ERROR: pip install exited 1', { hint: 'Read the build output above.' });
      return { imageId: `sha256:${'cd'.repeat(32)}`, ...(script.built ? { platform: script.built } : {}) };
    },
    imageExists: async (ref) => (script.images ?? []).includes(ref),
    async tag(source, target) {
      calls.push(`tag ${source} ${target}`);
    },
    async push(ref, onLine) {
      calls.push(`push ${ref}`);
      onLine(`${ref}: Pushed`);
      if (script.noDigest) throw new AbortError('DOCKER_PUSH_FAILED', `docker push ${ref} reported no digest`);
      return { digest: script.digests?.[ref] ?? DIGEST };
    },
  };
}

// ---------------------------------------------------------------- the rehearsal's fakes

export const DOCKER: DockerStatus = { available: true, version: '26.1.5' };
export const NO_DOCKER: Extract<DockerStatus, { available: false }> = { available: false, reason: 'connect ENOENT /var/run/docker.sock' };

/** A fake started process (the steps only record it; teardown is rehearsal/run.ts's, tested end to end). */
export function fakeRunning(what: string, extra: Partial<Running> = {}): Running {
  return { what, stopHint: `kill ${what}`, stop: async () => undefined, killNow: () => undefined, release: () => undefined, ...extra };
}

export function fakeEmulator(endpoint = 'http://127.0.0.1:45123', engine: StartedEmulator['info']['engine'] = 'moto'): StartedEmulator {
  return { ...fakeRunning('moto_server', { pid: 4242, endpoint }), info: { engine, endpoint, version: '5.2.0' } };
}

/** A fake started app; `alive` says whether it still runs each time it is asked (a crash on start: false). */
export function fakeApp(alive: () => boolean, runtime: StartedApp['runtime'] = 'docker'): StartedApp {
  return {
    ...fakeRunning('app container', { containerId: 'f'.repeat(64) }),
    runtime,
    url: 'https://127.0.0.1:5000',
    logTail: async () => 'Traceback: FileNotFoundError: /certs/cert.pem',
    isRunning: async () => alive(),
  };
}

/** Deploy ports connected to a fake emulator: the given ones, every other one untouchable. */
export function fakeLive(ports: Partial<DeployPorts>): LiveRehearsalPorts & { closed: boolean } {
  const keys = ['identity', 'templates', 'lint', 'stacks', 'ecrAuth', 'docker', 'smoke', 'certs', 'files'] as const;
  const live = { closed: false, close: () => void (live.closed = true) } as LiveRehearsalPorts & { closed: boolean };
  for (const k of keys) Object.assign(live, { [k]: ports[k] ?? untouchable(`live.${k}`) });
  return live;
}

/** A rehearsal step's context over just the rehearsal ports it names. */
export function rehearsalCtx<P extends keyof RehearsalPorts>(
  ports: Pick<RehearsalPorts, P>,
  over: { docker?: DockerStatus; options?: Partial<RehearsalOptions>; deploy?: Partial<DeployOptions>; state?: Partial<RehearsalState>; deployState?: Partial<DeployState>; clock?: Clock } = {},
): RehearsalStepCtx<P> {
  return {
    options: deployOptions({ certificate: { kind: 'pair', certFile: '/rehearsal/certs/cert.pem', keyFile: '/rehearsal/certs/key.pem' }, deployMethod: 'direct', region: 'us-east-1', ...over.deploy }),
    state: { stacksTouched: [], ...over.deployState },
    clock: over.clock ?? new FakeClock(),
    rehearsal: {
      options: { engine: 'moto', localstackImage: 'localstack/localstack', keep: false, workDir: '/rehearsal', certificateSource: 'generated', appDir: '/project/app', ...over.options },
      docker: over.docker ?? DOCKER,
      ports,
      state: { running: [], skipped: [], tasks: [], ...over.state },
    },
  };
}
