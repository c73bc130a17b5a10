// The layer rules in eslint.config.js are the architecture (docs/architecture.md). These tests plant bad imports
// and prove the rule refuses each one, so a rule that silently stopped matching (a renamed folder, a resolver
// that no longer finds .ts files) fails here instead of letting cycles back in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { ROOT as repoRoot } from './support/paths.ts';

const eslint = new ESLint({ cwd: repoRoot });

/** Lints `source` as if it were the file at `file` (relative to the repo), and returns the layer-rule messages. */
async function layerErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'import-x/no-restricted-paths' || m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules (eslint.config.js)', () => {
  const refused: Array<[string, string, string]> = [
    ['core imports nothing of ours', 'cli/core/planted.ts', "import { stackNames } from '../domain/names.ts';\nexport const x = stackNames;\n"],
    ['domain imports only core', 'cli/domain/planted.ts', "import type { StackPort } from '../ports/deploy.ts';\nexport type X = StackPort;\n"],
    ['a product never imports another product', 'cli/rehearsal/planted.ts', "import { deploySteps } from '../deploy/plan.ts';\nexport const x = deploySteps;\n"],
    ['a product never imports an adapter', 'cli/deploy/planted.ts', "import { createDockerPort } from '../adapters/docker/docker.ts';\nexport const x = createDockerPort;\n"],
    ['a shared step never imports a product', 'cli/steps/planted.ts', "import { deploySteps } from '../deploy/plan.ts';\nexport const x = deploySteps;\n"],
    ['an adapter never imports a product', 'cli/adapters/planted.ts', "import type { RehearsalOptions } from '../rehearsal/context.ts';\nexport type X = RehearsalOptions;\n"],
    ['an adapter never imports a step', 'cli/adapters/aws/planted.ts', "import type { DeployContext } from '../../steps/context.ts';\nexport type X = DeployContext;\n"],
    ['the UI never imports an adapter', 'cli/ui/shared/planted.ts', "import { createDockerPort } from '../../adapters/docker/docker.ts';\nexport const x = createDockerPort;\n"],
    ['the rehearsal wizard never imports the deploy wizard', 'cli/ui/rehearsal/planted.ts', "import { Summary } from '../deploy/Summary.tsx';\nexport const x = Summary;\n"],
    ['printers never import the UI', 'cli/printers/planted.ts', "import { useTint } from '../ui/shared/env.tsx';\nexport const x = useTint;\n"],
    ['steps never reach the SDK', 'cli/steps/planted.ts', "import { STSClient } from '@aws-sdk/client-sts';\nexport const x = STSClient;\n"],
  ];
  for (const [name, file, source] of refused) {
    it(`refuses: ${name}`, async () => {
      const errors = await layerErrors(file, source);
      assert.equal(errors.length, 1, `${file} should be refused:\n${source}`);
    });
  }

  it('allows what the table allows (a product importing domain, ports and shared steps; commands importing adapters)', async () => {
    assert.deepEqual(await layerErrors('cli/deploy/planted.ts', "import { stackNames } from '../domain/names.ts';\nimport type { StackPort } from '../ports/deploy.ts';\nimport { validateTemplates } from '../steps/validate-templates.ts';\nexport const x = [stackNames, validateTemplates] as const;\nexport type X = StackPort;\n"), []);
    assert.deepEqual(await layerErrors('cli/commands/planted.ts', "import { createDockerPort } from '../adapters/docker/docker.ts';\nexport const x = createDockerPort;\n"), []);
  });
});

describe('files have one job', () => {
  // A file over 300 lines must say in its header why it is still one responsibility.
  const LIMIT = 300;
  const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(f) ? [p] : [];
  });
  it(`no source file in cli/ is over ${LIMIT} lines unless its header says why it is one responsibility`, () => {
    const over = files(path.join(repoRoot, 'cli'))
      .map((f) => ({ f: path.relative(repoRoot, f), text: readFileSync(f, 'utf8') }))
      .filter(({ text }) => text.split('\n').length > LIMIT && !/^\/\/ One responsibility:/m.test(text.split('\n').slice(0, 10).join('\n')))
      .map(({ f, text }) => `${f} (${text.split('\n').length} lines)`);
    assert.deepEqual(over, []);
  });
});
