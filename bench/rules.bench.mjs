// Outside rules: which checkov 3.3 and AWS Guard Rules Registry rules the two templates pass, by id (the rules are
// re-encoded in test/support/outside-rules.ts; README "Outside rules" says why each failing one stays failing).
// Not a timing: it records the list in bench/results/latest.json, and its target is that every failing rule has
// a written reason in the README and the README claims no rule the templates do not pass.
// Run: `node bench/rules.bench.mjs` or through `npm run bench -- rules`.
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { ROOT } from './lib.mjs';

export async function run() {
  const { evaluate, readmeRules } = await tsImport('../test/support/outside-rules.ts', import.meta.url);
  const { parseCfnYaml } = await tsImport('../cli/domain/cfn-yaml.ts', import.meta.url);
  const files = ['hello-world-ecr-infra.yaml', 'hello-world-infra.yaml'];
  const templates = Object.fromEntries(files.map((f) => [f, parseCfnYaml(readFileSync(path.join(ROOT, 'infra', f), 'utf8'))]));
  const outcomes = evaluate(templates);
  const readme = readmeRules(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  const failing = outcomes.filter((o) => o.outcome === 'fail');
  const passing = outcomes.filter((o) => o.outcome === 'pass');
  const unexplained = failing.filter((o) => !readme.failing.has(o.id)).map((o) => o.id);
  const stale = [...readme.failing.keys()].filter((id) => !failing.some((o) => o.id === id));
  const pass = unexplained.length === 0 && stale.length === 0;
  const lines = outcomes.map((o) => `  ${o.outcome === 'pass' ? 'pass' : o.outcome === 'fail' ? 'FAIL' : 'n/a '} ${o.id} (${o.source}): ${o.title}`
    + (o.outcome === 'fail' ? `\n       ${o.failing.join(', ')}; README: ${readme.failing.get(o.id) ?? 'NO REASON GIVEN'}` : ''));
  return {
    name: 'rules',
    results: { rules: outcomes.length, passing: passing.map((o) => o.id), failing: failing.map((o) => ({ id: o.id, resources: o.failing, reason: readme.failing.get(o.id) ?? null })), unexplained, stale },
    pass,
    summary: `${passing.length} of ${outcomes.length} outside rules pass (checkov 3.3, AWS Guard Rules Registry); ${failing.length} stay failing`
      + `${unexplained.length ? `, ${unexplained.length} without a reason in the README (${unexplained.join(', ')})` : ', each with its reason in the README'}`
      + `${stale.length ? `; the README lists ${stale.join(', ')} as failing, but they pass` : ''}\n${lines.join('\n')}`,
  };
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(import.meta.filename)) console.log((await run()).summary);
