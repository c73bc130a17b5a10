// What the cost model reads out of the templates actually deployed, with the parameters they were (or will be)
// deployed with: no figure here is fixed in code, so a change of the template text (a bigger task, ARM64 by
// default, another MaxTasks, a longer retention) changes the estimate by itself. Conditions are decided by
// cli/domain/cfn-conditions.ts; a resource whose condition is false is not there, one it cannot decide counts.
import type { CpuArchitecture } from './architecture.ts';
import { conditionValues } from './cfn-conditions.ts';
import { parseCfnYaml, type CfnResource, type CfnTemplate, type CfnValue } from './cfn-yaml.ts';

export interface CostFacts {
  /** The Application Load Balancers: scheme and Availability Zones (one per subnet the template gives it). */
  loadBalancers: Array<{ scheme: string; azs: number }>;
  /** The Fargate task: CPU units → vCPU, MiB → GB, RuntimePlatform.CpuArchitecture (X86_64 when absent). */
  task?: { vcpu: number; gb: number; architecture: CpuArchitecture; publicIp: boolean };
  /** The autoscaling range (MinCapacity … MaxCapacity); without a scalable target, the service's DesiredCount. */
  tasks: { min: number; max: number };
  /** CloudWatch metric alarms, and the metrics they read (a metric-math alarm is billed per metric). */
  alarms: { count: number; metrics: number };
  /** The log groups' RetentionInDays; undefined: never expire. */
  logRetentionDays: Array<number | undefined>;
  /** Whether the cluster has Container Insights on (`containerInsights` enabled or enhanced). */
  containerInsights: boolean;
  /** How many images the ECR lifecycle policy keeps (`imageCountMoreThan` on any tag); undefined: no bound. */
  ecrKeptImages?: number;
  /** The --domain resources: Route 53 records the stack writes (into a hosted zone it relies on), ACM certificates. */
  domain: { records: number; aliasRecords: number; certificates: number; hostedZoneId?: string };
}

type Params = Record<string, string>;

function defaults(t: CfnTemplate, given: Params): Params {
  const out: Params = {};
  for (const [name, p] of Object.entries(t.Parameters ?? {})) {
    const d = p['Default'];
    if (typeof d === 'string' || typeof d === 'number') out[name] = String(d);
  }
  return { ...out, ...given };
}

/** A property's value, resolving Ref to a parameter and Fn::If by the template's conditions; undefined otherwise. */
function resolver(params: Params, conditions: Record<string, boolean | undefined>) {
  const resolve = (v: CfnValue | undefined, depth = 0): CfnValue | undefined => {
    if (v === undefined || v === null || depth > 20) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) return v;
    if (typeof v['Ref'] === 'string') return params[v['Ref']];
    const fnIf = v['Fn::If'];
    if (Array.isArray(fnIf) && typeof fnIf[0] === 'string') {
      const holds = conditions[fnIf[0]];
      return holds === undefined ? undefined : resolve(holds ? fnIf[1] : fnIf[2], depth + 1);
    }
    return v;
  };
  return resolve;
}

const num = (v: CfnValue | undefined): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const obj = (v: CfnValue | undefined): Record<string, CfnValue> => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});

/** The ECR lifecycle policy's bound: the smallest `imageCountMoreThan` over a rule that selects any (or tagged) images. */
export function keptImages(policyText: string | undefined): number | undefined {
  if (!policyText) return undefined;
  try {
    const rules = (JSON.parse(policyText) as { rules?: Array<{ selection?: { tagStatus?: string; countType?: string; countNumber?: number } }> }).rules ?? [];
    const counts = rules.filter((r) => r.selection?.countType === 'imageCountMoreThan' && r.selection.tagStatus !== 'untagged').map((r) => r.selection!.countNumber).filter((n): n is number => typeof n === 'number');
    return counts.length ? Math.min(...counts) : undefined;
  } catch {
    return undefined;
  }
}

