// The preflight's checks (cli/steps/preflight.ts, cli/steps/preflight-checks.ts) over FAKE preflight ports, for the
// branches only the moto and CLI tests reached: a lookup the identity may not make (AWS_ACCESS_DENIED) is a problem
// with its fix while the other checks still report, an ARN ACM does not have is a problem, anything else stops the
// preflight, a pair that cannot be read or validated is a problem. A denied call is a failure shape moto produces
// only partly (it enforces no IAM policy by default), hence fakes. The real lookups: test/preflight-moto.test.ts.
// Needs no emulator, so `npm run mutate` runs it (docs/mutation.md).
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AbortError, BUG_HINT, UsageError } from '../cli/core/errors.ts';
import { resourcesOf } from '../cli/domain/preflight/quotas.ts';
import { partitionOf, permitted, runPreflight, type PreflightCheck, type PreflightInput } from '../cli/steps/preflight.ts';
import { PREFLIGHT_CHECKS, certificateCheck, imageCheck, namesCheck, quotasCheck } from '../cli/steps/preflight-checks.ts';
import type { PreflightPorts } from '../cli/ports/preflight.ts';
import type { Problem } from '../cli/domain/preflight/report.ts';
import { fakePreflight } from './support/fake-ports.ts';
import { makeTestCert } from './support/testcert.ts';
import { ROOT } from './support/paths.ts';

const ECR = readFileSync(path.join(ROOT, 'infra', 'hello-world-ecr-infra.yaml'), 'utf8');
const INFRA = readFileSync(path.join(ROOT, 'infra', 'hello-world-infra.yaml'), 'utf8');
const NOW = new Date();
const ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc';

