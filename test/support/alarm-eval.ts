// Replays a CloudWatch alarm of the template on made-up minute-by-minute metrics, to check when it would mail. Only
// what the templates use is modelled: a single-metric alarm or a metric-math alarm whose ReturnData expression is
// built from IF, comparisons, AND/OR, arithmetic and the ids of its MetricStat queries; the last EvaluationPeriods
// datapoints, DatapointsToAlarm of which must breach; missing data treated as not breaching.
import type { CfnValue } from '../../cli/domain/cfn-yaml.ts';

/** One minute of metrics, by metric name (e.g. { CPUUtilization: 90, DesiredTaskCount: 4 }). */
export type Minute = Record<string, number>;

type Obj = Record<string, CfnValue>;
const obj = (v: CfnValue | undefined): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});

/** The ReturnData expression as a function of one minute; `params` resolves ${Param} in an Fn::Sub expression. */
function valueOf(alarm: Obj, params: Record<string, string>): (m: Minute) => number | undefined {
  const metrics = Array.isArray(alarm['Metrics']) ? alarm['Metrics'].map(obj) : undefined;
  if (!metrics) {
    const name = String(alarm['MetricName']);
    return (m) => m[name];
  }
  const byId = new Map(metrics.filter((q) => q['MetricStat'] !== undefined).map((q) => [String(q['Id']), String(obj(obj(q['MetricStat'])['Metric'])['MetricName'])]));
  const out = metrics.find((q) => q['ReturnData'] !== false);
  const raw = out?.['Expression'];
  const sub = obj(raw)['Fn::Sub'];
  const text = typeof raw === 'string' ? raw : typeof sub === 'string' ? sub.replace(/\$\{(\w+)\}/g, (_, p: string) => params[p] ?? `\${${p}}`) : undefined;
  if (text === undefined) throw new Error('no ReturnData expression');
  if (!/^[\w\s.,()<>=!&|+\-*/]+$/.test(text) || /\$\{/.test(text)) throw new Error(`unsupported expression: ${text}`);
  const js = text.replace(/\bAND\b/g, '&&').replace(/\bOR\b/g, '||');
  const ids = [...byId.keys()];
  // The expression is the template's own, checked against the character list above; IF is CloudWatch's.
  const fn = new Function(...ids, 'IF', `return (${js});`) as (...a: unknown[]) => number;
  const IF = (c: unknown, a: number, b: number) => (c ? a : b);
  return (m) => {
    const args = ids.map((id) => m[byId.get(id)!]);
    if (args.some((a) => a === undefined)) return undefined; // metric math yields no point where an input has none
    return Number(fn(...args, IF));
  };
}

const COMPARE: Record<string, (v: number, t: number) => boolean> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/** Whether the alarm is in ALARM after the last of `minutes` (each minute one datapoint; the alarms use 60 s periods). */
export function alarmFires(alarm: Obj, minutes: Minute[], params: Record<string, string> = {}): boolean {
  const value = valueOf(alarm, params);
  const n = Number(alarm['EvaluationPeriods']);
  const m = Number(alarm['DatapointsToAlarm'] ?? n);
  const compare = COMPARE[String(alarm['ComparisonOperator'])];
  if (!compare) throw new Error(`unsupported ComparisonOperator ${String(alarm['ComparisonOperator'])}`);
  const threshold = Number(alarm['Threshold']);
  const breaching = minutes.slice(-n).filter((minute) => {
    const v = value(minute);
    return v !== undefined && compare(v, threshold);
  }).length;
  return breaching >= m;
}