/** The facts of the infra template (and of the ECR template, when given) for these parameter values. */
export function costFacts(infraText: string, parameters: Params = {}, ecrText?: string): CostFacts {
  const t = parseCfnYaml(infraText);
  const params = defaults(t, parameters);
  const conditions = conditionValues(t, parameters);
  const resolve = resolver(params, conditions);
  const present = (r: CfnResource) => r.Condition === undefined || conditions[r.Condition] !== false;
  const of = (type: string) => Object.values(t.Resources).filter((r) => r.Type === type && present(r)).map((r) => r.Properties ?? {});

  const loadBalancers = of('AWS::ElasticLoadBalancingV2::LoadBalancer')
    .filter((p) => (resolve(p['Type']) ?? 'application') === 'application')
    .map((p) => {
      const subnets = resolve(p['Subnets']) ?? resolve(p['SubnetMappings']);
      return { scheme: String(resolve(p['Scheme']) ?? 'internet-facing'), azs: Array.isArray(subnets) ? subnets.length : 0 };
    });

  const taskDef = of('AWS::ECS::TaskDefinition')[0];
  const service = of('AWS::ECS::Service')[0];
  const awsvpc = obj(obj(resolve(service?.['NetworkConfiguration']))['AwsvpcConfiguration']);
  const arch = resolve(obj(resolve(taskDef?.['RuntimePlatform']))['CpuArchitecture']);
  const cpu = num(resolve(taskDef?.['Cpu']));
  const mem = num(resolve(taskDef?.['Memory']));
  const task = taskDef && cpu !== undefined && mem !== undefined
    ? { vcpu: cpu / 1024, gb: mem / 1024, architecture: (arch === 'ARM64' ? 'ARM64' : 'X86_64') as CpuArchitecture, publicIp: resolve(awsvpc['AssignPublicIp']) === 'ENABLED' }
    : undefined;

  // AWS starts a service without DesiredCount at 1 task; autoscaling then keeps it within its range.
  const target = of('AWS::ApplicationAutoScaling::ScalableTarget').find((p) => resolve(p['ScalableDimension']) === 'ecs:service:DesiredCount');
  const desired = num(resolve(service?.['DesiredCount'])) ?? 1;
  const min = num(resolve(target?.['MinCapacity'])) ?? desired;
  const tasks = { min, max: Math.max(min, num(resolve(target?.['MaxCapacity'])) ?? desired) };

  const alarmProps = of('AWS::CloudWatch::Alarm');
  const metricsOf = (p: Record<string, CfnValue>) => {
    const list = resolve(p['Metrics']);
    return Array.isArray(list) ? list.filter((m) => obj(m)['MetricStat'] !== undefined).length : 1;
  };
  const alarms = { count: alarmProps.length, metrics: alarmProps.reduce((n, p) => n + metricsOf(p), 0) };

  const logRetentionDays = of('AWS::Logs::LogGroup').map((p) => num(resolve(p['RetentionInDays'])));
  const containerInsights = of('AWS::ECS::Cluster').some((p) => {
    const settings = resolve(p['ClusterSettings']);
    return Array.isArray(settings) && settings.some((s) => resolve(obj(s)['Name']) === 'containerInsights' && ['enabled', 'enhanced'].includes(String(resolve(obj(s)['Value']))));
  });

  const records = of('AWS::Route53::RecordSet');
  const zone = resolve(records[0]?.['HostedZoneId']);
  const domain = {
    records: records.length,
    aliasRecords: records.filter((p) => p['AliasTarget'] !== undefined).length,
    certificates: of('AWS::CertificateManager::Certificate').length,
    ...(typeof zone === 'string' && zone ? { hostedZoneId: zone } : {}),
  };

  let ecrKeptImages: number | undefined;
  if (ecrText !== undefined) {
    const e = parseCfnYaml(ecrText);
    const repo = Object.values(e.Resources).find((r) => r.Type === 'AWS::ECR::Repository');
    const text = obj(repo?.Properties?.['LifecyclePolicy'])['LifecyclePolicyText'];
    ecrKeptImages = keptImages(typeof text === 'string' ? text : undefined);
  }

  return { loadBalancers, ...(task ? { task } : {}), tasks, alarms, logRetentionDays, containerInsights, ...(ecrKeptImages !== undefined ? { ecrKeptImages } : {}), domain };
}
