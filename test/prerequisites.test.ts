// The prerequisite checks the deploy step and the wizard's checklist share (cli/steps/prerequisites.ts), over fake
// ports: each check's success and every failure branch, and the step that runs them, with what it reports.
import { test, describe, after } from 'node:test';
import { rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import { AbortError, UsageError } from '../cli/core/errors.ts';
import type { StepIO } from '../cli/core/runner.ts';
import type { CertificatePort, DeployPorts, FileCheck, Identity, IdentityPort } from '../cli/ports/deploy.ts';
import type { DeployContext, DeployOptions } from '../cli/steps/context.ts';
import { checkCertificate, checkDocker, checkIdentity, checkTemplates, valueOf } from '../cli/steps/prerequisites.ts';
import { checkPrerequisites } from '../cli/steps/check-prerequisites.ts';
import type { ImagePlatform } from '../cli/domain/architecture.ts';
import { FakeClock, fakePreflight, fakeServiceRoles } from './support/fake-ports.ts';
import { readTemplate } from './support/stacks.ts';
import { makeTestCert } from './support/testcert.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-11-26T12:00:00.000Z');
const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const WHO: Identity = { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/dev', region: 'us-east-1' };

function fakeIdentity(answer: () => Promise<Identity> = async () => WHO): IdentityPort & { calls: number } {
  const port = { calls: 0, whoAmI: async () => { port.calls += 1; return answer(); } };
  return port;
}

/** The real templates stand at /p/infra/*.yaml (the preflight reads the names in them); other files are stand-ins. */
const TEMPLATES: Record<string, string> = { '/p/infra/ecr.yaml': readTemplate('hello-world-ecr-infra.yaml'), '/p/infra/infra.yaml': readTemplate('hello-world-infra.yaml') };
function fakeFiles(present: string[]): FileCheck {
  return { readable: async (p) => present.includes(p), read: async (p) => TEMPLATES[p] ?? `body of ${p}` };
}

function fakeCerts(over: Partial<CertificatePort> = {}): CertificatePort & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    describe: async (arn) => { calls.push(`describe ${arn}`); return { arn, domain: 'app.example.com', notAfter: new Date(NOW.getTime() + 365 * DAY) }; },
    importPair: async (certFile, keyFile, ecosystem) => { calls.push(`import ${certFile} ${keyFile} ${ecosystem}`); return { arn: ARN, reused: false, notAfter: new Date(NOW.getTime() + 365 * DAY) }; },
    ...over,
  };
}

describe('identity', () => {
  test('who STS says we are', async () => {
    assert.deepEqual(await checkIdentity(fakeIdentity(), 'dev'), { ok: true, value: WHO });
  });

  test('a credentials failure is the port\'s own error, exit code intact', async () => {
    const refused = new AbortError('AWS_CREDENTIALS', 'AWS credentials are missing or invalid', { hint: 'aws configure' });
    const r = await checkIdentity(fakeIdentity(async () => { throw refused; }));
    assert.ok(!r.ok);
    assert.equal(r.error, refused);
    assert.throws(() => valueOf(r), (e) => e === refused);
  });

  test('a malformed profile is refused with its fix before any call (exit 2)', async () => {
    const port = fakeIdentity();
    const r = await checkIdentity(port, 'has space');
    assert.ok(!r.ok);
    assert.ok(r.error instanceof UsageError);
    assert.equal(r.error.code, 'PROFILE_INVALID');
    assert.equal(port.calls, 0);
  });

  test('anything else thrown becomes a BUG failure (one shape for every unknown error), not a crash', async () => {
    const r = await checkIdentity(fakeIdentity(async () => { throw new Error('socket hang up'); }));
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'BUG');
    assert.equal(r.error.message, 'socket hang up');
    assert.match(r.error.hint ?? '', /bug in hello-deploy/);
  });
});

describe('docker', () => {
  test('the engine answers with its version', async () => {
    assert.deepEqual(await checkDocker({ ping: async () => ({ serverVersion: '20.10.24' }) }), { ok: true, value: { serverVersion: '20.10.24' } });
  });

  test('an engine that does not answer fails with the adapter\'s fix', async () => {
    const down = new AbortError('DOCKER_UNAVAILABLE', 'Cannot reach the Docker engine: no socket', { hint: 'Start dockerd' });
    const r = await checkDocker({ ping: async () => { throw down; } });
    assert.ok(!r.ok);
    assert.equal(r.error, down);
  });
});

