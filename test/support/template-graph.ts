// The order CloudFormation creates a template's resources in, read the way CloudFormation reads it: a resource
// waits for every resource it names with Ref, Fn::GetAtt or a ${…} in Fn::Sub, and for every resource in its
// DependsOn; deletion runs the same edges backwards
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html).
import type { CfnTemplate, CfnValue } from '../../cli/domain/cfn-yaml.ts';

/** `${Name}` and `${Name.Attr}` in an Fn::Sub string; `${!Literal}` is an escape, not a reference. */
function subNames(text: string): string[] {
  return [...text.matchAll(/\$\{([^}!][^}]*)\}/g)].map((m) => m[1]!.split('.')[0]!.trim());
}

/** Every logical name a value refers to (resources and parameters alike; the caller keeps the resources). */
export function referencedNames(v: CfnValue): Set<string> {
  const out = new Set<string>();
  const walk = (x: CfnValue, locals: ReadonlySet<string>) => {
    if (Array.isArray(x)) { for (const y of x) walk(y, locals); return; }
    if (x === null || typeof x !== 'object') return;
    for (const [k, y] of Object.entries(x)) {
      if (k === 'Ref' && typeof y === 'string') out.add(y);
      else if (k === 'Fn::GetAtt') {
        const target = Array.isArray(y) ? y[0] : typeof y === 'string' ? y.split('.')[0] : undefined;
        if (typeof target === 'string') out.add(target);
        else walk(y, locals);
      } else if (k === 'Fn::Sub') {
        // The long form's second element defines local variables; the string may use them without naming a resource.
        const [text, vars] = Array.isArray(y) ? [y[0], y[1]] : [y, undefined];
        const own = new Set(locals);
        if (vars !== undefined && vars !== null && typeof vars === 'object' && !Array.isArray(vars)) {
          for (const [name, value] of Object.entries(vars)) { own.add(name); walk(value, locals); }
        }
        if (typeof text === 'string') for (const n of subNames(text)) if (!own.has(n)) out.add(n);
      } else walk(y, locals);
    }
  };
  walk(v, new Set());
  return out;
}

/** Direct edges: resource → the resources it must wait for. */
export function dependencies(t: CfnTemplate): Map<string, Set<string>> {
  const ids = new Set(Object.keys(t.Resources));
  const edges = new Map<string, Set<string>>();
  for (const [id, r] of Object.entries(t.Resources)) {
    const deps = new Set([...referencedNames((r.Properties ?? {}) as CfnValue)].filter((n) => ids.has(n)));
    for (const d of typeof r.DependsOn === 'string' ? [r.DependsOn] : r.DependsOn ?? []) deps.add(d);
    edges.set(id, deps);
  }
  return edges;
}

/** Every resource `id` waits for, directly or through others (so: is created after, and deleted before). */
export function createdAfter(t: CfnTemplate, id: string): Set<string> {
  const edges = dependencies(t);
  const seen = new Set<string>();
  const stack = [...(edges.get(id) ?? [])];
  while (stack.length) {
    const d = stack.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    stack.push(...(edges.get(d) ?? []));
  }
  return seen;
}

/** A dependency cycle (CloudFormation refuses those), as the list of ids around it; undefined when there is none. */
export function findCycle(t: CfnTemplate): string[] | undefined {
  const edges = dependencies(t);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const d of edges.get(id) ?? []) {
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}
