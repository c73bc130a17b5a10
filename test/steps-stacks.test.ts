// The template and stack steps (validate-templates, deploy-ecr-stack, deploy-infra-stack and their helpers
// stack-deploy and templates) over FAKE ports (test/support/fake-ports.ts), for the branches an end-to-end run
// against moto cannot reach cheaply: a declined change set, missing outputs, a rolled-back stack whose recreation
// is declined, lint errors and a check that settles late.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateTemplates } from '../cli/steps/validate-templates.ts';
import { deployEcrStack } from '../cli/steps/deploy-ecr-stack.ts';
import { deployInfraStack } from '../cli/steps/deploy-infra-stack.ts';
import type { FileCheck, LintFinding, LintPort, StackPort, TemplateCheck } from '../cli/ports/deploy.ts';
import { AbortError } from '../cli/core/errors.ts';
import { DIGEST, REPOSITORY, UNUSED_CERTS, UNUSED_DNS, fakeStacks, fakeRolloutReads, fakeRepositories, recordingIO, stepCtx, untouchable } from './support/fake-ports.ts';

const ECR_STACK = 'feature-x-hello-world-ecr';
const INFRA_STACK = 'feature-x-hello-world-infra';
const tick = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A fake FileCheck over an in-memory folder. */
const files = (present: Record<string, string>): FileCheck => ({ readable: async (p) => p in present, read: async (p) => present[p]! });
const BOTH = { '/project/infra/hello-world-ecr-infra.yaml': 'ecr: body', '/project/infra/hello-world-infra.yaml': 'infra: body' };

function validateCtx(over: { validate?: TemplateCheck['validate']; lint?: LintPort['lint']; present?: Record<string, string> } = {}) {
  const validated: string[] = [];
  const ctx = stepCtx({
    files: files(over.present ?? BOTH),
    templates: { validate: over.validate ?? (async (body) => (validated.push(body), { parameters: [], capabilities: [] })) },
    lint: { lint: over.lint ?? (async () => ({ available: true, findings: [] })) },
  });
  return { ctx, validated };
}

describe('validate-templates', () => {
  test('cfn-lint errors fail the step with each one listed; warnings are shown and do not fail', async () => {
    const findings: LintFinding[] = [
      { level: 'error', rule: 'E3012', message: 'Property Port should be Integer', location: 'infra.yaml:12:5' },
      { level: 'warning', rule: 'W2001', message: 'Parameter Unused not used', location: 'infra.yaml:3:3' },
      { level: 'error', rule: 'E1012', message: 'Ref Nowhere does not exist', location: 'infra.yaml:40:9' },
    ];
    const { ctx, validated } = validateCtx({ lint: async () => ({ available: true, findings }) });
    const { io, rec } = recordingIO();
    await assert.rejects(validateTemplates.run(ctx, io), (e: AbortError) => {
      assert.equal(e.code, 'TEMPLATE_LINT');
      assert.match(e.message, /2 error\(s\)/);
      assert.match(e.message, /infra\.yaml:12:5 E3012 Property Port should be Integer\ninfra\.yaml:40:9 E1012/);
      return true;
    });
    assert.deepEqual(rec.warn, ['cfn-lint warning: infra.yaml:3:3 W2001 Parameter Unused not used']);
    assert.deepEqual(validated.sort(), ['ecr: body', 'infra: body'], 'ValidateTemplate still ran on both');
  });

  test('without cfn-lint the step succeeds on ValidateTemplate alone and says how to get deeper checks', async () => {
    const { ctx } = validateCtx({ lint: async () => ({ available: false, findings: [] }) });
    const { io, rec } = recordingIO();
    const outcome = await validateTemplates.run(ctx, io);
    assert.deepEqual(outcome, { status: 'succeeded', summary: 'ValidateTemplate: clean (cfn-lint not installed)' });
    assert.match(rec.info.join('\n'), /pip install cfn-lint/);
  });

  test('a ValidateTemplate rejection fails the step only after cfn-lint, still running beside it, has settled', async () => {
    let lintDone = false;
    const { ctx } = validateCtx({
      validate: async () => { throw new AbortError('TEMPLATE_INVALID', 'Template format error: unresolved Ref'); },
      lint: async () => { await tick(30); lintDone = true; return { available: true, findings: [] }; },
    });
    const { io } = recordingIO();
    await assert.rejects(validateTemplates.run(ctx, io), (e: AbortError) => e.code === 'TEMPLATE_INVALID');
    assert.equal(lintDone, true, 'the step must not end while its lint check still runs and reports');
  });

  test('a missing template fails with TEMPLATE_MISSING before anything is validated', async () => {
    const { ctx, validated } = validateCtx({ present: { '/project/infra/hello-world-ecr-infra.yaml': 'ecr: body' } });
    const { io } = recordingIO();
    await assert.rejects(validateTemplates.run(ctx, io), (e: AbortError) => e.code === 'TEMPLATE_MISSING' && e.message.includes('/project/infra/hello-world-infra.yaml'));
    assert.deepEqual(validated, []);
  });
});

