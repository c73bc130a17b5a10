// resolveDeployOptions on its own: every missing answer is listed at once, whatever the branch is called.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveDeployOptions } from '../cli/deploy/options.ts';
import { UsageError } from '../cli/core/errors.ts';
import { ROOT } from './support/paths.ts';

test('a branch that leaves nothing to name an ecosystem is one missing answer among the others, not an error on its own', async () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'hd-options-'));
  try {
    await assert.rejects(resolveDeployOptions({}, { cwd, projectDir: ROOT, branch: '_', imageTag: 't', resolveRegion: async () => 'us-east-1' }), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.code, 'MISSING_ANSWERS');
      assert.match(e.message, /--ecosystem <name> \(the git branch "_" leaves nothing to name one\)/);
      assert.match(e.message, /--email/);
      assert.match(e.message, /--cert-arn/);
      return true;
    });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
