// Rehearsal step. Run the app the way the task definition says Fargate would (its port, environment, task size
// and the target group's health check, read from the infra template) and probe it like the load balancer and a
// client would: HTTPS / must say "hello world", the health check path must answer as its matcher says, and the
// certificate served must be the one the rehearsal generated or was given (compared by SHA-256 fingerprint).
import { AbortError, BugError, InterruptedError } from '../../core/errors.ts';
import type { ProbeOutcome, RehearsalProbes } from '../events.ts';
import type { Step, StepIO, StepOutcome } from '../../core/runner.ts';
import { parseCfnYaml } from '../../domain/cfn-yaml.ts';
import { localRunSpec, matcherAccepts } from '../task-spec.ts';
import type { RehearsalStepCtx } from '../context.ts';
import type { StartedApp, ProgressIO, HttpsAnswer, ReportedTask, LocalRunSpec, KeptTask } from '../../ports/rehearsal.ts';
import { resourceNames } from '../../domain/names.ts';
import type { Clock } from '../../ports/clock.ts';

/** What the app promises on `/` (app/app.py; the README's first command shows it). */
export const GREETING = 'hello world';
export const READY_TIMEOUT_MS = 60_000;
/** Between two health-check attempts while the app starts. */
const READY_POLL_MS = 200;

export const runApp: Step<RehearsalStepCtx<'portIsFree' | 'freePort' | 'runContainer' | 'python' | 'runGunicorn' | 'httpsGet' | 'reportTask' | 'adopt'>> = {
  id: 'run-app',
  title: 'Run and probe the app',
  // After the infra stack, as on AWS: ECS starts a service's tasks once the service exists, and the container is
  // reported into the emulator as a task of that service (RunTask needs its cluster, task definition and network).
  after: ['push-image', 'prerequisites', 'deploy-infra-stack'],
  describe: ({ rehearsal: { docker, options } }) =>
    docker.available
      ? 'docker run the pushed image as the task definition says (port, environment, CPU/memory; host network on 127.0.0.1, certificate mounted read-only), then probe HTTPS / and the health check.'
      : `No Docker engine: run ${options.appDir} under gunicorn with TLS as the container would, then probe HTTPS / and the health check.`,
  async run(ctx, io) {
    const { options, state, rehearsal: r } = ctx;
    if (options.certificate.kind !== 'pair') throw new BugError('a rehearsal always has a certificate pair');
    if (!state.infraTemplateBody) throw new BugError('the infra template was not read');
    const spec = localRunSpec(parseCfnYaml(state.infraTemplateBody), {
      Ecosystem: options.ecosystem,
      EmailAddress: options.email,
      ...(state.imageId ? { ImageId: state.imageId } : {}),
      ...(state.certificateArn ? { SSLCert: state.certificateArn } : {}),
    });
    for (const n of spec.notes) io.info(`Task definition: ${n}`);

    const kept = r.options.attach;
    if (kept && r.docker.available && r.ports.adopt) return adoptKept(ctx, io, spec, kept.tasks);

    let port = spec.containerPort;
    if (!(await r.ports.portIsFree(port))) {
      port = await r.ports.freePort();
      io.warn(`Port ${spec.containerPort} (the task definition's) is taken on this machine: the app runs on ${port} instead.`);
      r.state.skipped.push({ what: `port ${spec.containerPort}`, reason: `taken on this machine; the app ran on ${port}` });
    }
    const pio = progressIO(io);
    const req = { spec, port, certFile: options.certificate.certFile, keyFile: options.certificate.keyFile };
    let app: StartedApp;
    if (r.docker.available) {
      if (!state.imageId) throw new BugError('no pushed image to run');
      app = await r.ports.runContainer(state.imageId, req, pio);
    } else {
      const python = r.state.python ?? (await r.ports.python(pio, { needApp: true }));
      r.state.python = python;
      app = await r.ports.runGunicorn(python, req, pio);
    }
    r.state.app = app;
    r.state.running.push(app);
    const task = await reportTask(ctx, app, spec.containerName, pio);
    r.state.tasks.push({ app, ...(task ? { task } : {}), port, containerName: spec.containerName, ...(r.docker.available && state.imageId ? { image: state.imageId } : {}) });
    const { summary } = await probeApp(ctx, io, app, spec, task, port);
    const reported = task ? `; task ${task.taskId} RUNNING in the emulator${task.logStream ? `, output shipped to ${task.logStream.stream}` : ''}` : '';
    return { status: 'succeeded', summary: `${summary}${reported}` };
  },
};