const input = (over: Partial<PreflightInput> = {}): PreflightInput => ({
  ecosystem: 'feature-x',
  identity: { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/x', region: 'eu-west-1' },
  templates: { ecr: ECR, infra: INFRA },
  now: NOW,
  ...over,
});

/** What AWS_ACCESS_DENIED looks like from an adapter (cli/adapters/aws/errors.ts), with or without its hint. */
const denied = (what: string, hint?: string) => new AbortError('AWS_ACCESS_DENIED', `${what}: access denied`, hint ? { hint } : {});

/** The one check's report of a preflight over `ports`. */
async function only(check: PreflightCheck, ports: PreflightPorts, over: Partial<PreflightInput> = {}) {
  const { checks } = await runPreflight(input(over), ports, [check]);
  assert.equal(checks.length, 1);
  return checks[0]!;
}

describe('runPreflight and permitted', () => {
  test('the partition comes from the identity ARN; a bare or odd ARN is the aws partition', () => {
    assert.equal(partitionOf('arn:aws-cn:iam::1:user/x'), 'aws-cn');
    assert.equal(partitionOf('arn:aws-us-gov:sts::1:assumed-role/r/s'), 'aws-us-gov');
    assert.equal(partitionOf('not-an-arn'), 'aws');
    assert.equal(partitionOf('arn::iam::1:user/x'), 'aws');
  });

  test('each check is reported with its id and title: skipped with its reason, problems, or ok; facts name both stacks', async () => {
    const seen: unknown[] = [];
    const asked: string[] = [];
    const ports = fakePreflight({ stackResources: { physicalIds: async (s) => (asked.push(s), s.endsWith('-ecr') ? new Map([['Repository', 'feature-x-hello-world-ecr']]) : undefined) } });
    const checks: PreflightCheck[] = [
      { id: 'a', title: 'A', skip: () => 'not here', run: async () => assert.fail('a skipped check never runs') },
      { id: 'b', title: 'B', skip: () => undefined, run: async (_i, facts) => (seen.push(facts), { problems: [{ message: 'm', fix: 'f' }], notes: ['n'] }) },
      { id: 'c', title: 'C', run: async () => ({ problems: [], notes: ['fine'] }) },
    ];
    const report = await runPreflight(input({ identity: { account: '210987654321', arn: 'arn:aws-cn:iam::210987654321:user/x', region: 'cn-north-1' } }), ports, checks);
    assert.deepEqual(report.checks, [
      { id: 'a', title: 'A', status: 'skipped', problems: [], notes: [], skipped: 'not here' },
      { id: 'b', title: 'B', status: 'problems', problems: [{ message: 'm', fix: 'f' }], notes: ['n'] },
      { id: 'c', title: 'C', status: 'ok', problems: [], notes: ['fine'] },
    ]);
    assert.deepEqual(asked.sort(), ['feature-x-hello-world-ecr', 'feature-x-hello-world-infra']);
    const facts = seen[0] as { where: object; stackNames: object; owned: { ecr?: Map<string, string>; infra?: unknown }; names: { name: string }[] };
    assert.deepEqual(facts.where, { ecosystem: 'feature-x', region: 'cn-north-1', account: '210987654321', partition: 'aws-cn' });
    assert.deepEqual(facts.stackNames, { ecr: 'feature-x-hello-world-ecr', infra: 'feature-x-hello-world-infra' });
    assert.equal(facts.owned.ecr?.get('Repository'), 'feature-x-hello-world-ecr');
    assert.equal(facts.owned.infra, undefined);
    assert.ok(facts.names.some((n) => n.name === 'feature-x-hello-world-ecr') && facts.names.some((n) => n.name === 'feature-x-hw-alb'), 'names of both templates');
  });

  test('permitted: a value passes through; a denied call is a problem with the adapter\'s hint, or the default fix', async () => {
    const problems: Problem[] = [];
    assert.equal(await permitted(async () => 7, problems), 7);
    assert.deepEqual(problems, []);
    assert.equal(await permitted(async () => { throw denied('EC2 DescribeVpcs', 'grant ec2:DescribeVpcs'); }, problems), undefined);
    assert.equal(await permitted(async () => { throw denied('ELB DescribeTargetGroups'); }, problems), undefined);
    assert.deepEqual(problems, [
      { message: 'EC2 DescribeVpcs: access denied', fix: 'grant ec2:DescribeVpcs' },
      { message: 'ELB DescribeTargetGroups: access denied', fix: 'grant the identity the permission named above' },
    ]);
  });

  test('permitted: any other failure stops the preflight, as the error it is (a plain Error becomes a BUG)', async () => {
    const down = new AbortError('AWS_UNREACHABLE', 'connect ECONNREFUSED');
    await assert.rejects(permitted(async () => { throw down; }, []), (e) => e === down);
    await assert.rejects(permitted(async () => { throw new Error('oops'); }, []), (e: AbortError) => e.code === 'BUG' && e.message === 'oops');
  });
});

describe('Names', () => {
  test('a name taken outside the stacks is a collision; one our own stack holds is free; the note counts and lists them', async () => {
    const ports = fakePreflight({
      names: { find: async (_kind, name) => (name === 'feature-x-hw-alb' || name === 'feature-x-hello-world' ? { name } : undefined) },
      // The cluster is the infra stack's own (a re-deploy); the load balancer is someone else's.
      stackResources: { physicalIds: async (s) => (s.endsWith('-infra') ? new Map([['Cluster', 'feature-x-hello-world']]) : undefined) },
    });
    const r = await only(namesCheck, ports);
    assert.equal(r.status, 'problems');
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!.message, /load balancer "feature-x-hw-alb" already exists and is not part of feature-x-hello-world-infra/);
    assert.match(r.notes[0]!, /^6 of 7 fixed names free or already this ecosystem's \(.*feature-x-hw-alb.*\)$/);
    assert.match(r.notes[0]!, /\(feature-x-hello-world-ecr, /, 'the names are listed, comma-separated');
  });

  test('a lookup the identity may not make is a problem, and the other names are still counted', async () => {
    const ports = fakePreflight({ names: { find: async (kind, name) => { if (kind === 'sns-topic') throw denied(`SNS GetTopicAttributes ${name}`, 'grant sns:GetTopicAttributes'); return undefined; } } });
    const r = await only(namesCheck, ports);
    assert.deepEqual(r.problems, [{ message: 'SNS GetTopicAttributes feature-x-hello-world-alarms: access denied', fix: 'grant sns:GetTopicAttributes' }]);
    assert.match(r.notes[0]!, /^7 of 7 fixed names free/, 'a denied lookup found nothing to collide with: its problem is the denial');
  });
});

describe('Quotas', () => {
  test('a usage count the identity may not read is a problem, and that quota has no note; the others are noted in QUOTAS order', async () => {
    const ports = fakePreflight({
      usage: { vpcs: async () => 1, applicationLoadBalancers: async () => { throw denied('ELB DescribeLoadBalancers'); }, targetGroups: async () => 3 },
      quotas: { quota: async (service) => (service === 'vpc' ? { value: 5, from: 'applied' } : { value: 100, from: 'aws-default' }) },
    });
    const r = await only(quotasCheck, ports);
    assert.deepEqual(r.problems, [{ message: 'ELB DescribeLoadBalancers: access denied', fix: 'grant the identity the permission named above' }]);
    assert.equal(r.notes.length, 2);
    assert.match(r.notes[0]!, /^VPCs per Region: 1 of 5 used, 1 more needed/);
    assert.match(r.notes[1]!, /^Target Groups.*: 3 of 100 used, 1 more needed/);
  });

  test('the notes follow QUOTAS\' order whichever answer came first', async () => {
    // The VPC count answers last and the target groups first.
    const later = (ms: number, n: number) => async () => (await new Promise((r) => setTimeout(r, ms)), n);
    const r = await only(quotasCheck, fakePreflight({ usage: { vpcs: later(20, 1), applicationLoadBalancers: later(10, 2), targetGroups: later(0, 3) } }));
    assert.deepEqual(r.notes.map((n) => n.split(':')[0]), ['VPCs per Region', 'Application Load Balancers per Region', 'Target Groups per Region']);
  });

  test('a quota Service Quotas cannot give is judged against the documented default, saying why', async () => {
    const r = await only(quotasCheck, fakePreflight({ quotas: { quota: async () => ({ unavailable: 'GetServiceQuota was denied' }) }, usage: { vpcs: async () => 5, applicationLoadBalancers: async () => 0, targetGroups: async () => 0 } }));
    assert.equal(r.notes.length, 3);
    for (const n of r.notes) assert.match(n, /AWS's documented default; Service Quotas gave no value: GetServiceQuota was denied/);
    // The documented VPC default is 5: five in use and one more needed is a full quota.
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!.message, /VPCs per Region in eu-west-1 is full: 5 of 5 in use/);
  });

  test('a re-deploy adds nothing its stack already holds: a full quota is then no problem', async () => {
    const owned = new Map(resourcesOf(INFRA).map((res) => [res.logicalId, `physical-${res.logicalId}`]));
    const full = { vpcs: async () => 5, applicationLoadBalancers: async () => 50, targetGroups: async () => 3000 };
    const ports = fakePreflight({ usage: full, quotas: { quota: async (_service, code) => ({ value: code === 'L-F678F1CE' ? 5 : code === 'L-53DA6B97' ? 50 : 3000, from: 'applied' }) }, stackResources: { physicalIds: async (s) => (s.endsWith('-infra') ? owned : undefined) } });
    const r = await only(quotasCheck, ports);
    assert.deepEqual(r.problems, []);
    const fresh = await only(quotasCheck, { ...ports, stackResources: { physicalIds: async () => undefined } });
    assert.equal(fresh.problems.length, 3, 'the same account with no stack yet has no room for any of the three');
  });
});

describe('Certificate: an ARN', () => {
  const arnInput = { certificate: { kind: 'arn' as const, arn: ARN } };

  test('no certificate: skipped with the flags that give one', async () => {
    assert.equal(certificateCheck.skip!(input()), 'no certificate given: pass --cert-arn, or --cert and --key');
    assert.equal(certificateCheck.skip!(input(arnInput)), undefined);
    const r = await only(certificateCheck, fakePreflight());
    assert.equal(r.status, 'skipped');
  });

  test('a certificate of another region is the problem, and ACM is not even asked', async () => {
    const r = await only(certificateCheck, fakePreflight({ certs: { describe: async () => assert.fail('not looked up') } }), { ...arnInput, identity: { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/x', region: 'us-east-1' } });
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!.message, /is in eu-west-1, but the load balancer is created in us-east-1/);
    assert.deepEqual(r.notes, []);
  });

  test('an ARN ACM does not have is a problem with the adapter\'s hint, or the default fix', async () => {
    const notFound = (hint?: string) => fakePreflight({ certs: { describe: async () => { throw new AbortError('ACM_CERTIFICATE_NOT_FOUND', `ACM has no certificate ${ARN} in this account and region.`, hint ? { hint } : {}); } } });
    const withHint = await only(certificateCheck, notFound('Check the ARN and region.'), arnInput);
    assert.deepEqual(withHint.problems, [{ message: `ACM has no certificate ${ARN} in this account and region.`, fix: 'Check the ARN and region.' }]);
    assert.deepEqual(withHint.notes, []);
    const bare = await only(certificateCheck, notFound(), arnInput);
    assert.equal(bare.problems[0]!.fix, 'pass the ARN of a certificate in this account and region');
  });

  test('a describe the identity may not make is a problem with no note; any other failure stops the preflight', async () => {
    const r = await only(certificateCheck, fakePreflight({ certs: { describe: async () => { throw denied('ACM DescribeCertificate', 'grant acm:DescribeCertificate'); } } }), arnInput);
    assert.deepEqual(r, { id: 'certificate', title: 'Certificate', status: 'problems', problems: [{ message: 'ACM DescribeCertificate: access denied', fix: 'grant acm:DescribeCertificate' }], notes: [] });
    const throttled = new AbortError('AWS_THROTTLED', 'Rate exceeded');
    await assert.rejects(only(certificateCheck, fakePreflight({ certs: { describe: async () => { throw throttled; } } }), arnInput), (e) => e === throttled);
  });

  test('a fitting certificate is a note of what ACM says; what ACM leaves out is said as such', async () => {
    const full = await only(certificateCheck, fakePreflight({ certs: { describe: async (arn) => ({ arn, keyAlgorithm: 'EC_prime256v1', status: 'ISSUED', notAfter: new Date('2099-01-02T03:04:05Z'), domain: 'a.example.com', names: ['b.example.com'] }) } }), arnInput);
    assert.deepEqual(full, { id: 'certificate', title: 'Certificate', status: 'ok', problems: [], notes: [`${ARN}: EC_prime256v1, ISSUED, valid until 2099-01-02T03:04:05.000Z, for a.example.com, b.example.com`] });
    // An emulator's ACM may report little: the note says so rather than inventing values (and nothing fails on it).
    const sparse = await only(certificateCheck, fakePreflight({ certs: { describe: async (arn) => ({ arn, status: 'ISSUED', domain: 'a.example.com' }) } }), arnInput);
    assert.deepEqual(sparse.notes, [`${ARN}: key type not reported, ISSUED, for a.example.com`]);
    const bare = await only(certificateCheck, fakePreflight({ certs: { describe: async (arn) => ({ arn, keyAlgorithm: 'RSA_2048' }) } }), arnInput);
    assert.match(bare.notes[0]!, /: RSA_2048, status not reported, for no name$/);
    const sansOnly = await only(certificateCheck, fakePreflight({ certs: { describe: async (arn) => ({ arn, keyAlgorithm: 'RSA_2048', status: 'ISSUED', names: ['b.example.com'] }) } }), arnInput);
    assert.match(sansOnly.notes[0]!, /, for b\.example\.com$/);
  });

  test('what ACM reports wrong (pending validation) is a problem, beside the note', async () => {
    const r = await only(certificateCheck, fakePreflight({ certs: { describe: async (arn) => ({ arn, keyAlgorithm: 'RSA_2048', status: 'PENDING_VALIDATION', domain: 'a.example.com', names: [] }) } }), arnInput);
    assert.equal(r.status, 'problems');
    assert.match(r.problems[0]!.message, /PENDING_VALIDATION, not ISSUED/);
    assert.equal(r.notes.length, 1);
  });
});

describe('Certificate: a pair', () => {
  const made = makeTestCert('pair.example.com');
  const dir = mkdtempSync(path.join(tmpdir(), 'hello-deploy-mutation-pair-'));
  after(() => { rmSync(made.dir, { recursive: true, force: true }); rmSync(dir, { recursive: true, force: true }); });
  /** A self-signed pair with this subject and extra openssl arguments (a SAN, or no name at all). */
  const pair = (name: string, subject: string, extra: string[] = []) => {
    const [cert, key] = [path.join(dir, `${name}.pem`), path.join(dir, `${name}.key`)];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-days', '30', ...extra, '-keyout', key, '-out', cert], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { '/c/cert.pem': readFileSync(cert, 'utf8'), '/c/key.pem': readFileSync(key, 'utf8') };
  };
  // A minute on: openssl's notBefore is the second it was made, after this file's NOW.
  const pairInput = { certificate: { kind: 'pair' as const, certFile: '/c/cert.pem', keyFile: '/c/key.pem' }, now: new Date(Date.now() + 60_000) };

  test('a valid pair is a note: the key, the end of validity, the names; nothing is imported', async () => {
    const r = await only(certificateCheck, fakePreflight({ certs: { describe: async () => assert.fail('a pair is not looked up in ACM') } }, { '/c/cert.pem': made.certPem, '/c/key.pem': made.keyPem }), pairInput);
    assert.equal(r.status, 'ok');
    assert.match(r.notes[0]!, /^"\/c\/cert\.pem": RSA 2048.*, valid until \d{4}-\d\d-\d\dT.*Z, for pair\.example\.com$/);
  });

  test('every name the pair covers is in the note; a pair that covers none is a problem, with the flag that fixes it', async () => {
    const two = await only(certificateCheck, fakePreflight({}, pair('two', '/CN=a.example.com', ['-addext', 'subjectAltName=DNS:a.example.com,DNS:b.example.com'])), pairInput);
    assert.match(two.notes[0]!, /, for a\.example\.com, b\.example\.com$/);
    const none = await only(certificateCheck, fakePreflight({}, pair('none', '/O=No Name Ltd')), pairInput);
    assert.deepEqual(none.problems, [{ message: '"/c/cert.pem" covers no name (no common name and no subjectAltName)', fix: 'make a new pair with `hello-deploy generate-certs --force --common-name <your domain>`' }]);
    assert.match(none.notes[0]!, /, for no name$/);
  });

  test('the pair is judged at the preflight\'s time: past its end it is expired', async () => {
    const r = await only(certificateCheck, fakePreflight({}, { '/c/cert.pem': made.certPem, '/c/key.pem': made.keyPem }), { ...pairInput, now: new Date(Date.now() + 60 * 86_400_000) });
    assert.equal(r.status, 'problems');
    assert.match(r.problems[0]!.message, /\/c\/cert\.pem.*expired/);
  });

  test('a pair that does not validate is a problem with the validation\'s own fix', async () => {
    const r = await only(certificateCheck, fakePreflight({}, { '/c/cert.pem': made.certPem, '/c/key.pem': 'not a key' }), pairInput);
    assert.equal(r.status, 'problems');
    assert.equal(r.problems.length, 1);
    assert.deepEqual(r.notes, []);
    assert.match(r.problems[0]!.message, /\/c\/key\.pem/, 'the file is named as the pair names it');
    assert.doesNotMatch(r.problems[0]!.fix, /bug in hello-deploy/);
    assert.notEqual(r.problems[0]!.fix, '');
  });

  test('a file that cannot be read is a problem naming it, with a fix that is not a bug report', async () => {
    // The options checked the pair was readable; it can still go (or lose its permissions) before the preflight.
    const r = await only(certificateCheck, fakePreflight({}, { '/c/cert.pem': made.certPem }), pairInput);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!.message, /\/c\/key\.pem/);
    assert.match(r.problems[0]!.message, /"\/c\/key\.pem" cannot be read: no fake file \/c\/key\.pem/);
    assert.notEqual(r.problems[0]!.fix, BUG_HINT);
    assert.equal(r.problems[0]!.fix, 'make the file readable again, or make a new pair with `hello-deploy generate-certs --force`');
  });

  test('a typed error of the file port is reported as it is: its hint, or the default fix', async () => {
    const failing = (e: Error) => fakePreflight({ files: { read: async () => { throw e; } } });
    const withHint = await only(certificateCheck, failing(new UsageError('CERT_UNREADABLE', 'Certificate file "/c/cert.pem" is a directory.', { hint: 'Give the path of a PEM certificate file.' })), pairInput);
    assert.deepEqual(withHint.problems, [{ message: 'Certificate file "/c/cert.pem" is a directory.', fix: 'Give the path of a PEM certificate file.' }]);
    const bare = await only(certificateCheck, failing(new AbortError('AWS_ERROR', 'the files are elsewhere')), pairInput);
    assert.deepEqual(bare.problems, [{ message: 'the files are elsewhere', fix: 'make a new pair with `hello-deploy generate-certs --force`' }]);
  });
});

describe('Image', () => {
  const q = { image: '127.0.0.1:5000/app:1', architecture: 'X86_64' as const };
  test('a manifest the identity may not read is a problem, with the default fix when the adapter gave none', async () => {
    const ports = fakePreflight({ imageDigests: { platforms: async () => { throw denied('ECR BatchGetImage'); } } });
    const r = await only(imageCheck, ports, { image: q });
    assert.deepEqual(r.problems, [{ message: 'ECR BatchGetImage: access denied', fix: 'pass an --image this identity can read' }]);
    assert.equal(r.title, 'Image');
  });

  test('an index holding several platforms names each; a registry that gives no reason is said to have said nothing', async () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const multi = await only(imageCheck, fakePreflight(), { image: { ...q, checked: { digest, pinned: `x@${digest}`, platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] } } });
    assert.match(multi.notes[0]!, /holds linux\/amd64, linux\/arm64, which runs on X86_64$/);
    const silent = await only(imageCheck, fakePreflight(), { image: { ...q, checked: { digest, pinned: `x@${digest}` } } });
    assert.deepEqual(silent.notes, ['not checked: the registry did not say']);
  });

  test('the four checks run together; one denied lookup leaves the other three reporting', async () => {
    const report = await runPreflight(input({ certificate: { kind: 'arn', arn: ARN } }), fakePreflight({ usage: { vpcs: async () => { throw denied('EC2 DescribeVpcs'); }, applicationLoadBalancers: async () => 0, targetGroups: async () => 0 } }), PREFLIGHT_CHECKS);
    assert.deepEqual(report.checks.map((c) => `${c.id} ${c.status}`), ['names ok', 'quotas problems', 'certificate ok', 'image skipped']);
  });
});
