// The cfn-lint report cache: an unchanged template with the same cfn-lint is not linted again; any change is.
// The real cfn-lint runs behind a wrapper script that counts its invocations.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCfnLint } from '../cli/adapters/cfn-lint.ts';
import { venvTool } from './support/paths.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'hd-lintcache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Queue:
    Type: AWS::SQS::Queue
`;

test('a second lint of the same templates comes from the cache; an edited template is linted again', async () => {
  const calls = path.join(dir, 'calls.log');
  const wrapper = path.join(dir, 'cfn-lint');
  writeFileSync(wrapper, `#!/bin/sh\necho run >> '${calls}'\nexec '${venvTool('cfn-lint')}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  const file = path.join(dir, 'queue.yaml');
  writeFileSync(file, TEMPLATE);
  const count = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n').length : 0);
  const lint = createCfnLint({ env: { ...process.env, HELLO_DEPLOY_CFN_LINT: wrapper }, cacheDir: path.join(dir, 'cache') });

  const first = await lint.lint([file]);
  assert.deepEqual(first, { available: true, findings: [] });
  assert.equal(count(), 1);
  assert.deepEqual(await lint.lint([file]), first);
  assert.equal(count(), 1, 'served from the cache');

  // An unused parameter is a warning (W2001): the edit must be linted, and its finding reported.
  writeFileSync(file, TEMPLATE.replace('Resources:', 'Parameters:\n  Unused:\n    Type: String\nResources:'));
  const edited = await lint.lint([file]);
  assert.equal(count(), 2);
  assert.deepEqual(edited.findings.map((f) => f.rule), ['W2001']);
  assert.deepEqual(await lint.lint([file]), edited, 'the cached report keeps its findings');
  assert.equal(count(), 2);

  // Without a cache folder every call lints.
  const uncached = createCfnLint({ env: { ...process.env, HELLO_DEPLOY_CFN_LINT: wrapper } });
  await uncached.lint([file]);
  assert.equal(count(), 3);
});
