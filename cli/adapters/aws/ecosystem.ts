// EcosystemReadPorts over the AWS SDK: ECS (the service, its tasks), ELBv2 (target health), CloudWatch (the alarm),
// SNS (the topic's subscriptions) and CloudWatch Logs. One client per service, made on first use and kept, since
// status makes many calls at once and `logs --follow` polls: close() ends them all. Every call is bounded by
// clientConfig's timeouts and mapped by mapAwsError; a missing resource is an answer (undefined), not a failure.
import type { AlarmView, ContainerView, EcosystemReadPorts, LogEventView, ServiceView, TaskView } from '../../ports/ecosystem.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { mapAwsError, type AwsService } from './errors.ts';

type Ecs = typeof import('@aws-sdk/client-ecs');
type Elb = typeof import('@aws-sdk/client-elastic-load-balancing-v2');
type Cw = typeof import('@aws-sdk/client-cloudwatch');
type Sns = typeof import('@aws-sdk/client-sns');
type Logs = typeof import('@aws-sdk/client-cloudwatch-logs');

interface Sender {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
}

const named = (err: unknown, ...names: string[]) => names.includes(String((err as { name?: unknown }).name ?? ''));
const idOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
/** The most tasks DescribeTasks takes at once (ECS API reference, DescribeTasks: "up to 100"). */
const DESCRIBE_BATCH = 100;

