// logs' service: which log group and streams to read (the ecosystem's group; one task's stream for --task; the
// most recently stopped task's for --previous), the lines as `log-line` events, and one closing `result`.
import { AbortError, InterruptedError, toHelloDeployError, type HelloDeployError } from '../core/errors.ts';
import { resourceNames } from '../domain/names.ts';
import { shown } from '../domain/shown.ts';
import type { Clock } from '../ports/clock.ts';
import { logStreamOf, type EcsReadPort, type LogEventView, type LogsPort, type TaskView } from '../ports/ecosystem.ts';
import type { LogsOptions } from './options.ts';
import { readLogs } from './read.ts';
import type { LogsEvent, LogsFindings, PreviousTask } from './result.ts';

export interface LogsPorts {
  logs: LogsPort;
  /** Only for --previous: the service's stopped tasks. */
  ecs: Pick<EcsReadPort, 'tasks'>;
}

export interface LogsContext {
  readonly options: LogsOptions;
  readonly ports: LogsPorts;
  readonly clock: Clock;
}

/** The task a stream belongs to: the last part of `<prefix>/<container>/<task id>`. */
export const taskOfStream = (stream: string) => stream.slice(stream.lastIndexOf('/') + 1);

function previousOf(t: TaskView): PreviousTask {
  const exitCode = t.containers.find((c) => c.exitCode !== undefined)?.exitCode;
  return {
    id: t.id,
    ...(t.stoppedAt ? { stoppedAt: t.stoppedAt.toISOString() } : {}),
    ...(t.stopCode ? { stopCode: t.stopCode } : {}),
    ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
  };
}

export async function runLogs(ctx: LogsContext, emit: (e: LogsEvent) => void, signal: AbortSignal): Promise<{ ok: boolean; error?: HelloDeployError }> {
  const { options, ports, clock } = ctx;
  const names = resourceNames(options.ecosystem);
  const findings: Partial<LogsFindings> = { ecosystem: options.ecosystem, region: options.region, logGroup: names.logGroup, follow: options.follow, ...(options.task ? { task: options.task } : {}) };
  try {
    let startMs = clock.now() - options.sinceMs;
    let streamPrefix = logStreamOf(options.task ?? '');
    if (options.previous) {
      const [task] = await ports.ecs.tasks({ cluster: names.cluster, service: names.service }, 'stopped', { limit: 1, signal });
      if (!task) {
        // "Currently, stopped tasks appear in the returned results for at least one hour"
        // (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html); after that, only the log remains.
        throw new AbortError('NO_STOPPED_TASK', `Service ${names.service} in ${options.region} has no stopped task to read the logs of.`, {
          hint: 'ECS reports a stopped task for about an hour: an older crash is still in the log group, with every task\'s lines (`hello-deploy logs --since 1d`). Or check --ecosystem and --region.',
        });
      }
      const previous = previousOf(task);
      Object.assign(findings, { task: task.id, previous });
      streamPrefix = logStreamOf(task.id);
      // The whole life of the task, however long ago it started: its last lines explain the stop.
      const born = (task.createdAt ?? task.startedAt)?.getTime();
      if (born !== undefined) startMs = Math.min(startMs, born);
      emit({ type: 'info', message: `The most recently stopped task: ${task.id}${previous.stoppedAt ? `, stopped ${previous.stoppedAt}` : ''}${previous.stoppedReason ? `: ${shown(previous.stoppedReason)}` : ''}${previous.exitCode !== undefined ? ` (exit code ${previous.exitCode})` : ''}` });
    }
    if (options.follow) emit({ type: 'info', message: `Following ${names.logGroup}; Ctrl-C to stop.` });
    const line = (e: LogEventView) => emit({ type: 'log-line', task: taskOfStream(e.stream), stream: e.stream, at: e.at.toISOString(), message: e.message });
    const read = await readLogs(ports.logs, clock, { group: names.logGroup, startMs, streamPrefix, follow: options.follow }, line, signal, (message) => emit({ type: 'warn', message }));
    if (!read.found) {
      throw new AbortError('LOGS_NOT_FOUND', `No log group ${names.logGroup} in ${options.region}: ecosystem ${options.ecosystem} has not been deployed there.`, {
        hint: 'Deploy it first (`hello-deploy deploy`), or check --ecosystem and --region (and --profile: the account).',
      });
    }
    emit({ type: 'result', ok: true, ...(findings as LogsFindings), count: read.count, from: new Date(read.fromMs).toISOString(), to: new Date(read.toMs).toISOString(), ...(read.truncated ? { truncated: true } : {}) });
    return { ok: true };
  } catch (e) {
    const error = signal.aborted ? new InterruptedError('logs stopped before it had read the whole window.') : toHelloDeployError(e);
    emit({ type: 'result', ok: false, error: error.toJSON(), ...findings });
    return { ok: false, error };
  }
}
