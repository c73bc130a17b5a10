// The fidelity report: for every resource of both templates, what the emulator really did with it, found by
// comparing the template with DescribeStackResources, and then asking the resource's own service API where
// CloudFormation's bookkeeping alone proves nothing (DescribeServices for the ECS service, DescribeAlarms,
// ListSubscriptionsByTopic, DescribeScalableTargets, DescribeScalingPolicies). Nothing here names a resource or a
// known gap: the emulator's gaps are measured on every run, so a new moto (or plain moto) is reported as it is.
import { conditionValues } from '../domain/cfn-conditions.ts';
import type { CfnTemplate, CfnValue } from '../domain/cfn-yaml.ts';
import type { ResourceFidelity } from './events.ts';
import type { EmulatedResource, EmulatorInspector, LookupAnswer, ServiceLookup } from '../ports/rehearsal.ts';

export interface StackFacts {
  stack: string;
  template: CfnTemplate;
  /** This run's deploy step for the stack succeeded: only then can a resource be marked created. */
  deployed: boolean;
  /** ValidateTemplate (and cfn-lint when present) passed this run. */
  validated: boolean;
  /** DescribeStackResources; undefined when the stack is not in the emulator (or could not be read). */
  emulated?: EmulatedResource[];
  /** Per logical ID: what the emulator dropped from a resource it did create (see serviceGaps). */
  gaps?: Record<string, string[]>;
  /** Per logical ID: what the resource's own service API answered (a string: why it could not be asked). */
  seen?: Record<string, LookupAnswer | string>;
  /** The stack's parameter values (the template's defaults fill the rest): a resource whose Condition is false is not part of the stack. */
  parameters?: Record<string, string>;
}

const DONE = /^(CREATE|UPDATE|IMPORT)_COMPLETE$/;

export function markStack(f: StackFacts): ResourceFidelity[] {
  const byId = new Map((f.emulated ?? []).filter((r) => r.logicalId !== '').map((r) => [r.logicalId, r]));
  const anonymous = (f.emulated ?? []).filter((r) => r.logicalId === '').length;
  const unproven = (why: string): Pick<ResourceFidelity, 'mark' | 'detail'> =>
    f.validated ? { mark: 'static-only', detail: `${why}; checked by ValidateTemplate and cfn-lint only` } : { mark: 'not-checked', detail: `${why}; the templates were not validated either` };

  // A resource whose Condition is false (the --domain ones without a domain) is not in the stack, on AWS either.
  const conditions = conditionValues(f.template, f.parameters);
  const inStack = Object.entries(f.template.Resources).filter(([, res]) => res.Condition === undefined || conditions[res.Condition] !== false);
  return inStack.map(([logicalId, res]) => {
    const base = { stack: f.stack, logicalId, resourceType: res.Type };
    if (!f.deployed || f.emulated === undefined) return { ...base, ...unproven('the stack was not deployed in the emulator in this run') };
    const row = byId.get(logicalId);
    if (!row) {
      return {
        ...base,
        mark: 'not-emulated',
        detail: `the emulator completed the stack without it (DescribeStackResources has no ${logicalId}${anonymous ? `; it lists ${anonymous} unnamed row(s)` : ''})`,
      };
    }
    if (!DONE.test(row.status)) return { ...base, ...unproven(`the emulator reports it ${row.status}`) };
    const seen = f.seen?.[logicalId];
    if (typeof seen === 'string') return { ...base, ...unproven(`DescribeStackResources lists it ${row.status}, but ${seen}`) };
    if (seen && !seen.found) {
      return { ...base, mark: 'not-emulated', detail: `DescribeStackResources lists it ${row.status}, but ${seen.note ?? 'its service API does not know it'}` };
    }
    const gaps = f.gaps?.[logicalId] ?? [];
    if (gaps.length) return { ...base, mark: 'partial', detail: `partially emulated: ${gaps.join('; ')}` };
    return { ...base, mark: 'created', ...(seen?.note ? { detail: seen.note } : {}) };
  });
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const literal = (v: CfnValue | undefined): string | number | boolean | undefined => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined);

