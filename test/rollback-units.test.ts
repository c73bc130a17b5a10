// The rollback's choice of image, over made-up push histories (pure rules: cli/domain/rollback-target.ts), and its
// reads over FAKE ports (the stack missing, the repository missing): the real adapters run on moto in
// test/rollback-e2e.test.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { chooseRollbackImage, parseRollbackTo, splitImageId, type PushedImage } from '../cli/domain/rollback-target.ts';
import { resolveRollback, type RollbackPorts } from '../cli/rollback/target.ts';
import { HelloDeployError } from '../cli/core/errors.ts';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const at = (s: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, s));
const REPO = 'eco-hello-world-ecr';
const HISTORY: PushedImage[] = [
  { digest: d('3'), tags: ['v3', 'latest'], pushedAt: at(30) },
  { digest: d('1'), tags: ['v1'], pushedAt: at(10) },
  { digest: d('2'), tags: ['v2'], pushedAt: at(20) },
  { digest: d('0'), tags: [], pushedAt: at(5) },
];
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof HelloDeployError ? `${e.code}:${e.exitCode}` : String(e);
  }
  return 'no error';
};

describe('chooseRollbackImage', () => {
  test('the newest image pushed before the running one, whatever order ECR lists them in', () => {
    assert.equal(chooseRollbackImage(d('3'), HISTORY, REPO).digest, d('2'));
    assert.equal(chooseRollbackImage(d('2'), HISTORY, REPO).digest, d('1'));
    assert.equal(chooseRollbackImage(d('1'), HISTORY, REPO).digest, d('0'), 'an untagged image counts');
  });
  test('images pushed after the running one (a rollback already happened) are never "previous"', () => {
    assert.equal(chooseRollbackImage(d('1'), HISTORY, REPO).digest, d('0'));
  });
  test('the oldest image, one pushed in the same second, or one not in the repository: NO_PREVIOUS_IMAGE, exit 1', () => {
    assert.equal(code(() => chooseRollbackImage(d('0'), HISTORY, REPO)), 'NO_PREVIOUS_IMAGE:1');
    assert.equal(code(() => chooseRollbackImage(d('a'), [{ digest: d('a'), tags: [], pushedAt: at(1) }, { digest: d('b'), tags: [], pushedAt: at(1) }], REPO)), 'NO_PREVIOUS_IMAGE:1');
    assert.equal(code(() => chooseRollbackImage(d('9'), HISTORY, REPO)), 'NO_PREVIOUS_IMAGE:1');
    assert.equal(code(() => chooseRollbackImage(d('1'), [{ digest: d('1'), tags: [] }, { digest: d('0'), tags: [], pushedAt: at(1) }], REPO)), 'NO_PREVIOUS_IMAGE:1', 'no push time for the running image');
  });
  test('--to a tag or a digest picks that image, even a newer one; one the repository lacks is IMAGE_NOT_FOUND', () => {
    assert.equal(chooseRollbackImage(d('1'), HISTORY, REPO, { kind: 'tag', tag: 'v3' }).digest, d('3'));
    assert.equal(chooseRollbackImage(d('3'), HISTORY, REPO, { kind: 'digest', digest: d('0') }).digest, d('0'));
    assert.equal(code(() => chooseRollbackImage(d('3'), HISTORY, REPO, { kind: 'tag', tag: 'v9' })), 'IMAGE_NOT_FOUND:1');
    assert.equal(code(() => chooseRollbackImage(d('3'), HISTORY, REPO, { kind: 'digest', digest: d('f') })), 'IMAGE_NOT_FOUND:1');
  });
});