export const progressIO = (io: StepIO): ProgressIO & { warn(m: string): void } => ({ signal: io.signal, progress: (m) => io.progress(m), log: (l) => io.log('stdout', l), warn: (m) => io.warn(m) });

/** A kept rehearsal's tasks (--keep, then a second rehearsal): adopted as they run, then probed as ours would be. */
async function adoptKept(ctx: RehearsalStepCtx<'httpsGet' | 'adopt'>, io: StepIO, spec: LocalRunSpec, kept: KeptTask[]): Promise<StepOutcome> {
  const r = ctx.rehearsal;
  const emulator = r.state.emulator;
  if (!r.ports.adopt || !emulator) throw new BugError('adopting a kept rehearsal needs its emulator and the adopt ports');
  for (const k of kept) {
    const app = await r.ports.adopt.app(k);
    if (!app) {
      io.warn(`The kept task's container ${k.containerId.slice(0, 12)} no longer runs.`);
      continue;
    }
    const task = k.taskArn ? await r.ports.adopt.task(emulator.info.endpoint, resourceNames(ctx.options.ecosystem).cluster, { ...k, taskArn: k.taskArn }, progressIO(io)) : undefined;
    r.state.running.push(app, ...(task ? [task] : []));
    r.state.tasks.push({ app, ...(task ? { task } : {}), port: k.port, containerName: k.containerName, ...(k.taskDefinition ? { taskDefinition: k.taskDefinition } : {}), ...(k.image ? { image: k.image } : {}) });
  }
  const first = r.state.tasks[0];
  if (!first) throw new AbortError('APP_EXITED', "The kept rehearsal's app no longer runs.", { hint: 'Stop what the kept rehearsal left (its --keep output says how) and rehearse again.' });
  r.state.app = first.app;
  const { summary } = await probeApp(ctx, io, first.app, spec, first.task, first.port);
  return { status: 'succeeded', summary: `kept ${r.state.tasks.length === 1 ? 'task' : `${r.state.tasks.length} tasks`} adopted: ${summary}` };
}

/** Waits for the app's health check, then probes /, the health check and the certificate; throws on any mismatch. */
export async function probeApp(ctx: RehearsalStepCtx<'httpsGet'>, io: StepIO, app: StartedApp, spec: LocalRunSpec, task: ReportedTask | undefined, port: number): Promise<{ probes: RehearsalProbes; summary: string }> {
  const r = ctx.rehearsal;
    const get = (path: string) => r.ports.httpsGet(`${app.url}${path}`, 5_000);
    await waitReady(app, () => get(spec.health.path), spec.health.matcher, io, ctx.clock, task);
    const [root, health] = [await get('/'), await get(spec.health.path)];
    const outcome = (path: string, a: HttpsAnswer, ok: boolean): ProbeOutcome => ({ path, status: a.status, body: a.body.slice(0, 200), ok });
    const expected = r.state.certFingerprint ?? '';
    const probes: RehearsalProbes = {
      runtime: app.runtime,
      url: app.url,
      port: { template: spec.containerPort, used: port },
      root: outcome('/', root, root.status === 200 && root.body.trim() === GREETING),
      health: outcome(spec.health.path, health, matcherAccepts(spec.health.matcher, health.status)),
      servedFingerprint: root.fingerprint,
      expectedFingerprint: expected,
      fingerprintMatches: root.fingerprint !== '' && root.fingerprint === expected,
    };
    r.state.probes = probes;
    const problems = [
      ...(probes.root.ok ? [] : [`GET / answered ${root.status} ${JSON.stringify(probes.root.body.slice(0, 60))}, not 200 "${GREETING}"`]),
      ...(probes.health.ok ? [] : [`GET ${spec.health.path} answered ${health.status}, not ${spec.health.matcher}`]),
      ...(probes.fingerprintMatches ? [] : [`the certificate served (${root.fingerprint || 'none'}) is not the rehearsal's (${expected})`]),
    ];
    if (problems.length) {
      throw new AbortError('APP_PROBE_FAILED', `The app at ${app.url} does not behave as deployed: ${problems.join('; ')}.\n${await app.logTail()}`, {
        hint: 'Read the app output above; run the same image with `docker run` to look closer.',
      });
    }
    return { probes, summary: `${app.url} (${app.runtime}): / → 200 "${GREETING}", ${spec.health.path} → ${health.status}, certificate ${root.fingerprint.slice(0, 11)}… matches` };
}