describe('deploy-ecr-stack (and stack-deploy)', () => {
  test('a declined change set fails with DECLINED, leaves no repository, and the question named the stack and defaulted to yes', async () => {
    const stacks = fakeStacks({ outputs: { RepositoryUri: REPOSITORY.uri, RepositoryName: REPOSITORY.name } });
    const ctx = stepCtx({ stacks, repositories: fakeRepositories() }, { state: { ecrTemplateBody: 'ecr: body' } });
    const { io, rec } = recordingIO({ 'execute-change-set': false });
    await assert.rejects(deployEcrStack.run(ctx, io), (e: AbortError) => e.code === 'DECLINED' && e.message.includes(ECR_STACK) && /Nothing was changed/.test(e.hint ?? ''));
    assert.equal(ctx.state.repository, undefined);
    assert.deepEqual(rec.changeSets.map((c) => c.stack), [ECR_STACK], 'the change set is shown before it is asked about');
    assert.deepEqual(rec.questions.map((q) => [q.id, q.default]), [[`execute-change-set:${ECR_STACK}`, true]]);
  });

  test('missing outputs on an emulator with change sets: STACK_OUTPUTS_MISSING, and the hint says to deploy directly', async () => {
    const { io } = recordingIO();
    const onEmulator = stepCtx({ stacks: fakeStacks({ outputs: {} }), repositories: fakeRepositories() }, { options: { endpointUrl: 'http://127.0.0.1:5000' } });
    await assert.rejects(deployEcrStack.run(onEmulator, io), (e: AbortError) => e.code === 'STACK_OUTPUTS_MISSING' && /--deploy-method direct/.test(e.hint ?? ''));
    // On AWS, or when already direct, that hint would mislead.
    const onAws = stepCtx({ stacks: fakeStacks({ outputs: { RepositoryUri: REPOSITORY.uri } }), repositories: fakeRepositories() });
    await assert.rejects(deployEcrStack.run(onAws, io), (e: AbortError) => e.code === 'STACK_OUTPUTS_MISSING' && /describe-stacks --stack-name feature-x-hello-world-ecr/.test(e.hint ?? '') && !/deploy-method/.test(e.hint ?? ''));
    assert.equal(onAws.state.repository, undefined);
  });

  test('a repository deleted out of band is ECR_REPOSITORY_MISSING, with the fix that works where the run is', async () => {
    // CloudFormation reports "no changes" over a repository deleted behind its back; only asking ECR notices it.
    const outputs = { RepositoryUri: REPOSITORY.uri, RepositoryName: REPOSITORY.name };
    const { io } = recordingIO();
    const repositories = fakeRepositories(false);
    const onAws = stepCtx({ stacks: fakeStacks({ outputs }), repositories });
    await assert.rejects(deployEcrStack.run(onAws, io), (e: AbortError) => e.code === 'ECR_REPOSITORY_MISSING' && /delete-stack --stack-name feature-x-hello-world-ecr/.test(e.hint ?? '') && /stack-delete-complete/.test(e.hint ?? ''));
    assert.deepEqual(repositories.asked, [REPOSITORY.name]);
    assert.equal(onAws.state.repository, undefined);
    const onEmulator = stepCtx({ stacks: fakeStacks({ outputs }), repositories: fakeRepositories(false) }, { options: { endpointUrl: 'http://127.0.0.1:5000' } });
    await assert.rejects(deployEcrStack.run(onEmulator, io), (e: AbortError) => e.code === 'ECR_REPOSITORY_MISSING' && /create-repository --repository-name .* --endpoint-url http:\/\/127\.0\.0\.1:5000/.test(e.hint ?? ''));
  });

  test('a stack in ROLLBACK_COMPLETE: recreating it is asked (default yes); declined, the step fails and the stack is still listed as touched', async () => {
    const stacks = fakeStacks({ stuckIn: 'ROLLBACK_COMPLETE', outputs: { RepositoryUri: REPOSITORY.uri, RepositoryName: REPOSITORY.name } });
    const ctx = stepCtx({ stacks, repositories: fakeRepositories() });
    const { io, rec } = recordingIO({ 'recreate-stack': false });
    await assert.rejects(deployEcrStack.run(ctx, io), (e: AbortError) => e.code === 'STACK_ROLLBACK_COMPLETE');
    const q = rec.questions.find((x) => x.id === `recreate-stack:${ECR_STACK}`);
    assert.ok(q, 'the recreation is asked');
    assert.equal(q.default, true);
    assert.match(q.message, /is ROLLBACK_COMPLETE and cannot be updated\. Delete it and create it again\?/);
    // The run's closing report checks what is still moving in every touched stack, failed or not.
    assert.deepEqual(ctx.state.stacksTouched, [ECR_STACK]);
  });

  test('deployed: the repository lands in state, the stack is tagged and deployed by the chosen method, its events relayed under its name', async () => {
    const stacks = fakeStacks({
      outputs: { RepositoryUri: REPOSITORY.uri, RepositoryName: REPOSITORY.name },
      events: [{ logicalId: 'Repository', resourceType: 'AWS::ECR::Repository', status: 'CREATE_COMPLETE', timestamp: '2025-01-01T00:00:00Z' }],
    });
    const ctx = stepCtx({ stacks, repositories: fakeRepositories() }, { options: { deployMethod: 'direct' }, state: { ecrTemplateBody: 'ecr: body' } });
    const { io, rec } = recordingIO();
    const outcome = await deployEcrStack.run(ctx, io);
    assert.deepEqual(ctx.state.repository, REPOSITORY);
    assert.equal(outcome.status === 'succeeded' && outcome.summary, `${ECR_STACK}: created; repository ${REPOSITORY.uri}`);
    const req = stacks.requests[0]!;
    assert.deepEqual([req.method, req.templateBody, req.parameters, req.tags], ['direct', 'ecr: body', { Ecosystem: 'feature-x' }, { Ecosystem: 'feature-x', ManagedBy: 'hello-deploy' }]);
    assert.equal(req.signal, io.signal, 'Ctrl-C reaches the stack wait');
    assert.deepEqual(rec.stackEvents, [{ stack: ECR_STACK, logicalId: 'Repository', status: 'CREATE_COMPLETE' }]);
    assert.deepEqual(rec.questions, [], 'direct deploys ask nothing');
  });
});

