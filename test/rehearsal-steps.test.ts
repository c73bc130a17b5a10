// The rehearsal's own steps (start-emulator, prerequisites, start-registry) and the wrappers that run deploy steps
// inside it (onEmulator, dockerOnly), over FAKE ports (test/support/fake-ports.ts): an emulator that fails to
// start, no Docker engine, an ACM ARN where a pair is needed. test/local-rehearsal.test.ts runs the real thing.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../cli/rehearsal/steps/start-emulator.ts';
import { rehearsalPrerequisites } from '../cli/rehearsal/steps/prerequisites.ts';
import { startLocalRegistry } from '../cli/rehearsal/steps/start-registry.ts';
import { rehearsalSteps } from '../cli/rehearsal/plan.ts';
import { deployView, type RehearsalStepCtx } from '../cli/rehearsal/context.ts';
import type { Step } from '../cli/core/runner.ts';
import { AbortError, type HelloDeployError } from '../cli/core/errors.ts';
import type { PythonEnv, RehearsalPorts, StartedRegistry } from '../cli/ports/rehearsal.ts';
import { DOCKER, NO_DOCKER, REPOSITORY, fakeDocker, fakeEmulator, fakeLive, fakeRunning, recordingIO, rehearsalCtx, untouchable } from './support/fake-ports.ts';

const PYTHON: PythonEnv = { source: 'project-venv', bin: '/project/.venv/bin', motoServer: '/project/.venv/bin/moto_server', motoVersion: '5.2.0' };
/** A deploy step as the rehearsal plan wraps it; the wrappers use no rehearsal port, whatever the plan's array type says. */
const planned = (id: string) => rehearsalSteps.find((s) => s.id === id)! as Step<RehearsalStepCtx>;

/** Fake emulator ports: Python found, the emulator started (or failing to), connected to `live`. */
function emulatorPorts(live = fakeLive({}), start: RehearsalPorts['startEmulator'] = async () => fakeEmulator()) {
  const asked: { needApp: boolean[]; connected: string[] } = { needApp: [], connected: [] };
  const ports: Pick<RehearsalPorts, 'python' | 'startEmulator' | 'connect'> = {
    python: async (_io, o) => (asked.needApp.push(o.needApp), PYTHON),
    startEmulator: start,
    connect: async (endpoint) => (asked.connected.push(endpoint), live),
  };
  return { ports, asked };
}

describe('start-emulator', () => {
  test('an emulator that fails to start fails the step; nothing is left recorded as running, and deploy steps cannot reach any ports', async () => {
    const { ports } = emulatorPorts(undefined, async () => { throw new AbortError('EMULATOR_START_FAILED', 'moto_server exited with code 1: Address already in use'); });
    const ctx = rehearsalCtx(ports);
    await assert.rejects(startEmulator.run(ctx, recordingIO().io), (e: HelloDeployError) => e.code === 'EMULATOR_START_FAILED');
    assert.deepEqual(ctx.rehearsal.state.running, []);
    assert.equal(ctx.rehearsal.state.live, undefined);
    assert.throws(() => deployView(ctx).ports.identity.whoAmI(), /the emulator is not started yet/);
  });

  test('started: it is recorded to stop at teardown, and the deploy steps are aimed at it through state; the options are never written', async () => {
    const live = fakeLive({});
    const { ports, asked } = emulatorPorts(live);
    const ctx = rehearsalCtx(ports);
    const before = JSON.stringify(ctx.options);
    await startEmulator.run(ctx, recordingIO().io);
    assert.equal(ctx.rehearsal.state.running.length, 1);
    assert.deepEqual(asked, { needApp: [false], connected: ['http://127.0.0.1:45123'] });
    const view = deployView(ctx);
    assert.equal(view.ports, live);
    assert.equal(view.options.endpointUrl, 'http://127.0.0.1:45123');
    assert.equal(JSON.stringify(ctx.options), before);
  });

  test("--emulator endpoint: the emulator already running is used, not stopped at teardown (it is not ours); without Docker, Python is found for the app", async () => {
    const { ports, asked } = emulatorPorts(fakeLive({}), async () => fakeEmulator('http://127.0.0.1:4566', 'endpoint'));
    const ctx = rehearsalCtx(ports, { docker: NO_DOCKER, options: { engine: 'endpoint', endpointUrl: 'http://127.0.0.1:4566' } });
    await startEmulator.run(ctx, recordingIO().io);
    assert.deepEqual(ctx.rehearsal.state.running, []);
    assert.deepEqual(asked.needApp, [true]);
    assert.equal(ctx.rehearsal.state.python, PYTHON);
  });
});