describe('templates', () => {
  test('all present: the paths, in order', async () => {
    assert.deepEqual(await checkTemplates(fakeFiles(['a.yaml', 'b.yaml']), ['a.yaml', 'b.yaml']), { ok: true, value: ['a.yaml', 'b.yaml'] });
  });

  test('one missing: named with the fix', async () => {
    const r = await checkTemplates(fakeFiles(['a.yaml']), ['a.yaml', 'b.yaml']);
    assert.ok(!r.ok);
    assert.deepEqual(r.missing, ['b.yaml']);
    assert.deepEqual(r.error.toJSON(), { code: 'TEMPLATE_MISSING', message: 'Template b.yaml is missing or unreadable.', hint: 'Run hello-deploy from the project folder, or reinstall the package.' });
    assert.equal(r.error.exitCode, 1);
  });

  test('several missing: every one named at once', async () => {
    const r = await checkTemplates(fakeFiles([]), ['a.yaml', 'b.yaml', 'Dockerfile']);
    assert.ok(!r.ok);
    assert.deepEqual(r.missing, ['a.yaml', 'b.yaml', 'Dockerfile']);
    assert.equal(r.error.message, 'Templates a.yaml, b.yaml, Dockerfile are missing or unreadable.');
  });
});

describe('certificate', () => {
  test('an ARN is described: domain, expiry, no warning a year out', async () => {
    const certs = fakeCerts();
    const r = await checkCertificate(certs, { kind: 'arn', arn: ARN }, 'dev', NOW);
    assert.ok(r.ok);
    assert.equal(r.value.domain, 'app.example.com');
    assert.equal(r.value.expiry.state, 'ok');
    assert.deepEqual(certs.calls, [`describe ${ARN}`]);
  });

  test('an ARN ACM does not have fails with the adapter\'s error', async () => {
    const missing = new AbortError('ACM_CERTIFICATE_NOT_FOUND', `ACM has no certificate ${ARN} in this account and region (DescribeCertificate).`);
    const r = await checkCertificate(fakeCerts({ describe: async () => { throw missing; } }), { kind: 'arn', arn: ARN }, 'dev', NOW);
    assert.ok(!r.ok);
    assert.equal(r.error, missing);
  });

  test('a pair is imported for the ecosystem (or an identical import reused)', async () => {
    const certs = fakeCerts({ importPair: async () => ({ arn: ARN, reused: true, notAfter: new Date(NOW.getTime() + 200 * DAY) }) });
    const r = await checkCertificate(certs, { kind: 'pair', certFile: '/p/cert.pem', keyFile: '/p/key.pem' }, 'dev', NOW);
    assert.ok(r.ok);
    assert.equal(r.value.reused, true);
    assert.equal(r.value.arn, ARN);
  });

  test('a pair that does not validate fails as the usage error it is (exit 2)', async () => {
    const bad = new UsageError('PAIR_MISMATCH', 'the key does not match the certificate');
    const r = await checkCertificate(fakeCerts({ importPair: async () => { throw bad; } }), { kind: 'pair', certFile: '/p/cert.pem', keyFile: '/p/key.pem' }, 'dev', NOW);
    assert.ok(!r.ok);
    assert.equal(r.error.exitCode, 2);
  });

  test('under 30 days left is expiring; past its date, expired', async () => {
    const at = (days: number) => fakeCerts({ describe: async (arn) => ({ arn, notAfter: new Date(NOW.getTime() + days * DAY) }) });
    const soon = await checkCertificate(at(10), { kind: 'arn', arn: ARN }, 'dev', NOW);
    assert.ok(soon.ok);
    assert.deepEqual([soon.value.expiry.state, soon.value.expiry.daysLeft], ['expiring', 10]);
    const gone = await checkCertificate(at(-2), { kind: 'arn', arn: ARN }, 'dev', NOW);
    assert.ok(gone.ok);
    assert.equal(gone.value.expiry.state, 'expired');
  });
});