/**
 * The container, as a task of the emulated service (docker only: gunicorn is no container, and has no image digest):
 * the emulator's DescribeServices, ListTasks and DescribeTasks show it, and `logs` reads its output. Where the
 * emulator cannot take it, the rehearsal says so and goes on (the app is still probed).
 */
export async function reportTask(ctx: RehearsalStepCtx<'reportTask'>, app: StartedApp, containerName: string, io: ProgressIO & { warn(m: string): void }): Promise<ReportedTask | undefined> {
  const r = ctx.rehearsal;
  const emulator = r.state.emulator;
  if (app.runtime !== 'docker' || !app.containerId || !emulator) return undefined;
  const names = resourceNames(ctx.options.ecosystem);
  const digest = ctx.state.imageId?.split('@')[1];
  const out = await r.ports.reportTask({ endpoint: emulator.info.endpoint, cluster: names.cluster, service: names.service, containerName, containerId: app.containerId, ...(digest ? { imageDigest: digest } : {}) }, io);
  if ('unreported' in out) {
    io.warn(`The running container is not a task in the emulator: ${out.unreported}.`);
    r.state.skipped.push({ what: 'the task in the emulator', reason: out.unreported });
    return undefined;
  }
  r.state.running.push(out);
  if (!out.countsKept) r.state.skipped.push({ what: 'task counts', reason: 'the emulator keeps no task counts (no SubmitTaskStateChange); the moto launcher keeps them' });
  return out;
}

/** Polls the health check until it passes, the app exits, Ctrl-C, or a minute passes. */
async function waitReady(app: StartedApp, probe: () => Promise<HttpsAnswer>, matcher: string, io: StepIO, clock: Clock, task: ReportedTask | undefined): Promise<void> {
  const deadline = clock.now() + READY_TIMEOUT_MS;
  let last: string;
  for (;;) {
    try {
      const a = await probe();
      if (matcherAccepts(matcher, a.status)) return;
      last = `HTTP ${a.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (!(await app.isRunning())) {
      // As ECS: the task stops with "Essential container in task exited" and the container's exit code.
      await task?.exited(await app.exitCode?.());
      throw new AbortError('APP_EXITED', `The app (${app.runtime}) exited before it answered:\n${await app.logTail()}`, { hint: 'Read the app output above: a missing certificate or a port in use are the usual causes.' });
    }
    if (io.signal.aborted) throw new InterruptedError('Interrupted while waiting for the app to answer.');
    if (clock.now() > deadline) throw new AbortError('APP_NOT_READY', `${app.url} did not pass its health check within ${READY_TIMEOUT_MS / 1000} s (last: ${last}).\n${await app.logTail()}`, { hint: 'Read the app output above.' });
    await clock.sleep(READY_POLL_MS, io.signal);
  }
}