describe('rehearsal prerequisites', () => {
  /** Fake emulator-side deploy ports: both templates present, a fake identity, an import into fake ACM. */
  const live = (present = true) => fakeLive({
    files: { readable: async () => present, read: async (p) => `body of ${p}` },
    identity: { whoAmI: async () => ({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/moto', region: 'us-east-1' }) },
    certs: { describe: async () => assert.fail('a rehearsal imports its pair; it never looks an ARN up'), importPair: async () => ({ arn: 'arn:aws:acm:us-east-1:123456789012:certificate/r', reused: false }) },
  });
  const certPorts = (written: string[]): Pick<RehearsalPorts, 'generatePair' | 'fingerprintOf'> => ({
    generatePair: async (certFile) => (written.push(certFile), { fingerprint: 'AA:BB' }),
    fingerprintOf: async () => 'CC:DD',
  });

  test('an ACM ARN is refused (a rehearsal imports a local pair into the emulator), before anything is generated', async () => {
    const written: string[] = [];
    const ctx = rehearsalCtx(certPorts(written), { deploy: { certificate: { kind: 'arn', arn: 'arn:aws:acm:us-east-1:1:certificate/x' } }, state: { live: live() } });
    await assert.rejects(rehearsalPrerequisites.run(ctx, recordingIO().io), (e: HelloDeployError) => e.code === 'REHEARSAL_CERT');
    assert.deepEqual(written, []);
  });

  test("a generated pair is made and its fingerprint kept; the user's own pair is only fingerprinted, never written", async () => {
    const written: string[] = [];
    const generated = rehearsalCtx(certPorts(written), { state: { live: live() } });
    await rehearsalPrerequisites.run(generated, recordingIO().io);
    assert.deepEqual(written, ['/rehearsal/certs/cert.pem']);
    assert.equal(generated.rehearsal.state.certFingerprint, 'AA:BB');
    assert.equal(generated.state.certificateArn, 'arn:aws:acm:us-east-1:123456789012:certificate/r');

    const users = rehearsalCtx(certPorts(written), { options: { certificateSource: 'user' }, state: { live: live() } });
    await rehearsalPrerequisites.run(users, recordingIO().io);
    assert.deepEqual(written, ['/rehearsal/certs/cert.pem'], 'the user pair was written to');
    assert.equal(users.rehearsal.state.certFingerprint, 'CC:DD');
  });

  test('no Docker engine is not a failure: it says the app runs under gunicorn instead; a missing template is', async () => {
    const ctx = rehearsalCtx(certPorts([]), { docker: NO_DOCKER, state: { live: live() } });
    const { io, rec } = recordingIO();
    await rehearsalPrerequisites.run(ctx, io);
    assert.match(rec.info.join('\n'), /No Docker engine \(connect ENOENT[^)]*\): .* under gunicorn/);
    const missing = rehearsalCtx(certPorts([]), { state: { live: live(false) } });
    await assert.rejects(rehearsalPrerequisites.run(missing, recordingIO().io), (e: HelloDeployError) => e.code === 'TEMPLATE_MISSING');
  });
});

describe('start-registry, and the deploy steps wrapped for the rehearsal', () => {
  const TOKEN = { registry: '000000000000.dkr.ecr.us-east-1.localhost.localstack.cloud:4566', username: 'AWS', password: 'emulated-token' };
  const registry = (): StartedRegistry => ({ ...fakeRunning('docker-registry', { pid: 777 }), host: '127.0.0.1:45999', runs: 'docker-registry' });

  test('no Docker engine: skipped with the reason, nothing started', async () => {
    const ctx = rehearsalCtx({ startRegistry: untouchable<RehearsalPorts['startRegistry']>('startRegistry') }, { docker: NO_DOCKER });
    const outcome = await startLocalRegistry.run(ctx, recordingIO().io);
    assert.deepEqual(outcome, { status: 'skipped', reason: `no Docker engine: ${NO_DOCKER.reason}; nothing to push` });
    assert.deepEqual(ctx.rehearsal.state.running, []);
  });

  test("started with the emulated ECR's credentials; then the plan's ecr-login logs in to it, not to the emulated ECR", async () => {
    const docker = fakeDocker();
    const creds: unknown[] = [];
    const ctx = rehearsalCtx({ startRegistry: async (c) => (creds.push(c), registry()) }, { state: { live: fakeLive({ ecrAuth: { getLogin: async () => ({ ...TOKEN }) }, docker }) } });
    await startLocalRegistry.run(ctx, recordingIO().io);
    assert.deepEqual(creds, [{ username: 'AWS', password: 'emulated-token' }]);
    assert.deepEqual(ctx.rehearsal.state.running.map((r) => r.what), ['docker-registry']);
    await planned('ecr-login').run(ctx, recordingIO().io);
    assert.deepEqual(docker.logins, [{ ...TOKEN, registry: '127.0.0.1:45999' }]);
    assert.equal(ctx.options.registry, undefined, 'options are read-only: the registry lives in the rehearsal state');
  });

  test('without Docker the image steps are skipped unrun; a skipped push still leaves the infra stack the repository URI with the run tag', async () => {
    const ctx = rehearsalCtx({}, { docker: NO_DOCKER, deployState: { repository: REPOSITORY }, state: { live: fakeLive({}) } });
    for (const id of ['ecr-login', 'docker-build', 'tag-image']) {
      assert.deepEqual(await planned(id).run(ctx, recordingIO().io), { status: 'skipped', reason: `no Docker engine: ${NO_DOCKER.reason}` });
    }
    assert.equal((await planned('push-image').run(ctx, recordingIO().io)).status, 'skipped');
    assert.equal(ctx.state.imageId, `${REPOSITORY.uri}:abc1234-20250101120000`);
    assert.match(planned('docker-build').describe(ctx), /^Skipped: no Docker engine/);
  });

  test('a deploy step run before the emulator step connected its ports fails loudly instead of reaching anything real', async () => {
    const ctx = rehearsalCtx({}, { docker: DOCKER });
    await assert.rejects(planned('deploy-ecr-stack').run(ctx, recordingIO().io), /the emulator is not started yet/);
    assert.match(planned('deploy-ecr-stack').describe(ctx), /feature-x-hello-world-ecr .* by direct/, 'the plan is described before anything runs');
  });
});
