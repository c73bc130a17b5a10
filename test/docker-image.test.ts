// The REAL top-level Dockerfile, built on the local base image and run as a container on the host network.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, cpSync, mkdirSync, writeFileSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { dockerfileDefaultBase } from '../cli/domain/base-image.ts';
import { ROOT } from './support/paths.ts';
import {
  APP_IMAGE, buildImage, dockerUnavailableReason, httpsGet, inspectImage, runContainer,
  type BuiltImage, type RunningContainer,
} from './support/docker.ts';

const noEngine = await dockerUnavailableReason();

describe('app image', { skip: noEngine ?? false }, () => {
  let built: BuiltImage;
  let app: RunningContainer | undefined;
  const cleanups: Array<() => Promise<unknown> | void> = [];

  before(async () => {
    built = await buildImage(APP_IMAGE);
    // The image's interval is 15 s; 1 s at run time lets the test see `healthy` in seconds.
    app = await runContainer(APP_IMAGE, { healthInterval: '1s' });
  });

  after(async () => {
    await app?.stop();
    for (const c of cleanups.reverse()) await c();
  });

  test('the real Dockerfile builds on the local base image', async () => {
    assert.match(built.output, /Successfully built/);
    const info = await inspectImage(APP_IMAGE);
    assert.equal(info.Id, built.id);
    assert.ok(info.Config.ExposedPorts?.['5000/tcp'], 'EXPOSE 5000');
    assert.ok(info.Config.Env?.includes('PORT=5000'), 'ENV PORT=5000');
    assert.deepEqual(info.Config.Cmd, ['/opt/venv/bin/gunicorn', '-c', '/app/gunicorn.conf.py', 'app:app']);
    const hc = info.Config.Healthcheck;
    assert.ok(hc?.Test?.join(' ').includes('healthcheck.py'), 'HEALTHCHECK runs the stdlib probe');
    assert.ok((hc?.Interval ?? 0) > 0 && (hc?.Retries ?? 0) > 0);
  });

  test("the local base image is the Debian release of the Dockerfile's default, and its Python made the venv", async () => {
    // A stand-in left from an older setup (another Debian, another Python) would pass every other test here.
    assert.ok(app);
    const debian = /-slim-([a-z]+)$/.exec(dockerfileDefaultBase(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')) ?? '')?.[1];
    const r = await app.exec(['sh', '-c', '. /etc/os-release && echo "$VERSION_CODENAME" && /opt/venv/bin/python -c "import sys; print(sys.version_info >= (3, 13))"']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [debian, 'True']);
  });

  test('a rebuild with unchanged inputs reuses every layer', async () => {
    const again = await buildImage(APP_IMAGE);
    assert.equal(again.id, built.id);
    // The dependency layer in particular: requirements are copied and installed before the code.
    assert.match(again.output, /pip install[^\n]*\n\s*---> Using cache/);
  });

  test('GET / over TLS answers hello world', async () => {
    assert.ok(app);
    const res = await httpsGet(app.port, '/');
    assert.equal(res.status, 200);
    assert.equal(res.body, 'hello world');
    assert.match(String(res.headers['content-type']), /^text\/plain/);
  });

  test('GET /health answers 200 with JSON', async () => {
    assert.ok(app);
    const res = await httpsGet(app.port, '/health');
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { status: 'ok' });
  });

  test('without mounted certs the container serves a self-signed certificate it made', async () => {
    assert.ok(app);
    const { peerCertificate: cert } = await httpsGet(app.port, '/');
    assert.equal(cert.subject.CN, cert.issuer.CN);
    assert.match(cert.subjectaltname ?? '', /IP Address:127\.0\.0\.1/);
  });

  test('the image and the process run as a non-root user', async () => {
    assert.ok(app);
    const user = (await inspectImage(APP_IMAGE)).Config.User ?? '';
    assert.ok(user !== '' && !/^(root|0)(:|$)/.test(user), `image Config.User is ${JSON.stringify(user)}`);
    const id = await app.exec(['id', '-u']);
    assert.equal(id.exitCode, 0, id.stderr);
    assert.notEqual(id.stdout.trim(), '0');
    assert.match(id.stdout.trim(), /^\d+$/);
  });

  test('the health check turns healthy', async () => {
    assert.ok(app);
    await app.waitHealthy(30_000);
    assert.equal(await app.health(), 'healthy');
  });

  test('requests are logged to stdout', async () => {
    assert.ok(app);
    await httpsGet(app.port, '/');
    let stdout = '';
    for (let i = 0; i < 20 && !stdout.includes('"GET / HTTP/1.1" 200'); i++) {
      stdout = (await app.logs()).stdout;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(stdout, /"GET \/ HTTP\/1\.1" 200/);
  });

  test('the image holds no *.pem, no tests and no dev requirements under /app', async () => {
    const r = await execa('docker', ['run', '--rm', '--network', 'host', '--entrypoint', 'find', APP_IMAGE,
      '/app', '(', '-name', '*.pem', '-o', '-name', '*.key', '-o', '-name', 'tests', '-o', '-name', 'requirements-dev.txt', ')']);
    assert.equal(r.stdout.trim(), '');
  });

  test('.dockerignore keeps keys and tests out even when they sit in app/', async () => {
    // A copy of the real context with planted secrets: the build must not pick them up.
    const ctx = mkdtempSync(path.join(tmpdir(), 'hd-ctx-'));
    cleanups.push(() => rmSync(ctx, { recursive: true, force: true }));
    cpSync(path.join(ROOT, 'Dockerfile'), path.join(ctx, 'Dockerfile'));
    cpSync(path.join(ROOT, '.dockerignore'), path.join(ctx, '.dockerignore'));
    cpSync(path.join(ROOT, 'app'), path.join(ctx, 'app'), { recursive: true });
    mkdirSync(path.join(ctx, 'app', 'certs'), { recursive: true });
    writeFileSync(path.join(ctx, 'app', 'certs', 'key.pem'), 'planted');
    writeFileSync(path.join(ctx, 'app', 'stray.pem'), 'planted');
    writeFileSync(path.join(ctx, 'node_modules.txt'), 'outside app/');
    const tag = 'hello-deploy/app:test-dockerignore';
    await buildImage(tag, { context: ctx });
    cleanups.push(() => execa('docker', ['rmi', '-f', tag], { reject: false }));
    const r = await execa('docker', ['run', '--rm', '--network', 'host', '--entrypoint', 'sh', tag, '-c',
      'find / -xdev \\( -name "*.pem" -o -name node_modules.txt \\) -path "/app/*" -print; ls /app']);
    assert.doesNotMatch(r.stdout, /\.pem|node_modules/);
    assert.match(r.stdout, /app\.py/);
    assert.doesNotMatch(r.stdout, /^tests$/m);
  });

  test('a mounted certificate named by TLS_CERT_FILE/TLS_KEY_FILE is the one served', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hd-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    await execa('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=docker-image-test', '-addext', 'subjectAltName=IP:127.0.0.1']);
    // A throwaway key: readable by the image's uid 10001, which does not own this host directory.
    chmodSync(dir, 0o755);
    chmodSync(path.join(dir, 'key.pem'), 0o644);
    const c = await runContainer(APP_IMAGE, {
      env: { TLS_CERT_FILE: '/run/tls/cert.pem', TLS_KEY_FILE: '/run/tls/key.pem' },
      mounts: [{ source: dir, target: '/run/tls' }],
    });
    cleanups.push(() => c.stop());
    // Pinning the mounted cert as the only CA: the request succeeds only if exactly that cert is served.
    const res = await httpsGet(c.port, '/', { ca: readFileSync(path.join(dir, 'cert.pem')) });
    assert.equal(res.body, 'hello world');
    assert.equal(res.peerCertificate.subject.CN, 'docker-image-test');
  });

  test('docker stop (SIGTERM) ends the container cleanly within seconds', async () => {
    const c = await runContainer(APP_IMAGE);
    cleanups.push(() => c.stop());
    const t0 = Date.now();
    const code = await c.gracefulStop(10);
    assert.equal(code, 0);
    assert.ok(Date.now() - t0 < 8_000, `stop took ${Date.now() - t0} ms`);
  });
});
