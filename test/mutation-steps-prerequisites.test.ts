// The prerequisites step (cli/steps/check-prerequisites.ts) on the paths only the moto and CLI tests reached: an
// --image whose architecture the registry cannot say (an emulator's ECR), --domain (no certificate to look up or
// import; the zone read before any role is made), an ARN ACM reports little of, a reused or expired import. Over
// FAKE ports (test/prerequisites.test.ts has the usual paths); no emulator, so `npm run mutate` runs it.
import { test, describe, after } from 'node:test';
import { rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import type { DeployPorts } from '../cli/ports/deploy.ts';
import type { DeployContext, DeployOptions } from '../cli/steps/context.ts';
import { checkPrerequisites } from '../cli/steps/check-prerequisites.ts';
import { DIGEST, FakeClock, INFRA_TEMPLATE, deployOptions, fakePreflight, recordingIO, untouchable, UNUSED_DNS } from './support/fake-ports.ts';
import { readTemplate } from './support/stacks.ts';
import { makeTestCert } from './support/testcert.ts';

const DAY = 86_400_000;
// A minute on from now: the test pair is valid from the second openssl made it.
const T0 = Date.now() + 60_000;
const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
const BODIES: Record<string, string> = { '/project/infra/hello-world-ecr-infra.yaml': readTemplate('hello-world-ecr-infra.yaml'), '/project/infra/hello-world-infra.yaml': INFRA_TEMPLATE };

function context(over: Partial<DeployOptions>, ports: Partial<DeployPorts>, calls: string[] = []): DeployContext {
  return {
    options: deployOptions(over),
    ports: {
      identity: { whoAmI: async () => ({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/dev', region: 'us-east-1' }) },
      docker: { ping: async () => ({ serverVersion: '27.5.1' }) },
      files: { readable: async (p: string) => p in BODIES, read: async (p: string) => BODIES[p]! },
      preflight: fakePreflight({ certs: { describe: async (arn) => ({ arn, keyAlgorithm: 'RSA_2048', status: 'ISSUED', domain: 'a.example.com' }) } }),
      serviceRoles: { exists: async (n: string) => (calls.push(`role ${n}`), true), create: async () => assert.fail('all roles exist') },
      certs: untouchable('certs'),
      ...ports,
    } as DeployPorts,
    state: { stacksTouched: [] },
    clock: new FakeClock(T0),
  };
}

describe('the prerequisites step, the less usual paths', () => {
  test('an --image the registry cannot say the architecture of: a warning naming what it must hold, and the preflight says "not checked"', async () => {
    const imageDigests = { resolve: async () => assert.fail('not resolved'), platforms: async () => ({ digest: DIGEST, unknown: 'moto serves no image config' }) };
    const ctx = context({ image: '127.0.0.1:5000/app:1', certificate: { kind: 'arn', arn: ARN }, architecture: 'ARM64' }, {
      docker: untouchable('docker'),
      imageDigests,
      certs: { describe: async (arn: string) => ({ arn }), importPair: async () => assert.fail('an ARN is not imported') },
    } as Partial<DeployPorts>);
    const { io, rec } = recordingIO();
    assert.deepEqual(await checkPrerequisites.run(ctx, io), { status: 'succeeded', summary: '123456789012 / us-east-1' });
    assert.deepEqual(rec.warn, ['The architecture of --image "127.0.0.1:5000/app:1" was not checked: moto serves no image config. On AWS it is read before any stack changes, and must hold linux/arm64.']);
    assert.deepEqual(ctx.state.checkedImage, { digest: DIGEST });
    assert.ok(rec.info.includes('Preflight Image: not checked: moto serves no image config'), rec.info.join('\n'));
    // ACM said nothing but the ARN: the line says no more than that.
    assert.ok(rec.info.includes(`Certificate ${ARN}`), rec.info.join('\n'));
    assert.ok(!rec.progress.some((p) => p.startsWith('Docker engine')), 'Docker is not asked with --image');
  });

  test('--domain: nothing to look up or import, the zone and its records read before the roles; skipped checks are not reported', async () => {
    const calls: string[] = [];
    const dns = { ...UNUSED_DNS, records: async (zone: string, name: string) => (calls.push(`records ${zone} ${name}`), []) };
    const ctx = context({ certificate: { kind: 'managed' }, domain: { name: 'h.example.com', hostedZoneId: 'Z1' } }, { dns, certs: untouchable('certs') }, calls);
    const { io, rec } = recordingIO();
    assert.deepEqual(await checkPrerequisites.run(ctx, io), { status: 'succeeded', summary: '123456789012 / us-east-1' });
    assert.deepEqual(calls, ['records Z1 h.example.com', 'role AWSServiceRoleForECS', 'role AWSServiceRoleForElasticLoadBalancing', 'role AWSServiceRoleForApplicationAutoScaling_ECSService']);
    assert.equal(ctx.state.certificateArn, undefined);
    assert.deepEqual(rec.info.filter((l) => l.startsWith('Preflight ')).map((l) => l.split(':')[0]), ['Preflight Names', 'Preflight Quotas'], 'no certificate or image to judge: nothing said about them');
    assert.ok(rec.info.includes('No certificate to import: with --domain the self-signed pair is not used.'));
  });

  const made = makeTestCert('prereq.example.com');
  after(() => rmSync(made.dir, { recursive: true, force: true }));

  test('a pair: a reused import is said as such; an expired one warns to rotate it', async () => {
    const pairOver = { certificate: { kind: 'pair' as const, certFile: '/c/cert.pem', keyFile: '/c/key.pem' } };
    const preflight = fakePreflight({}, { '/c/cert.pem': made.certPem, '/c/key.pem': made.keyPem });
    const run = async (answer: { reused: boolean; notAfter: Date }) => {
      const ctx = context(pairOver, { preflight, certs: { describe: async () => assert.fail('a pair is not described'), importPair: async () => ({ arn: ARN, ...answer }) } });
      const { io, rec } = recordingIO();
      await checkPrerequisites.run(ctx, io);
      return { ctx, rec };
    };
    const reused = await run({ reused: true, notAfter: new Date(T0 + 200 * DAY) });
    assert.ok(reused.rec.info.includes(`Reusing imported certificate ${ARN}`), reused.rec.info.join('\n'));
    assert.deepEqual(reused.rec.warn, []);
    assert.equal(reused.ctx.state.certificateArn, ARN);
    const expired = await run({ reused: false, notAfter: new Date(T0 - 2 * DAY) });
    assert.ok(expired.rec.info.includes(`Imported certificate ${ARN}`));
    assert.equal(expired.rec.warn.length, 1);
    assert.match(expired.rec.warn[0]!, /^The certificate expires in -?\d+ days and ACM does not renew imported certificates: rotate it with `hello-deploy generate-certs --import-acm --rotate <arn>`\.$/);
  });
});
