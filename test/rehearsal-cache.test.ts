// A warm rehearsal (issue 14, section 5): the per-user cache keeps the local registry's layers and the clean
// template verdicts between runs, and every rehearsal reuses one local build tag. End to end with the built CLI, the
// real Docker engine, the docker-registry binary and the moto launcher; the cache folder is this test's own.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { runCli, type CliRun } from './support/cli.ts';
import { dockerUnavailableReason, removeDeployTraces } from './support/docker.ts';
import { BASE_IMAGE } from './support/paths.ts';
import { countPushedLayers } from '../cli/domain/push-layers.ts';
import { cachedValidation } from '../cli/rehearsal/steps/validate-cached.ts';
import { fileValidationCache } from '../cli/adapters/emulator/cache.ts';
import type { Step, StepOutcome } from '../cli/core/runner.ts';
import type { RehearsalStepCtx } from '../cli/rehearsal/context.ts';

const cache = mkdtempSync(path.join(tmpdir(), 'hello-deploy-cache-test-'));
const ECO = `cache${process.pid % 100000}`;
after(async () => {
  rmSync(cache, { recursive: true, force: true });
  await removeDeployTraces({ ecosystems: [ECO] });
});

const env = { HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE, XDG_CACHE_HOME: cache, LOCALSTACK_AUTH_TOKEN: '' };
const summaryOf = (r: CliRun, step: string) => String(r.events.find((e) => e.type === 'step-succeeded' && e.step === step)?.summary ?? '');
const summaryIn = (o: StepOutcome) => ('summary' in o ? o.summary : undefined);
const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`;
const ourTags = async () =>
  (await execa('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n').filter((t) => t.includes(ECO));

test('two rehearsals: the second finds every layer in the cached registry, reuses the validation, and one local tag is left', { timeout: 300_000 }, async (t) => {
  const why = await dockerUnavailableReason();
  if (why) return t.skip(why);
  const first = await runCli(['deploy', '--local', '--json', '--ecosystem', ECO], { env });
  assert.equal(first.exitCode, 0, explain(first));
  assert.doesNotMatch(summaryOf(first, 'validate-templates'), /^skipped/);
  assert.deepEqual(await ourTags(), [`hello-deploy-local/${ECO}:rehearsal`]);

  const second = await runCli(['deploy', '--local', '--json', '--ecosystem', ECO], { env });
  assert.equal(second.exitCode, 0, explain(second));
  const push = /\((\d+) of (\d+) layer\(s\) already in the registry\)$/.exec(summaryOf(second, 'push-image'));
  assert.ok(push, summaryOf(second, 'push-image'));
  assert.equal(push[1], push[2], 'a warm push uploads nothing for an unchanged image');
  assert.ok(Number(push[2]) > 0);
  assert.match(summaryOf(second, 'validate-templates'), /^skipped: unchanged since the last validation \(hash [0-9a-f]{12}, /);
  // One tag for all runs: the build tag is reused, the per-run registry tags leave with the registry.
  assert.deepEqual(await ourTags(), [`hello-deploy-local/${ECO}:rehearsal`]);
});

test('countPushedLayers reads docker push output: the last status of each layer counts', () => {
  const lines = ['The push refers to repository [127.0.0.1:5000/x]', '5f70bf18a086: Preparing', 'e8c3a1d2b4f6: Preparing', '5f70bf18a086: Layer already exists', 'e8c3a1d2b4f6: Pushing [=>  ] 1MB/3MB', 'e8c3a1d2b4f6: Pushed', '0123456789ab: Mounted from other/repo', 'latest: digest: sha256:abc size: 1'];
  assert.deepEqual(countPushedLayers(lines), { present: 1, total: 3 });
  assert.equal(countPushedLayers(['ref: Pushed']), undefined);
});

test('a cached verdict is reused only for the same bodies, emulator and validators; a failure is never cached', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hello-deploy-verdicts-'));
  try {
    let runs = 0;
    let fail = false;
    const inner = { id: 'validate-templates', title: 'Validate', after: [], describe: () => 'validate', run: async () => {
      runs += 1;
      if (fail) throw new Error('invalid');
      return { status: 'succeeded' as const, summary: 'clean' };
    } } as Step<RehearsalStepCtx>;
    let validators = 'cfn-lint 1.58.0, moto 5.2.5';
    const store = fileValidationCache(dir);
    const step = cachedValidation(inner);
    const ctx = (ecr: string) => ({
      options: { ecrTemplate: 'e.yaml', infraTemplate: 'i.yaml' },
      state: { ecrTemplateBody: ecr, infraTemplateBody: 'infra' },
      rehearsal: { ports: { validationCache: { ...store, validators: async () => validators } }, state: { emulator: { info: { engine: 'moto', endpoint: 'x', version: '5.2.5', extensions: ['a'] } } } },
    }) as unknown as RehearsalStepCtx<'validationCache'>;
    const io = { warn: () => undefined } as never;
    assert.equal(summaryIn(await step.run(ctx('ecr'), io)), 'clean');
    assert.match(String(summaryIn(await step.run(ctx('ecr'), io))), /^skipped: unchanged/);
    assert.equal(runs, 1);
    assert.equal(summaryIn(await step.run(ctx('ecr changed'), io)), 'clean');
    assert.equal(runs, 2);
    validators = 'cfn-lint 1.59.0, moto 5.2.5';
    await step.run(ctx('ecr'), io);
    assert.equal(runs, 3);
    fail = true;
    await assert.rejects(step.run(ctx('broken'), io));
    await assert.rejects(step.run(ctx('broken'), io));
    assert.equal(runs, 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