export function createEcosystemReads(aws: AwsOptions): EcosystemReadPorts & { close(): void } {
  const clients = new Map<string, Promise<{ mod: unknown; client: Sender }>>();
  function client<M>(key: string, load: () => Promise<M>, make: (mod: M, config: unknown) => Sender): Promise<{ mod: M; client: Sender }> {
    let c = clients.get(key);
    if (!c) {
      c = (async () => {
        const mod = await load();
        return { mod, client: make(mod, await clientConfig(aws)) };
      })();
      clients.set(key, c);
    }
    return c as Promise<{ mod: M; client: Sender }>;
  }
  const ecs = () => client<Ecs>('ecs', () => import('@aws-sdk/client-ecs'), (m, c) => new m.ECSClient(c as never));
  const elb = () => client<Elb>('elb', () => import('@aws-sdk/client-elastic-load-balancing-v2'), (m, c) => new m.ElasticLoadBalancingV2Client(c as never));
  const cw = () => client<Cw>('cw', () => import('@aws-sdk/client-cloudwatch'), (m, c) => new m.CloudWatchClient(c as never));
  const sns = () => client<Sns>('sns', () => import('@aws-sdk/client-sns'), (m, c) => new m.SNSClient(c as never));
  const logs = () => client<Logs>('logs', () => import('@aws-sdk/client-cloudwatch-logs'), (m, c) => new m.CloudWatchLogsClient(c as never));

  /** One call, mapped to our errors; `absent` names the AWS errors that mean "no such thing" (→ undefined). */
  async function call<T>(service: AwsService, operation: string, subject: string, f: () => Promise<T>, absent: string[] = []): Promise<T | undefined> {
    try {
      return await f();
    } catch (err) {
      if (absent.length && named(err, ...absent)) return undefined;
      throw mapAwsError(err, { service, operation, subject, ...(aws.endpointUrl ? { endpoint: aws.endpointUrl } : {}) });
    }
  }

  const taskView = (t: import('@aws-sdk/client-ecs').Task): TaskView => ({
    arn: t.taskArn ?? '',
    id: idOf(t.taskArn ?? ''),
    lastStatus: t.lastStatus ?? 'UNKNOWN',
    desiredStatus: t.desiredStatus ?? 'UNKNOWN',
    taskDefinition: t.taskDefinitionArn ?? '',
    ...(t.stopCode ? { stopCode: t.stopCode } : {}),
    ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
    ...(t.startedAt ? { startedAt: t.startedAt } : {}),
    ...(t.stoppedAt ? { stoppedAt: t.stoppedAt } : {}),
    ...(t.createdAt ? { createdAt: t.createdAt } : {}),
    containers: (t.containers ?? []).map(
      (c): ContainerView => ({
        name: c.name ?? '',
        ...(c.image ? { image: c.image } : {}),
        ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}),
        ...(c.lastStatus ? { lastStatus: c.lastStatus } : {}),
        ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
        ...(c.reason ? { reason: c.reason } : {}),
      }),
    ),
  });
  const newest = (t: TaskView) => (t.stoppedAt ?? t.startedAt ?? t.createdAt)?.getTime() ?? 0;

  async function describeTasks(cluster: string, tasks: string[], signal?: AbortSignal): Promise<TaskView[]> {
    if (!tasks.length) return [];
    const { mod, client: c } = await ecs();
    const out: TaskView[] = [];
    for (let i = 0; i < tasks.length; i += DESCRIBE_BATCH) {
      const page = (await call('ECS', 'DescribeTasks', `cluster ${cluster}`, () =>
        c.send(new mod.DescribeTasksCommand({ cluster, tasks: tasks.slice(i, i + DESCRIBE_BATCH) }), { ...(signal ? { abortSignal: signal } : {}) }),
      )) as import('@aws-sdk/client-ecs').DescribeTasksCommandOutput;
      out.push(...(page.tasks ?? []).map(taskView));
    }
    return out.sort((a, b) => newest(b) - newest(a));
  }

  return {
    ecs: {
      async service(ref, opts = {}) {
        const { mod, client: c } = await ecs();
        const out = (await call('ECS', 'DescribeServices', `service ${ref.service}`, () => c.send(new mod.DescribeServicesCommand({ cluster: ref.cluster, services: [ref.service] }), opts.signal ? { abortSignal: opts.signal } : {}), ['ClusterNotFoundException'])) as
          | import('@aws-sdk/client-ecs').DescribeServicesCommandOutput
          | undefined;
        const s = out?.services?.[0];
        if (!s || s.status === 'INACTIVE') return undefined;
        const view: ServiceView = {
          name: s.serviceName ?? ref.service,
          cluster: ref.cluster,
          status: s.status ?? 'UNKNOWN',
          desired: s.desiredCount ?? 0,
          running: s.runningCount ?? 0,
          pending: s.pendingCount ?? 0,
          taskDefinition: s.taskDefinition ?? '',
          deployments: (s.deployments ?? []).map((d) => ({
            id: d.id ?? '',
            status: d.status ?? 'UNKNOWN',
            ...(d.rolloutState ? { rolloutState: d.rolloutState } : {}),
            ...(d.rolloutStateReason ? { rolloutStateReason: d.rolloutStateReason } : {}),
            taskDefinition: d.taskDefinition ?? '',
            desired: d.desiredCount ?? 0,
            running: d.runningCount ?? 0,
            pending: d.pendingCount ?? 0,
            failedTasks: d.failedTasks ?? 0,
            ...(d.createdAt ? { createdAt: d.createdAt } : {}),
            ...(d.updatedAt ? { updatedAt: d.updatedAt } : {}),
          })),
          events: (s.events ?? []).map((e) => ({ id: e.id ?? '', at: e.createdAt ?? new Date(0), message: e.message ?? '' })),
        };
        return view;
      },
      async tasks(ref, which, opts = {}) {
        const { mod, client: c } = await ecs();
        const limit = opts.limit ?? 100;
        const arns: string[] = [];
        let nextToken: string | undefined;
        // Bounded: at most 10 pages of 100; a service never has that many tasks of one state worth showing.
        for (let page = 0; page < 10 && arns.length < limit; page++) {
          const out = (await call('ECS', 'ListTasks', `service ${ref.service}`, () =>
            c.send(new mod.ListTasksCommand({ cluster: ref.cluster, serviceName: ref.service, desiredStatus: which === 'running' ? 'RUNNING' : 'STOPPED', maxResults: 100, ...(nextToken ? { nextToken } : {}) }), opts.signal ? { abortSignal: opts.signal } : {}),
          ['ClusterNotFoundException', 'ServiceNotFoundException'])) as import('@aws-sdk/client-ecs').ListTasksCommandOutput | undefined;
          arns.push(...(out?.taskArns ?? []));
          nextToken = out?.nextToken;
          if (!nextToken) break;
        }
        return (await describeTasks(ref.cluster, arns, opts.signal)).slice(0, limit);
      },
      describeTasks: (cluster, tasks, opts = {}) => describeTasks(cluster, tasks, opts.signal),
    },
    targets: {
      async targets(name, opts = {}) {
        const { mod, client: c } = await elb();
        const abort = opts.signal ? { abortSignal: opts.signal } : {};
        const groups = (await call('ELBv2', 'DescribeTargetGroups', `target group ${name}`, () => c.send(new mod.DescribeTargetGroupsCommand({ Names: [name] }), abort), ['TargetGroupNotFoundException', 'TargetGroupNotFound'])) as
          | import('@aws-sdk/client-elastic-load-balancing-v2').DescribeTargetGroupsCommandOutput
          | undefined;
        const arn = groups?.TargetGroups?.[0]?.TargetGroupArn;
        if (!arn) return undefined;
        const health = (await call('ELBv2', 'DescribeTargetHealth', `target group ${name}`, () => c.send(new mod.DescribeTargetHealthCommand({ TargetGroupArn: arn }), abort))) as import('@aws-sdk/client-elastic-load-balancing-v2').DescribeTargetHealthCommandOutput;
        return (health.TargetHealthDescriptions ?? []).map((t) => ({
          id: t.Target?.Id ?? '',
          ...(t.Target?.Port !== undefined ? { port: t.Target.Port } : {}),
          state: t.TargetHealth?.State ?? 'unknown',
          ...(t.TargetHealth?.Reason ? { reason: t.TargetHealth.Reason } : {}),
          ...(t.TargetHealth?.Description ? { description: t.TargetHealth.Description } : {}),
        }));
      },
    },
    alarms: {
      async describe(name, opts = {}) {
        const { mod, client: c } = await cw();
        const out = (await call('CloudWatch', 'DescribeAlarms', `alarm ${name}`, () => c.send(new mod.DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['MetricAlarm'] }), opts.signal ? { abortSignal: opts.signal } : {}))) as import('@aws-sdk/client-cloudwatch').DescribeAlarmsCommandOutput;
        const a = out.MetricAlarms?.find((m) => m.AlarmName === name);
        if (!a) return undefined;
        const view: AlarmView = {
          name,
          state: a.StateValue ?? 'INSUFFICIENT_DATA',
          ...(a.StateReason ? { reason: a.StateReason } : {}),
          ...(a.StateUpdatedTimestamp ? { updatedAt: a.StateUpdatedTimestamp } : {}),
          actions: a.AlarmActions ?? [],
        };
        return view;
      },
      async setState(name, state, reason) {
        const { mod, client: c } = await cw();
        await call('CloudWatch', 'SetAlarmState', `alarm ${name}`, () => c.send(new mod.SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason })));
      },
    },
    subscriptions: {
      async list(topicArn, opts = {}) {
        const { mod, client: c } = await sns();
        const subs: import('@aws-sdk/client-sns').Subscription[] = [];
        let NextToken: string | undefined;
        for (let page = 0; page < 20; page++) {
          const out = (await call('SNS', 'ListSubscriptionsByTopic', `topic ${topicArn}`, () => c.send(new mod.ListSubscriptionsByTopicCommand({ TopicArn: topicArn, ...(NextToken ? { NextToken } : {}) }), opts.signal ? { abortSignal: opts.signal } : {}), ['NotFoundException', 'NotFound'])) as
            | import('@aws-sdk/client-sns').ListSubscriptionsByTopicCommandOutput
            | undefined;
          if (!out) return undefined;
          subs.push(...(out.Subscriptions ?? []));
          NextToken = out.NextToken;
          if (!NextToken) break;
        }
        // An e-mail subscription's ARN reads "PendingConfirmation" until the recipient confirms it
        // (https://docs.aws.amazon.com/sns/latest/api/API_Subscription.html).
        return subs.map((s) => ({ protocol: s.Protocol ?? '', endpoint: s.Endpoint ?? '', arn: s.SubscriptionArn ?? '', pending: (s.SubscriptionArn ?? '') === 'PendingConfirmation' }));
      },
    },
    logs: {
      async events(group, q, opts = {}) {
        const { mod, client: c } = await logs();
        const out = (await call(
          'CloudWatch Logs',
          'FilterLogEvents',
          `log group ${group}`,
          () =>
            c.send(
              new mod.FilterLogEventsCommand({
                logGroupName: group,
                startTime: q.startMs,
                ...(q.endMs !== undefined ? { endTime: q.endMs } : {}),
                ...(q.streamPrefix ? { logStreamNamePrefix: q.streamPrefix } : {}),
                ...(q.nextToken ? { nextToken: q.nextToken } : {}),
                limit: q.limit ?? 1000,
              }),
              opts.signal ? { abortSignal: opts.signal } : {},
            ),
          ['ResourceNotFoundException'],
        )) as import('@aws-sdk/client-cloudwatch-logs').FilterLogEventsCommandOutput | undefined;
        if (!out) return undefined;
        const events: LogEventView[] = (out.events ?? []).map((e) => ({ id: e.eventId ?? `${e.logStreamName}:${e.timestamp}`, stream: e.logStreamName ?? '', at: new Date(e.timestamp ?? 0), message: e.message ?? '' }));
        return { events, ...(out.nextToken ? { nextToken: out.nextToken } : {}) };
      },
      async tail(group, stream, limit, opts = {}) {
        const { mod, client: c } = await logs();
        const out = (await call('CloudWatch Logs', 'GetLogEvents', `log stream ${stream}`, () => c.send(new mod.GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit, startFromHead: false }), opts.signal ? { abortSignal: opts.signal } : {}), ['ResourceNotFoundException'])) as
          | import('@aws-sdk/client-cloudwatch-logs').GetLogEventsCommandOutput
          | undefined;
        return (out?.events ?? []).map((e, i) => ({ id: `${stream}:${e.timestamp}:${i}`, stream, at: new Date(e.timestamp ?? 0), message: e.message ?? '' }));
      },
    },
    close() {
      for (const c of clients.values()) void c.then((x) => x.client.destroy(), () => undefined);
      clients.clear();
    },
  };
}
