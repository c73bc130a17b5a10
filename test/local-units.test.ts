// Rehearsal building blocks on real parts: flag checks,
// where the Python tools are found (real interpreters, real moto), and the key copy the container user can read.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkLocalFlags, localOnlyFlagsError, resolveRehearsal } from '../cli/rehearsal/options.ts';
import { findPythonEnv, requirementsHash } from '../cli/adapters/emulator/python-env.ts';
import { startMotoServer } from '../cli/adapters/emulator/moto.ts';
import { prepareTlsMount } from '../cli/adapters/emulator/app-runner.ts';
import { isolateFromRealAws } from '../cli/adapters/emulator/fake-aws.ts';
import { ROOT, VENV_BIN } from './support/paths.ts';
import { makeTestCert } from './support/testcert.ts';

const temps: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(d);
  return d;
};
after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('flags', () => {
  const docker = { available: true as const, version: 'test' };
  test('--local flags without --local are a usage error; with it they are fine', () => {
    assert.match(localOnlyFlagsError({ keep: true, emulator: 'moto' })!.message, /--emulator, --keep only make sense with --local/);
    assert.equal(localOnlyFlagsError({ local: true, keep: true }), undefined);
    assert.equal(localOnlyFlagsError({}), undefined);
  });

  test('a rehearsal refuses what would point at a real account, all named at once (exit 2)', () => {
    assert.throws(() => checkLocalFlags({ local: true, profile: 'prod', certArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x', region: 'eu-west-1' }, docker), (e: Error & { exitCode?: number }) => {
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /3 problems/);
      assert.match(e.message, /--profile/);
      assert.match(e.message, /--cert-arn/);
      assert.match(e.message, /us-east-1 only/);
      return true;
    });
  });

  test('a rehearsal refuses the flags that price or change a real deployment (--traffic, --live-prices, --replace-record), exit 2', () => {
    assert.throws(() => checkLocalFlags({ local: true, traffic: '20', livePrices: true, domain: 'app.example.com', replaceRecord: true }, docker), (e: Error & { exitCode?: number }) => {
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /3 problems/);
      assert.match(e.message, /--traffic prices a deployment on AWS/);
      assert.match(e.message, /--live-prices prices a deployment on AWS/);
      assert.match(e.message, /--replace-record replaces a record in your Route 53 zone/);
      return true;
    });
    assert.equal(checkLocalFlags({ local: true, domain: 'app.example.com' }, docker), 'moto');
  });

  test('as a real deploy, the branch owns the ecosystem only when it named it; --take-over is accepted and passed on', async () => {
    const cwd = temp('hd-rehearsal-owner-');
    const env = { cwd, projectDir: ROOT, branch: 'Feature/X', imageTag: 't', docker: { available: false as const, reason: 'test' }, workDir: path.join(cwd, 'work'), imageExists: async () => false };
    const derived = await resolveRehearsal({ local: true, takeOver: true }, 'moto', env);
    assert.deepEqual([derived.options.ecosystem, derived.options.branch, derived.options.takeOver], ['feature-x-02cc19', 'Feature/X', true]);
    const explicit = await resolveRehearsal({ local: true, ecosystem: 'shared' }, 'moto', env);
    assert.deepEqual([explicit.options.ecosystem, explicit.options.branch, explicit.options.takeOver], ['shared', undefined, undefined]);
    const noGit = await resolveRehearsal({ local: true }, 'moto', { ...env, branch: undefined });
    assert.deepEqual([noGit.options.ecosystem, noGit.options.branch], ['rehearsal', undefined]);
  });

  test('the engine: moto by default, endpoint implied by --endpoint-url, endpoint needs one', () => {
    assert.equal(checkLocalFlags({ local: true }, docker), 'moto');
    assert.equal(checkLocalFlags({ local: true, endpointUrl: 'http://127.0.0.1:4566' }, docker), 'endpoint');
    assert.throws(() => checkLocalFlags({ local: true, emulator: 'endpoint' }, docker), /needs --endpoint-url/);
    assert.throws(() => checkLocalFlags({ local: true, emulator: 'moto', endpointUrl: 'http://127.0.0.1:4566' }, docker), /goes with --emulator endpoint/);
    // Plain moto (no launcher extensions) stays a choice of its own.
    assert.equal(checkLocalFlags({ local: true, emulator: 'moto-plain' }, docker), 'moto-plain');
    assert.throws(() => checkLocalFlags({ local: true, emulator: 'moto-plain', endpointUrl: 'http://127.0.0.1:4566' }, docker), /goes with --emulator endpoint \(--emulator moto-plain starts its own\)/);
    assert.throws(() => checkLocalFlags({ local: true, emulator: 'moto-extended' }, docker), /must be one of moto, moto-plain, localstack, endpoint/);
  });

  test('localstack fails fast without a token or without Docker, and suggests moto', () => {
    for (const [token, dockerStatus] of [[undefined, docker], ['tok', { available: false as const, reason: 'no socket' }]] as const) {
      assert.throws(() => checkLocalFlags({ local: true, emulator: 'localstack' }, dockerStatus, token ? { LOCALSTACK_AUTH_TOKEN: token } : {}), (e: Error & { exitCode?: number; hint?: string }) => {
        assert.equal(e.exitCode, 2);
        assert.match(e.message, token ? /no Docker engine answers \(no socket\)/ : /LOCALSTACK_AUTH_TOKEN is not set/);
        assert.match(e.message, /paid LocalStack tier/);
        assert.match(e.hint ?? '', /--emulator moto/);
        return true;
      });
    }
    assert.equal(checkLocalFlags({ local: true, emulator: 'localstack' }, docker, { LOCALSTACK_AUTH_TOKEN: 'tok' }), 'localstack');
  });

  test('isolateFromRealAws replaces credentials and drops profiles and endpoint overrides', () => {
    const env: NodeJS.ProcessEnv = { AWS_PROFILE: 'prod', AWS_ACCESS_KEY_ID: 'AKIAREAL', AWS_ENDPOINT_URL_S3: 'https://x', PATH: '/bin' };
    isolateFromRealAws(env);
    assert.equal(env.AWS_PROFILE, undefined);
    assert.equal(env.AWS_ENDPOINT_URL_S3, undefined);
    assert.equal(env.AWS_ACCESS_KEY_ID, 'testing');
    assert.equal(env.AWS_REGION, 'us-east-1');
    assert.equal(env.PATH, '/bin');
  });
});

