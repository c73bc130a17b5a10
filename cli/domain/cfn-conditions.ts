// Which of a template's Conditions hold for given parameter values (the template's defaults fill the rest), for the
// intrinsic functions conditions may use over parameters: Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition, Ref.
// Anything else (a pseudo parameter, Fn::FindInMap) is not decided here: such a condition is reported undefined,
// and callers treat it as "may hold".
import type { CfnTemplate, CfnValue } from './cfn-yaml.ts';

export function conditionValues(t: CfnTemplate, parameters: Record<string, string> = {}): Record<string, boolean | undefined> {
  const params: Record<string, string> = {};
  for (const [name, p] of Object.entries(t.Parameters ?? {})) {
    const d = p['Default'];
    if (typeof d === 'string' || typeof d === 'number') params[name] = String(d);
  }
  Object.assign(params, parameters);
  const conditions = t.Conditions ?? {};
  const memo: Record<string, boolean | undefined> = {};
  const value = (v: CfnValue): string | undefined => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v['Ref'] === 'string') return params[v['Ref']];
    return undefined;
  };
  const holds = (c: CfnValue, depth: number): boolean | undefined => {
    if (depth > 50 || c === null || typeof c !== 'object' || Array.isArray(c)) return undefined;
    const [op, args] = Object.entries(c)[0] ?? [];
    const list = Array.isArray(args) ? args : [];
    switch (op) {
      case 'Condition': return typeof args === 'string' ? named(args, depth + 1) : undefined;
      case 'Fn::Equals': {
        const [a, b] = [value(list[0] ?? null), value(list[1] ?? null)];
        return a === undefined || b === undefined ? undefined : a === b;
      }
      case 'Fn::Not': {
        const x = holds(list[0] ?? null, depth + 1);
        return x === undefined ? undefined : !x;
      }
      case 'Fn::And': case 'Fn::Or': {
        const xs = list.map((x) => holds(x, depth + 1));
        if (op === 'Fn::And' ? xs.includes(false) : xs.includes(true)) return op === 'Fn::Or';
        return xs.includes(undefined) ? undefined : op === 'Fn::And';
      }
      default: return undefined;
    }
  };
  const named = (name: string, depth: number): boolean | undefined => {
    if (!(name in memo)) memo[name] = conditions[name] === undefined ? undefined : holds(conditions[name]!, depth);
    return memo[name];
  };
  for (const name of Object.keys(conditions)) named(name, 0);
  return memo;
}