describe('the prerequisites step runs the shared checks', () => {
  const options = (over: Partial<DeployOptions> = {}): DeployOptions => ({
    ecosystem: 'dev',
    email: 'ops@example.com',
    certificate: { kind: 'pair', certFile: '/p/cert.pem', keyFile: '/p/key.pem' },
    deployMethod: 'direct',
    architecture: 'X86_64',
    projectDir: '/p',
    ecrTemplate: '/p/infra/ecr.yaml',
    infraTemplate: '/p/infra/infra.yaml',
    dockerfile: '/p/Dockerfile',
    buildArgs: {},
    imageTag: 't',
    ...over,
  });

  function fakeIo(): StepIO & { said: string[] } {
    const said: string[] = [];
    return {
      said,
      signal: new AbortController().signal,
      progress: (m) => said.push(`progress ${m}`),
      log: () => undefined,
      info: (m) => said.push(`info ${m}`),
      warn: (m) => said.push(`warn ${m}`),
      stackEvent: () => undefined,
      changeSet: () => undefined,
      emit: () => undefined,
      ask: async () => true,
    };
  }

  const pair = makeTestCert('prereq.hello-deploy.test');
  after(() => rmSync(pair.dir, { recursive: true, force: true }));
  const context = (opts: DeployOptions, over: Partial<DeployPorts> = {}): DeployContext => ({
    options: opts,
    ports: {
      identity: fakeIdentity(),
      docker: { ping: async () => ({ serverVersion: '27.5.1' }) },
      certs: fakeCerts({ importPair: async () => ({ arn: ARN, reused: false, notAfter: new Date(Date.now() + 10.5 * DAY) }) }),
      files: fakeFiles([opts.ecrTemplate, opts.infraTemplate]),
      preflight: fakePreflight({}, { '/p/cert.pem': pair.certPem, '/p/key.pem': pair.keyPem }),
      serviceRoles: fakeServiceRoles(),
      ...over,
    } as DeployPorts,
    state: { stacksTouched: [] },
    clock: new FakeClock(Date.now()),
  });

  test('reads both templates, then reports identity, Docker and the imported certificate, warning under 30 days', async () => {
    const ctx = context(options());
    const io = fakeIo();
    assert.deepEqual(await checkPrerequisites.run(ctx, io), { status: 'succeeded', summary: '123456789012 / us-east-1' });
    assert.equal(ctx.state.infraTemplateBody, TEMPLATES['/p/infra/infra.yaml']);
    assert.equal(ctx.state.certificateArn, ARN);
    assert.deepEqual(io.said.filter((l) => !/^info (Preflight|Service-linked role) /.test(l)), [
      'progress templates present',
      `info AWS account 123456789012 as ${WHO.arn}, region us-east-1`,
      'progress Docker engine 27.5.1 answers',
      'progress preflight: names, quotas, certificate',
      `info Imported certificate ${ARN}`,
      'warn The certificate expires in 10 days and ACM does not renew imported certificates: rotate it with `hello-deploy generate-certs --import-acm --rotate <arn>`.',
    ]);
  });

  /** A FAKE ImageDigestPort that holds one image of these platforms. */
  const digests = (platforms: ImagePlatform[]): DeployPorts['imageDigests'] => ({
    resolve: async () => { throw new Error('resolve must not be called'); },
    platforms: async () => ({ digest: `sha256:${'ab'.repeat(32)}`, platforms }),
  });

  test('with --image, Docker is not asked: its manifest is read, and its digest kept; a missing template fails the step with the check\'s error', async () => {
    const io = fakeIo();
    const down = { ping: async () => { throw new AbortError('DOCKER_UNAVAILABLE', 'down'); } };
    const opts = options({ image: '127.0.0.1:5000/app:1', certificate: { kind: 'arn', arn: ARN } });
    const ctx = context(opts, { docker: down as unknown as DeployPorts['docker'], imageDigests: digests([{ os: 'linux', architecture: 'amd64' }]) });
    await checkPrerequisites.run(ctx, io);
    assert.ok(io.said.includes(`info Docker not needed: --image "127.0.0.1:5000/app:1" (sha256:abababababab…) holds linux/amd64, which runs on X86_64`), io.said.join('\n'));
    assert.deepEqual(ctx.state.checkedImage, { digest: `sha256:${'ab'.repeat(32)}` });
    assert.ok(io.said.some((s) => s.startsWith(`info Certificate ${ARN} for app.example.com, expires `)));

    await assert.rejects(checkPrerequisites.run(context(options(), { files: fakeFiles(['/p/infra/ecr.yaml']) }), fakeIo()), (e: unknown) => e instanceof AbortError && e.code === 'TEMPLATE_MISSING' && e.message === 'Template /p/infra/infra.yaml is missing or unreadable.');
  });

  test('an --image of another architecture stops the step with exit 2 before the certificate is imported', async () => {
    const certs = fakeCerts({ importPair: async () => { throw new Error('the certificate must not be imported'); } });
    const ctx = context(options({ image: '127.0.0.1:5000/app:1', architecture: 'ARM64' }), { certs, imageDigests: digests([{ os: 'linux', architecture: 'amd64' }]) });
    await assert.rejects(checkPrerequisites.run(ctx, fakeIo()), (e: unknown) => e instanceof UsageError && e.code === 'IMAGE_ARCH_MISMATCH' && e.exitCode === 2);
    assert.deepEqual(certs.calls, []);
    assert.equal(ctx.state.checkedImage, undefined);
  });

  test('the preflight runs after the identity and before anything is made: a problem stops the step with every problem, no role created, nothing imported', async () => {
    const roles = fakeServiceRoles();
    const certs = fakeCerts();
    const taken = fakePreflight(
      { names: { find: async (_kind, name) => (name === '/ecs/dev-hello-world' || name === 'dev-hw-alb' ? { name } : undefined) }, usage: { vpcs: async () => 5, applicationLoadBalancers: async () => 0, targetGroups: async () => 0 } },
      { '/p/cert.pem': pair.certPem, '/p/key.pem': pair.keyPem },
    );
    const io = fakeIo();
    await assert.rejects(checkPrerequisites.run(context(options(), { preflight: taken, serviceRoles: roles, certs }), io), (e: unknown) => {
      assert.ok(e instanceof AbortError);
      assert.equal(e.code, 'PREFLIGHT_FAILED');
      assert.match(e.message, /3 problems/);
      assert.match(e.message, /load balancer "dev-hw-alb" already exists/);
      assert.match(e.message, /log group "\/ecs\/dev-hello-world" already exists/);
      assert.match(e.message, /VPCs per Region in us-east-1 is full/);
      return true;
    });
    assert.deepEqual(roles.calls, [], 'no service-linked role looked up or created');
    assert.deepEqual(certs.calls, [], 'no certificate imported');
  });

  test('with the preflight clear, each service-linked role is looked up and a missing one created, before the certificate', async () => {
    const roles = fakeServiceRoles(['AWSServiceRoleForElasticLoadBalancing']);
    const io = fakeIo();
    await checkPrerequisites.run(context(options(), { serviceRoles: roles }), io);
    assert.deepEqual(roles.calls, [
      'get AWSServiceRoleForECS', 'create ecs.amazonaws.com',
      'get AWSServiceRoleForElasticLoadBalancing',
      'get AWSServiceRoleForApplicationAutoScaling_ECSService', 'create ecs.application-autoscaling.amazonaws.com',
    ]);
    const lines = io.said.filter((l) => /^info (Preflight|Service-linked role|Imported)/.test(l));
    assert.deepEqual(lines.map((l) => l.split(':')[0]), [
      'info Preflight Names', 'info Preflight Quotas', 'info Preflight Certificate',
      'info Service-linked role AWSServiceRoleForECS (ecs.amazonaws.com)',
      'info Service-linked role AWSServiceRoleForElasticLoadBalancing (elasticloadbalancing.amazonaws.com)',
      'info Service-linked role AWSServiceRoleForApplicationAutoScaling_ECSService (ecs.application-autoscaling.amazonaws.com)',
      `info Imported certificate ${ARN}`.split(':')[0],
    ]);
  });
});
