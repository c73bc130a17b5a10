// `npm run bench`: runs every bench/*.bench.mjs in turn (never in parallel: they would share 2 cores), prints each
// summary, and writes the figures to bench/results/latest.json. Benchmarks are not tests: they report medians and
// ratios measured in the same run, and say whether each target was met.
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.mjs')).filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
const results = [];
for (const f of files) {
  console.log(`\n== ${f}`);
  const mod = await import(path.join(dir, f));
  const r = await mod.run();
  results.push(r);
  console.log(r.summary);
  console.log(`target: ${r.pass ? 'met' : 'NOT met'}`);
}
mkdirSync(path.join(dir, 'results'), { recursive: true });
writeFileSync(path.join(dir, 'results', 'latest.json'), `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`);
console.log(`\n${results.filter((r) => r.pass).length} of ${results.length} targets met; figures in bench/results/latest.json`);