/**
 * What an emulator kept of an AWS::ECS::Service, compared property by property with what the template asks for.
 * Only properties whose API field is known are compared; intrinsic values (Refs) are compared by presence.
 */
export function serviceGaps(props: Record<string, CfnValue>, svc: Record<string, unknown> | undefined): string[] {
  if (!svc) return ['ECS DescribeServices does not know the service'];
  const gaps: string[] = [];
  const lbs = Array.isArray(props['LoadBalancers']) ? props['LoadBalancers'].length : 0;
  const gotLbs = Array.isArray(svc['loadBalancers']) ? svc['loadBalancers'].length : 0;
  if (lbs > 0 && gotLbs < lbs) gaps.push(gotLbs === 0 ? `loadBalancers empty (the template wires ${lbs} target group${lbs === 1 ? '' : 's'})` : `loadBalancers has ${gotLbs} of ${lbs}`);

  const net = props['NetworkConfiguration'];
  const gotNet = isObj(svc['networkConfiguration']) ? svc['networkConfiguration']['awsvpcConfiguration'] : undefined;
  if (isObj(net) && net['AwsvpcConfiguration'] !== undefined && !isObj(gotNet)) gaps.push('networkConfiguration empty (the template sets awsvpc subnets and security groups)');

  const want = (key: string, field: string) => {
    const w = literal(props[key]);
    if (w === undefined) return;
    const got = svc[field];
    if (got !== w) gaps.push(`${field} ${got === undefined ? 'not returned' : JSON.stringify(got)} (the template asks for ${JSON.stringify(w)})`);
  };
  want('LaunchType', 'launchType');
  want('PropagateTags', 'propagateTags');
  want('HealthCheckGracePeriodSeconds', 'healthCheckGracePeriodSeconds');

  // A new service starts with the template's DesiredCount, or 1 task when it has none (AWS::ECS::Service,
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-service.html#cfn-ecs-service-desiredcount).
  const count = literal(props['DesiredCount']) ?? 1;
  if (typeof svc['desiredCount'] === 'number' && svc['desiredCount'] !== count) {
    gaps.push(`desiredCount ${svc['desiredCount']} (AWS starts ${count}${props['DesiredCount'] === undefined ? ' when the template gives no DesiredCount' : ''})`);
  }

  const dc = props['DeploymentConfiguration'];
  const breaker = isObj(dc) && isObj(dc['DeploymentCircuitBreaker']) ? dc['DeploymentCircuitBreaker'] : undefined;
  if (breaker && breaker['Enable'] === true) {
    const got = isObj(svc['deploymentConfiguration']) && isObj(svc['deploymentConfiguration']['deploymentCircuitBreaker']) ? svc['deploymentConfiguration']['deploymentCircuitBreaker']['enable'] : undefined;
    if (got !== true) gaps.push('deployment circuit breaker not kept');
  }
  return gaps;
}

/** A property's value when it is a literal string, a Ref to a resource of the stack (its physical ID), or a Ref to a parameter. */
function valueOf(v: CfnValue | undefined, rows: EmulatedResource[], parameters: Record<string, string> = {}): string | undefined {
  if (typeof v === 'string') return v;
  if (isObj(v) && typeof v['Ref'] === 'string') return rows.find((r) => r.logicalId === v['Ref'])?.physicalId || parameters[v['Ref']] || undefined;
  return undefined;
}

/**
 * Which service API must see a resource before it counts as created, and how to ask it: from the resource's
 * physical ID (what Ref returns, per each type's CloudFormation reference page cited below) and its properties.
 * undefined: DescribeStackResources is proof enough for this type. A string: why it cannot be asked.
 */