describe('deploy-ecr-stack: the branch that owns the ecosystem', () => {
  const OUTPUTS = { RepositoryUri: REPOSITORY.uri, RepositoryName: REPOSITORY.name };
  const run = async (tags: Record<string, string> | undefined, options: { branch?: string; takeOver?: boolean }) => {
    const stacks = fakeStacks({ outputs: OUTPUTS, ...(tags ? { tags } : {}) });
    const ctx = stepCtx({ stacks, repositories: fakeRepositories() }, { options: { deployMethod: 'direct', ...options }, state: { ecrTemplateBody: 'ecr: body' } });
    const { io, rec } = recordingIO();
    return { stacks, ctx, rec, outcome: deployEcrStack.run(ctx, io) };
  };
  const OWNED = { Ecosystem: 'feature-x', ManagedBy: 'hello-deploy', 'hello-deploy:branch': 'feature/x_1' };

  test('another branch is refused with ECOSYSTEM_TAKEN naming both branches, before any stack is touched', async () => {
    const { stacks, ctx, outcome } = await run(OWNED, { branch: 'Feature/X' });
    await assert.rejects(outcome, (e: AbortError) =>
      e.code === 'ECOSYSTEM_TAKEN' && e.exitCode === 1 && /"feature\/x_1".*"Feature\/X"/.test(e.message) && /--ecosystem/.test(e.hint ?? '') && /--take-over/.test(e.hint ?? ''));
    assert.deepEqual(stacks.requests, []);
    assert.deepEqual(ctx.state.stacksTouched, []);
  });

  test('the owning branch deploys as before (its tag compared in tag form); the tag goes on the stack', async () => {
    const { stacks, ctx, rec, outcome } = await run(OWNED, { branch: 'feature/x#1' });
    await outcome;
    assert.deepEqual(stacks.requests[0]!.tags, OWNED);
    assert.equal(ctx.state.branchTag, 'feature/x_1', 'the infra stack gets the same tag');
    assert.deepEqual(rec.warn, []);
  });

  test('--take-over deploys over another branch with a warning, and the stacks change owner', async () => {
    const { stacks, rec, outcome } = await run(OWNED, { branch: 'Feature/X', takeOver: true });
    await outcome;
    assert.equal(stacks.requests[0]!.tags['hello-deploy:branch'], 'Feature/X');
    assert.match(rec.warn.join('\n'), /--take-over: .*"feature\/x_1".*"Feature\/X"/);
  });

  test('a stack without the tag (an older version made it) is taken over with a warning that the tag is recorded from now on', async () => {
    const { stacks, rec, outcome } = await run({ Ecosystem: 'feature-x', ManagedBy: 'hello-deploy' }, { branch: 'Feature/X' });
    await outcome;
    assert.equal(stacks.requests[0]!.tags['hello-deploy:branch'], 'Feature/X');
    assert.match(rec.warn.join('\n'), /no hello-deploy:branch tag .*recording the branch/);
  });

  test('a new stack gets the tag without a warning; an explicit --ecosystem keeps the owner the stack records', async () => {
    const fresh = await run(undefined, { branch: 'Feature/X' });
    await fresh.outcome;
    assert.equal(fresh.stacks.requests[0]!.tags['hello-deploy:branch'], 'Feature/X');
    assert.deepEqual(fresh.rec.warn, []);
    const explicit = await run(OWNED, {});
    await explicit.outcome;
    assert.deepEqual(explicit.stacks.requests[0]!.tags, OWNED);
    const untagged = await run(undefined, {});
    await untagged.outcome;
    assert.deepEqual(untagged.stacks.requests[0]!.tags, { Ecosystem: 'feature-x', ManagedBy: 'hello-deploy' });
  });
});

