// The Flask app's own tests (app/tests, pytest) start the real gunicorn server; run them as part of `npm test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { ROOT, venvTool } from './support/paths.ts';

test('app pytest suite passes against a real gunicorn', { timeout: 300_000 }, async () => {
  const r = await execa(venvTool('python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'app/tests'], {
    cwd: ROOT, all: true, reject: false, timeout: 280_000,
  });
  assert.equal(r.exitCode, 0, r.all);
  // pytest exits 0 only when tests ran, but make "they ran" explicit: a collection of zero must fail here.
  const m = /(\d+) passed/.exec(r.all ?? '');
  assert.ok(m, `no "N passed" in pytest output:\n${r.all}`);
  assert.ok(Number(m[1]) >= 10, `only ${m[1]} tests passed`);
  assert.doesNotMatch(r.all ?? '', /\d+ (failed|error)/);
});
