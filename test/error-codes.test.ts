// The error code registry (cli/core/codes.ts) against the README's error code table, which users and scripts read,
// and what an unexpected throw becomes. The codes the sources actually throw, found by scanning the sources' text,
// are checked against the registry in test/error-codes-sources.test.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CODES, type ErrorCode } from '../cli/core/codes.ts';
import { BugError, EXIT, toHelloDeployError } from '../cli/core/errors.ts';
import { ROOT } from './support/paths.ts';

const registered = new Set<string>(Object.keys(CODES));

/** The rows of README.md's "### Error codes" table: | `CODE` | exit | meaning |. */
function readmeRows(): Array<{ code: string; exit: number; meaning: string }> {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n### Error codes\n');
  assert.notEqual(start, -1, 'README.md has an "### Error codes" section');
  const section = readme.slice(start + 1).split(/\n#{1,3} /)[0] ?? '';
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const m = /^\| `([A-Z][A-Z0-9_]*)` \| (\d+) \| (.*) \|$/.exec(l);
      assert.ok(m, `README error code row not in the "| \`CODE\` | exit | meaning |" shape: ${l}`);
      return { code: m[1]!, exit: Number(m[2]), meaning: m[3]! };
    });
}

describe('error code registry', () => {
  test('the README table lists exactly the registered codes, alphabetically, with their exit status and meaning', () => {
    const rows = readmeRows();
    const inReadme = rows.map((r) => r.code);
    assert.deepEqual(inReadme.filter((c) => !registered.has(c)), [], 'in the README but not in cli/core/codes.ts');
    assert.deepEqual([...registered].filter((c) => !inReadme.includes(c)), [], 'in cli/core/codes.ts but not in the README');
    assert.deepEqual(inReadme, [...inReadme].sort(), 'README rows are alphabetical');
    assert.equal(new Set(inReadme).size, inReadme.length, 'no code listed twice');
    for (const r of rows) {
      const info = CODES[r.code as ErrorCode];
      assert.equal(r.exit, info.exit, `${r.code}: exit in the README`);
      assert.equal(r.meaning, info.meaning, `${r.code}: meaning in the README`);
    }
  });

  test('anything thrown that is not a HelloDeployError is reported as BUG (exit 1) with how to report it', () => {
    for (const thrown of [new TypeError("Cannot read properties of undefined (reading 'Stacks')"), 'a string']) {
      const e = toHelloDeployError(thrown);
      assert.ok(e instanceof BugError);
      assert.equal(e.code, 'BUG');
      assert.equal(e.exitCode, EXIT.failure);
      assert.match(e.message, /Cannot read properties|a string/);
      assert.match(e.hint ?? '', /rerun/i);
      assert.match(e.hint ?? '', /copy the whole output/);
      assert.match(e.hint ?? '', /open an issue/);
    }
  });
});
