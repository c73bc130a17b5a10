// Rehearsal step. On a kept rehearsal (`deploy --local --keep`, then rehearse again), roll the new image out onto the
// kept service the way ECS does with the template's deployment configuration, playing the ECS scheduler: start new
// tasks up to MaximumPercent, each reported into the emulator as a task of the new deployment and added to the load
// balancer, where it gets traffic only once healthy; then drain the old tasks for the (scaled) deregistration delay
// and stop them. A new task that exits, or fails its health checks after the (scaled) grace period, is stopped with
// ECS's reason and replaced, until the emulator's circuit breaker fails the deployment; then the old tasks stay, and
// the step fails with the deploy's own rollout diagnosis. A bounded load loop through the load balancer counts every
// failed request for the whole rollout (zero downtime is 0).
// ECS rolling updates: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html
import { AbortError, BugError, InterruptedError } from '../../core/errors.ts';
import type { Step, StepIO } from '../../core/runner.ts';
import { parseCfnYaml } from '../../domain/cfn-yaml.ts';
import { resourceNames, stackNames } from '../../domain/names.ts';
import type { LoadReport, StartedLoadBalancer } from '../../ports/rehearsal.ts';
import { rolloutError, watchRollout, type RolloutVerdict } from '../../steps/rollout-watch.ts';
import { emulatorPorts, type RehearsalStepCtx, type ServiceTask } from '../context.ts';
import type { RolloutSummary } from '../events.ts';
import { localRunSpec } from '../task-spec.ts';
import { probeApp, progressIO, reportTask } from './run-app.ts';
import { LB_TIME_SCALE } from './start-load-balancer.ts';

/** A rollout, good or bad, is over well inside this (a bad one trips the breaker after three tasks). */
export const ROLLOUT_TIMEOUT_MS = 180_000;
/** The load loop: about a browser's worth of requests, bounded in count as in time. */
export const LOAD_RPS = 20;
const TICK_MS = 200;

type Ctx = RehearsalStepCtx<'runContainer' | 'reportTask' | 'freePort' | 'httpsGet' | 'inspect' | 'loadBalancer'>;

/**
 * The circuit breaker's failed-task threshold: half the desired count, at least 3 and at most 200
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html).
 */
export const breakerThreshold = (desired: number) => Math.min(200, Math.max(3, Math.ceil(desired / 2)));

