// Checks parameter values against a template's own constraints (AllowedPattern, lengths, AllowedValues, number
// bounds) and reports each failure with the template's ConstraintDescription, as CloudFormation would. Reading
// the rules from the template keeps the CLI and the templates from drifting apart, and it runs before any AWS
// call: emulators (moto) do not enforce these constraints at all.
import { parseCfnYaml, type CfnValue } from './cfn-yaml.ts';
import { shown } from './shown.ts';

export interface ParameterViolation {
  parameter: string;
  value: string;
  message: string;
}

const str = (v: CfnValue | undefined) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** `labels` names each parameter in messages the way the user gave it (e.g. ImageId → --image); default: its name. */
/**
 * The template's Parameters section. Only that top-level block is parsed when it can be cut out (the whole template
 * is ten times larger, and this runs on every command line before anything else); otherwise the whole template.
 */
function parametersOf(templateBody: string): Record<string, Record<string, CfnValue>> {
  const block = /^Parameters:[ \t]*\r?\n(?:(?:[ \t].*|[ \t]*|#.*)(?:\r?\n|$))*/m.exec(templateBody)?.[0];
  return parseCfnYaml(block === undefined ? templateBody : `${block}\nResources: {}\n`).Parameters ?? {};
}

export function checkParameterValues(templateBody: string, values: Record<string, string>, labels: Record<string, string> = {}): ParameterViolation[] {
  const params = parametersOf(templateBody);
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
  return out;
}
