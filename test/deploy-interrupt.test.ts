// Ctrl-C during a deploy: the running steps finish, nothing new starts, the last line says what happened, exit 130.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { BIN } from './support/cli.ts';
import { assertNoSecrets } from './support/secrets.ts';
import { BASE_IMAGE, ROOT } from './support/paths.ts';
import { startTokenRegistry, type TokenRegistry } from './support/token-registry.ts';
import { pushHostImage } from './support/oci-push.ts';

let moto: Moto;
let cert: TestCert;
let registry: TokenRegistry;
/** A prebuilt image of this machine's platform, so no Docker engine is needed; its manifest is read for the architecture check. */
let image = '';
before(async () => {
  moto = await startMoto();
  cert = makeTestCert('interrupt.hello-deploy.test');
  registry = await startTokenRegistry();
  await pushHostImage(registry.host, 'prebuilt/app', '1');
  image = `${registry.host}/prebuilt/app:1`;
});
after(async () => {
  await moto?.stop();
  await registry?.stop();
  rmSync(cert.dir, { recursive: true, force: true });
});

// CI cancellations send SIGTERM, a closed terminal SIGHUP: all three stop the same way.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) test(`${signal} while templates validate: exit 130, later steps not run, a result line with INTERRUPTED`, async () => {
  const child = spawn(process.execPath, [BIN, 'deploy', '--yes', '--json', '--ecosystem', `interrupt-${signal.toLowerCase()}`, '--email', 'ops@example.com',
    '--cert', path.join(cert.dir, 'cert.pem'), '--key', path.join(cert.dir, 'key.pem'), '--endpoint-url', moto.endpoint,
    '--image', image, '--deploy-method', 'direct'], {
    cwd: ROOT, env: { ...process.env, ...FAKE_AWS_ENV, CI: 'true', HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let sent = false;
  child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    // ValidateTemplate on moto takes seconds (it runs cfn-lint inside): a reliable moment to interrupt.
    if (!sent && out.includes('"type":"step-start","step":"validate-templates"')) {
      sent = true;
      child.kill(signal);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assertNoSecrets(`${out}\n${err}`, `hello-deploy stopped by ${signal}`);
  assert.ok(sent, 'the validate step started');
  assert.equal(code, 130, `${out.slice(-2000)}\n${err}`);
  const events = out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; step?: string; ok?: boolean; error?: { code: string }; reason?: string });
  const result = events[events.length - 1]!;
  assert.equal(result.type, 'result');
  assert.equal(result.ok, false);
  assert.equal(result.error?.code, 'INTERRUPTED');
  // Nothing after validation started; the stacks were never touched.
  assert.ok(!events.some((e) => e.type === 'step-start' && e.step === 'deploy-ecr-stack'));
  assert.ok(events.some((e) => e.type === 'step-skipped' && e.step === 'deploy-ecr-stack' && /interrupted|not run/.test(e.reason ?? '')));
  assert.match(err, new RegExp(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after the running steps`));
});