export const rollOut: Step<Ctx> = {
  id: 'roll-out',
  title: 'Roll the new image out',
  after: ['run-app'],
  describe: ({ rehearsal: { options } }) =>
    options.attach
      ? `Roll the new image out onto the kept rehearsal as ECS does: new tasks up to MaximumPercent, healthy behind the load balancer, old tasks drained (delays scaled by ${LB_TIME_SCALE}); ${LOAD_RPS} requests a second through the load balancer meanwhile, counting failures.`
      : 'Skipped on a first rehearsal: keep one with --keep, then rehearse again to roll the new image out onto it.',
  async run(ctx, io) {
    const { options, state, rehearsal: r } = ctx;
    const kept = r.options.attach;
    if (!kept) return { status: 'skipped', reason: 'no kept rehearsal to roll out onto (deploy --local --keep, then rehearse again)' };
    const lbPort = r.ports.loadBalancer;
    const emulator = r.state.emulator;
    if (!emulator || !state.imageId || !state.infraTemplateBody || options.certificate.kind !== 'pair') throw new BugError('the roll-out ran before the emulator, the image or the templates');
    if (!lbPort || !kept.loadBalancer) return { status: 'skipped', reason: 'the kept rehearsal has no load balancer (HAProxy) to roll out behind' };
    const lb = await lbPort.attach(kept.loadBalancer);
    if (!lb) return { status: 'skipped', reason: "the kept rehearsal's load balancer is gone" };
    r.state.lb = lb;
    r.state.running.push(lb);

    const names = resourceNames(options.ecosystem);
    const ref = { cluster: names.cluster, service: names.service };
    const ecs = emulatorPorts(r).ecosystem;
    const service = await ecs.ecs.service(ref);
    const raw = await (async () => {
      const inspector = await r.ports.inspect(emulator.info.endpoint);
      try {
        return await inspector.describeService(names.cluster, names.service);
      } finally {
        inspector.close();
      }
    })();
    const primary = service?.deployments.find((d) => d.status === 'PRIMARY');
    const old = [...r.state.tasks];
    if (!service || !primary) throw new AbortError('ROLLOUT_FAILED', `The emulator has no service ${names.service} to roll out.`, { hint: 'Rehearse without the kept rehearsal.' });
    if (!service.deployments.some((d) => d.status === 'ACTIVE')) {
      r.state.rollout = { from: primary.taskDefinition, to: primary.taskDefinition, outcome: 'unchanged', maximumPercent: 0, started: 0, failed: 0, drained: 0, delays: { deregistrationS: 0, graceS: 0, scale: LB_TIME_SCALE }, durationMs: 0 };
      return { status: 'succeeded', summary: `nothing to roll out: the service already runs ${primary.taskDefinition} (the image did not change)` };
    }
    const from = service.deployments.find((d) => d.status === 'ACTIVE')!.taskDefinition;
    const config = (raw?.['deploymentConfiguration'] ?? {}) as { maximumPercent?: number };
    const maximumPercent = config.maximumPercent ?? 200;
    const graceS = Number(raw?.['healthCheckGracePeriodSeconds'] ?? 0);
    const read = await lbPort.read(emulator.info.endpoint, stackNames(options.ecosystem).infra);
    const delays = { deregistrationS: read.targetGroup.deregistrationDelaySeconds, graceS, scale: LB_TIME_SCALE };
    const spec = localRunSpec(parseCfnYaml(state.infraTemplateBody), { Ecosystem: options.ecosystem, EmailAddress: options.email, ImageId: state.imageId, ...(state.certificateArn ? { SSLCert: state.certificateArn } : {}) });
    const desired = Math.max(1, service.desired);
    // ECS may run desired × MaximumPercent tasks during the rollout: the old ones count.
    const room = Math.max(1, Math.floor((desired * maximumPercent) / 100) - old.length);
    io.info(`Rolling ${from} → ${primary.taskDefinition}: desired ${desired}, maximum ${maximumPercent} % (${room} new at a time), grace ${graceS} s and deregistration ${delays.deregistrationS} s, scaled by ${LB_TIME_SCALE}.`);

    const began = ctx.clock.now();
    const load = lbPort.startLoad(lb.url, { rps: LOAD_RPS, maxRequests: LOAD_RPS * (ROLLOUT_TIMEOUT_MS / 1000 + 30), timeoutMs: ROLLOUT_TIMEOUT_MS + 30_000 });
    const ended = new AbortController();
    const watching = watchRollout(ecs, ctx.clock, {
      ref, targetGroup: names.targetGroup, logGroup: names.logGroup, since: began, pollMs: 500,
      signal: AbortSignal.any([io.signal, ended.signal]),
      onReport: (report) => io.emit({ type: 'rollout', ...report }),
      onWarn: (m) => io.warn(m),
    });
    const summary: RolloutSummary = { from, to: primary.taskDefinition, outcome: 'completed', maximumPercent, started: 0, failed: 0, drained: 0, delays, durationMs: 0 };
    let report: LoadReport | undefined;
    let verdict: RolloutVerdict | undefined;
    let rollback = '';
    try {
      const plan: Plan = { lb, image: state.imageId, spec, primaryId: primary.id, desired, room, graceMs: graceS * 1000 * LB_TIME_SCALE, targetGroupArn: read.targetGroup.arn, summary, began };
      const delayMs = read.targetGroup.deregistrationDelaySeconds * 1000 * LB_TIME_SCALE;
      const healthy = await schedule(ctx, io, plan);
      if (healthy) {
        // The old tasks leave only once the new ones serve: drained for the deregistration delay, then stopped.
        for (const t of old) await drain(ctx, plan, t, delayMs, `Scaling activity initiated by (deployment ${primary.id})`);
        r.state.tasks = healthy;
        r.state.app = healthy[0]!.app;
        r.state.probes = (await probeApp(ctx, io, healthy[0]!.app, spec, healthy[0]!.task, healthy[0]!.port)).probes;
      } else {
        summary.outcome = 'rolled-back';
        verdict = await Promise.race([watching, ctx.clock.sleep(5_000, io.signal).then(() => undefined, () => undefined)]);
        rollback = await rollBack(ctx, io, plan, old, delayMs);
      }
    } finally {
      ended.abort();
      await watching.catch(() => undefined);
      report = await load.stop();
      summary.load = { sent: report.sent, ok: report.ok, failed: report.failed, rps: LOAD_RPS, failures: report.failures.map((f) => ({ what: f.status !== undefined ? `HTTP ${f.status}` : (f.error ?? '?'), count: f.count })) };
      summary.durationMs = ctx.clock.now() - began;
      r.state.rollout = summary;
    }
    const served = `${report.sent} requests through the load balancer, ${report.failed} failed`;
    if (summary.outcome === 'rolled-back') {
      const action = `The ECS deployment circuit breaker (emulated) failed deployment ${primary.id} after ${summary.failed} failed tasks and rolled back: ${rollback} (${served}).`;
      if (verdict) throw rolloutError(verdict, io, action, options.architecture);
      throw new AbortError('ROLLOUT_FAILED', `The rollout of service ${names.service} failed: ${summary.failed} new tasks failed.`, { hint: action });
    }
    if (report.failed > 0) {
      throw new AbortError('ROLLOUT_FAILED', `The rollout of service ${names.service} dropped requests: ${served} (${summary.load.failures.map((f) => `${f.what} × ${f.count}`).join(', ')}).`, { hint: 'Zero downtime needs new tasks healthy before old ones drain: check MinimumHealthyPercent, the health check and the deregistration delay.' });
    }
    return { status: 'succeeded', summary: `${from.split('/').pop()} → ${primary.taskDefinition.split('/').pop()}: ${summary.started} started, ${summary.drained} drained; ${served}` };
  },
};

