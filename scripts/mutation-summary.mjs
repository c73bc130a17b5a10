#!/usr/bin/env zx
// Prints the mutation score per folder, as the markdown table README's "Mutation score" section holds, from the
// JSON report `npm run mutate` writes (reports/mutation/mutation.json, the mutation-testing-elements schema:
// https://github.com/stryker-mutator/mutation-testing-elements/tree/master/packages/report-schema).
//   zx scripts/mutation-summary.mjs [report.json ...] [--survivors]
// Several reports (runs of one folder each, `npm run mutate -- --mutate <glob>`, copied aside) are merged.
// --survivors also lists every mutant that survived or had no coverage (file:line mutator: replacement), the raw
// material of docs/mutation.md.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { argv } from 'zx';

const root = path.resolve(import.meta.dirname, '..');
const files = (argv._.length ? argv._ : ['reports/mutation/mutation.json']).map((f) => path.resolve(root, String(f)));

// Stryker's own score: detected (killed, timeout) over detected plus undetected (survived, no coverage); mutants
// that did not compile, crashed the runtime or were ignored are not counted either way.
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const folders = new Map();
const survivors = [];
const entries = files.flatMap((f) => Object.entries(JSON.parse(readFileSync(f, 'utf8')).files));
for (const [name, entry] of entries) {
  const rel = path.relative(root, path.resolve(root, name));
  const folder = rel === 'cli/adapters/smoke.ts' ? 'cli/adapters/smoke.ts' : path.dirname(rel);
  const row = folders.get(folder) ?? { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
  for (const m of entry.mutants) {
    if (m.status === 'Killed') row.killed++;
    else if (m.status === 'Timeout') row.timeout++;
    else if (m.status === 'Survived') row.survived++;
    else if (m.status === 'NoCoverage') row.noCoverage++;
    if (UNDETECTED.has(m.status)) {
      survivors.push(`${rel}:${m.location.start.line} ${m.mutatorName} (${m.status}): ${String(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80)}`);
    }
  }
  folders.set(folder, row);
}

const pct = (r) => {
  const detected = r.killed + r.timeout;
  const total = detected + r.survived + r.noCoverage;
  return total === 0 ? 'n/a' : `${((100 * detected) / total).toFixed(1)} %`;
};
const date = files.map((f) => statSync(f).mtime.toISOString().slice(0, 10)).sort().at(-1);
const all = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
console.log(`Mutation score per folder (${files.map((f) => path.relative(root, f)).join(', ')}, ${date}):\n`);
console.log('| folder | score | killed | timeout | survived | no coverage |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [folder, r] of [...folders].sort(([a], [b]) => a.localeCompare(b))) {
  for (const k of Object.keys(all)) all[k] += r[k];
  console.log(`| \`${folder}\` | ${pct(r)} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} |`);
}
console.log(`| **all** | **${pct(all)}** | ${all.killed} | ${all.timeout} | ${all.survived} | ${all.noCoverage} |`);
if (argv.survivors) {
  console.log(`\n${survivors.length} undetected:`);
  for (const s of survivors) console.log(`- ${s}`);
}
