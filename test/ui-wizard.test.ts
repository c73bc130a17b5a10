// cli/commands/wizard.ts: the real WizardServices against moto, the Docker engine and the filesystem, plus the
// pieces around them (saved answers, the flags the wizard starts from, flag checks before it opens).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { dockerUnavailableReason } from './support/docker.ts';
import { ROOT } from './support/paths.ts';
import { preflight, wizardStart } from '../cli/commands/wizard.ts';
import { createWizardServices, type WizardEnv } from '../cli/commands/wizard-services.ts';
import { loadAnswers, saveAnswers } from '../cli/deploy/answers.ts';
import { flagsFor } from '../cli/domain/deploy-answers.ts';
import { equivalentCommand } from '../cli/domain/equivalent-command.ts';
import type { DeployEvent } from '../cli/deploy/result.ts';
import type { WizardAnswers } from '../cli/ui/shared/services.ts';
import { UsageError } from '../cli/core/errors.ts';

let moto: Moto;
let cwd: string;
let shortCert: TestCert;
const saved: Record<string, string | undefined> = {};

const env = (): WizardEnv => ({ cwd, projectDir: ROOT, buildArgs: {} });

before(async () => {
  // The services build SDK clients from the environment, as the CLI does: point them at fake credentials.
  for (const [k, v] of Object.entries(FAKE_AWS_ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  moto = await startMoto();
  cwd = mkdtempSync(path.join(tmpdir(), 'hello-deploy-wizard-services-'));
  shortCert = makeTestCert('soon.hello-deploy.test'); // 30 days: inside the 30-day warning
});

after(async () => {
  await moto?.stop();
  rmSync(cwd, { recursive: true, force: true });
  rmSync(shortCert.dir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('wizard services (real adapters)', () => {
  test('identity through STS; a malformed profile is refused with its fix, before any call', async () => {
    const svc = createWizardServices({ endpointUrl: moto.endpoint }, env());
    const ok = await svc.checkIdentity({});
    assert.ok(ok.ok, JSON.stringify(ok));
    assert.equal(ok.value.account, '123456789012');
    assert.equal(ok.value.region, 'us-east-1');
    const bad = await svc.checkIdentity({ profile: 'has space' });
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, 'PROFILE_INVALID');
    assert.match(bad.error.hint ?? '', /~\/\.aws\/config/);
  });

  test('the Docker engine answers the ping', async (t) => {
    const why = await dockerUnavailableReason();
    if (why) return t.skip(why);
    const r = await createWizardServices({}, env()).pingDocker();
    assert.ok(r.ok, JSON.stringify(r));
    assert.match(r.value.serverVersion, /^\d+\.\d+/);
  });

  test('no pair yet → generate one in app/certs (key 0600) → import into ACM → listed with its expiry; an identical import is reused', async () => {
    const svc = createWizardServices({ endpointUrl: moto.endpoint }, env());
    assert.equal((await svc.localCertificates()).present, false);
    const gen = await svc.generateCertificates();
    assert.ok(gen.ok, JSON.stringify(gen));
    assert.equal(gen.value.certFile, path.join(cwd, 'app/certs/cert.pem'));
    assert.equal(gen.value.label, path.join('app', 'certs', 'cert.pem'));
    assert.equal(statSync(gen.value.keyFile).mode & 0o777, 0o600);
    const local = await svc.localCertificates();
    assert.equal(local.present, true);
    assert.equal(local.subject, 'CN=hello-deploy.local');

    // A second generate refuses to overwrite the pair (generate-certs without --force).
    const again = await svc.generateCertificates();
    assert.ok(!again.ok);
    assert.equal(again.error.code, 'CERTS_EXIST');

    const imported = await svc.importCertificate({}, gen.value, 'wiz-services');
    assert.ok(imported.ok, JSON.stringify(imported));
    assert.match(imported.value.arn, /^arn:aws:acm:us-east-1:123456789012:certificate\//);
    assert.equal(imported.value.state, 'ok');
    assert.ok((imported.value.daysLeft ?? 0) >= 363, String(imported.value.daysLeft));

    const reused = await svc.importCertificate({}, gen.value, 'wiz-services');
    assert.ok(reused.ok);
    assert.equal(reused.value.arn, imported.value.arn);

    const soon = await svc.importCertificate({}, { certFile: path.join(shortCert.dir, 'cert.pem'), keyFile: path.join(shortCert.dir, 'key.pem') }, 'wiz-soon');
    assert.ok(soon.ok, JSON.stringify(soon));
    assert.equal(soon.value.state, 'expiring');

    const list = await svc.listCertificates({});
    assert.ok(list.ok, JSON.stringify(list));
    const arns = list.value.map((c) => c.arn);
    assert.ok(arns.includes(imported.value.arn) && arns.includes(soon.value.arn));
    // Soonest expiry first, each with the ecosystem it was imported for.
    assert.equal(list.value[0]!.arn, soon.value.arn);
    assert.equal(list.value.find((c) => c.arn === imported.value.arn)?.ecosystem, 'wiz-services');
  });

  test('templates are found in the project folder', async () => {
    const svc = createWizardServices({}, env());
    assert.deepEqual(await svc.templatesPresent(), { found: ['infra/hello-world-ecr-infra.yaml', 'infra/hello-world-infra.yaml', 'Dockerfile'], missing: [] });
    const empty = mkdtempSync(path.join(tmpdir(), 'hello-deploy-noproject-'));
    try {
      const r = await createWizardServices({}, { ...env(), projectDir: empty }).templatesPresent();
      assert.equal(r.missing.length, 3);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('stack status and CancelUpdateStack go to CloudFormation: an absent stack has no status, and its cancel fails with the stack named', async () => {
    const svc = createWizardServices({ endpointUrl: moto.endpoint }, env());
    assert.equal(await svc.stackStatus({}, 'wiz-nothing-hello-world-infra'), undefined);
    const before = moto.requests().length;
    const r = await svc.cancelUpdate({}, 'wiz-nothing-hello-world-infra');
    assert.ok(!r.ok, 'moto has no such stack (and no CancelUpdateStack): the call must not look successful');
    assert.match(r.error.message, /CancelUpdateStack \(stack wiz-nothing-hello-world-infra\)/);
    assert.ok(moto.requests().length > before, 'the call reached the emulator');
  });

  test('deploy with answers the engine refuses ends in one result event and exit 2, before any AWS call', async () => {
    const svc = createWizardServices({ endpointUrl: moto.endpoint }, env());
    const events: DeployEvent[] = [];
    const host = { emit: (e: DeployEvent) => events.push(e), ask: async () => true };
    const before = moto.requests().length;
    const r = await svc.deploy({ ecosystem: 'wiz', email: 'ops@example.com', certificate: { kind: 'pair', certFile: path.join(cwd, 'missing.pem'), keyFile: path.join(cwd, 'missing-key.pem') } }, host, new AbortController().signal);
    assert.equal(r.exitCode, 2);
    assert.equal(events.length, 1);
    const [last] = events;
    assert.ok(last?.type === 'result' && !last.ok);
    assert.match(last.error.message, /missing\.pem" does not exist/);
    assert.equal(moto.requests().length, before);
  });
});

describe('saved answers', () => {
  const answers: WizardAnswers = { ecosystem: 'feature-x', email: 'ops@example.com', region: 'eu-west-1', profile: 'dev', certificate: { kind: 'arn', arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0' } };

  test('round trip through .hello-deploy/<ecosystem>.json, with nothing secret in it', async () => {
    const file = await saveAnswers(cwd, answers);
    assert.equal(file, path.join(cwd, '.hello-deploy', 'feature-x.json'));
    assert.deepEqual(await loadAnswers(cwd, 'feature-x'), answers);
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(file, 'utf8'))).sort(), ['certificate', 'ecosystem', 'email', 'profile', 'region']);
  });

  test('a hand-edited file only yields well-formed fields; an ecosystem cannot name a path outside the folder', async () => {
    mkdirSync(path.join(cwd, '.hello-deploy'), { recursive: true });
    writeFileSync(path.join(cwd, '.hello-deploy', 'junk.json'), JSON.stringify({ email: 'not-an-email', region: 7, certificate: { kind: 'arn', arn: 'arn:nope' }, extra: 'x' }));
    assert.deepEqual(await loadAnswers(cwd, 'junk'), { ecosystem: 'junk' });
    writeFileSync(path.join(cwd, '.hello-deploy', 'broken.json'), '{');
    assert.equal(await loadAnswers(cwd, 'broken'), undefined);
    assert.equal(await loadAnswers(cwd, '../etc/passwd'), undefined);
    await assert.rejects(() => saveAnswers(cwd, { ...answers, ecosystem: '../../x' }), UsageError);
  });

  test('the wizard starts from flags first, then saved answers, then the git branch', async () => {
    // Feature/Login is not a valid name as it is, so its ecosystem carries its hash.
    await saveAnswers(cwd, { ...answers, ecosystem: 'feature-login-1ce277' });
    const start = await wizardStart({ email: 'flag@example.com', deployMethod: 'direct' }, { ...env(), branch: 'Feature/Login' });
    assert.equal(start.ecosystem, 'feature-login-1ce277');
    assert.equal(start.branch, 'Feature/Login');
    assert.equal(start.email, 'flag@example.com');
    assert.equal(start.profile, 'dev');
    assert.deepEqual(start.certificate, answers.certificate);
    assert.deepEqual(start.passThrough, ['--deploy-method direct']);
    assert.equal(start.savedFrom, path.join(cwd, '.hello-deploy', 'feature-login-1ce277.json'));
    // --base-image reaches the build and the equivalent command, as it does for `deploy --yes`.
    const based = await wizardStart({ baseImage: 'local/python-base:trixie' }, env());
    assert.deepEqual(based.passThrough, ['--base-image local/python-base:trixie']);
    // The CPU architecture: this machine's without --arch, else the flag's (repeated in the equivalent command).
    assert.deepEqual((await wizardStart({}, { ...env(), hostArch: 'arm64' })).architecture, { cpu: 'ARM64', fromHost: true });
    const flagged = await wizardStart({ arch: 'X86_64' }, { ...env(), hostArch: 'arm64' });
    assert.deepEqual(flagged.architecture, { cpu: 'X86_64', fromHost: false });
    assert.deepEqual(flagged.passThrough, ['--arch X86_64']);
  });
});

describe('flags', () => {
  test('bad flag values stop before the wizard opens (exit 2); answers the wizard asks for may be missing', async () => {
    await preflight({}, env());
    await preflight({ ecosystem: 'Not Valid', email: 'nope' }, env()); // the wizard shows these with their errors
    await assert.rejects(() => preflight({ region: 'moon-1' }, env()), (e: unknown) => e instanceof UsageError && /--region "moon-1"|moon-1/.test(e.message));
    await assert.rejects(() => preflight({ cert: 'nowhere.pem', key: 'nowhere-key.pem' }, env()), UsageError);
    await assert.rejects(() => preflight({ arch: 'amd64' }, env()), (e: unknown) => e instanceof UsageError && /--arch "amd64" is not a CPU architecture Fargate runs/.test(e.message));
  });

  test('every answer has a flag: the wizard\'s answers become the same flags --yes takes', () => {
    const a: WizardAnswers = { ecosystem: 'feature-x', email: 'ops@example.com', region: 'us-east-1', certificate: { kind: 'pair', certFile: '/p/cert.pem', keyFile: '/p/key.pem' } };
    const flags = flagsFor(a, { yes: false, ecosystem: 'old', endpointUrl: 'http://127.0.0.1:1', deployMethod: 'direct' });
    assert.deepEqual(flags, { ecosystem: 'feature-x', email: 'ops@example.com', region: 'us-east-1', cert: '/p/cert.pem', key: '/p/key.pem', endpointUrl: 'http://127.0.0.1:1', deployMethod: 'direct' });
    assert.equal(equivalentCommand(a, ['--deploy-method direct']), 'npx hello-deploy --yes --ecosystem feature-x --email ops@example.com --region us-east-1 --cert /p/cert.pem --key /p/key.pem --deploy-method direct');
    assert.match(equivalentCommand({ ...a, email: "o'k@example.com" }), /--email 'o'\\''k@example\.com'/);
  });
});
