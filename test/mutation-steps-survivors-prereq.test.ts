// The prerequisites step (cli/steps/check-prerequisites.ts) over FAKE ports, for what the mutation run showed no fast
// test pinned down (docs/mutation.md, cli/steps): --image on an emulator's registry that cannot say its platforms,
// the --registry stand-in read with the ECR token, --domain's managed certificate (no import, no certificate check),
// and the certificate lines. Also the deploy plan's step graph: ids, titles and order are what the runner, the wizard
// and --dry-run show. The rest of the step is in test/prerequisites.test.ts.
import { test, describe } from 'node:test';
import { rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import type { StepIO } from '../cli/core/runner.ts';
import type { UsageError } from '../cli/core/errors.ts';
import type { CertificatePort, DeployPorts, FileCheck, Identity, RegistryLogin } from '../cli/ports/deploy.ts';
import type { DeployContext, DeployOptions } from '../cli/steps/context.ts';
import { checkPrerequisites } from '../cli/steps/check-prerequisites.ts';
import { deployPlan, deploySteps } from '../cli/deploy/plan.ts';
import { preflightPassed } from '../cli/steps/context.ts';
import { FakeClock, UNUSED_DNS, deployOptions, fakePreflight, fakeServiceRoles, untouchable } from './support/fake-ports.ts';
import { readTemplate } from './support/stacks.ts';
import { makeTestCert } from './support/testcert.ts';

const WHO: Identity = { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/dev', region: 'us-east-1' };
const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const TEMPLATES: Record<string, string> = { '/project/infra/hello-world-ecr-infra.yaml': readTemplate('hello-world-ecr-infra.yaml'), '/project/infra/hello-world-infra.yaml': readTemplate('hello-world-infra.yaml') };
const files: FileCheck = { readable: async (p) => p in TEMPLATES, read: async (p) => TEMPLATES[p]! };

/** Every line the step said, prefixed with its kind. */
function sayingIO(): StepIO & { said: string[] } {
  const said: string[] = [];
  return {
    said,
    signal: new AbortController().signal,
    progress: (m) => void said.push(`progress ${m}`),
    log: () => undefined,
    info: (m) => void said.push(`info ${m}`),
    warn: (m) => void said.push(`warn ${m}`),
    stackEvent: () => undefined,
    changeSet: () => undefined,
    emit: () => undefined,
    ask: async () => true,
  };
}

function context(over: Partial<DeployOptions>, ports: Partial<DeployPorts> = {}): DeployContext {
  return {
    options: deployOptions({ certificate: { kind: 'arn', arn: ARN }, ...over }),
    ports: {
      identity: { whoAmI: async () => WHO },
      docker: { ping: async () => ({ serverVersion: '27.5.1' }) },
      certs: { describe: async (arn) => ({ arn }), importPair: async () => assert.fail('nothing is imported') },
      files,
      preflight: fakePreflight({ certs: { describe: async (arn) => ({ arn, keyAlgorithm: 'RSA_2048', status: 'ISSUED', domain: 'app.example.com', names: [], notAfter: new Date(Date.now() + 300 * 86_400_000) }) } }),
      serviceRoles: fakeServiceRoles(['AWSServiceRoleForECS', 'AWSServiceRoleForElasticLoadBalancing', 'AWSServiceRoleForApplicationAutoScaling_ECSService']),
      ...ports,
    } as DeployPorts,
    state: { stacksTouched: [] },
    clock: new FakeClock(Date.now()),
  };
}

describe('check-prerequisites: --image', () => {
  test('a registry that cannot say the platforms: a warning that the architecture was not checked, with why and what it must hold; the preflight\'s Image check reports it too', async () => {
    const imageDigests: DeployPorts['imageDigests'] = { resolve: async () => assert.fail('not resolved here'), platforms: async () => ({ digest: DIGEST, unknown: 'the emulator\'s ECR keeps no manifests' }) };
    const io = sayingIO();
    await checkPrerequisites.run(context({ image: '127.0.0.1:5000/app:1' }, { imageDigests, docker: untouchable('docker') }), io);
    assert.ok(io.said.includes('warn The architecture of --image "127.0.0.1:5000/app:1" was not checked: the emulator\'s ECR keeps no manifests. On AWS it is read before any stack changes, and must hold linux/amd64.'), io.said.join('\n'));
    assert.equal(io.said.some((l) => l.startsWith('info Docker not needed')), false);
    assert.ok(io.said.includes('info Preflight Image: not checked: the emulator\'s ECR keeps no manifests'), io.said.join('\n'));
  });

  test('the --registry stand-in for ECR is read with the ECR token\'s credentials; without --arch a mismatch says the architecture is this machine\'s', async () => {
    const logins: RegistryLogin[] = [];
    const imageDigests: DeployPorts['imageDigests'] = {
      resolve: async () => assert.fail('not resolved here'),
      platforms: async (_image, o) => {
        if (o?.login) logins.push(await o.login());
        return { digest: DIGEST, platforms: [{ os: 'linux', architecture: 'arm64' }] };
      },
    };
    const ecrAuth: DeployPorts['ecrAuth'] = { getLogin: async () => ({ registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', username: 'AWS', password: 'token' }) };
    const ctx = context({ image: '127.0.0.1:5000/app:1', registry: '127.0.0.1:5000', architectureFromHost: true }, { imageDigests, ecrAuth });
    await assert.rejects(checkPrerequisites.run(ctx, sayingIO()), (e: UsageError) => e.code === 'IMAGE_ARCH_MISMATCH' && e.message.includes("(this machine's architecture, the default without --arch)"));
    assert.deepEqual(logins, [{ registry: '127.0.0.1:5000', username: 'AWS', password: 'token' }]);
  });
});

describe('check-prerequisites: the certificate', () => {
  test('--domain: the zone is looked up and the records checked; no certificate is checked, described or imported', async () => {
    const looked: string[] = [];
    const dns: DeployPorts['dns'] = {
      ...UNUSED_DNS,
      zonesFrom: async (name) => (looked.push(`zones ${name}`), name === 'example.com' ? [{ id: 'Z1', name: 'example.com', private: false }] : []),
      records: async (zoneId, name) => (looked.push(`records ${zoneId} ${name}`), []),
    };
    const ctx = context({ certificate: { kind: 'managed' }, domain: { name: 'hello.example.com' } }, { dns, certs: untouchable<CertificatePort>('certs') });
    const io = sayingIO();
    assert.deepEqual(await checkPrerequisites.run(ctx, io), { status: 'succeeded', summary: '123456789012 / us-east-1' });
    assert.deepEqual(looked, ['zones hello.example.com', 'zones example.com', 'records Z1 hello.example.com']);
    assert.deepEqual(ctx.state.hostedZone, { id: 'Z1', name: 'example.com' });
    assert.equal(ctx.state.certificateArn, undefined);
    assert.equal(io.said.some((l) => l.startsWith('info Preflight Certificate')), false, 'the certificate check is skipped, and a skipped check is not reported');
  });

  test('an ARN the account has, without domain or expiry: just the ARN; with them, both', async () => {
    const bare = sayingIO();
    await checkPrerequisites.run(context({}), bare);
    assert.ok(bare.said.includes(`info Certificate ${ARN}`), bare.said.join('\n'));
    const full = sayingIO();
    await checkPrerequisites.run(context({}, { certs: { describe: async (arn) => ({ arn, domain: 'app.example.com', notAfter: new Date('2031-01-02T03:04:05.000Z') }), importPair: async () => assert.fail('no import') } }), full);
    assert.ok(full.said.includes(`info Certificate ${ARN} for app.example.com, expires 2031-01-02T03:04:05.000Z`), full.said.join('\n'));
  });

  test('a pair imported before is reused, and said so; an expired one is warned about like an expiring one', async (t) => {
    const io = sayingIO();
    const certs: CertificatePort = { describe: async () => assert.fail('no describe for a pair'), importPair: async () => ({ arn: ARN, reused: true, notAfter: new Date(Date.now() - 2 * 86_400_000) }) };
    const pair = makeTestCert('reuse.hello-deploy.test');
    t.after(() => rmSync(pair.dir, { recursive: true, force: true }));
    // The pair's files are judged by the preflight's certificate check first (a valid pair here).
    const preflight = fakePreflight({}, { '/c.pem': pair.certPem, '/k.pem': pair.keyPem });
    const ctx = context({ certificate: { kind: 'pair', certFile: '/c.pem', keyFile: '/k.pem' } }, { certs, preflight });
    await checkPrerequisites.run(ctx, io);
    assert.ok(io.said.includes(`info Reusing imported certificate ${ARN}`), io.said.join('\n'));
    assert.ok(io.said.some((l) => /^warn The certificate expires in -?\d+ days and ACM does not renew imported certificates/.test(l)), io.said.join('\n'));
  });
});

describe('the deploy plan', () => {
  test('nine steps: ids, titles and what each waits for (the runner, the wizard\'s rows and --dry-run all show them)', () => {
    assert.deepEqual(deploySteps.map((s) => [s.id, s.title, s.after, s.readOnly ?? false]), [
      ['prerequisites', 'Check prerequisites', [], false],
      ['validate-templates', 'Validate both templates', [], true],
      ['deploy-ecr-stack', 'Deploy the ECR stack', ['prerequisites', 'validate-templates'], false],
      ['ecr-login', 'Log in to the registry', ['prerequisites'], false],
      ['docker-build', 'Build the image', ['prerequisites'], false],
      ['tag-image', 'Tag the image', ['docker-build', 'deploy-ecr-stack'], false],
      ['push-image', 'Push the image', ['tag-image', 'ecr-login'], false],
      ['deploy-infra-stack', 'Deploy the infra stack', ['push-image', 'deploy-ecr-stack'], false],
      ['result', 'Check the live URL', ['deploy-infra-stack'], false],
    ]);
  });
});

describe('check-prerequisites: the preflight\'s latch', () => {
  /** Whether the latch is open now: every microtask has run by the time setImmediate fires. */
  const isOpen = async (ctx: DeployContext) => {
    let open = false;
    void preflightPassed(ctx.state).opened.then(() => (open = true));
    await new Promise((r) => setImmediate(r));
    return open;
  };

  test('a passed preflight opens the latch the emulator plan\'s ValidateTemplate waits for; a refused one leaves it shut', async () => {
    const ctx = context({ endpointUrl: 'http://127.0.0.1:5000' });
    assert.equal(await isOpen(ctx), false);
    await checkPrerequisites.run(ctx, sayingIO());
    assert.equal(await isOpen(ctx), true, 'the prerequisites passed the preflight but left the emulator\'s validation waiting');
    // The step that waits for it, run after the prerequisites alone: it validates both templates at once.
    const validated: string[] = [];
    const validate = deployPlan({ endpointUrl: 'http://127.0.0.1:5000' }).find((s) => s.id === 'validate-templates')!;
    const after = { ...ctx, ports: { ...ctx.ports, templates: { validate: async (body: string) => (validated.push(body.slice(0, 9)), { parameters: [], capabilities: [] }) }, lint: { lint: async () => ({ available: false, findings: [] }) } } as DeployPorts };
    assert.equal((await validate.run(after, sayingIO())).status, 'succeeded');
    assert.equal(validated.length, 2);

    const refused = context({ endpointUrl: 'http://127.0.0.1:5000' }, { preflight: fakePreflight({ usage: { vpcs: async () => 5, applicationLoadBalancers: async () => 0, targetGroups: async () => 0 } }) });
    await assert.rejects(checkPrerequisites.run(refused, sayingIO()), (e: UsageError) => e.code === 'PREFLIGHT_FAILED');
    assert.equal(await isOpen(refused), false, 'a refused preflight must keep the emulator\'s validation from starting');
  });
});

describe('check-prerequisites: an --image index', () => {
  test('every platform the index holds is named, comma-separated', async () => {
    const imageDigests: DeployPorts['imageDigests'] = { resolve: async () => assert.fail('not resolved here'), platforms: async () => ({ digest: DIGEST, platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] }) };
    const io = sayingIO();
    await checkPrerequisites.run(context({ image: '127.0.0.1:5000/app:1' }, { imageDigests, docker: untouchable('docker') }), io);
    assert.ok(io.said.includes('info Docker not needed: --image "127.0.0.1:5000/app:1" (sha256:abababababab…) holds linux/amd64, linux/arm64, which runs on X86_64'), io.said.join('\n'));
  });
});