describe('deploy-infra-stack', () => {
  const ready = { imageId: `${REPOSITORY.uri}@${DIGEST}`, certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc', infraTemplateBody: 'infra: body' };

  test('the image is pinned by digest, with the certificate, e-mail, CPU architecture and IAM capabilities; the outputs land in state', async () => {
    const stacks = fakeStacks({ outputs: { ServiceUrl: 'https://lb.example.com' } });
    const ctx = stepCtx({ stacks, ecosystem: fakeRolloutReads(), certs: UNUSED_CERTS, dns: UNUSED_DNS }, { state: ready, options: { architecture: 'ARM64' } });
    const { io } = recordingIO();
    await deployInfraStack.run(ctx, io);
    const req = stacks.requests[0]!;
    assert.equal(req.stackName, INFRA_STACK);
    assert.deepEqual(req.parameters, { Ecosystem: 'feature-x', EmailAddress: 'ops@example.com', ImageId: ready.imageId, SSLCert: ready.certificateArn, CpuArchitecture: 'ARM64' });
    assert.deepEqual(req.capabilities, ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM']);
    assert.deepEqual(ctx.state.infraOutputs, { ServiceUrl: 'https://lb.example.com' });
  });

  test('a declined change set fails with DECLINED and says the image is already pushed; no outputs are kept', async () => {
    const ctx = stepCtx({ stacks: fakeStacks({ outputs: { ServiceUrl: 'https://lb.example.com' } }), ecosystem: fakeRolloutReads(), certs: UNUSED_CERTS, dns: UNUSED_DNS }, { state: ready });
    const { io } = recordingIO({ 'execute-change-set': false });
    await assert.rejects(deployInfraStack.run(ctx, io), (e: AbortError) => e.code === 'DECLINED' && /image is pushed/.test(e.hint ?? ''));
    assert.equal(ctx.state.infraOutputs, undefined);
  });

  test('without an image (a broken plan) it is a bug, and CloudFormation is never called', async () => {
    const ctx = stepCtx({ stacks: untouchable<StackPort>('stacks'), ecosystem: fakeRolloutReads(), certs: UNUSED_CERTS, dns: UNUSED_DNS }, { state: { ...ready, imageId: undefined } });
    const { io } = recordingIO();
    await assert.rejects(deployInfraStack.run(ctx, io), (e: AbortError) => e.code === 'BUG');
    assert.deepEqual(ctx.state.stacksTouched, []);
  });
});
