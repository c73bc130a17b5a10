// Tells the emulator about the container the rehearsal runs, as the ECS agent tells ECS about a task: RunTask on the
// emulated service (its task definition, group `service:<name>`, startedBy its deployment id, FARGATE and its
// network configuration), SubmitTaskStateChange to RUNNING with the image digest and the container id, and, when the
// container exits, StopTask with ECS's own reason and the exit code. Its stdout and stderr are shipped as the awslogs
// driver ships them: PutLogEvents into the task definition's awslogs-group, stream
// `<awslogs-stream-prefix>/<container name>/<task id>`
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html).
import { spawn, type ChildProcess } from 'node:child_process';
import { boundedCalls } from '../aws/config.ts';
import { EMULATOR_REGION, FAKE_CREDENTIALS } from './fake-aws.ts';
import type { ProgressIO, ReportedTask, TaskReportRequest } from '../../ports/rehearsal.ts';

/** ECS's stoppedReason when the essential container stops on its own
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html: "Essential container in task exited"). */
export const ESSENTIAL_EXITED = 'Essential container in task exited';
/** How often buffered output is shipped (the awslogs driver ships in near real time; a second is close enough). */
const FLUSH_MS = 1_000;
/** PutLogEvents takes at most 10,000 events per call (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html). */
const MAX_BATCH = 10_000;
/** The most lines held between two flushes; beyond it the oldest are dropped and counted (bounded memory). */
const MAX_BUFFER = 50_000;

