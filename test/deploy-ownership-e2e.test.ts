// Branch ownership of an ecosystem, end to end: `hello-deploy deploy --yes --json` run from git repositories on
// different branches against moto. Two branches the old sanitizer cut to one name now get stacks of their own, each
// tagged with its branch; a deploy from another branch that lands on a tagged ecosystem is refused with
// ECOSYSTEM_TAKEN and changes nothing. A prebuilt --image keeps Docker out of it: the image steps are tested elsewhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { cfnClient } from './support/stacks.ts';
import { runCli, type CliRun } from './support/cli.ts';

let moto: Moto;
let cert: TestCert;
let work: string;
const IMAGE = `127.0.0.1:5001/app@sha256:${'a'.repeat(64)}`;
const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`;
const last = (r: CliRun) => r.events[r.events.length - 1] as unknown as { ok: boolean; stacks?: { ecr: string; infra: string }; error?: { code: string; message: string; hint?: string } };

/** Deploys from a fresh git repository on `branch` (no --ecosystem: the name comes from the branch). */
async function deployFrom(branch: string, extra: string[] = []): Promise<CliRun> {
  const repo = mkdtempSync(path.join(work, 'repo-'));
  await execa('git', ['init', '-q', '-b', branch], { cwd: repo });
  return runCli([
    'deploy', '--yes', '--json', '--email', 'ops@example.com', '--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem'),
    '--endpoint-url', moto.endpoint, '--image', IMAGE, '--deploy-method', 'direct', ...extra,
  ], { env: { ...FAKE_AWS_ENV }, cwd: repo });
}

/** Every stack moto holds, with what a deploy would change: status, last update and tags. */
async function stacks(): Promise<Record<string, { status?: string; updated?: string; tags: Record<string, string> }>> {
  const cfn = cfnClient(moto.endpoint);
  try {
    const all = (await cfn.send(new DescribeStacksCommand({}))).Stacks ?? [];
    return Object.fromEntries(all.map((s) => [s.StackName, {
      ...(s.StackStatus ? { status: s.StackStatus } : {}),
      ...(s.LastUpdatedTime ? { updated: s.LastUpdatedTime.toISOString() } : {}),
      tags: Object.fromEntries((s.Tags ?? []).map((t) => [t.Key, t.Value])),
    }]));
  } finally {
    cfn.destroy();
  }
}

before(async () => {
  moto = await startMoto();
  cert = makeTestCert('owner.hello-deploy.test');
  work = mkdtempSync(path.join(tmpdir(), 'hd-owner-'));
});

after(async () => {
  await moto?.stop();
  rmSync(cert.dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

test('branches that used to share an ecosystem get their own stacks; another branch on a tagged ecosystem is refused and changes nothing', async () => {
  const v1 = await deployFrom('feature/login-page-redesign-v1');
  assert.equal(v1.exitCode, 0, explain(v1));
  const v2 = await deployFrom('feature/login-page-redesign-v2');
  assert.equal(v2.exitCode, 0, explain(v2));
  assert.deepEqual(last(v1).stacks, { ecr: 'feature-login-pag-c16d59-hello-world-ecr', infra: 'feature-login-pag-c16d59-hello-world-infra' });
  assert.deepEqual(last(v2).stacks, { ecr: 'feature-login-pag-f585e2-hello-world-ecr', infra: 'feature-login-pag-f585e2-hello-world-infra' });

  const before = await stacks();
  assert.equal(Object.keys(before).length, 4, Object.keys(before).join(', '));
  for (const [name, branch] of [['feature-login-pag-c16d59', 'feature/login-page-redesign-v1'], ['feature-login-pag-f585e2', 'feature/login-page-redesign-v2']] as const) {
    for (const kind of ['ecr', 'infra']) {
      assert.deepEqual(before[`${name}-hello-world-${kind}`]?.tags, { Ecosystem: name, ManagedBy: 'hello-deploy', 'hello-deploy:branch': branch });
    }
  }

  // A branch spelled like v1's derived name is a valid ecosystem, so it is its own name: v1's stacks.
  const intruder = await deployFrom('feature-login-pag-c16d59');
  assert.equal(intruder.exitCode, 1, explain(intruder));
  const error = last(intruder).error;
  assert.equal(error?.code, 'ECOSYSTEM_TAKEN');
  assert.match(error?.message ?? '', /"feature\/login-page-redesign-v1".*"feature-login-pag-c16d59"/);
  assert.match(error?.hint ?? '', /--ecosystem .*--take-over/);
  assert.deepEqual(await stacks(), before, 'no stack was created or changed');
});
