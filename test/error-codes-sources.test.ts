// The error codes the sources throw against the registry (cli/core/codes.ts), found by scanning the sources' text:
// every code thrown is registered, every registered code is thrown somewhere, with the exit status its class gives.
// Apart from test/error-codes.test.ts (the registry against the README) because it reads source text: under
// `npm run mutate` the sources are Stryker's instrumented copies, which this scan cannot read.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CODES, type ErrorCode } from '../cli/core/codes.ts';
import { EXIT } from '../cli/core/errors.ts';
import { ROOT } from './support/paths.ts';

const registered = new Set<string>(Object.keys(CODES));

interface Found {
  code: string;
  file: string;
  /** The class it is constructed with, when it is a `new X(...)`; undefined for `code:` fields and super(). */
  via?: 'UsageError' | 'AbortError' | 'HelloDeployError';
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** The first argument of a call whose `(` is at `open`: up to the first comma outside brackets and strings. */
function firstArgument(text: string, open: number): string {
  let depth = 0;
  let quote = '';
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) return text.slice(open + 1, i);
      depth--;
    } else if (c === ',' && depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/**
 * Every code literal the product can throw or show: the first argument of `new UsageError|AbortError|
 * HelloDeployError(` (both branches of a `cond ? 'A' : 'B'`, not the literals the condition compares with),
 * `super('CODE'`, and `code: 'CODE'` fields (error shapes built by hand, the AWS mapping's rule table).
 */
function scanSources(): Found[] {
  const found: Found[] = [];
  for (const file of sourceFiles(path.join(ROOT, 'cli'))) {
    const text = readFileSync(file, 'utf8');
    const rel = path.relative(ROOT, file);
    for (const m of text.matchAll(/\bnew (UsageError|AbortError|HelloDeployError)\(/g)) {
      const arg = firstArgument(text, m.index + m[0].length - 1);
      for (const lit of arg.matchAll(/(?:^|[?:])\s*'([A-Z][A-Z0-9_]*)'/g)) found.push({ code: lit[1]!, file: rel, via: m[1] as Found['via'] });
    }
    for (const m of text.matchAll(/\bsuper\(\s*'([A-Z][A-Z0-9_]*)'/g)) found.push({ code: m[1]!, file: rel });
    for (const m of text.matchAll(/\bcode:\s*'([A-Z][A-Z0-9_]*)'/g)) found.push({ code: m[1]!, file: rel });
  }
  return found;
}

const EXIT_OF_CLASS = { UsageError: EXIT.usage, AbortError: EXIT.failure } as const;

describe('error codes in the sources', () => {
  test('every code the sources throw is registered, and every registered code is thrown somewhere', () => {
    const found = scanSources();
    // The scanner must see each way a code is written, or this test would pass by finding nothing.
    const seen = new Set(found.map((f) => f.code));
    for (const sample of ['AWS_REGION', 'MISSING_ANSWERS', 'KEY_UNREADABLE', 'STACK_ROLLBACK_COMPLETE', 'BAD_FLAGS', 'AWS_THROTTLED', 'BUG', 'INTERRUPTED']) {
      assert.ok(seen.has(sample), `the scan finds ${sample}`);
    }
    assert.ok(!seen.has('ROLLBACK_COMPLETE'), 'a literal compared in a condition is not taken for a code');
    const unregistered = found.filter((f) => !registered.has(f.code)).map((f) => `${f.code} (${f.file})`);
    assert.deepEqual(unregistered, [], 'thrown but not in cli/core/codes.ts');
    assert.deepEqual([...registered].filter((c) => !seen.has(c)), [], 'registered but thrown nowhere (a stale row?)');
  });

  test("each code's registered exit status is the one its error class gives", () => {
    const wrong = scanSources()
      .filter((f) => f.via !== undefined && f.via !== 'HelloDeployError')
      .filter((f) => CODES[f.code as ErrorCode]?.exit !== EXIT_OF_CLASS[f.via as keyof typeof EXIT_OF_CLASS])
      .map((f) => `${f.code} is a ${f.via} in ${f.file} but registered with exit ${CODES[f.code as ErrorCode]?.exit}`);
    assert.deepEqual(wrong, []);
  });
});