/** An AWS error's message; for an emulator's internal error (an HTML page the SDK cannot parse), its HTTP status. */
const message = (err: unknown) => {
  const status = (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return `HTTP ${status}, an internal error of the emulator`;
  return err instanceof Error ? err.message : String(err);
};

export async function reportTask(req: TaskReportRequest, io: ProgressIO & { warn(m: string): void }, docker = 'docker'): Promise<ReportedTask | { unreported: string }> {
  const [ecsSdk, logsSdk] = await Promise.all([import('@aws-sdk/client-ecs'), import('@aws-sdk/client-cloudwatch-logs')]);
  // Explicit fake credentials and region: these clients can only ever talk to the emulator.
  const config = { endpoint: req.endpoint, region: EMULATOR_REGION, credentials: FAKE_CREDENTIALS, ...boundedCalls() };
  const ecs = new ecsSdk.ECSClient(config);
  const logs = new logsSdk.CloudWatchLogsClient(config);
  const close = () => {
    ecs.destroy();
    logs.destroy();
  };
  const cluster = req.cluster;
  let taskArn: string;
  let logStream: { group: string; stream: string } | undefined;
  try {
    const svc = (await ecs.send(new ecsSdk.DescribeServicesCommand({ cluster, services: [req.service] }))).services?.[0];
    if (!svc?.taskDefinition) {
      close();
      return { unreported: `the emulator has no service ${req.service} in cluster ${cluster}` };
    }
    const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
    const task = (
      await ecs.send(
        new ecsSdk.RunTaskCommand({
          cluster,
          taskDefinition: svc.taskDefinition,
          group: `service:${req.service}`,
          ...(primary?.id ? { startedBy: primary.id } : {}),
          launchType: 'FARGATE',
          ...(svc.networkConfiguration ? { networkConfiguration: svc.networkConfiguration } : {}),
        }),
      )
    ).tasks?.[0];
    if (!task?.taskArn) throw new Error('RunTask returned no task');
    taskArn = task.taskArn;
    const def = (await ecs.send(new ecsSdk.DescribeTaskDefinitionCommand({ taskDefinition: svc.taskDefinition }))).taskDefinition;
    const options = def?.containerDefinitions?.find((c) => c.name === req.containerName)?.logConfiguration;
    const group = options?.logDriver === 'awslogs' ? options.options?.['awslogs-group'] : undefined;
    const prefix = options?.options?.['awslogs-stream-prefix'];
    if (group && prefix) logStream = { group, stream: `${prefix}/${req.containerName}/${taskArn.slice(taskArn.lastIndexOf('/') + 1)}` };
  } catch (err) {
    close();
    return { unreported: `the emulator did not take the task (RunTask: ${message(err)})` };
  }
  const taskId = taskArn.slice(taskArn.lastIndexOf('/') + 1);
  let countsKept = true;
  try {
    await stateChange(ecs, ecsSdk, cluster, taskArn, 'RUNNING', { containerName: req.containerName, runtimeId: req.containerId, ...(req.imageDigest ? { imageDigest: req.imageDigest } : {}), status: 'RUNNING' });
  } catch (err) {
    // Plain moto has no SubmitTaskStateChange: its task is listed, but its state and the service's counts are moto's.
    countsKept = false;
    io.warn(`The emulator keeps no task counts (SubmitTaskStateChange: ${message(err)}): task ${taskId} is listed, its state is the emulator's own. The launcher (localstack/moto_launcher.py) keeps them.`);
  }
  const shipper = logStream ? await shipLogs(logs, logsSdk, logStream, req.containerId, docker, io) : undefined;
  return tracked({ ecs, ecsSdk, close, cluster, taskArn, containerName: req.containerName, containerId: req.containerId, ...(logStream ? { logStream } : {}), countsKept, shipper, io });
}

/**
 * A task a kept rehearsal left running: the emulator already has it, so no RunTask; its output is shipped again from
 * now on (what it printed while no hello-deploy ran is not: `docker logs --since` starts here).
 */
export async function adoptTask(endpoint: string, cluster: string, saved: { taskArn: string; containerId: string; containerName: string; logStream?: { group: string; stream: string } }, io: ProgressIO & { warn(m: string): void }, docker = 'docker'): Promise<ReportedTask> {
  const [ecsSdk, logsSdk] = await Promise.all([import('@aws-sdk/client-ecs'), import('@aws-sdk/client-cloudwatch-logs')]);
  const config = { endpoint, region: EMULATOR_REGION, credentials: FAKE_CREDENTIALS, ...boundedCalls() };
  const ecs = new ecsSdk.ECSClient(config);
  const logs = new logsSdk.CloudWatchLogsClient(config);
  const close = () => {
    ecs.destroy();
    logs.destroy();
  };
  const shipper = saved.logStream ? await shipLogs(logs, logsSdk, saved.logStream, saved.containerId, docker, io, new Date().toISOString()) : undefined;
  return tracked({ ecs, ecsSdk, close, cluster, taskArn: saved.taskArn, containerName: saved.containerName, containerId: saved.containerId, ...(saved.logStream ? { logStream: saved.logStream } : {}), countsKept: true, shipper, io });
}

type EcsSdk = typeof import('@aws-sdk/client-ecs');

function stateChange(ecs: import('@aws-sdk/client-ecs').ECSClient, sdk: EcsSdk, cluster: string, taskArn: string, status: string, container: Record<string, unknown>) {
  return ecs.send(new sdk.SubmitTaskStateChangeCommand({ cluster, task: taskArn, status, containers: [container as never] }));
}

function tracked(t: {
  ecs: import('@aws-sdk/client-ecs').ECSClient;
  ecsSdk: EcsSdk;
  close(): void;
  cluster: string;
  taskArn: string;
  containerName: string;
  containerId: string;
  logStream?: { group: string; stream: string };
  countsKept: boolean;
  shipper: Shipper | undefined;
  io: { warn(m: string): void };
}): ReportedTask {
  const taskId = t.taskArn.slice(t.taskArn.lastIndexOf('/') + 1);
  let done = false;
  const finish = async () => {
    if (done) return;
    done = true;
    await t.shipper?.stop();
    t.close();
  };
  const stopped = async (reason: string, exitCode: number | undefined) => {
    // The last lines first: `docker logs -f` ends once the container has exited.
    await t.shipper?.drain();
    try {
      await t.ecs.send(new t.ecsSdk.StopTaskCommand({ cluster: t.cluster, task: t.taskArn, reason }));
      if (t.countsKept) await stateChange(t.ecs, t.ecsSdk, t.cluster, t.taskArn, 'STOPPED', { containerName: t.containerName, runtimeId: t.containerId, status: 'STOPPED', ...(exitCode !== undefined ? { exitCode } : {}) });
    } catch (err) {
      t.io.warn(`Could not report task ${taskId} stopped to the emulator: ${message(err)}`);
    }
    await finish();
  };
  return {
    what: `task ${taskId} in the emulator${t.shipper ? ' (log shipping)' : ''}`,
    taskId,
    taskArn: t.taskArn,
    ...(t.logStream ? { logStream: t.logStream } : {}),
    countsKept: t.countsKept,
    stopHint: '(stops with the emulator)',
    exited: (exitCode) => stopped(ESSENTIAL_EXITED, exitCode),
    stoppedBy: (reason, exitCode) => stopped(reason, exitCode),
    stop: finish,
    killNow: () => t.shipper?.kill(),
    // --keep: the emulator keeps the task; shipping stops with hello-deploy (it is this process that ships). The
    // next rehearsal of the ecosystem adopts the task and ships again (adoptTask).
    release: () => {
      void finish();
    },
  };
}

interface Shipper {
  drain(): Promise<void>;
  stop(): Promise<void>;
  kill(): void;
}

async function shipLogs(
  logs: import('@aws-sdk/client-cloudwatch-logs').CloudWatchLogsClient,
  sdk: typeof import('@aws-sdk/client-cloudwatch-logs'),
  where: { group: string; stream: string },
  containerId: string,
  docker: string,
  io: ProgressIO & { warn(m: string): void },
  since?: string,
): Promise<Shipper | undefined> {
  try {
    await logs.send(new sdk.CreateLogStreamCommand({ logGroupName: where.group, logStreamName: where.stream }));
  } catch (err) {
    if (!/ResourceAlreadyExists/.test(String((err as { name?: string }).name))) {
      io.warn(`The container's output is not shipped: CreateLogStream ${where.group} ${where.stream}: ${message(err)}`);
      return undefined;
    }
  }
  const buffer: Array<{ timestamp: number; nanos: number; message: string }> = [];
  let dropped = 0;
  // One partial line per pipe: a chunk of stderr must never be glued onto half a line of stdout.
  const partial = { stdout: '', stderr: '' };
  // --timestamps: each line carries the time docker received it, as awslogs stamps each event.
  const child: ChildProcess = spawn(docker, ['logs', '--follow', '--timestamps', ...(since ? ['--since', since] : []), containerId], { stdio: ['ignore', 'pipe', 'pipe'] });
  const take = (pipe: keyof typeof partial) => (chunk: Buffer) => {
    const lines = (partial[pipe] + chunk.toString('utf8')).split('\n');
    partial[pipe] = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^(\S+)\s(.*)$/.exec(line);
      const at = m ? Date.parse(m[1]!) : NaN;
      // CloudWatch keeps milliseconds; docker stamps nanoseconds. The nanoseconds order two lines of one
      // millisecond that arrived on different pipes.
      const nanos = m && !Number.isNaN(at) ? Number((/\.(\d+)/.exec(m[1]!)?.[1] ?? '').padEnd(9, '0').slice(0, 9)) : 0;
      buffer.push({ timestamp: Number.isNaN(at) ? Date.now() : at, nanos, message: m && !Number.isNaN(at) ? m[2]! : line });
      if (buffer.length > MAX_BUFFER) {
        buffer.shift();
        dropped++;
      }
    }
  };
  child.stdout?.on('data', take('stdout'));
  child.stderr?.on('data', take('stderr'));
  const ended = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let flushing = Promise.resolve();
  const flush = () => {
    flushing = flushing.then(async () => {
      while (buffer.length) {
        const batch = buffer
          .splice(0, MAX_BATCH)
          .sort((a, b) => a.timestamp - b.timestamp || a.nanos - b.nanos)
          .map(({ timestamp, message: text }) => ({ timestamp, message: text }));
        try {
          await logs.send(new sdk.PutLogEventsCommand({ logGroupName: where.group, logStreamName: where.stream, logEvents: batch }));
        } catch (err) {
          io.warn(`PutLogEvents to ${where.stream} failed (${batch.length} line(s) lost): ${message(err)}`);
        }
      }
    });
    return flushing;
  };
  const timer = setInterval(() => void flush(), FLUSH_MS);
  timer.unref();
  const wrapUp = async () => {
    clearInterval(timer);
    for (const pipe of ['stdout', 'stderr'] as const) {
      if (partial[pipe]) buffer.push({ timestamp: Date.now(), nanos: 0, message: partial[pipe] });
      partial[pipe] = '';
    }
    await flush();
    if (dropped) io.warn(`${dropped} line(s) of output were dropped before shipping (more than ${MAX_BUFFER} between two flushes).`);
  };
  return {
    async drain() {
      // Bounded: docker logs ends when the container has exited; give it five seconds.
      await Promise.race([ended, new Promise((r) => setTimeout(r, 5_000).unref())]);
      await wrapUp();
    },
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([ended, new Promise((r) => setTimeout(r, 5_000).unref())]);
      await wrapUp();
    },
    kill: () => {
      clearInterval(timer);
      child.kill('SIGKILL');
    },
  };
}
