// The name lookups the preflight makes besides ELBv2's (elbv2.ts) and ECR's (ecr.ts): an ECS cluster, a CloudWatch
// Logs log group, an SNS topic and a CloudWatch alarm, each by its exact name. Read only, one bounded call each.
import type { ExistingResource, Where } from '../../ports/preflight.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { callOnce } from './errors.ts';

const nameOf = (err: unknown) => String((err as { name?: unknown }).name ?? '');

/** ECS DescribeClusters: an INACTIVE cluster is a deleted one (CreateCluster makes it anew), so only a live one counts. */
export async function findCluster(opts: AwsOptions, name: string): Promise<ExistingResource | undefined> {
  const ecs = await import('@aws-sdk/client-ecs');
  const client = new ecs.ECSClient((await clientConfig(opts)) as import('@aws-sdk/client-ecs').ECSClientConfig);
  return callOnce(client, { service: 'ECS', operation: 'DescribeClusters', subject: `cluster ${name}`, endpoint: opts.endpointUrl }, async (c) => {
    const found = (await c.send(new ecs.DescribeClustersCommand({ clusters: [name] }))).clusters?.find((x) => x.clusterName === name && x.status !== 'INACTIVE');
    return found ? { name, ...(found.clusterArn ? { arn: found.clusterArn } : {}) } : undefined;
  });
}

/** CloudWatch Logs DescribeLogGroups by prefix, then the exact name among what came back (a few pages at most). */
export async function findLogGroup(opts: AwsOptions, name: string): Promise<ExistingResource | undefined> {
  const logs = await import('@aws-sdk/client-cloudwatch-logs');
  const client = new logs.CloudWatchLogsClient((await clientConfig(opts)) as import('@aws-sdk/client-cloudwatch-logs').CloudWatchLogsClientConfig);
  return callOnce(client, { service: 'CloudWatch Logs', operation: 'DescribeLogGroups', subject: `log group ${name}`, endpoint: opts.endpointUrl }, async (c) => {
    let nextToken: string | undefined;
    for (let page = 0; page < 20; page++) {
      const out = await c.send(new logs.DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50, ...(nextToken ? { nextToken } : {}) }));
      const hit = out.logGroups?.find((g) => g.logGroupName === name);
      if (hit) return { name, ...(hit.arn ? { arn: hit.arn.replace(/:\*$/, '') } : {}) };
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
    return undefined;
  });
}

/** SNS has no lookup by name: GetTopicAttributes on the ARN the name would have (NotFound when there is none). */
export async function findTopic(opts: AwsOptions, name: string, where: Where): Promise<ExistingResource | undefined> {
  const sns = await import('@aws-sdk/client-sns');
  const client = new sns.SNSClient((await clientConfig(opts)) as import('@aws-sdk/client-sns').SNSClientConfig);
  const arn = `arn:${where.partition}:sns:${where.region}:${where.account}:${name}`;
  return callOnce(client, { service: 'SNS', operation: 'GetTopicAttributes', subject: `topic ${name}`, endpoint: opts.endpointUrl }, async (c) => {
    try {
      await c.send(new sns.GetTopicAttributesCommand({ TopicArn: arn }));
      return { name, arn };
    } catch (err) {
      if (nameOf(err) === 'NotFoundException' || nameOf(err) === 'NotFound') return undefined;
      throw err;
    }
  });
}

/** CloudWatch DescribeAlarms by name: metric and composite alarms share one namespace of names. */
export async function findAlarm(opts: AwsOptions, name: string): Promise<ExistingResource | undefined> {
  const cw = await import('@aws-sdk/client-cloudwatch');
  const client = new cw.CloudWatchClient((await clientConfig(opts)) as import('@aws-sdk/client-cloudwatch').CloudWatchClientConfig);
  return callOnce(client, { service: 'CloudWatch', operation: 'DescribeAlarms', subject: `alarm ${name}`, endpoint: opts.endpointUrl }, async (c) => {
    const out = await c.send(new cw.DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    const hit = [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])].find((a) => a.AlarmName === name);
    return hit ? { name, ...(hit.AlarmArn ? { arn: hit.AlarmArn } : {}) } : undefined;
  });
}