describe('parseRollbackTo and splitImageId', () => {
  test('--to: a tag or a full sha256 digest; anything else is BAD_INPUT (exit 2), quoted safely', () => {
    assert.deepEqual(parseRollbackTo('v1.2_3-x'), { kind: 'tag', tag: 'v1.2_3-x' });
    assert.deepEqual(parseRollbackTo(d('c')), { kind: 'digest', digest: d('c') });
    for (const bad of ['sha256:abc', `sha256:${'A'.repeat(64)}`, '-x', '.x', 'a/b', 'a:b', '', 'x'.repeat(129), 'v1\u001b[2J', 'repo@' + d('c')]) {
      assert.equal(code(() => parseRollbackTo(bad)), 'BAD_INPUT:2', bad);
    }
    try {
      parseRollbackTo('v1\u001b[2J');
    } catch (e) {
      assert.ok(!(e as Error).message.includes('\u001b'), 'no raw escape in the message');
    }
  });
  test('ImageId: repo@sha256 splits at the last @ (a registry port stays in the repository); a tag is not pinned', () => {
    assert.deepEqual(splitImageId(`127.0.0.1:5000/a/b@${d('1')}`), { repository: '127.0.0.1:5000/a/b', digest: d('1') });
    assert.equal(splitImageId('127.0.0.1:5000/a/b:latest'), undefined);
  });
});

describe('resolveRollback over FAKE ports', () => {
  const options = { ecosystem: 'eco', ecosystemGiven: true } as const;
  const stack = { name: 'eco-hello-world-infra', tags: {}, status: 'UPDATE_COMPLETE', outputs: {}, parameters: { ImageId: `1.dkr.ecr.us-east-1.amazonaws.com/${REPO}@${d('3')}`, EmailAddress: 'ops@example.com', SSLCert: 'arn:aws:acm:us-east-1:1:certificate/x', CpuArchitecture: 'ARM64' } };
  const ports = (over: Partial<RollbackPorts> = {}): RollbackPorts => ({ stacks: { describe: async () => stack }, images: { history: async () => HISTORY }, ...over });
  test('the chosen image keeps the running repository, and the stack\'s e-mail, certificate and architecture', async () => {
    const chosen = await resolveRollback(ports(), options);
    assert.equal(chosen.to, `1.dkr.ecr.us-east-1.amazonaws.com/${REPO}@${d('2')}`);
    assert.deepEqual(chosen.kept, { email: 'ops@example.com', certificateArn: 'arn:aws:acm:us-east-1:1:certificate/x', architecture: 'ARM64' });
    assert.equal(chosen.chosenBy, 'previous');
    assert.deepEqual(chosen.tags, ['v2']);
  });
  test('a --domain stack (SSLCert empty, DomainName set) keeps its domain, not a certificate; neither: STACK_NOT_FOUND', async () => {
    const domainStack = { ...stack, parameters: { ...stack.parameters, SSLCert: '', DomainName: 'app.example.com', HostedZoneId: 'Z1' } };
    const chosen = await resolveRollback(ports({ stacks: { describe: async () => domainStack } }), options);
    assert.deepEqual(chosen.kept, { email: 'ops@example.com', domain: 'app.example.com', architecture: 'ARM64' });
    await assert.rejects(resolveRollback(ports({ stacks: { describe: async () => ({ ...stack, parameters: { ...stack.parameters, SSLCert: '' } }) } }), options), { code: 'STACK_NOT_FOUND' });
  });
  test('no stack: STACK_NOT_FOUND; no repository: ECR_REPOSITORY_MISSING; an ImageId by tag: NO_PREVIOUS_IMAGE', async () => {
    await assert.rejects(resolveRollback(ports({ stacks: { describe: async () => undefined } }), options), { code: 'STACK_NOT_FOUND' });
    await assert.rejects(resolveRollback(ports({ images: { history: async () => undefined } }), options), { code: 'ECR_REPOSITORY_MISSING' });
    await assert.rejects(resolveRollback(ports({ stacks: { describe: async () => ({ ...stack, parameters: { ...stack.parameters, ImageId: 'x/y:latest' } }) } }), options), { code: 'NO_PREVIOUS_IMAGE' });
  });
});