interface Plan {
  lb: StartedLoadBalancer;
  image: string;
  spec: ReturnType<typeof localRunSpec>;
  primaryId: string;
  desired: number;
  room: number;
  graceMs: number;
  targetGroupArn: string;
  summary: RolloutSummary;
  began: number;
}

/** Starts new tasks until `desired` are healthy (returned) or the breaker fails the deployment (undefined). */
async function schedule(ctx: Ctx, io: StepIO, p: Plan): Promise<ServiceTask[] | undefined> {
  const { options, rehearsal: r } = ctx;
  const cert = options.certificate.kind === 'pair' ? options.certificate : undefined;
  if (!cert) throw new BugError('no certificate pair');
  const ecs = emulatorPorts(r).ecosystem.ecs;
  const names = resourceNames(options.ecosystem);
  const healthy: ServiceTask[] = [];
  const pending: Array<ServiceTask & { since: number }> = [];
  const threshold = breakerThreshold(p.desired);
  for (;;) {
    if (io.signal.aborted) throw new InterruptedError('Interrupted during the rollout.');
    if (ctx.clock.now() - p.began > ROLLOUT_TIMEOUT_MS) throw new AbortError('ROLLOUT_FAILED', `The rollout did not settle within ${ROLLOUT_TIMEOUT_MS / 1000} s (${healthy.length} of ${p.desired} new tasks healthy).`, { hint: 'Read the app output with `hello-deploy logs --previous` against the kept rehearsal.' });
    while (healthy.length + pending.length < Math.min(p.desired, p.room)) {
      const port = await r.ports.freePort();
      const app = await r.ports.runContainer(p.image, { spec: p.spec, port, certFile: cert.certFile, keyFile: cert.keyFile }, progressIO(io));
      r.state.running.push(app);
      const task = await reportTask(ctx, app, p.spec.containerName, progressIO(io));
      await p.lb.addTarget({ id: '127.0.0.1', port });
      await r.ports.loadBalancer?.registerTarget(r.state.emulator!.info.endpoint, p.targetGroupArn, { id: '127.0.0.1', port }).catch(() => undefined);
      pending.push({ app, ...(task ? { task } : {}), port, containerName: p.spec.containerName, image: p.image, since: ctx.clock.now() });
      p.summary.started++;
      io.progress(`started task ${task?.taskId ?? app.containerId?.slice(0, 12)} on port ${port}`);
    }
    const views = await p.lb.targetHealth();
    await r.ports.loadBalancer?.reportTargetHealth(r.state.emulator!.info.endpoint, p.targetGroupArn, views).catch(() => false);
    for (const t of [...pending]) {
      const view = views.find((v) => v.port === t.port);
      let reason: string | undefined;
      let exitCode: number | undefined;
      if (!(await t.app.isRunning())) {
        exitCode = await t.app.exitCode?.();
        reason = 'Essential container in task exited';
      } else if (view?.state === 'healthy') {
        pending.splice(pending.indexOf(t), 1);
        healthy.push(t);
        io.progress(`task ${t.task?.taskId ?? t.port} healthy in the target group`);
        continue;
      } else if (view?.state === 'unhealthy' && ctx.clock.now() - t.since > p.graceMs) {
        // ECS's reason for a task the load balancer failed ("Task failed ELB health checks in (target-group …)").
        reason = `Task failed ELB health checks in (target-group ${p.targetGroupArn})`;
      }
      if (!reason) continue;
      pending.splice(pending.indexOf(t), 1);
      p.summary.failed++;
      io.warn(`task ${t.task?.taskId ?? t.port} stopped: ${reason}${exitCode !== undefined ? ` (exit code ${exitCode})` : ''}${view?.reason ? `, ${view.reason}` : ''}`);
      await unregister(ctx, p, t.port, 0);
      if (reason.startsWith('Essential')) await t.task?.exited(exitCode);
      else await t.task?.stoppedBy(reason);
      await t.app.stop();
      const svc = await ecs.service({ cluster: names.cluster, service: names.service }).catch(() => undefined);
      const failedInEmulator = svc?.deployments.find((d) => d.id === p.primaryId)?.rolloutState === 'FAILED';
      if (failedInEmulator || p.summary.failed >= threshold) {
        for (const x of pending) {
          await unregister(ctx, p, x.port, 0);
          await x.task?.stoppedBy(`Scaling activity initiated by (deployment ${p.primaryId})`);
          await x.app.stop();
        }
        return undefined;
      }
    }
    if (healthy.length >= p.desired) return healthy;
    await ctx.clock.sleep(TICK_MS, io.signal);
  }
}

