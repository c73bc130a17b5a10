// The preflight's checks (cli/steps/preflight-checks.ts) run through runPreflight over FAKE ports and the real
// templates, for the notes and counts the mutation run showed no fast test pinned down (docs/mutation.md,
// cli/steps): the names check's count, each quota read from its own usage call and reported in the specs' order, a
// denied usage read, and the certificate pair's names. These notes are what doctor, the wizard's checklist and the
// deploy's "Preflight …" lines show. The checks' error branches are in test/mutation-steps-*.test.ts by their author.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AbortError } from '../cli/core/errors.ts';
import type { PreflightPorts } from '../cli/ports/preflight.ts';
import { runPreflight, type PreflightInput } from '../cli/steps/preflight.ts';
import { PREFLIGHT_CHECKS } from '../cli/steps/preflight-checks.ts';
import { fakePreflight } from './support/fake-ports.ts';
import { ROOT } from './support/paths.ts';

const TEMPLATES = { ecr: readFileSync(path.join(ROOT, 'infra', 'hello-world-ecr-infra.yaml'), 'utf8'), infra: readFileSync(path.join(ROOT, 'infra', 'hello-world-infra.yaml'), 'utf8') };
const INPUT: PreflightInput = { ecosystem: 'feature-x', identity: { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/dev', region: 'eu-west-1' }, templates: TEMPLATES, now: new Date() };
const NAMES = 'feature-x-hello-world-ecr, feature-x-hw-alb, feature-x-hw-tg, feature-x-hello-world, /ecs/feature-x-hello-world, feature-x-hello-world-alarms, feature-x-hello-world-cpu-high';

const check = async (id: string, ports: PreflightPorts, input: PreflightInput = INPUT) => (await runPreflight(input, ports, PREFLIGHT_CHECKS)).checks.find((c) => c.id === id)!;
const later = <T>(ms: number, v: T) => new Promise<T>((r) => setTimeout(() => r(v), ms));

describe('preflight: the names check\'s note', () => {
  test('every name free: 7 of 7, each name listed', async () => {
    assert.deepEqual((await check('names', fakePreflight())).notes, [`7 of 7 fixed names free or already this ecosystem's (${NAMES})`]);
  });

  test('a name our own stack holds counts as free; one held outside the stacks does not, and is a problem', async () => {
    const ports = fakePreflight({
      names: { find: async (_kind, name) => (['feature-x-hw-alb', 'feature-x-hello-world', 'feature-x-hello-world-ecr'].includes(name) ? { name, arn: `arn:aws:x:eu-west-1:123456789012:${name}` } : undefined) },
      // Each stack's own resources, by logical id: the repository is the ECR stack's, the load balancer the infra stack's.
      stackResources: {
        physicalIds: async (stack) =>
          stack === 'feature-x-hello-world-infra' ? new Map([['LoadBalancer', 'arn:aws:x:eu-west-1:123456789012:feature-x-hw-alb']]) : stack === 'feature-x-hello-world-ecr' ? new Map([['Repository', 'feature-x-hello-world-ecr']]) : undefined,
      },
    });
    const c = await check('names', ports);
    assert.deepEqual(c.notes, [`6 of 7 fixed names free or already this ecosystem's (${NAMES})`]);
    assert.equal(c.problems.length, 1);
    assert.match(c.problems[0]!.message, /ECS cluster "feature-x-hello-world" already exists/);
  });
});

describe('preflight: the quotas check', () => {
  test('each quota is judged from its own usage call, and noted in the specs\' order whichever answered first', async () => {
    const ports = fakePreflight({
      usage: { vpcs: () => later(30, 2), applicationLoadBalancers: () => later(15, 3), targetGroups: async () => 4 },
      quotas: { quota: async (service, code) => (code === 'L-F678F1CE' ? { unavailable: 'no Service Quotas in this region' } : { value: service === 'elasticloadbalancing' && code === 'L-53DA6B97' ? 50 : 3000, from: 'applied' }) },
    });
    const c = await check('quotas', ports);
    assert.deepEqual(c.notes, [
      "VPCs per Region: 2 of 5 used, 1 more needed (AWS's documented default; Service Quotas gave no value: no Service Quotas in this region)",
      'Application Load Balancers per Region: 3 of 50 used, 1 more needed (Service Quotas, applied value)',
      'Target Groups per Region: 4 of 3000 used, 1 more needed (Service Quotas, applied value)',
    ]);
    assert.deepEqual(c.problems, []);
  });

  test('a re-deploy needs nothing more of what its stack already holds', async () => {
    const owned = new Map([['VPC', 'vpc-1'], ['LoadBalancer', 'arn:lb'], ['TargetGroup', 'arn:tg']]);
    const ports = fakePreflight({ stackResources: { physicalIds: async (stack) => (stack === 'feature-x-hello-world-infra' ? owned : undefined) }, usage: { vpcs: async () => 5, applicationLoadBalancers: async () => 1, targetGroups: async () => 1 } });
    const c = await check('quotas', ports);
    assert.deepEqual(c.notes.map((n) => n.split(' (')[0]), ['VPCs per Region: 5 of 5 used, 0 more needed', 'Application Load Balancers per Region: 1 of 5 used, 0 more needed', 'Target Groups per Region: 1 of 5 used, 0 more needed']);
    assert.deepEqual(c.problems, [], 'a full VPC quota is no problem when the VPC is already ours');
  });

  test('a usage read the identity may not make is a problem of its own, and that quota gets no note', async () => {
    const ports = fakePreflight({ usage: { vpcs: async () => 1, applicationLoadBalancers: async () => { throw new AbortError('AWS_ACCESS_DENIED', 'elasticloadbalancing:DescribeLoadBalancers denied', { hint: 'grant elasticloadbalancing:DescribeLoadBalancers' }); }, targetGroups: async () => 0 } });
    const c = await check('quotas', ports);
    assert.deepEqual(c.notes.map((n) => n.split(':')[0]), ['VPCs per Region', 'Target Groups per Region']);
    assert.deepEqual(c.problems, [{ message: 'elasticloadbalancing:DescribeLoadBalancers denied', fix: 'grant elasticloadbalancing:DescribeLoadBalancers' }]);
  });
});

describe('preflight: the certificate pair\'s names', () => {
  /** A self-signed pair made by openssl with these subject and extensions. */
  function pair(subject: string, san?: string) {
    const dir = mkdtempSync(path.join(tmpdir(), 'hello-deploy-names-'));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-days', '30', '-keyout', key, '-out', cert, ...(san ? ['-addext', `subjectAltName=${san}`] : [])], { stdio: 'ignore' });
    const files = { '/c.pem': readFileSync(cert, 'utf8'), '/k.pem': readFileSync(key, 'utf8') };
    rmSync(dir, { recursive: true, force: true });
    return files;
  }
  // Judged a minute on: a pair made just now must already be valid.
  const input = (): PreflightInput => ({ ...INPUT, now: new Date(Date.now() + 60_000), certificate: { kind: 'pair', certFile: '/c.pem', keyFile: '/k.pem' } });

  test('the common name and the subjectAltNames, each once', async () => {
    const c = await check('certificate', fakePreflight({}, pair('/CN=app.example.com', 'DNS:app.example.com,DNS:www.example.com')), input());
    assert.deepEqual(c.problems, []);
    assert.match(c.notes[0]!, /^"\/c\.pem": RSA 2048-bit, valid until \d{4}-\d\d-\d\dT[\d:.]+Z, for app\.example\.com, www\.example\.com$/);
  });

  test('no name at all: a problem saying so with the command that makes a new pair, and the note says "no name"', async () => {
    const c = await check('certificate', fakePreflight({}, pair('/O=Example')), input());
    assert.deepEqual(c.problems, [{ message: '"/c.pem" covers no name (no common name and no subjectAltName)', fix: 'make a new pair with `hello-deploy generate-certs --force --common-name <your domain>`' }]);
    assert.match(c.notes[0]!, /, for no name$/);
  });
});

describe('preflight: the certificate ARN', () => {
  const ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/1';
  const input = (arn = ARN): PreflightInput => ({ ...INPUT, certificate: { kind: 'arn', arn } });
  const acm = (describe: PreflightPorts['certs']['describe']) => fakePreflight({ certs: { describe } });

  test('a certificate of another region is that one problem: ACM in this region is not even asked', async () => {
    const c = await check('certificate', acm(async () => assert.fail('not looked up')), input('arn:aws:acm:us-east-1:123456789012:certificate/1'));
    assert.equal(c.problems.length, 1);
    assert.match(c.problems[0]!.message, /us-east-1/);
    assert.deepEqual(c.notes, []);
  });

  test('the note says what ACM reported, and says so when it did not report a key type, status or name', async () => {
    const full = await check('certificate', acm(async (arn) => ({ arn, keyAlgorithm: 'EC_prime256v1', status: 'ISSUED', notAfter: new Date('2031-01-01T00:00:00.000Z'), domain: 'app.example.com', names: ['www.example.com'] })), input());
    assert.deepEqual(full.notes, [`${ARN}: EC_prime256v1, ISSUED, valid until 2031-01-01T00:00:00.000Z, for app.example.com, www.example.com`]);
    const bare = await check('certificate', acm(async (arn) => ({ arn })), input());
    assert.deepEqual(bare.notes, [`${ARN}: key type not reported, status not reported, for no name`]);
  });

  test('a lookup the identity may not make is a problem with its fix; a certificate that does not exist is one too; anything else stops the preflight', async () => {
    const denied = await check('certificate', acm(async () => { throw new AbortError('AWS_ACCESS_DENIED', 'acm:DescribeCertificate denied', { hint: 'grant acm:DescribeCertificate' }); }), input());
    assert.deepEqual([denied.problems, denied.notes], [[{ message: 'acm:DescribeCertificate denied', fix: 'grant acm:DescribeCertificate' }], []]);
    const missing = await check('certificate', acm(async () => { throw new AbortError('ACM_CERTIFICATE_NOT_FOUND', `Certificate ${ARN} not found`); }), input());
    assert.deepEqual(missing.problems, [{ message: `Certificate ${ARN} not found`, fix: 'pass the ARN of a certificate in this account and region' }]);
    await assert.rejects(check('certificate', acm(async () => { throw new AbortError('AWS_UNREACHABLE', 'no network'); }), input()), (e: AbortError) => e.code === 'AWS_UNREACHABLE');
  });
});

describe('preflight: the report', () => {
  test('the four checks by title, in order; an image the identity may not read is a problem with a fix even without a hint', async () => {
    const ports = fakePreflight({ imageDigests: { platforms: async () => { throw new AbortError('AWS_ACCESS_DENIED', 'ecr:BatchGetImage denied'); } } });
    const report = await runPreflight({ ...INPUT, image: { image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1', architecture: 'X86_64' } }, ports, PREFLIGHT_CHECKS);
    assert.deepEqual(report.checks.map((c) => [c.id, c.title, c.status]), [['names', 'Names', 'ok'], ['quotas', 'Quotas', 'ok'], ['certificate', 'Certificate', 'skipped'], ['image', 'Image', 'problems']]);
    assert.deepEqual([report.checks[2]!.problems, report.checks[2]!.notes], [[], []], 'a skipped check has nothing to note but its reason');
    assert.deepEqual(report.checks[3]!.problems, [{ message: 'ecr:BatchGetImage denied', fix: 'pass an --image this identity can read' }]);
  });

  test('the partition of the identity\'s ARN is the one a collision\'s delete command names (aws-cn here); an ARN without one means aws', async () => {
    const taken = fakePreflight({ names: { find: async (kind, name) => (kind === 'sns-topic' ? { name } : undefined) } });
    const cn = await check('names', taken, { ...INPUT, identity: { ...INPUT.identity, arn: 'arn:aws-cn:iam::123456789012:user/dev' } });
    assert.match(cn.problems[0]!.fix, /--topic-arn arn:aws-cn:sns:eu-west-1:123456789012:feature-x-hello-world-alarms/);
    const none = await check('names', taken, { ...INPUT, identity: { ...INPUT.identity, arn: 'not-an-arn' } });
    assert.match(none.problems[0]!.fix, /--topic-arn arn:aws:sns:eu-west-1:/);
  });
});
