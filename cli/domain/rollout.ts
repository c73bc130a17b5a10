// The rollout diagnosis, pure: given the tasks of the service that stopped since a deploy began (and the target
// health the load balancer reports), group them by reason, name the reasons we know, decide whether the rollout is
// clearly failing, and say what to check for each. The watcher (cli/steps/rollout-watch.ts) feeds it what ECS
// says; the deploy stops waiting and cancels the update when `failing` is true.

import { escapeInvisible } from './shown.ts';

/** One stopped task, as the watcher hands it over: ECS's stoppedReason and its containers' exit codes and reasons. */
export interface StoppedTask {
  /** The task id (the last part of its ARN). */
  task: string;
  stoppedReason?: string;
  stopCode?: string;
  containers: { name: string; exitCode?: number; reason?: string }[];
}

export interface TargetFacts {
  id: string;
  state: string;
  reason?: string;
  description?: string;
}

export type ReasonKind = 'image-pull' | 'resource-init' | 'exec-format' | 'exit-code' | 'health-check' | 'other';

export interface ReasonGroup {
  kind: ReasonKind;
  /** The reason in words, the same for every task of the group (task ids and digests folded away). */
  reason: string;
  /** The essential container's exit code, when the group is one of exit codes. */
  exitCode?: number;
  tasks: string[];
  /** Retrying cannot fix it (the image, the setup or the architecture is wrong): one task is enough to stop. */
  neverHeals: boolean;
}

export interface Diagnosis {
  /** Two or more tasks stopped for the same reason, or one for a reason that never heals. */
  failing: boolean;
  /** Largest first. */
  groups: ReasonGroup[];
  /** Targets the load balancer reports unhealthy, with their reason (Target.ResponseCodeMismatch, …). */
  unhealthy: TargetFacts[];
}

/** What the `rollout` event carries: small, one line in the plain printer and in the wizard's pane. */
export interface RolloutReport {
  service: string;
  running: number;
  desired: number;
  /** The service's deployments: PRIMARY/ACTIVE, ECS's rolloutState when it gives one, and failed task counts. */
  deployments: { status: string; rolloutState?: string; running: number; desired: number; failed: number }[];
  /** The tasks stopped since the deploy began, each with its grouped reason and the exit code, if any. */
  stopped: { task: string; reason: string; exitCode?: number }[];
  targets: { id: string; state: string; reason?: string }[];
}

/**
 * A deploy's (and a rehearsal's) `rollout` event: what the watcher saw of the service while the infra stack deployed
 * it (cli/steps/rollout-watch.ts), one event each time it changed.
 */
export type RolloutEvent = { type: 'rollout'; step: string } & RolloutReport;

// The stopped reasons ECS gives for a task that cannot start ("Viewing Amazon ECS stopped task errors",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html, and the pages it links):
// CannotPullContainerError and ResourceInitializationError come from the task's setup, before the app runs, so a
// new task of the same definition fails the same way.
const KINDS: { kind: ReasonKind; test: RegExp; neverHeals: boolean }[] = [
  { kind: 'image-pull', test: /CannotPullContainerError|pull image manifest|ImageNotFound/i, neverHeals: true },
  { kind: 'resource-init', test: /ResourceInitializationError/i, neverHeals: true },
  { kind: 'exec-format', test: /exec format error/i, neverHeals: true },
  // "Task failed ELB health checks in (target-group …)" and "Task failed container health checks".
  { kind: 'health-check', test: /health ?checks?|Target\.ResponseCodeMismatch|Target\.Timeout|Target\.FailedHealthChecks/i, neverHeals: false },
];

/**
 * Folds what differs between tasks failing the same way (ids, digests, retry counts, ARNs) so they group. Reasons
 * quote image names and app output: their control and invisible characters are escaped before any terminal sees them.
 */
export function normalizeReason(reason: string): string {
  return escapeInvisible(reason)
    .replace(/arn:aws[\w-]*:[^\s)]+/g, '<arn>')
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:…')
    .replace(/\b[0-9a-f]{32}\b/g, '<task>')
    .replace(/retried \d+ time\(s\)/g, 'retried')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first container that exited non-zero or carries a reason: the essential one that failed the task, usually. */
function failedContainer(t: StoppedTask): StoppedTask['containers'][number] | undefined {
  return t.containers.find((c) => c.reason) ?? t.containers.find((c) => c.exitCode !== undefined && c.exitCode !== 0);
}

/** One stopped task's reason, as grouped: ECS's stoppedReason, then the failing container's own reason or exit code. */
export function reasonOf(t: StoppedTask): { kind: ReasonKind; reason: string; exitCode?: number; neverHeals: boolean } {
  const c = failedContainer(t);
  const parts = [t.stoppedReason ?? t.stopCode ?? 'stopped (no reason given)'];
  if (c?.reason && c.reason !== t.stoppedReason) parts.push(`${c.name}: ${c.reason}`);
  if (c?.exitCode !== undefined && c.exitCode !== 0) parts.push(`${c.name} exit code ${c.exitCode}`);
  const reason = normalizeReason(parts.join('; '));
  const known = KINDS.find((k) => k.test.test(reason));
  const exitCode = c?.exitCode !== undefined && c.exitCode !== 0 ? c.exitCode : undefined;
  const kind: ReasonKind = known?.kind ?? (exitCode !== undefined ? 'exit-code' : 'other');
  return { kind, reason, ...(exitCode !== undefined ? { exitCode } : {}), neverHeals: known?.neverHeals ?? false };
}

