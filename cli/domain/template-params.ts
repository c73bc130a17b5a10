// Checks parameter values against a template's own constraints (AllowedPattern, lengths, AllowedValues, number
// bounds) and reports each failure with the template's ConstraintDescription, as CloudFormation would. Reading
// the rules from the template keeps the CLI and the templates from drifting apart, and it runs before any AWS
// call: emulators (moto) do not enforce these constraints at all. The template's Rules (combinations of values, e.g.
// SSLCert required without DomainName) are checked after them, by cfn-rules.ts.
import { parseCfnYaml, type CfnTemplate, type CfnValue } from './cfn-yaml.ts';
import { ruleViolations } from './cfn-rules.ts';
import { shown } from './shown.ts';

export interface ParameterViolation {
  parameter: string;
  value: string;
  message: string;
}

const str = (v: CfnValue | undefined) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** `labels` names each parameter in messages the way the user gave it (e.g. ImageId → --image); default: its name. */
/** A top-level block of the template (`Parameters:` and its indented lines), or undefined when it cannot be cut out. */
const block = (body: string, key: string) => new RegExp(`^${key}:[ \\t]*\\r?\\n(?:(?:[ \\t].*|[ \\t]*|#.*)(?:\\r?\\n|$))*`, 'm').exec(body)?.[0];

/**
 * The template's Parameters and Rules sections. Only those top-level blocks are parsed when they can be cut out (the
 * whole template is ten times larger, and this runs on every command line before anything else); otherwise the whole
 * template.
 */
function sectionsOf(templateBody: string): Pick<CfnTemplate, 'Parameters' | 'Rules'> {
  const params = block(templateBody, 'Parameters');
  const rules = /^Rules:/m.test(templateBody) ? block(templateBody, 'Rules') : '';
  if (params === undefined || rules === undefined) return parseCfnYaml(templateBody);
  return parseCfnYaml(`${params}\n${rules}\nResources: {}\n`);
}

/**
 * `omitted`: the parameters the stack operation will leave out, so they take their Default in the Rules (see
 * cfn-rules.ts); a parameter neither given nor omitted is not known yet, and no rule over it refuses anything here.
 */
export function checkParameterValues(templateBody: string, values: Record<string, string>, labels: Record<string, string> = {}, opts: { omitted?: readonly string[] } = {}): ParameterViolation[] {
  const sections = sectionsOf(templateBody);
  const params = sections.Parameters ?? {};
  const out: ParameterViolation[] = [];
  for (const [name, value] of Object.entries(values)) {
    const spec = params[name];
    if (!spec) continue;
    const problems: string[] = [];
    const pattern = str(spec['AllowedPattern']);
    // CloudFormation matches AllowedPattern against the whole value.
    if (pattern !== undefined && !new RegExp(`^(?:${pattern})$`).test(value)) problems.push('pattern');
    const min = str(spec['MinLength']);
    const max = str(spec['MaxLength']);
    if (min !== undefined && value.length < Number(min)) problems.push('length');
    if (max !== undefined && value.length > Number(max)) problems.push('length');
    const allowed = spec['AllowedValues'];
    if (Array.isArray(allowed) && !allowed.map(String).includes(value)) problems.push('allowed values');
    if (spec['Type'] === 'Number') {
      const n = Number(value);
      if (value.trim() === '' || Number.isNaN(n)) problems.push('number');
      const lo = str(spec['MinValue']);
      const hi = str(spec['MaxValue']);
      if (lo !== undefined && n < Number(lo)) problems.push('range');
      if (hi !== undefined && n > Number(hi)) problems.push('range');
    }
    if (problems.length) {
      const because = str(spec['ConstraintDescription']) ?? `it does not satisfy the template's ${problems.join(', ')} constraint`;
      out.push({ parameter: name, value, message: `${labels[name] ?? name} ${shown(value)}: ${because.trim()}` });
    }
  }
  // As CloudFormation: each value against its own constraints first, then the combinations.
  if (out.length > 0) return out;
  for (const v of ruleViolations(sections, values, opts.omitted)) out.push({ parameter: `Rules.${v.rule}`, value: '', message: v.description });
  return out;
}