/** Out of HAProxy (drained for delayMs, or at once) and out of the emulated target group. */
async function unregister(ctx: Ctx, p: Plan, port: number, delayMs: number): Promise<void> {
  const r = ctx.rehearsal;
  await p.lb.drainTarget({ id: '127.0.0.1', port }, delayMs);
  await r.ports.loadBalancer?.deregisterTarget(r.state.emulator!.info.endpoint, p.targetGroupArn, { id: '127.0.0.1', port }).catch(() => undefined);
}

/** ELB deregistration, then ECS stops the task: requests in flight finish, new ones go to the new tasks. */
async function drain(ctx: Ctx, p: Plan, t: ServiceTask, delayMs: number, reason: string): Promise<void> {
  await unregister(ctx, p, t.port, delayMs);
  await t.task?.stoppedBy(reason);
  await t.app.stop();
  p.summary.drained++;
}

/**
 * After the breaker, ECS rolls back as a new deployment of the last completed task definition: it starts tasks of
 * it, then drains the tasks it replaces. The old tasks serve throughout, so the rollback drops nothing either.
 */
async function rollBack(ctx: Ctx, io: StepIO, p: Plan, old: ServiceTask[], delayMs: number): Promise<string> {
  const r = ctx.rehearsal;
  const names = resourceNames(ctx.options.ecosystem);
  const svc = await emulatorPorts(r).ecosystem.ecs.service({ cluster: names.cluster, service: names.service }).catch(() => undefined);
  const back = svc?.deployments.find((d) => d.status === 'PRIMARY' && d.id !== p.primaryId);
  const image = old.find((t) => t.image)?.image;
  const them = `the old task${old.length === 1 ? '' : 's'}`;
  if (!back || !image) return `${them} kept serving${back ? '' : ' (the emulator started no rollback deployment)'}`;
  io.info(`Rolling back: deployment ${back.id} (${back.taskDefinition.split('/').pop()}) replaces ${them} with new ones of the same image.`);
  const healthy = await schedule(ctx, io, { ...p, image, primaryId: back.id, summary: { ...p.summary, started: 0, failed: 0, drained: 0 } });
  if (!healthy) return `the rollback deployment ${back.id} failed too; ${them} kept serving`;
  for (const t of old) await drain(ctx, { ...p, primaryId: back.id }, t, delayMs, `Scaling activity initiated by (deployment ${back.id})`);
  r.state.tasks = healthy;
  r.state.app = healthy[0]!.app;
  return `deployment ${back.id} runs ${back.taskDefinition.split('/').pop()} again on ${healthy.length} new task${healthy.length === 1 ? '' : 's'}, and ${them} drained`;
}
