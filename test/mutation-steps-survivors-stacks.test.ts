// deployStack (cli/steps/stack-deploy.ts), shared by the two stack steps, over a FAKE StackPort that drives the
// request's callbacks the way the CloudFormation adapter does: what happens before the stack changes (beforeExecute,
// onExecute) and when, what the user is asked, and what reaches the events. Written against surviving mutants
// (docs/mutation.md, cli/steps); the adapter itself is tested over moto and FakeCloudFormation elsewhere.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceChange } from '../cli/core/events.ts';
import type { DeployStackRequest, StackPort } from '../cli/ports/deploy.ts';
import { deployStack } from '../cli/steps/stack-deploy.ts';
import { deployEcrStack } from '../cli/steps/deploy-ecr-stack.ts';
import { validateTemplates } from '../cli/steps/validate-templates.ts';
import type { AbortError } from '../cli/core/errors.ts';
import { REPOSITORY, fakeRepositories, fakeStacks, recordingIO, stepCtx, untouchable } from './support/fake-ports.ts';

const CHANGES: ResourceChange[] = [
  { action: 'Modify', logicalId: 'Service', resourceType: 'AWS::ECS::Service' },
  { action: 'Add', logicalId: 'DomainRecord', resourceType: 'AWS::Route53::RecordSet' },
];

/** FAKE StackPort: reports a progress line and an event, logs when it is called, then confirms CHANGES for a change set. */
function scripted(log: string[]): StackPort & { requests: DeployStackRequest[] } {
  const base = fakeStacks();
  const requests: DeployStackRequest[] = [];
  return {
    ...base,
    requests,
    async deploy(req) {
      requests.push(req);
      log.push('deploy called');
      req.onProgress('creating change set');
      req.onEvent({ logicalId: 'Service', resourceType: 'AWS::ECS::Service', status: 'UPDATE_IN_PROGRESS', timestamp: '2025-01-01T00:00:00Z' });
      if (req.method === 'change-set') {
        const yes = await req.confirmChanges(CHANGES);
        log.push(`confirmed ${yes}`);
        if (!yes) return { status: 'declined', stackId: 'id', outputs: {}, changes: CHANGES };
      }
      return { status: 'updated', stackId: 'id', outputs: {}, changes: CHANGES };
    },
  };
}

function run(method: 'direct' | 'change-set', answers: Record<string, boolean> = {}, extra: { signal?: AbortSignal; branchTag?: string } = {}) {
  const log: string[] = [];
  const stacks = scripted(log);
  const ctx = stepCtx({ stacks }, { options: { deployMethod: method }, state: extra.branchTag ? { branchTag: extra.branchTag } : {} });
  const { io, rec } = recordingIO(answers);
  const events: string[] = [];
  const result = deployStack(ctx, io, {
    stackName: 'feature-x-hello-world-infra',
    templateBody: 'infra: body',
    parameters: { Ecosystem: 'feature-x' },
    capabilities: ['CAPABILITY_IAM'],
    timeoutMs: 60_000,
    ...(extra.signal ? { signal: extra.signal } : {}),
    beforeExecute: async () => {
      await Promise.resolve();
      log.push('beforeExecute done');
    },
    onExecute: () => void log.push('onExecute'),
    onStackEvent: (e) => void events.push(`${e.logicalId} ${e.status}`),
  });
  return { result, log, rec, stacks, io, events, ctx };
}

