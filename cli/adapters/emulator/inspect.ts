// What the emulator really holds, for the fidelity report: DescribeStackResources per stack, ECS DescribeServices
// for the service, and the service APIs of the resources a stack's bookkeeping alone does not prove (lookup).
import type * as Cfn from '@aws-sdk/client-cloudformation';
import { boundedCalls } from '../aws/config.ts';
import { EMULATOR_REGION, FAKE_CREDENTIALS } from './fake-aws.ts';
import type { EmulatorInspector, LookupAnswer, ServiceLookup } from '../../ports/rehearsal.ts';

export async function createInspector(endpoint: string): Promise<EmulatorInspector> {
  const sdk = await import('@aws-sdk/client-cloudformation');
  // Explicit fake credentials and region: this client can only ever talk to the emulator.
  const cfn = new sdk.CloudFormationClient({ endpoint, region: EMULATOR_REGION, credentials: FAKE_CREDENTIALS, ...boundedCalls() });
  const ecsSdk = await import('@aws-sdk/client-ecs');
  const ecs = new ecsSdk.ECSClient({ endpoint, region: EMULATOR_REGION, credentials: FAKE_CREDENTIALS, ...boundedCalls() });
  return {
    async stackResources(stackName) {
      try {
        const out: Cfn.DescribeStackResourcesCommandOutput = await cfn.send(new sdk.DescribeStackResourcesCommand({ StackName: stackName }));
        return (out.StackResources ?? []).map((r) => ({
          logicalId: r.LogicalResourceId ?? '',
          resourceType: r.ResourceType ?? '',
          physicalId: r.PhysicalResourceId ?? '',
          status: r.ResourceStatus ?? '',
        }));
      } catch (err) {
        if (/does not exist/i.test(err instanceof Error ? err.message : '')) return undefined;
        throw err;
      }
    },
    async describeService(cluster, service) {
      const out = await ecs.send(new ecsSdk.DescribeServicesCommand({ cluster, services: [service] }));
      // Plain data for the report: the SDK's typed object, minus its Date instances.
      const found = out.services?.[0];
      return found === undefined ? undefined : (JSON.parse(JSON.stringify(found)) as Record<string, unknown>);
    },
    lookup: (q) => lookup(endpoint, q),
    close: () => {
      cfn.destroy();
      ecs.destroy();
    },
  };
}

