// The job summary a deploy appends to $GITHUB_STEP_SUMMARY: what it says for a success and a failure, and that no
// value (an ecosystem, an error message, a URL) can add markdown or HTML of its own. The end-to-end write, by a
// real deploy in a workflow's run step, is in test/ci-workflow-runs.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { escapeMarkdown, stepSummary } from '../cli/deploy/summary.ts';
import { appendStepSummary } from '../cli/commands/step-summary.ts';
import type { DeployResult } from '../cli/deploy/result.ts';
import { deployCost } from '../cli/deploy/cost.ts';
import { US_EAST_1 } from '../cli/domain/price-tables.ts';

const pricing = { infraTemplate: readFileSync(new URL('../infra/hello-world-infra.yaml', import.meta.url), 'utf8'), ecrTemplate: readFileSync(new URL('../infra/hello-world-ecr-infra.yaml', import.meta.url), 'utf8'), table: US_EAST_1, notes: [] };

const ok: DeployResult = {
  type: 'result',
  ok: true,
  url: 'https://main-hello-world-123.us-east-1.elb.amazonaws.com',
  stacks: { ecr: 'main-hello-world-ecr', infra: 'main-hello-world-infra' },
  image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/main-hello-world-ecr@sha256:${'a'.repeat(64)}`,
};

test('a deploy\'s summary: the URL as a link, the image and its digest, both stacks, the monthly cost with its basis', () => {
  const md = stepSummary(ok, { ecosystem: 'main', region: 'us-east-1', architecture: 'X86_64', cost: deployCost({ architecture: 'X86_64' }, pricing, new Date('2026-12-01T00:00:00Z')) });
  assert.match(md, /^### ✔ hello-deploy: ecosystem main deployed in us\\-east\\-1$/m);
  assert.match(md, /^\| URL \| <https:\/\/main-hello-world-123\.us-east-1\.elb\.amazonaws\.com> \|$/m);
  assert.match(md, new RegExp(`^\\| digest \\| sha256:${'a'.repeat(64)} \\|$`, 'm'));
  assert.match(md, /^\| infra stack \| main\\-hello\\-world\\-infra \|$/m);
  assert.match(md, /^\| cost \| about \$\d+\\\.\d\d\/mo at 1 task \\\(\$\d+\\\.\d\d–\$\d+\\\.\d\d\/mo for 1–4\\\), X86\\_64, public IPv4 \$10\\\.95\/mo \(us\\-east\\-1 bundled prices of /m);
});

test('a failed deploy\'s summary names the code and the message; hostile text stays text', () => {
  const md = stepSummary({ type: 'result', ok: false, error: { code: 'STACK_FAILED', message: 'boom <img src=x onerror=alert(1)> | [x](javascript:1)\n# heading' } }, { ecosystem: 'feat-x', architecture: 'ARM64' });
  assert.match(md, /^### ✘ hello-deploy: ecosystem feat\\-x not deployed$/m);
  assert.ok(!/(^|[^\\])<img/.test(md) && !/[^\\]\]\(/.test(md) && !/\n# heading/.test(md), md);
  assert.equal(escapeMarkdown('a|b*c_d`e<f>'), 'a\\|b\\*c\\_d\\`e\\<f\\>');
  // A URL that is not plain is escaped rather than linked.
  const odd = stepSummary({ ...ok, url: 'https://x/<script>' } as DeployResult, { ecosystem: 'main', architecture: 'X86_64' });
  assert.match(odd, /\| URL \| https:\/\/x\/\\<script\\> \|/);
});

test('appendStepSummary appends to $GITHUB_STEP_SUMMARY (after what earlier steps wrote), and does nothing without it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hd-summary-'));
  try {
    const file = path.join(dir, 'summary.md');
    await appendStepSummary(ok, { ecosystem: 'main', architecture: 'X86_64' }, { GITHUB_STEP_SUMMARY: file });
    await appendStepSummary(ok, { ecosystem: 'main', architecture: 'X86_64' }, { GITHUB_STEP_SUMMARY: file });
    assert.equal(readFileSync(file, 'utf8').match(/### ✔/g)?.length, 2);
    await appendStepSummary(ok, { ecosystem: 'main', architecture: 'X86_64' }, {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