describe('deployStack: what happens before the stack changes, and what the user sees', () => {
  test('direct: beforeExecute is awaited, then onExecute, both before CloudFormation is called; nothing is asked', async () => {
    const r = run('direct');
    assert.equal((await r.result).status, 'updated');
    assert.deepEqual(r.log, ['beforeExecute done', 'onExecute', 'deploy called']);
    assert.deepEqual(r.rec.questions, []);
  });

  test('change set: the changes are shown, then asked about by count and stack (default yes); only a yes runs beforeExecute and onExecute', async () => {
    const yes = run('change-set');
    await yes.result;
    assert.deepEqual(yes.log, ['deploy called', 'beforeExecute done', 'onExecute', 'confirmed true']);
    assert.deepEqual(yes.rec.changeSets, [{ stack: 'feature-x-hello-world-infra', changes: CHANGES }]);
    assert.deepEqual(yes.rec.questions, [{ kind: 'confirm', id: 'execute-change-set:feature-x-hello-world-infra', message: 'Execute 2 change(s) to feature-x-hello-world-infra?', default: true, details: CHANGES }]);

    const no = run('change-set', { 'execute-change-set': false });
    assert.equal((await no.result).status, 'declined');
    assert.deepEqual(no.log, ['deploy called', 'confirmed false'], 'a declined change set changes nothing, so nothing runs before it');
  });

  test('the adapter\'s progress and events reach the step\'s output, the events under the stack\'s name and to onStackEvent', async () => {
    const r = run('direct');
    await r.result;
    assert.deepEqual(r.rec.progress, ['creating change set']);
    assert.deepEqual(r.rec.stackEvents, [{ stack: 'feature-x-hello-world-infra', logicalId: 'Service', status: 'UPDATE_IN_PROGRESS' }]);
    assert.deepEqual(r.events, ['Service UPDATE_IN_PROGRESS']);
  });

  test('the request: its own signal when it has one (else the step\'s), the timeout, and the branch tag beside the ecosystem tags', async () => {
    const own = new AbortController().signal;
    const r = run('direct', {}, { signal: own, branchTag: 'feature/x' });
    await r.result;
    const req = r.stacks.requests[0]!;
    assert.equal(req.signal, own);
    assert.equal(req.timeoutMs, 60_000);
    assert.deepEqual(req.tags, { Ecosystem: 'feature-x', ManagedBy: 'hello-deploy', 'hello-deploy:branch': 'feature/x' });
    assert.deepEqual([req.method, req.capabilities, req.parameters, req.templateBody], ['direct', ['CAPABILITY_IAM'], { Ecosystem: 'feature-x' }, 'infra: body']);
    assert.equal(Object.hasOwn(req, 'beforeExecute') || Object.hasOwn(req, 'onExecute'), false, 'the step\'s own hooks are not handed to the port');
    assert.deepEqual(r.ctx.state.stacksTouched, ['feature-x-hello-world-infra']);
  });
});

