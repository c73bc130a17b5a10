// Reads CloudFormation YAML templates into plain JS. Templates use the short intrinsic-function tags
// (!Ref, !Sub, !GetAtt, ...), which a stock YAML parser rejects as unknown tags; each one is turned
// into its long JSON form ({ Ref: x }, { 'Fn::Sub': x }, ...), exactly as CloudFormation reads them.
import { parseDocument, type Tags, type YAMLMap, type YAMLSeq } from 'yaml';

/** Fn:: functions that have a `!Name` short form (CloudFormation's own list). */
const FN_NAMES = [
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAtt', 'GetAZs', 'If', 'ImportValue', 'Join',
  'Not', 'Or', 'Select', 'Split', 'Sub', 'Transform', 'Length', 'ToJsonString', 'ForEach',
] as const;

export type CfnValue = string | number | boolean | null | CfnValue[] | { [key: string]: CfnValue };

export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Metadata?: Record<string, CfnValue>;
  Parameters?: Record<string, Record<string, CfnValue>>;
  Conditions?: Record<string, CfnValue>;
  /** Parameter rules (cfn-rules.ts evaluates them). */
  Rules?: Record<string, CfnValue>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, Record<string, CfnValue>>;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, CfnValue>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Condition?: string;
  Metadata?: Record<string, CfnValue>;
}

/** The long-form key of a short tag: `!Ref` → `Ref`, `!Condition` → `Condition`, `!Sub` → `Fn::Sub`. */
function longKey(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** `!GetAtt A.B` is the one short form whose scalar becomes a list: ['A', 'B'] (split at the first dot). */
function scalarArg(name: string, value: string): CfnValue {
  if (name !== 'GetAtt') return value;
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

function cfnTags(): Tags {
  const tags: Tags = [];
  for (const name of ['Ref', 'Condition', ...FN_NAMES]) {
    const key = longKey(name);
    const tag = `!${name}`;
    tags.push({ tag, resolve: (value: string) => ({ [key]: scalarArg(name, value) }) });
    // Nested tags inside the collection are already resolved to plain objects by the time this runs.
    tags.push({ tag, collection: 'seq', resolve: (seq: YAMLSeq.Parsed | YAMLMap.Parsed) => ({ [key]: seq.toJSON() as CfnValue }) });
    tags.push({ tag, collection: 'map', resolve: (map: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [key]: map.toJSON() as CfnValue }) });
  }
  return tags;
}

const CFN_TAGS = cfnTags();

/** Parses template text; throws on YAML errors and on unknown tags (which `yaml` only warns about) rather than guessing. */
export function parseCfnYaml(text: string): CfnTemplate {
  const parsed = parseDocument(text, { customTags: CFN_TAGS, strict: true, prettyErrors: true, uniqueKeys: true });
  const problem = parsed.errors[0] ?? parsed.warnings[0];
  if (problem !== undefined) throw new Error(`template YAML: ${problem.message}`);
  const doc: unknown = parsed.toJS();
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || !('Resources' in doc)) {
    throw new Error('not a CloudFormation template: no top-level Resources mapping');
  }
  return doc as CfnTemplate;
}
