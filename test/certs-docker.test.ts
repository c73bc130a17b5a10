// The app container serves a generate-certs pair when it is mounted read-only: the certificate it presents has
// our fingerprint and verifies when pinned. The image runs as a non-root user, so a 0600 key must belong to that
// user (or the container must run as the key's owner); the last test pins what happens when it does not.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  APP_IMAGE, buildImage, dockerUnavailableReason, httpsGet, inspectImage, runContainer, type RunningContainer,
} from './support/docker.ts';
import { runGenerateCerts } from '../cli/certs/run.ts';
import type { GenerateCertsResult } from '../cli/certs/report.ts';

const noEngine = await dockerUnavailableReason();
const isRoot = process.getuid?.() === 0;

describe('the app container serves a mounted generate-certs pair', { skip: noEngine ?? false }, () => {
  let work: string;
  let containerUser: { uid: number; gid: number };
  const containers: RunningContainer[] = [];

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'certs-docker-'));
    await buildImage(APP_IMAGE); // cached when unchanged
    const user = (await inspectImage(APP_IMAGE)).Config.User ?? '';
    const [uid, gid] = user.split(':').map(Number);
    assert.ok(uid !== undefined && uid > 0, `the image runs as a non-root numeric user (got "${user}")`);
    containerUser = { uid, gid: gid ?? uid };
  });

  after(async () => {
    for (const c of containers) await c.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /**
   * A copy of the pair the container user can read: as root we hand the copy (dir 0700, key 0600) to the image's
   * uid, exactly what an operator mounting keys must do; as another user we run the container as ourselves.
   */
  function mountablePair(r: GenerateCertsResult, name: string): { dir: string; runAs: string[] } {
    const dir = path.join(work, `mount-${name}`);
    cpSync(path.dirname(r.certPath), dir, { recursive: true });
    assert.equal(statSync(path.join(dir, 'key.pem')).mode & 0o777, 0o600, 'the copy keeps the key private');
    if (isRoot) {
      for (const p of [dir, path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')]) chownSync(p, containerUser.uid, containerUser.gid);
      return { dir, runAs: [] };
    }
    return { dir, runAs: ['--user', `${process.getuid?.()}:${process.getgid?.()}`] };
  }

  for (const keyType of ['rsa2048', 'ecdsa-p256'] as const) {
    test(`${keyType}: TLS_CERT_FILE/TLS_KEY_FILE on a read-only mount → the served certificate is ours`, async () => {
      const r = await runGenerateCerts({ out: keyType, keyType }, { cwd: work });
      const { dir, runAs } = mountablePair(r, keyType);
      const app = await runContainer(APP_IMAGE, {
        env: { TLS_CERT_FILE: '/certs/cert.pem', TLS_KEY_FILE: '/certs/key.pem' },
        mounts: [{ source: dir, target: '/certs', readonly: true }],
        args: runAs,
      });
      containers.push(app);
      const cert = readFileSync(r.certPath);
      // Pinned: only our certificate is trusted, and 127.0.0.1 must be one of its SANs.
      const res = await httpsGet(app.port, '/health', { ca: cert });
      assert.equal(res.status, 200);
      assert.equal(res.peerCertificate.fingerprint256, r.fingerprintSha256);
      assert.match((await app.logs()).stderr, /tls: serving certificate from env \(\/certs\/cert\.pem\)/);
      await app.stop();
    });
  }

  test('mounted at /app/certs without any env, the app finds the pair on its own', async () => {
    const r = await runGenerateCerts({ out: 'app-dir', keyType: 'ecdsa-p256' }, { cwd: work });
    const { dir, runAs } = mountablePair(r, 'app-dir');
    const app = await runContainer(APP_IMAGE, { mounts: [{ source: dir, target: '/app/certs', readonly: true }], args: runAs });
    containers.push(app);
    const res = await httpsGet(app.port, '/', { ca: readFileSync(r.certPath) });
    assert.equal(res.status, 200);
    assert.equal(res.peerCertificate.fingerprint256, r.fingerprintSha256);
    await app.stop();
  });

  test('a 0600 key owned by another uid is not readable by the container user: no TLS is served', async () => {
    const r = await runGenerateCerts({ out: 'not-mine', keyType: 'ecdsa-p256' }, { cwd: work });
    const dir = path.join(work, 'mount-not-mine');
    cpSync(path.dirname(r.certPath), dir, { recursive: true });
    chmodSync(dir, 0o755); // the directory is reachable; only the key's owner and mode stand in the way
    assert.notEqual(statSync(path.join(dir, 'key.pem')).uid, containerUser.uid);
    const app = await runContainer(APP_IMAGE, {
      env: { TLS_CERT_FILE: '/certs/cert.pem', TLS_KEY_FILE: '/certs/key.pem' },
      mounts: [{ source: dir, target: '/certs', readonly: true }],
      waitReady: false,
    });
    containers.push(app);
    // Without a check, gunicorn 27 starts, says "Listening", then fails every handshake with PermissionError. The
    // app checks readability at start-up (app/tls_files.py) and exits, saying which file and which uid.
    const deadline = Date.now() + 15_000;
    let logs = '';
    while (Date.now() < deadline && !/TLS file not readable by uid 10001/.test(logs)) {
      await httpsGet(app.port, '/health', { timeoutMs: 1_000 }).then(
        () => assert.fail('the container served TLS with a key it cannot read'),
        () => undefined,
      );
      const l = await app.logs();
      logs = l.stdout + l.stderr;
      await new Promise((res) => setTimeout(res, 500));
    }
    assert.match(logs, /TLS file not readable by uid 10001: \/certs\/key\.pem/);
    await assert.rejects(httpsGet(app.port, '/health', { timeoutMs: 2_000 }));
    await app.stop();
  });
});
