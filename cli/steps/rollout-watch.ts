// The rollout watcher: while the infra stack creates or updates the service, look at what ECS is doing instead of
// waiting blind on CloudFormation, which reports a failing service only when the circuit breaker trips (or after
// hours, without one). Every ~10 s: the service's deployments, the tasks stopped since the deploy began (with
// DescribeTasks' reasons and exit codes), target health, and the log tail of each newly stopped task. It reports
// each change as a `rollout` event and returns the verdict once cli/domain/rollout.ts says the rollout is failing.
import type { Clock } from '../ports/clock.ts';
import type { RolloutReadPorts } from '../ports/deploy.ts';
import { logStreamOf, type ServiceRef, type TaskView } from '../ports/ecosystem.ts';
import { escapeInvisible } from '../domain/shown.ts';
import { AbortError } from '../core/errors.ts';
import type { StepIO } from '../core/runner.ts';
import { diagnose, diagnosisHints, diagnosisMessage, reasonOf, type Diagnosis, type RolloutReport, type StoppedTask, type TargetFacts } from '../domain/rollout.ts';

/** ECS's own event cadence is seconds; a task that fails to start takes a minute or so. 10 s keeps calls few. */
export const ROLLOUT_POLL_MS = 10_000;
/** Log lines kept per stopped task: enough for a traceback's last frames. */
export const LOG_TAIL_LINES = 20;
/** Polls that fail in a row before the watcher gives up (the stack wait goes on without it). */
const MAX_ERRORS = 3;

export interface RolloutWatch {
  ref: ServiceRef;
  targetGroup: string;
  logGroup: string;
  /** Tasks stopped before this moment (ms) belong to earlier deploys. */
  since: number;
  pollMs?: number;
  /** Aborted when the stack wait ends (or Ctrl-C): the watcher returns undefined. */
  signal: AbortSignal;
  onReport(r: RolloutReport): void;
  onWarn(message: string): void;
}

export interface RolloutVerdict {
  diagnosis: Diagnosis;
  report: RolloutReport;
  /** Per stopped task (id), the last lines of its log stream. */
  logTails: { task: string; lines: string[] }[];
}

const stamp = (t: TaskView) => (t.stoppedAt ?? t.createdAt ?? t.startedAt)?.getTime();

/**
 * Watches until the rollout is clearly failing (returns the verdict) or the signal aborts (returns undefined).
 * Tasks that carry no timestamps (moto's) count as new when the first look did not see them.
 */
export async function watchRollout(ports: RolloutReadPorts, clock: Clock, w: RolloutWatch): Promise<RolloutVerdict | undefined> {
  const serviceGroup = `service:${w.ref.service}`;
  // ListTasks' serviceName filter is ignored by moto (its list_tasks says so: it cannot filter until it launches
  // tasks for services), so a task's group must say it is the service's; AWS gives every service task that group.
  const ours = (t: TaskView) => t.group === undefined || t.group === serviceGroup;
  const seenBefore = new Set<string>();
  const tails = new Map<string, string[]>();
  let last = '';
  let errors = 0;
  try {
    for (const t of await ports.ecs.tasks(w.ref, 'stopped', { signal: w.signal })) if (stamp(t) === undefined || stamp(t)! < w.since) seenBefore.add(t.arn);
  } catch {
    // The first look only sorts out old tasks; the polls report a lasting failure.
  }
  for (;;) {
    await clock.sleep(w.pollMs ?? ROLLOUT_POLL_MS, w.signal).catch(() => undefined);
    if (w.signal.aborted) return undefined;
    try {
      const verdict = await poll();
      errors = 0;
      if (verdict) return verdict;
    } catch (err) {
      if (w.signal.aborted) return undefined;
      errors += 1;
      if (errors >= MAX_ERRORS) {
        w.onWarn(`Stopped watching the rollout of ${w.ref.service} after ${MAX_ERRORS} failed looks (${err instanceof Error ? err.message : String(err)}); waiting on CloudFormation alone.`);
        return undefined;
      }
    }
  }

  async function poll(): Promise<RolloutVerdict | undefined> {
    const opts = { signal: w.signal };
    const [service, stopped, targets] = await Promise.all([ports.ecs.service(w.ref, opts), ports.ecs.tasks(w.ref, 'stopped', opts), ports.targets.targets(w.targetGroup, opts)]);
    // No service yet (the stack has not made it), or an emulator that made none: nothing true to say.
    if (!service) return undefined;
    const fresh = stopped.filter((t) => ours(t) && !seenBefore.has(t.arn) && (stamp(t) ?? w.since) >= w.since);
    for (const t of fresh) {
      if (tails.has(t.id)) continue;
      const lines = await ports.logs.tail(w.logGroup, logStreamOf(t.id), LOG_TAIL_LINES, opts).catch(() => []);
      // The app's own output: its escape sequences are shown escaped, never played on the terminal.
      tails.set(t.id, lines.flatMap((l) => l.message.replace(/\n+$/, '').split('\n')).map(escapeInvisible));
    }
    const facts: StoppedTask[] = fresh.map((t) => ({
      task: t.id,
      ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
      ...(t.stopCode ? { stopCode: t.stopCode } : {}),
      containers: t.containers.map((c) => ({ name: c.name, ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}), ...(c.reason ? { reason: c.reason } : {}) })),
    }));
    const health: TargetFacts[] = (targets ?? []).map((t) => ({ id: t.id, state: t.state, ...(t.reason ? { reason: t.reason } : {}), ...(t.description ? { description: t.description } : {}) }));
    const report: RolloutReport = {
      service: service.name,
      running: service.running,
      desired: service.desired,
      deployments: service.deployments.map((d) => ({ status: d.status, ...(d.rolloutState ? { rolloutState: d.rolloutState } : {}), running: d.running, desired: d.desired, failed: d.failedTasks })),
      stopped: facts.map((f) => {
        const r = reasonOf(f);
        return { task: f.task, reason: r.reason, ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}) };
      }),
      targets: health.map((t) => ({ id: t.id, state: t.state, ...(t.reason ? { reason: t.reason } : {}) })),
    };
    // One event per change, not one per poll: a quiet rollout stays quiet.
    const key = JSON.stringify(report);
    if (key !== last) w.onReport(report);
    last = key;
    const diagnosis = diagnose(facts, health);
    if (!diagnosis.failing) return undefined;
    return { diagnosis, report, logTails: facts.map((f) => ({ task: f.task, lines: tails.get(f.task) ?? [] })).filter((t) => t.lines.length) };
  }
}

/**
 * The error a failing rollout ends with, the same for a deploy and a rehearsal: the grouped reasons, one hint per
 * kind, what was done about it (`action`, also said as a warning), and each stopped task's log tail as log lines
 * before the error, so the error itself stays short.
 */
export function rolloutError(v: RolloutVerdict, io: Pick<StepIO, 'warn' | 'log'>, action: string, architecture?: string): AbortError {
  io.warn(action);
  for (const t of v.logTails) {
    io.log('stderr', `last log lines of stopped task ${t.task}:`);
    for (const line of t.lines) io.log('stderr', `  ${line}`);
  }
  const tails = v.logTails.length ? ` The last log lines of ${v.logTails.length === 1 ? 'the stopped task are' : 'each stopped task are'} above.` : '';
  return new AbortError('ROLLOUT_FAILED', diagnosisMessage(v.report.service, v.diagnosis), {
    hint: `${diagnosisHints(v.diagnosis, architecture ? { architecture } : {}).join(' ')} ${action}${tails}`,
  });
}