async function lookup(endpoint: string, q: ServiceLookup): Promise<LookupAnswer> {
  const client = { endpoint, region: EMULATOR_REGION, credentials: FAKE_CREDENTIALS, ...boundedCalls() };
  switch (q.api) {
    case 'DescribeAlarms': {
      const sdk = await import('@aws-sdk/client-cloudwatch');
      const cw = new sdk.CloudWatchClient(client);
      try {
        const out = await cw.send(new sdk.DescribeAlarmsCommand({ AlarmNames: [q.alarmName], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
        const alarm = out.MetricAlarms?.[0] ?? out.CompositeAlarms?.[0];
        return alarm ? { found: true, note: `DescribeAlarms: state ${alarm.StateValue ?? '?'}` } : { found: false, note: `DescribeAlarms does not know the alarm ${q.alarmName}` };
      } finally {
        cw.destroy();
      }
    }
    case 'ListSubscriptionsByTopic': {
      const sdk = await import('@aws-sdk/client-sns');
      const sns = new sdk.SNSClient(client);
      try {
        const subs = [];
        let token: string | undefined;
        for (let page = 0; page < 20; page++) {
          const out = await sns.send(new sdk.ListSubscriptionsByTopicCommand({ TopicArn: q.topicArn, ...(token ? { NextToken: token } : {}) }));
          subs.push(...(out.Subscriptions ?? []));
          token = out.NextToken;
          if (!token) break;
        }
        // A subscription waiting for its e-mail link is listed with SubscriptionArn "PendingConfirmation", not its ARN
        // (https://docs.aws.amazon.com/sns/latest/api/API_Subscription.html): it counts when its protocol matches.
        const mine = subs.find((s) => s.SubscriptionArn === q.subscriptionArn) ?? subs.find((s) => s.SubscriptionArn === 'PendingConfirmation' && (q.protocol === undefined || s.Protocol === q.protocol));
        if (!mine) return { found: false, note: `ListSubscriptionsByTopic lists no such subscription on ${q.topicArn}` };
        return { found: true, note: mine.SubscriptionArn === 'PendingConfirmation' ? 'ListSubscriptionsByTopic: PendingConfirmation, as on AWS until the e-mail link is clicked' : 'ListSubscriptionsByTopic: confirmed' };
      } finally {
        sns.destroy();
      }
    }
    case 'DescribeScalableTargets': {
      const sdk = await import('@aws-sdk/client-application-auto-scaling');
      const aas = new sdk.ApplicationAutoScalingClient(client);
      try {
        const out = await aas.send(new sdk.DescribeScalableTargetsCommand({ ServiceNamespace: q.serviceNamespace as never, ResourceIds: [q.resourceId], ScalableDimension: q.scalableDimension as never }));
        const t = out.ScalableTargets?.[0];
        return t ? { found: true, note: `DescribeScalableTargets: ${String(t.MinCapacity)} to ${String(t.MaxCapacity)} tasks` } : { found: false, note: `DescribeScalableTargets does not know ${q.resourceId}` };
      } finally {
        aas.destroy();
      }
    }
    case 'DescribeCertificate': {
      const sdk = await import('@aws-sdk/client-acm');
      const acm = new sdk.ACMClient(client);
      try {
        const c = (await acm.send(new sdk.DescribeCertificateCommand({ CertificateArn: q.certificateArn }))).Certificate;
        if (!c) return { found: false, note: `DescribeCertificate does not know ${q.certificateArn}` };
        return { found: true, note: `DescribeCertificate: ${q.certificateArn}, ${String(c.Type)} for ${String(c.DomainName)}, status ${String(c.Status)}` };
      } catch (err) {
        if ((err as { name?: string }).name === 'ResourceNotFoundException') return { found: false, note: `DescribeCertificate does not know ${q.certificateArn}` };
        throw err;
      } finally {
        acm.destroy();
      }
    }
    case 'ListResourceRecordSets': {
      const sdk = await import('@aws-sdk/client-route-53');
      const r53 = new sdk.Route53Client(client);
      const plain = (n: string | undefined) => (n ?? '').toLowerCase().replace(/\.$/, '');
      try {
        const out = await r53.send(new sdk.ListResourceRecordSetsCommand({ HostedZoneId: q.hostedZoneId, StartRecordName: q.name, StartRecordType: q.type as never, MaxItems: 1 }));
        const rr = out.ResourceRecordSets?.find((x) => plain(x.Name) === plain(q.name) && x.Type === q.type);
        if (!rr) return { found: false, note: `ListResourceRecordSets has no ${q.type} ${plain(q.name)} in zone ${q.hostedZoneId}` };
        const to = rr.AliasTarget ? `alias → ${plain(rr.AliasTarget.DNSName)}` : `→ ${(rr.ResourceRecords ?? []).map((v) => v.Value).join(', ')}`;
        return { found: true, note: `ListResourceRecordSets: ${q.type} ${plain(q.name)} ${to} in zone ${q.hostedZoneId}` };
      } finally {
        r53.destroy();
      }
    }
    case 'DescribeScalingPolicies': {
      const sdk = await import('@aws-sdk/client-application-auto-scaling');
      const aas = new sdk.ApplicationAutoScalingClient(client);
      try {
        let token: string | undefined;
        for (let page = 0; page < 20; page++) {
          const out = await aas.send(new sdk.DescribeScalingPoliciesCommand({ ServiceNamespace: q.serviceNamespace as never, ...(token ? { NextToken: token } : {}) }));
          const p = out.ScalingPolicies?.find((x) => x.PolicyARN === q.policyArn);
          if (p) return { found: true, note: `DescribeScalingPolicies: ${String(p.PolicyType)}` };
          token = out.NextToken;
          if (!token) break;
        }
        return { found: false, note: `DescribeScalingPolicies does not know ${q.policyArn}` };
      } finally {
        aas.destroy();
      }
    }
  }
}
