// A template's Rules section, evaluated over parameter values the way CloudFormation does before it creates or
// updates anything: a rule whose RuleCondition holds (or that has none) must have every Assert hold, or the stack
// operation is refused with that assertion's AssertDescription
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html). Pure: the deploy's
// parameter check (template-params.ts) calls it before any AWS call, since moto does not read Rules at all (the
// launcher's moto_ext/cfn_rules.py makes it), so a combination AWS would refuse never reaches a stack.
//
// The rule-specific functions it knows: Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals,
// Fn::EachMemberIn and Ref to a parameter. Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll (they read AWS resources'
// attributes) and Fn::If are refused as unsupported rather than guessed.
import type { CfnTemplate, CfnValue } from './cfn-yaml.ts';

export interface RuleViolation {
  rule: string;
  /** The failed assertion's AssertDescription (what CloudFormation answers), or a generic line when it has none. */
  description: string;
}

/** Thrown for a rule function this evaluator does not implement: the template is not judged by guesswork. */
export class UnsupportedRuleFunction extends Error {}

const UNSUPPORTED = new Set(['Fn::ValueOf', 'Fn::ValueOfAll', 'Fn::RefAll', 'Fn::If']);

/** A value inside a rule: a string, a list of strings, a boolean; undefined when it cannot be known yet. */
type Val = string | string[] | boolean | undefined;

const isList = (t: string | undefined) => t !== undefined && (t === 'CommaDelimitedList' || t.startsWith('List<'));

/**
 * The rules that `values` break. A parameter in `values` has that value; one named in `omitted` is left out of the
 * stack operation, so it takes its Default (as CloudFormation does); any other parameter is not known yet (e.g. a
 * certificate imported later), and a condition or assertion over it is not decided here, so it refuses nothing.
 */
export function ruleViolations(t: Pick<CfnTemplate, 'Parameters'> & { Rules?: Record<string, CfnValue> }, values: Record<string, string>, omitted: readonly string[] = []): RuleViolation[] {
  const specs = t.Parameters ?? {};
  const param = (name: string): Val => {
    const spec = specs[name];
    if (!spec) return undefined; // a pseudo parameter (AWS::Region) or a typo: not decided here
    let raw: string | undefined = values[name];
    if (raw === undefined && omitted.includes(name)) {
      const d = spec['Default'];
      raw = typeof d === 'string' || typeof d === 'number' ? String(d) : undefined;
    }
    if (raw === undefined) return undefined;
    return isList(typeof spec['Type'] === 'string' ? spec['Type'] : undefined) ? (raw === '' ? [] : raw.split(',').map((s) => s.trim())) : raw;
  };
  const ev = (v: CfnValue, rule: string, depth: number): Val => {
    if (depth > 50) throw new UnsupportedRuleFunction(`rule ${rule}: nested too deeply`);
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    if (typeof v === 'boolean') return v;
    if (v === null) return undefined;
    if (Array.isArray(v)) {
      const items = v.map((x) => ev(x, rule, depth + 1));
      if (items.some((x) => x === undefined)) return undefined;
      return items.flatMap((x) => (Array.isArray(x) ? x : [String(x)]));
    }
    const entries = Object.entries(v);
    if (entries.length !== 1) throw new UnsupportedRuleFunction(`rule ${rule}: ${JSON.stringify(v).slice(0, 80)} is not a rule function`);
    const [op, args] = entries[0]!;
    if (UNSUPPORTED.has(op)) throw new UnsupportedRuleFunction(`rule ${rule}: ${op} is not supported by hello-deploy's rule check`);
    if (op === 'Ref') return typeof args === 'string' ? param(args) : undefined;
    const list = Array.isArray(args) ? args : [args];
    const at = (i: number) => ev(list[i] ?? null, rule, depth + 1);
    const strings = (x: Val): string[] | undefined => (x === undefined || typeof x === 'boolean' ? undefined : Array.isArray(x) ? x : [x]);
    switch (op) {
      case 'Fn::Equals': {
        const [a, b] = [at(0), at(1)];
        return a === undefined || b === undefined ? undefined : JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not': {
        const x = at(0);
        return x === undefined ? undefined : !truth(x, rule);
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const xs = list.map((_, i) => at(i)).map((x) => (x === undefined ? undefined : truth(x, rule)));
        if (op === 'Fn::And' ? xs.includes(false) : xs.includes(true)) return op === 'Fn::Or';
        return xs.includes(undefined) ? undefined : op === 'Fn::And';
      }
      case 'Fn::Contains': {
        const [within, x] = [strings(at(0)), at(1)];
        return within === undefined || typeof x !== 'string' ? undefined : within.includes(x);
      }
      case 'Fn::EachMemberEquals': {
        const [members, x] = [strings(at(0)), at(1)];
        return members === undefined || typeof x !== 'string' ? undefined : members.every((m) => m === x);
      }
      case 'Fn::EachMemberIn': {
        const [members, allowed] = [strings(at(0)), strings(at(1))];
        return members === undefined || allowed === undefined ? undefined : members.every((m) => allowed.includes(m));
      }
      default:
        throw new UnsupportedRuleFunction(`rule ${rule}: ${op} is not a rule function hello-deploy's rule check knows`);
    }
  };
  const truth = (x: Val, rule: string): boolean => {
    if (typeof x === 'boolean') return x;
    if (x === 'true' || x === 'false') return x === 'true';
    throw new UnsupportedRuleFunction(`rule ${rule}: ${JSON.stringify(x)} is not true or false`);
  };
  const out: RuleViolation[] = [];
  for (const [rule, body] of Object.entries(t.Rules ?? {})) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) continue;
    const cond = body['RuleCondition'];
    if (cond !== undefined) {
      const c = ev(cond, rule, 0);
      if (c === undefined || !truth(c, rule)) continue;
    }
    const assertions = Array.isArray(body['Assertions']) ? body['Assertions'] : [];
    for (const a of assertions) {
      if (a === null || typeof a !== 'object' || Array.isArray(a)) continue;
      const held = ev(a['Assert'] ?? null, rule, 0);
      if (held === undefined || truth(held, rule)) continue;
      const d = a['AssertDescription'];
      out.push({ rule, description: typeof d === 'string' && d.trim() ? d.trim() : `Template rule ${rule} is not satisfied by these parameter values.` });
    }
  }
  return out;
}
