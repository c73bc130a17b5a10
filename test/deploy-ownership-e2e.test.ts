// Branch ownership of an ecosystem, end to end: `hello-deploy deploy --yes --json` run from git repositories on
// different branches against moto. Two branches the old sanitizer cut to one name now get stacks of their own, each
// tagged with its branch; a deploy from another branch that lands on a tagged ecosystem is refused with
// ECOSYSTEM_TAKEN and changes nothing. The wizard's real services and the rehearsal (`--local --emulator endpoint`
// onto the same moto) check and record the owner the same way. A prebuilt --image keeps Docker out of the deploys
// (the image steps are tested elsewhere; the image sits in a real loopback registry, whose manifest the deploy reads
// for its architecture), and the rehearsal runs as on a machine without a Docker engine.
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
import { createWizardServices } from '../cli/commands/wizard-services.ts';
import { owningBranch, sanitizeEcosystem } from '../cli/domain/ecosystem.ts';
import type { DeployEvent } from '../cli/deploy/result.ts';
import type { WizardAnswers } from '../cli/ui/shared/services.ts';
import { ROOT } from './support/paths.ts';
import { startTokenRegistry, type TokenRegistry } from './support/token-registry.ts';
import { pushHostImage } from './support/oci-push.ts';

let moto: Moto;
let cert: TestCert;
let work: string;
let registry: TokenRegistry;
/** This machine's platform, in a registry that reads anonymously (as a public one does): set in before(). */
let IMAGE = '';
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

const savedEnv: Record<string, string | undefined> = {};

before(async () => {
  // The wizard's services build SDK clients in this process, from the environment, as the CLI does.
  for (const [k, v] of Object.entries(FAKE_AWS_ENV)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
  moto = await startMoto();
  cert = makeTestCert('owner.hello-deploy.test');
  work = mkdtempSync(path.join(tmpdir(), 'hd-owner-'));
  registry = await startTokenRegistry();
  IMAGE = await pushHostImage(registry.host, 'owner/app', 'v1');
});

after(async () => {
  await moto?.stop();
  await registry?.stop();
  rmSync(cert.dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
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

/** The deploy wizard's real services on `branch`, deploying these answers; the events and the exit code. */
async function wizardDeploy(branch: string, a: Omit<WizardAnswers, 'email' | 'certificate'>): Promise<{ exitCode: number; events: DeployEvent[] }> {
  const svc = createWizardServices({ endpointUrl: moto.endpoint, image: IMAGE, deployMethod: 'direct' }, { cwd: work, projectDir: ROOT, branch, buildArgs: {} });
  const events: DeployEvent[] = [];
  const host = { emit: (e: DeployEvent) => void events.push(e), ask: async () => true };
  const answers: WizardAnswers = { ...a, email: 'ops@example.com', certificate: { kind: 'pair', certFile: path.join(cert.dir, 'cert.pem'), keyFile: path.join(cert.dir, 'key.pem') } };
  const { exitCode } = await svc.deploy(answers, host, new AbortController().signal);
  return { exitCode, events };
}

const failure = (events: DeployEvent[]) => {
  const end = events[events.length - 1];
  return end?.type === 'result' && !end.ok ? end.error : undefined;
};

test('the wizard records the branch for the ecosystem it derived, and refuses another branch onto it as --yes does; a typed name is the person\'s own; so does the rehearsal', async () => {
  const branch = 'wizard/Owner';
  const ecosystem = sanitizeEcosystem(branch); // the wizard's default on that branch
  const owner = await wizardDeploy(branch, { ecosystem, branch: owningBranch(ecosystem, branch)! });
  assert.equal(owner.exitCode, 0, JSON.stringify(owner.events.slice(-3)));
  const recorded = await stacks();
  for (const kind of ['ecr', 'infra']) assert.equal(recorded[`${ecosystem}-hello-world-${kind}`]?.tags['hello-deploy:branch'], branch, kind);

  // A branch named like the derived ecosystem is a valid name, used as it is: the wizard offers the same stacks.
  assert.equal(owningBranch(ecosystem, ecosystem), ecosystem);
  const intruder = await wizardDeploy(ecosystem, { ecosystem, branch: ecosystem });
  assert.equal(intruder.exitCode, 1);
  assert.equal(failure(intruder.events)?.code, 'ECOSYSTEM_TAKEN');
  assert.match(failure(intruder.events)?.message ?? '', /"wizard\/Owner".*"wizard-owner-[0-9a-f]{6}"/);
  assert.deepEqual(await stacks(), recorded, 'no stack was created or changed');

  // The same name typed (no branch in the answers): an explicit choice, which deploys and keeps the recorded owner.
  const typed = await wizardDeploy(ecosystem, { ecosystem });
  assert.equal(typed.exitCode, 0, JSON.stringify(typed.events.slice(-3)));
  assert.equal((await stacks())[`${ecosystem}-hello-world-ecr`]?.tags['hello-deploy:branch'], branch);

  // The rehearsal, from that second branch onto the same emulator: the same refusal, before anything is built.
  const repo = mkdtempSync(path.join(work, 'repo-'));
  await execa('git', ['init', '-q', '-b', ecosystem], { cwd: repo });
  const before = await stacks();
  const rehearsal = await runCli(['deploy', '--local', '--yes', '--json', '--emulator', 'endpoint', '--endpoint-url', moto.endpoint], { cwd: repo, env: { DOCKER_HOST: 'unix:///nonexistent.sock' } });
  assert.equal(rehearsal.exitCode, 1, explain(rehearsal));
  assert.equal(last(rehearsal).error?.code, 'ECOSYSTEM_TAKEN', explain(rehearsal));
  assert.match(last(rehearsal).error?.hint ?? '', /--take-over/);
  assert.deepEqual(await stacks(), before, 'the rehearsal changed no stack');
});