export function serviceLookup(res: { Type: string; Properties?: Record<string, CfnValue> }, row: EmulatedResource, rows: EmulatedResource[], parameters: Record<string, string> = {}): ServiceLookup | string | undefined {
  const props = res.Properties ?? {};
  switch (res.Type) {
    // Ref is the certificate ARN: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-certificatemanager-certificate.html
    case 'AWS::CertificateManager::Certificate':
      return row.physicalId.startsWith('arn:') ? { api: 'DescribeCertificate', certificateArn: row.physicalId } : `its physical ID ${JSON.stringify(row.physicalId)} is not a certificate ARN, so DescribeCertificate could not be asked`;
    // Ref is the record's domain name: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-recordset.html
    case 'AWS::Route53::RecordSet': {
      const hostedZoneId = valueOf(props['HostedZoneId'], rows, parameters);
      const type = literal(props['Type']);
      if (!hostedZoneId || typeof type !== 'string') return 'its HostedZoneId or Type could not be resolved to ask ListResourceRecordSets';
      return { api: 'ListResourceRecordSets', hostedZoneId, name: row.physicalId, type };
    }
    // Ref is the alarm name: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-alarm.html
    case 'AWS::CloudWatch::Alarm':
      return { api: 'DescribeAlarms', alarmName: row.physicalId };
    // Ref is the subscription ARN: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-subscription.html
    case 'AWS::SNS::Subscription': {
      const topicArn = valueOf(props['TopicArn'], rows);
      if (!topicArn) return 'its TopicArn could not be resolved to ask ListSubscriptionsByTopic';
      const protocol = literal(props['Protocol']);
      return { api: 'ListSubscriptionsByTopic', topicArn, subscriptionArn: row.physicalId, ...(typeof protocol === 'string' ? { protocol } : {}) };
    }
    // Ref is `ResourceId|ScalableDimension|ServiceNamespace`:
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-applicationautoscaling-scalabletarget.html
    case 'AWS::ApplicationAutoScaling::ScalableTarget': {
      const [resourceId, scalableDimension, serviceNamespace] = row.physicalId.split('|');
      if (!resourceId || !scalableDimension || !serviceNamespace) return `its physical ID ${JSON.stringify(row.physicalId)} is not ResourceId|ScalableDimension|ServiceNamespace, so DescribeScalableTargets could not be asked`;
      return { api: 'DescribeScalableTargets', serviceNamespace, resourceId, scalableDimension };
    }
    // Ref is the policy ARN: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-applicationautoscaling-scalingpolicy.html
    case 'AWS::ApplicationAutoScaling::ScalingPolicy': {
      const serviceNamespace = valueOf(props['ServiceNamespace'], rows) ?? valueOf(props['ScalingTargetId'], rows)?.split('|')[2];
      if (!serviceNamespace) return 'its service namespace could not be resolved to ask DescribeScalingPolicies';
      return { api: 'DescribeScalingPolicies', serviceNamespace, policyArn: row.physicalId };
    }
    default:
      return undefined;
  }
}

/** The service-API facts for one deployed stack: the ECS services' gaps and the lookups of serviceLookup. */
export async function inspectStack(inspector: EmulatorInspector, template: CfnTemplate, emulated: EmulatedResource[], parameters: Record<string, string> = {}): Promise<Pick<StackFacts, 'gaps' | 'seen'>> {
  const gaps: Record<string, string[]> = {};
  const seen: Record<string, LookupAnswer | string> = {};
  for (const [logicalId, res] of Object.entries(template.Resources)) {
    const row = emulated.find((e) => e.logicalId === logicalId);
    if (!row?.physicalId || !DONE.test(row.status)) continue;
    if (res.Type === 'AWS::ECS::Service') {
      const cluster = valueOf(res.Properties?.['Cluster'], emulated) ?? 'default';
      gaps[logicalId] = serviceGaps(res.Properties ?? {}, await inspector.describeService(cluster, row.physicalId));
      continue;
    }
    const q = serviceLookup(res, row, emulated, parameters);
    if (q === undefined) continue;
    // An emulator that does not serve the API (a LocalStack tier without it, an error) proves nothing either way.
    seen[logicalId] = typeof q === 'string' ? q : await inspector.lookup(q).catch((err: unknown) => `${q.api} failed (${err instanceof Error ? err.message : String(err)})`);
  }
  return { gaps, seen };
}