const UNHEALTHY = new Set(['unhealthy']);

export function diagnose(stopped: StoppedTask[], targets: TargetFacts[] = []): Diagnosis {
  const byReason = new Map<string, ReasonGroup>();
  for (const t of stopped) {
    const r = reasonOf(t);
    const g = byReason.get(r.reason);
    if (g) {
      if (!g.tasks.includes(t.task)) g.tasks.push(t.task);
    } else {
      byReason.set(r.reason, { kind: r.kind, reason: r.reason, ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}), tasks: [t.task], neverHeals: r.neverHeals });
    }
  }
  const groups = [...byReason.values()].sort((a, b) => b.tasks.length - a.tasks.length || a.reason.localeCompare(b.reason));
  const failing = groups.some((g) => g.tasks.length >= 2 || g.neverHeals);
  return { failing, groups, unhealthy: targets.filter((t) => UNHEALTHY.has(t.state)) };
}

/** What to check, per known reason. */
export function hintFor(g: Pick<ReasonGroup, 'kind' | 'exitCode'>, ctx: { architecture?: string } = {}): string {
  switch (g.kind) {
    case 'image-pull':
      return 'ECS could not pull the image: check that the image and its tag or digest exist in the repository, that it holds the tasks\' architecture' +
        `${ctx.architecture ? ` (${ctx.architecture})` : ''}, that the task execution role may pull from ECR, and that the tasks reach ECR (a NAT gateway, or a public IP in a public subnet).`;
    case 'resource-init':
      return 'The task could not be set up before its container started: check the secrets it reads and the execution role\'s access to them, that the log group exists, and the network path to those services (NAT gateway or VPC endpoints).';
    case 'exec-format':
      return `The image was built for another CPU architecture than the tasks run on${ctx.architecture ? ` (${ctx.architecture})` : ''}: deploy with --arch matching the image, or rebuild it for the tasks' architecture.`;
    case 'exit-code':
      return `The app exited with code ${g.exitCode ?? '?'}: the log tail below says why.`;
    case 'health-check':
      return 'The load balancer\'s health check failed: the app must answer 200 to GET /health over HTTPS on port 5000 within 5 s, after its 60 s grace period.';
    default:
      return 'See the reason above; `aws ecs describe-tasks` on the stopped task shows its containers.';
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The error's message: every group, largest first. */
export function diagnosisMessage(service: string, d: Diagnosis): string {
  const groups = d.groups.map((g) => `${plural(g.tasks.length, 'task')} stopped: ${g.reason}`);
  const targets = d.unhealthy.length ? [`${plural(d.unhealthy.length, 'target')} unhealthy: ${[...new Set(d.unhealthy.map((t) => t.reason ?? t.description ?? t.state))].join(', ')}`] : [];
  return `The rollout of service ${service} is failing: ${[...groups, ...targets].join('; ')}.`;
}

/** One hint per kind of reason, in the order of the groups. */
export function diagnosisHints(d: Diagnosis, ctx: { architecture?: string } = {}): string[] {
  const seen = new Set<string>();
  const hints: string[] = [];
  for (const g of d.groups) {
    const h = hintFor(g, ctx);
    if (!seen.has(h)) hints.push(h);
    seen.add(h);
  }
  if (d.unhealthy.length && !d.groups.some((g) => g.kind === 'health-check')) {
    const h = hintFor({ kind: 'health-check' });
    if (!seen.has(h)) hints.push(h);
  }
  return hints;
}

/** The rollout event as one line: `service x: 1/2 running, deployment PRIMARY IN_PROGRESS (1 failed); 2 stopped: …`. */
export function rolloutLine(r: RolloutReport): string {
  const deps = r.deployments.map((d) => `${d.status}${d.rolloutState ? ` ${d.rolloutState}` : ''} ${d.running}/${d.desired}${d.failed ? ` (${d.failed} failed)` : ''}`);
  const reasons = new Map<string, number>();
  for (const s of r.stopped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  const stopped = [...reasons].map(([reason, n]) => `${n}× ${reason}`);
  const unhealthy = r.targets.filter((t) => t.state !== 'healthy');
  return [
    `rollout of ${r.service}: ${r.running}/${r.desired} running`,
    ...(deps.length ? [`deployments ${deps.join(', ')}`] : []),
    ...(stopped.length ? [`stopped: ${stopped.join('; ')}`] : []),
    ...(unhealthy.length ? [`targets: ${unhealthy.map((t) => `${t.id} ${t.state}${t.reason ? ` (${t.reason})` : ''}`).join(', ')}`] : []),
  ].join('; ');
}