describe('deploy-ecr-stack: the request and the messages', () => {
  const OUTPUTS = { RepositoryUri: REPOSITORY.uri, RepositoryName: REPOSITORY.name };

  test('no capabilities (the repository needs no IAM), the 10-minute default wait, and --timeout when given', async () => {
    const stacks = fakeStacks({ outputs: OUTPUTS });
    await deployEcrStack.run(stepCtx({ stacks, repositories: fakeRepositories() }, { options: { deployMethod: 'direct' }, state: { ecrTemplateBody: 'ecr: body' } }), recordingIO().io);
    assert.deepEqual([stacks.requests[0]!.capabilities, stacks.requests[0]!.timeoutMs], [[], 10 * 60_000]);
    const timed = fakeStacks({ outputs: OUTPUTS });
    await deployEcrStack.run(stepCtx({ stacks: timed, repositories: fakeRepositories() }, { options: { deployMethod: 'direct', timeoutMs: 90_000 } }), recordingIO().io);
    assert.equal(timed.requests[0]!.timeoutMs, 90_000);
  });

  test('the hints\' AWS CLI commands reach the account\'s region as the identity said it (before --region), and the emulator', async () => {
    const { io } = recordingIO();
    const missing = stepCtx({ stacks: fakeStacks({ outputs: {} }), repositories: fakeRepositories() }, { options: { deployMethod: 'direct', region: 'us-east-1' }, state: { identity: { account: '1', arn: 'arn:aws:iam::1:user/u', region: 'eu-west-1' } } });
    await assert.rejects(deployEcrStack.run(missing, io), (e: AbortError) => {
      assert.equal(e.message, 'feature-x-hello-world-ecr has no RepositoryUri/RepositoryName outputs.');
      assert.equal(e.hint, 'Check its outputs: aws cloudformation describe-stacks --stack-name feature-x-hello-world-ecr --region eu-west-1');
      return true;
    });
    const gone = stepCtx({ stacks: fakeStacks({ outputs: OUTPUTS }), repositories: fakeRepositories(false) }, { options: { deployMethod: 'direct', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:5000' } });
    await assert.rejects(deployEcrStack.run(gone, io), (e: AbortError) => {
      assert.equal(e.message, `Repository ${REPOSITORY.name} of stack feature-x-hello-world-ecr no longer exists in ECR (deleted outside CloudFormation, which does not notice).`);
      assert.match(e.hint ?? '', / --region us-east-1 --endpoint-url http:\/\/127\.0\.0\.1:5000\)/);
      return true;
    });
  });
  test('with neither a region (none given, none from the identity) nor an endpoint, the hint\'s command carries no flags at all', async () => {
    const missing = stepCtx({ stacks: fakeStacks({ outputs: {} }), repositories: fakeRepositories() }, { options: { deployMethod: 'direct' } });
    assert.equal(missing.options.region, undefined);
    await assert.rejects(deployEcrStack.run(missing, recordingIO().io), (e: AbortError) => {
      assert.equal(e.code, 'STACK_OUTPUTS_MISSING');
      assert.equal(e.hint, 'Check its outputs: aws cloudformation describe-stacks --stack-name feature-x-hello-world-ecr');
      return true;
    });
  });

  test('a declined change set: DECLINED naming the stack, and that nothing changed', async () => {
    const ctx = stepCtx({ stacks: fakeStacks({ outputs: OUTPUTS }), repositories: fakeRepositories() }, { options: { deployMethod: 'change-set' } });
    await assert.rejects(deployEcrStack.run(ctx, recordingIO({ 'execute-change-set': false }).io), (e: AbortError) => {
      assert.deepEqual([e.code, e.message, e.hint], ['DECLINED', 'The change set for feature-x-hello-world-ecr was not executed.', 'Nothing was changed. Run again and confirm to deploy.']);
      return true;
    });
  });
});

describe('the stack steps\' questions and template reads', () => {
  test('a rolled-back stack: the recreate question names the stack and its status, defaulting to yes', async () => {
    const stacks = fakeStacks({ stuckIn: 'ROLLBACK_COMPLETE', outputs: { RepositoryUri: REPOSITORY.uri, RepositoryName: REPOSITORY.name } });
    const { io, rec } = recordingIO({ 'recreate-stack': false });
    await assert.rejects(deployEcrStack.run(stepCtx({ stacks, repositories: fakeRepositories() }), io), (e: AbortError) => e.code === 'STACK_ROLLBACK_COMPLETE');
    assert.deepEqual(rec.questions, [{ kind: 'confirm', id: 'recreate-stack:feature-x-hello-world-ecr', message: 'feature-x-hello-world-ecr is ROLLBACK_COMPLETE and cannot be updated. Delete it and create it again?', default: true }]);
  });

  test('validate-templates: a template that cannot be read is TEMPLATE_MISSING with the fix', async () => {
    const ctx = stepCtx({ files: { readable: async () => false, read: async () => assert.fail('unreadable') }, templates: untouchable('templates'), lint: untouchable('lint') });
    await assert.rejects(validateTemplates.run(ctx, recordingIO().io), (e: AbortError) =>
      e.code === 'TEMPLATE_MISSING' && e.message === 'Template /project/infra/hello-world-ecr-infra.yaml is missing or unreadable.' && e.hint === 'Run hello-deploy from the project folder, or reinstall the package.');
  });
});

describe('validate-templates: a clean run', () => {
  test('both templates validated with the step\'s signal, each said valid; cfn-lint given both paths and the signal; linted and clean says so, nothing more', async () => {
    const seen: string[] = [];
    const { io, rec } = recordingIO();
    const files = { readable: async () => true, read: async (p: string) => `body of ${p}` };
    const ctx = stepCtx({
      files,
      templates: { validate: async (body, o) => (seen.push(`validate ${body} ${o?.signal === io.signal}`), { parameters: [], capabilities: [] }) },
      lint: { lint: async (paths, o) => (seen.push(`lint ${paths.join(' ')} ${o?.signal === io.signal}`), { available: true, findings: [] }) },
    });
    assert.deepEqual(await validateTemplates.run(ctx, io), { status: 'succeeded', summary: 'ValidateTemplate and cfn-lint: clean' });
    assert.deepEqual(seen.sort(), [
      'lint /project/infra/hello-world-ecr-infra.yaml /project/infra/hello-world-infra.yaml true',
      'validate body of /project/infra/hello-world-ecr-infra.yaml true',
      'validate body of /project/infra/hello-world-infra.yaml true',
    ]);
    assert.deepEqual(rec.progress.sort(), ['/project/infra/hello-world-ecr-infra.yaml: valid', '/project/infra/hello-world-infra.yaml: valid']);
    assert.deepEqual(rec.info, []);
  });

  test('a lint error\'s hint points at the rule documentation', async () => {
    const ctx = stepCtx({
      files: { readable: async () => true, read: async () => 'body' },
      templates: { validate: async () => ({ parameters: [], capabilities: [] }) },
      lint: { lint: async () => ({ available: true, findings: [{ level: 'error', rule: 'E1', message: 'bad', location: 'x.yaml:1:1' }] }) },
    });
    await assert.rejects(validateTemplates.run(ctx, recordingIO().io), (e: AbortError) => e.hint === 'Fix the template errors above; cfn-lint explains each rule at https://github.com/aws-cloudformation/cfn-lint.');
  });
});
