// The rehearsal service: plan, run the steps, measure what the emulator really did (the fidelity report), tear
// everything down (or keep it with --keep), then one `fidelity` event and one closing `result` event. The
// non-interactive front end calls this; the wizard will call it unchanged.
import { rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import type { Host, Question } from '../core/host.ts';
import { planOf, runSteps, type RunSummary } from '../core/runner.ts';
import { InterruptedError, type HelloDeployError } from '../core/errors.ts';
import type { PlannedStep, StepId } from '../core/events.ts';
import type { FidelityReport, NotRehearsed, RehearsalEvent, RehearsalSummary, ResourceFidelity, StepTiming } from './events.ts';
import { stackNames } from '../domain/names.ts';
import { rehearsalSteps } from './plan.ts';
import type { RehearsalContext } from './context.ts';
import type { Running } from '../ports/rehearsal.ts';
import { parseCfnYaml, type CfnTemplate } from '../domain/cfn-yaml.ts';
import { inspectStack, markStack } from './fidelity.ts';
import { forgetKept, keptRecord, writeKept } from './kept.ts';

export interface RehearsalOutcome {
  ok: boolean;
  error?: HelloDeployError;
}

const TEARDOWN: PlannedStep = { id: 'teardown', title: 'Tear down', description: 'Stop the app, the registry and the emulator, and remove the rehearsal folder (unless --keep).', after: [] };

/** Records each step's wall time and outcome as the events go by, and passes every event on. */
class TimingHost implements Host<RehearsalEvent> {
  readonly timings = new Map<StepId, StepTiming>();
  readonly skipped: NotRehearsed[] = [];
  private readonly started = new Map<StepId, number>();
  private readonly titles = new Map<StepId, string>();
  constructor(private readonly inner: Host<RehearsalEvent>) {}
  emit(e: RehearsalEvent): void {
    if (e.type === 'plan') for (const s of e.steps) this.titles.set(s.id, s.title);
    if (e.type === 'step-start') this.started.set(e.step, Date.now());
    const title = () => this.titles.get((e as { step: StepId }).step) ?? (e as { step: StepId }).step;
    if (e.type === 'step-succeeded') this.timings.set(e.step, { step: e.step, title: title(), outcome: 'succeeded', durationMs: e.durationMs });
    if (e.type === 'step-failed') this.timings.set(e.step, { step: e.step, title: title(), outcome: 'failed', durationMs: e.durationMs });
    if (e.type === 'step-skipped') {
      const began = this.started.get(e.step);
      this.timings.set(e.step, { step: e.step, title: title(), outcome: began === undefined ? 'not-run' : 'skipped', durationMs: began === undefined ? 0 : Date.now() - began });
      this.skipped.push({ what: e.step, reason: e.reason });
    }
    this.inner.emit(e);
  }
  ask = (q: Question) => this.inner.ask(q);
}

export async function runRehearsal(ctx: RehearsalContext, outer: Host<RehearsalEvent>, signal: AbortSignal): Promise<RehearsalOutcome> {
  const began = Date.now();
  const host = new TimingHost(outer);
  const r = ctx.rehearsal;
  // Last resort: if hello-deploy is forced out (a second Ctrl-C, a crash), nothing it started outlives it.
  const hardExit = () => {
    for (const x of [...r.state.running].reverse()) x.killNow();
    if (!r.options.keep) rmSync(r.options.workDir, { recursive: true, force: true });
  };
  process.on('exit', hardExit);

  host.emit({ type: 'plan', ecosystem: ctx.options.ecosystem, region: 'us-east-1 (emulated)', steps: [...planOf(rehearsalSteps, ctx), { ...TEARDOWN, after: rehearsalSteps.map((s) => s.id) }] });
  let summary: RunSummary;
  try {
    summary = await runSteps(rehearsalSteps, ctx, host, signal);
  } catch (err) {
    process.off('exit', hardExit);
    await teardown(ctx, host, [...r.state.running], false);
    throw err;
  }

  const resources = await measureFidelity(ctx, summary).catch((err: unknown) => staticOnly(ctx, summary, `the emulator could not be read: ${err instanceof Error ? err.message : String(err)}`));
  const keep = r.options.keep && !signal.aborted;
  const started = r.state.running.map(describeRunning);
  // Read before teardown: a generated pair goes with the rehearsal folder.
  const certificate = await certificateFacts(ctx);
  await teardown(ctx, host, [...r.state.running], keep);
  process.off('exit', hardExit);

  const notRehearsed: NotRehearsed[] = [
    ...host.skipped.filter((s) => s.what !== 'teardown'),
    ...r.state.skipped,
    // Without HAProxy (or when its step did not run) the emulator's ALB has no data plane: the app is probed directly.
    // --domain where the emulator has no model for the stack's ACM certificate: deployed without the domain.
    ...(r.options.domain && !ctx.options.domain ? [{ what: `the certificate and alias record for ${r.options.domain}`, reason: `--emulator ${r.options.engine} has no CloudFormation model for AWS::CertificateManager::Certificate, so the infra stack was deployed without DomainName and HostedZoneId; the launcher (--emulator moto) rehearses them` }] : []),
    ...(r.state.loadBalancer ? [] : [{ what: 'traffic through the load balancer', reason: "no load balancer served traffic in this run; the app was probed directly on loopback" }]),
  ];
  const fidelity: FidelityReport = {
    ...(r.state.emulator ? { emulator: r.state.emulator.info } : {}),
    resources,
    notRehearsed,
    timings: [...host.timings.values()],
    totalMs: Date.now() - began,
    ...(r.state.rollout ? { rollout: r.state.rollout } : {}),
  };
  host.emit({ type: 'fidelity', ...fidelity });

  const rehearsal: RehearsalSummary = {
    ...(r.state.emulator ? { emulator: r.state.emulator.info } : {}),
    ...(r.state.probes ? { probes: r.state.probes } : {}),
    ...(r.state.loadBalancer ? { loadBalancer: r.state.loadBalancer } : {}),
    ...(r.state.rollout ? { rollout: r.state.rollout } : {}),
    fidelity,
    skipped: notRehearsed,
    ...certificate,
    started,
    kept: keep,
    workDir: r.options.workDir,
  };
  const names = stackNames(ctx.options.ecosystem);
  if (summary.ok && r.state.probes) {
    host.emit({
      type: 'result',
      ok: true,
      url: r.state.loadBalancer?.url ?? r.state.probes.url,
      stacks: names,
      image: ctx.state.imageId ?? '',
      created: { ...(ctx.state.infraOutputs ?? {}), ...(ctx.state.repository ? { RepositoryUri: ctx.state.repository.uri } : {}) },
      rehearsal,
    });
    return { ok: true };
  }
  const error = summary.failed?.error ?? new InterruptedError('The rehearsal stopped before it finished.');
  host.emit({ type: 'result', ok: false, error: error.toJSON(), rehearsal });
  return { ok: false, error };
}

function describeRunning(x: Running): RehearsalSummary['started'][number] {
  return { what: x.what, ...(x.pid ? { pid: x.pid } : {}), ...(x.containerId ? { containerId: x.containerId } : {}), ...(x.endpoint ? { endpoint: x.endpoint } : {}), stop: x.stopHint };
}

/** Stops everything in reverse order (app, registry, emulator), closes the SDK sockets, removes the folder. */
async function teardown(ctx: RehearsalContext, host: Host<RehearsalEvent>, running: Running[], keep: boolean): Promise<void> {
  const r = ctx.rehearsal;
  r.state.live?.close();
  if (keep) {
    for (const x of running) x.release();
    host.emit({ type: 'step-skipped', step: 'teardown', reason: '--keep: left running' });
    const record = keptRecord(ctx);
    const file = record ? await writeKept(record).catch(() => undefined) : undefined;
    if (file) host.emit({ type: 'info', step: 'teardown', message: `Kept for the next rehearsal of ${ctx.options.ecosystem}: it rolls its image out onto this one (${file}).` });
    for (const x of running) host.emit({ type: 'info', step: 'teardown', message: `${x.what}${x.endpoint ? ` at ${x.endpoint}` : ''} keeps running; stop it with: ${x.stopHint}` });
    host.emit({ type: 'info', step: 'teardown', message: `Rehearsal folder (logs, generated pair): ${r.options.workDir}; remove it with: rm -rf ${r.options.workDir}` });
    return;
  }
  const t0 = Date.now();
  host.emit({ type: 'step-start', step: 'teardown', title: TEARDOWN.title });
  // What was kept is torn down now: no later rehearsal may adopt it.
  if (r.options.attach) await forgetKept(ctx.options.ecosystem).catch(() => undefined);
  const problems: string[] = [];
  const stop = async (x: Running) => {
    try {
      await x.stop();
      host.emit({ type: 'step-progress', step: 'teardown', message: `stopped ${x.what}${x.pid ? ` (pid ${x.pid})` : x.containerId ? ` (${x.containerId.slice(0, 12)})` : ''}` });
    } catch (err) {
      problems.push(`${x.what}: ${err instanceof Error ? err.message : String(err)} (stop it with: ${x.stopHint})`);
    }
  };
  // Two waves, each in parallel: first what runs on the emulator and the registry (tasks shipping their last log
  // lines, containers, the load balancer), then the registry and the emulator themselves.
  const base = new Set<Running | undefined>([r.state.emulator, r.state.registry]);
  await Promise.all(running.filter((x) => !base.has(x)).map(stop));
  await Promise.all(running.filter((x) => base.has(x)).map(stop));
  await rm(r.options.workDir, { recursive: true, force: true }).catch((err: unknown) => problems.push(`${r.options.workDir}: ${String(err)}`));
  for (const p of problems) host.emit({ type: 'warn', step: 'teardown', message: p });
  host.emit({ type: 'step-succeeded', step: 'teardown', durationMs: Date.now() - t0, summary: `stopped ${running.length} process(es)/container(s), removed ${r.options.workDir}` });
}

/** Template resources against what the emulator holds; before teardown, while it still runs. */
async function measureFidelity(ctx: RehearsalContext, summary: RunSummary): Promise<ResourceFidelity[]> {
  const emulator = ctx.rehearsal.state.emulator;
  const templates = await readTemplates(ctx);
  const validated = succeeded(summary, 'validate-templates');
  const deployed = (id: StepId) => succeeded(summary, id);
  const names = stackNames(ctx.options.ecosystem);
  if (!emulator) return staticOnly(ctx, summary, 'the emulator did not start', templates);
  const inspector = await ctx.rehearsal.ports.inspect(emulator.info.endpoint);
  try {
    const out: ResourceFidelity[] = [];
    for (const [stack, template, step] of [[names.ecr, templates.ecr, 'deploy-ecr-stack'], [names.infra, templates.infra, 'deploy-infra-stack']] as const) {
      if (!template) continue;
      // The infra stack's --domain parameters, as deploy-infra-stack passed them: its certificate and alias record
      // are then in the stack (their Condition holds), and read back from ACM and Route 53.
      const parameters = stack === names.infra ? domainParameters(ctx) : {};
      const emulated = deployed(step) ? await inspector.stackResources(stack) : undefined;
      const facts = emulated ? await inspectStack(inspector, template, emulated, parameters) : {};
      out.push(...markStack({ stack, template, deployed: deployed(step), validated, parameters, ...(emulated ? { emulated } : {}), ...facts }));
    }
    return out;
  } finally {
    inspector.close();
  }
}

function domainParameters(ctx: RehearsalContext): Record<string, string> {
  const name = ctx.options.domain?.name;
  if (!name) return {};
  return { DomainName: name, ...(ctx.state.hostedZone ? { HostedZoneId: ctx.state.hostedZone.id } : {}) };
}

async function readTemplates(ctx: RehearsalContext): Promise<{ ecr?: CfnTemplate; infra?: CfnTemplate }> {
  const parse = async (body: string | undefined, file: string) => {
    try {
      return parseCfnYaml(body ?? (await readFile(file, 'utf8')));
    } catch {
      return undefined;
    }
  };
  const [ecr, infra] = await Promise.all([parse(ctx.state.ecrTemplateBody, ctx.options.ecrTemplate), parse(ctx.state.infraTemplateBody, ctx.options.infraTemplate)]);
  return { ...(ecr ? { ecr } : {}), ...(infra ? { infra } : {}) };
}

async function staticOnly(ctx: RehearsalContext, summary: RunSummary, why: string, known?: { ecr?: CfnTemplate; infra?: CfnTemplate }): Promise<ResourceFidelity[]> {
  const templates = known ?? (await readTemplates(ctx));
  const validated = succeeded(summary, 'validate-templates');
  const names = stackNames(ctx.options.ecosystem);
  return [
    ...(templates.ecr ? markStack({ stack: names.ecr, template: templates.ecr, deployed: false, validated }) : []),
    ...(templates.infra ? markStack({ stack: names.infra, template: templates.infra, deployed: false, validated }) : []),
  ].map((f) => ({ ...f, detail: f.detail ? `${why}; ${f.detail}` : why }));
}

function succeeded(summary: RunSummary, id: StepId): boolean {
  const o = summary.outcomes[id];
  return typeof o === 'object' && o.status === 'succeeded';
}

async function certificateFacts(ctx: RehearsalContext): Promise<Pick<RehearsalSummary, 'certificate'>> {
  const c = ctx.options.certificate;
  const fp = ctx.rehearsal.state.certFingerprint;
  if (c.kind !== 'pair' || !fp) return {};
  // The public certificate only (it is what every client sees); never the key.
  const pem = await readFile(c.certFile, 'utf8').catch(() => undefined);
  if (pem === undefined) return {};
  return { certificate: { source: ctx.rehearsal.options.certificateSource, certFile: c.certFile, fingerprintSha256: fp, certificatePem: pem } };
}
