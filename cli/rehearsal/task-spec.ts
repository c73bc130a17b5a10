// How Fargate would run the container, read from the infra template itself (never restated here): the task
// definition's container (port, environment, task size) and the health check of the target group the service
// registers it in. Refs are resolved from the stack's parameters and pseudo parameters where they can be.
import type { CfnResource, CfnTemplate, CfnValue } from '../domain/cfn-yaml.ts';
import type { LocalRunSpec } from '../ports/rehearsal.ts';
import { EMULATOR_REGION } from '../domain/emulator.ts';

type Obj = { [key: string]: CfnValue };

const isObj = (v: CfnValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: CfnValue | undefined): CfnValue[] => (Array.isArray(v) ? v : []);

export class TaskSpecError extends Error {}

/** A literal, a Ref to a parameter or pseudo parameter, or a Sub over those; undefined when it cannot be resolved. */
export function resolveValue(v: CfnValue | undefined, template: CfnTemplate, params: Record<string, string>): string | undefined {
  const ref = (name: string): string | undefined => {
    if (name in params) return params[name];
    if (name === 'AWS::Region') return EMULATOR_REGION;
    if (name === 'AWS::Partition') return 'aws';
    const def = template.Parameters?.[name]?.['Default'];
    return typeof def === 'string' || typeof def === 'number' ? String(def) : undefined;
  };
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (!isObj(v)) return undefined;
  if (typeof v['Ref'] === 'string') return ref(v['Ref']);
  const sub = v['Fn::Sub'];
  if (typeof sub === 'string') {
    let unresolved = false;
    const out = sub.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
      const r = name.includes('.') ? undefined : ref(name);
      if (r === undefined) unresolved = true;
      return r ?? '';
    });
    return unresolved ? undefined : out;
  }
  return undefined;
}

function findByType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

export function localRunSpec(template: CfnTemplate, params: Record<string, string>): LocalRunSpec {
  const [taskDef] = findByType(template, 'AWS::ECS::TaskDefinition');
  if (!taskDef) throw new TaskSpecError('the infra template has no AWS::ECS::TaskDefinition');
  const [taskId, task] = taskDef;
  const props = task.Properties ?? {};
  const containers = asArray(props['ContainerDefinitions']).filter(isObj);

  // The service's load balancer entry names the container the ALB sends traffic to, and its target group.
  const service = findByType(template, 'AWS::ECS::Service').find(([, r]) => {
    const td = r.Properties?.['TaskDefinition'];
    return isObj(td) && td['Ref'] === taskId;
  })?.[1];
  const lb = asArray(service?.Properties?.['LoadBalancers']).find(isObj);
  const wanted = typeof lb?.['ContainerName'] === 'string' ? lb['ContainerName'] : undefined;
  const container = containers.find((c) => c['Name'] === wanted) ?? containers.find((c) => c['Essential'] !== false) ?? containers[0];
  if (!container) throw new TaskSpecError(`${taskId} has no container definitions`);

  const notes: string[] = [];
  const mapping = asArray(container['PortMappings']).find(isObj);
  const port = Number(resolveValue(mapping?.['ContainerPort'], template, params) ?? lb?.['ContainerPort'] ?? NaN);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TaskSpecError(`${taskId}: the container's port cannot be read from PortMappings`);

  const environment: Record<string, string> = {};
  for (const e of asArray(container['Environment']).filter(isObj)) {
    const name = typeof e['Name'] === 'string' ? e['Name'] : undefined;
    if (!name) continue;
    const value = resolveValue(e['Value'], template, params);
    if (value === undefined) notes.push(`environment ${name} left out: its value cannot be resolved outside AWS`);
    else environment[name] = value;
  }
  if (asArray(container['Secrets']).length) notes.push('Secrets are not passed (they come from AWS at run time)');

  const num = (v: CfnValue | undefined) => {
    const n = Number(resolveValue(v, template, params));
    return Number.isFinite(n) && n > 0 ? n : undefined;
  };
  const cpuUnits = num(props['Cpu']);
  const memoryMiB = num(props['Memory']);

  const log = isObj(container['LogConfiguration']) ? container['LogConfiguration']['LogDriver'] : undefined;
  if (log === 'awslogs') notes.push("awslogs: under Docker the rehearsal ships the container's output to the emulator's log stream while it runs (PutLogEvents); under gunicorn it stays in the local log");

  // ECS runs the container definition's health check, never the image's HEALTHCHECK
  // (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html); defaults as documented there.
  const hc = isObj(container['HealthCheck']) ? container['HealthCheck'] : undefined;
  const hcCommand = asArray(hc?.['Command']).map((c) => resolveValue(c, template, params));
  const healthCheck = hcCommand.length >= 2 && hcCommand.every((c): c is string => c !== undefined) && (hcCommand[0] === 'CMD' || hcCommand[0] === 'CMD-SHELL')
    ? { command: hcCommand, intervalS: num(hc?.['Interval']) ?? 30, timeoutS: num(hc?.['Timeout']) ?? 5, retries: num(hc?.['Retries']) ?? 3, startPeriodS: num(hc?.['StartPeriod']) ?? 0 }
    : undefined;
  if (hc && !healthCheck) notes.push('the container health check cannot be read (Command must be CMD or CMD-SHELL with literal values): not run');
  if (props['NetworkMode'] === 'awsvpc') notes.push('the host network (loopback only) stands in for the task\'s awsvpc interface');

  // The ALB's health check is the one that decides whether Fargate keeps a task: read it from the target group.
  const tgRef = isObj(lb?.['TargetGroupArn']) ? lb['TargetGroupArn']['Ref'] : undefined;
  const tg = typeof tgRef === 'string' ? template.Resources[tgRef]?.Properties ?? {} : {};
  const protocol = resolveValue(tg['HealthCheckProtocol'] ?? tg['Protocol'], template, params)?.toUpperCase() === 'HTTP' ? 'HTTP' : 'HTTPS';
  const path = resolveValue(tg['HealthCheckPath'], template, params) ?? '/';
  const matcher = (isObj(tg['Matcher']) ? resolveValue(tg['Matcher']['HttpCode'], template, params) : undefined) ?? '200';
  if (typeof tgRef !== 'string') notes.push('no target group found: health checked as HTTPS / answering 200');

  return {
    containerName: typeof container['Name'] === 'string' ? container['Name'] : 'app',
    containerPort: port,
    environment,
    ...(cpuUnits ? { cpuUnits } : {}),
    ...(memoryMiB ? { memoryMiB } : {}),
    ...(healthCheck ? { healthCheck } : {}),
    health: { protocol, path, matcher },
    notes,
  };
}

/** Does an HTTP status satisfy an ELBv2 matcher ("200", "200,204", "200-299")? */
export function matcherAccepts(matcher: string, status: number): boolean {
  return matcher.split(',').some((part) => {
    const [lo, hi] = part.trim().split('-').map(Number);
    if (lo === undefined || Number.isNaN(lo)) return false;
    return hi === undefined ? status === lo : status >= lo && status <= hi;
  });
}