describe('findPythonEnv', () => {
  const requirements = [path.join(ROOT, 'localstack/requirements-moto.txt'), path.join(ROOT, 'app/requirements.txt')];
  const noPath = { PATH: '/nonexistent' };

  test("the project's .venv comes first, with the app's requirements when asked", async () => {
    const r = await findPythonEnv({ projectDirs: [ROOT], requirements, needApp: true, create: false, cacheRoot: temp('hd-cache-'), env: noPath });
    assert.equal(r.env?.source, 'project-venv');
    assert.match(r.env?.motoVersion ?? '', /^5\.2\./);
    assert.equal(r.env?.gunicorn, path.join(VENV_BIN, 'gunicorn'));
    // The interpreter that runs the moto launcher: the one behind this moto_server (its #! line).
    assert.equal(r.env?.python, readFileSync(path.join(VENV_BIN, 'moto_server'), 'utf8').split('\n', 1)[0]!.replace(/^#!\s*/, ''));
  });

  test('a moto_server 5.2.x on PATH serves when there is no project .venv', async () => {
    const bin = temp('hd-path-');
    symlinkSync(path.join(VENV_BIN, 'moto_server'), path.join(bin, 'moto_server'));
    const r = await findPythonEnv({ projectDirs: [], requirements, needApp: false, create: false, cacheRoot: temp('hd-cache-'), env: { PATH: bin } });
    assert.equal(r.env?.source, 'path', r.passedOver.join('\n'));
    assert.match(r.env?.motoVersion ?? '', /^5\.2\./);
  });

  test('another moto version is passed over (and said why); the cache dir is keyed by the requirements', async () => {
    const bin = temp('hd-oldmoto-');
    writeFileSync(path.join(bin, 'moto_server'), '#!/bin/sh\nexit 0\n');
    // A "python" that reports moto 4.2.0 for importlib.metadata.version('moto').
    writeFileSync(path.join(bin, 'python3'), '#!/bin/sh\necho 4.2.0\n');
    chmodSync(path.join(bin, 'moto_server'), 0o755);
    chmodSync(path.join(bin, 'python3'), 0o755);
    const cache = temp('hd-cache-');
    const r = await findPythonEnv({ projectDirs: [], requirements, needApp: false, create: false, cacheRoot: cache, env: { PATH: bin } });
    assert.equal(r.env, undefined);
    assert.match(r.passedOver.join('\n'), /moto 4\.2\.0, not 5\.2\.x/);
    assert.equal(r.cacheDir, path.join(cache, `venv-${requirementsHash(requirements)}`));
  });
});

describe('startMotoServer', () => {
  const launcher = { python: path.join(VENV_BIN, 'python'), script: path.join(ROOT, 'localstack/moto_launcher.py') };

  test('the launcher starts with the extensions it reports applying; --emulator moto-plain starts moto_server without them', async () => {
    const ext = await startMotoServer({ motoServer: path.join(VENV_BIN, 'moto_server'), version: '5.2.5', workDir: temp('hd-moto-'), launcher });
    const plain = await startMotoServer({ motoServer: path.join(VENV_BIN, 'moto_server'), version: '5.2.5', workDir: temp('hd-moto-') });
    try {
      assert.equal(ext.what, 'moto launcher');
      assert.deepEqual(ext.info.extensions, ['cfn_resources', 'acm_certificate', 'ecs_service', 'cfn_deletes', 'cfn_fixes', 'task_counts', 'ecs_rollout', 'target_health', 'stack_events']);
      assert.equal(ext.info.engine, 'moto');
      assert.deepEqual([plain.what, plain.info.engine, plain.info.extensions], ['moto_server', 'moto-plain', undefined]);
    } finally {
      await ext.stop();
      await plain.stop();
    }
  });

  test('a launcher that refuses a changed moto is EMULATOR_START_FAILED with its own line, never plain moto instead', async () => {
    // A moto of another version first on the path: the launcher's own version check refuses it at start-up.
    const fake = temp('hd-fake-moto-');
    mkdirSync(path.join(fake, 'moto'));
    writeFileSync(path.join(fake, 'moto', '__init__.py'), "__version__ = '9.9.9'\n");
    const workDir = temp('hd-moto-');
    await assert.rejects(startMotoServer({ motoServer: path.join(VENV_BIN, 'moto_server'), workDir, launcher, env: { PYTHONPATH: fake } }), (e: Error & { code?: string; hint?: string }) => {
      assert.equal(e.code, 'EMULATOR_START_FAILED');
      assert.match(e.message, /^moto launcher did not start: moto_launcher: moto 9\.9\.9 is installed, the extensions are written for 5\.2\.5/);
      assert.match(e.hint ?? '', /--emulator moto-plain/);
      return true;
    });
  });
});

describe('prepareTlsMount', () => {
  test("the container's uid can read a private copy of the key; the user's own key file is not touched", async (t) => {
    const cert = makeTestCert();
    temps.push(cert.dir);
    const keyFile = path.join(cert.dir, 'key.pem');
    const before = statSync(keyFile);
    const work = temp('hd-tls-');
    const warnings: string[] = [];
    const dir = await prepareTlsMount(work, path.join(cert.dir, 'cert.pem'), keyFile, { uid: 10001, gid: 10001 }, (m) => warnings.push(m));
    const after = statSync(keyFile);
    assert.equal(after.mode & 0o777, 0o600);
    assert.equal(after.uid, before.uid);
    assert.equal(readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert.keyPem);
    if (process.getuid?.() !== 0) return t.skip('chown needs root; this run is not root (the ACL path is used instead)');
    const copy = statSync(path.join(dir, 'key.pem'));
    assert.equal(copy.uid, 10001);
    assert.equal(copy.mode & 0o777, 0o400);
    assert.equal(statSync(dir).uid, 10001);
    assert.deepEqual(warnings, []);
    // Removable by its owner afterwards (teardown runs as the same user).
    mkdirSync(path.join(work, 'x'));
  });
});
