// SmokePort against local servers on 127.0.0.1 only: a real HTTPS server with a throwaway self-signed certificate,
// a plain HTTP server, a TCP server that never answers, and a port with nothing listening.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { createSmoke } from '../cli/adapters/smoke.ts';
import { AbortError } from '../cli/core/errors.ts';
import { freePort } from './support/ports.ts';

const BIG = 200 * 1024;
let work = '';
let httpsServer: https.Server;
let httpServer: http.Server;
let silentServer: net.Server;
const silentSockets = new Set<net.Socket>();
let httpsPort = 0;
let httpPort = 0;
let silentPort = 0;

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function close(server: net.Server | undefined): Promise<void> {
  return new Promise((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
}

describe('smoke adapter', () => {
  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'hello-deploy-smoke-test-'));
    const key = path.join(work, 'key.pem');
    const cert = path.join(work, 'cert.pem');
    await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost']);
    httpsServer = https.createServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
      if (req.url === '/big') return res.end('x'.repeat(BIG));
      if (req.url !== '/') { res.statusCode = 404; return res.end('nope'); }
      res.end('Hello World!');
    });
    httpsPort = await listen(httpsServer);
    httpServer = http.createServer((_req, res) => { res.statusCode = 301; res.end(); });
    httpPort = await listen(httpServer);
    // Accepts TCP and then says nothing: what a listener that hangs looks like.
    silentServer = net.createServer((sock) => { silentSockets.add(sock); sock.once('close', () => silentSockets.delete(sock)); });
    silentPort = await listen(silentServer);
  });

  after(async () => {
    for (const s of silentSockets) s.destroy();
    httpsServer?.closeAllConnections();
    httpServer?.closeAllConnections();
    await Promise.all([close(httpsServer), close(httpServer), close(silentServer)]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('the test certificate really is untrusted (so the next test proves something)', async () => {
    await assert.rejects(
      new Promise((resolve, reject) => https.get(`https://127.0.0.1:${httpsPort}/`, resolve).once('error', reject)),
      /self[- ]signed/i,
    );
  });

  test('httpsGet accepts the self-signed certificate and returns status and body', async () => {
    const smoke = createSmoke();
    assert.deepEqual(await smoke.httpsGet(`https://127.0.0.1:${httpsPort}/`, 5_000), { status: 200, body: 'Hello World!' });
    assert.deepEqual(await smoke.httpsGet(`https://127.0.0.1:${httpsPort}/missing`, 5_000), { status: 404, body: 'nope' });
  });

  test('httpsGet keeps at most 64 KiB of body', async () => {
    const { status, body } = await createSmoke().httpsGet(`https://127.0.0.1:${httpsPort}/big`, 5_000);
    assert.equal(status, 200);
    assert.equal(body.length, 64 * 1024);
  });

  test('httpsGet to a closed port is SMOKE_HTTPS_FAILED', async () => {
    const closed = await freePort();
    await assert.rejects(createSmoke().httpsGet(`https://127.0.0.1:${closed}/`, 5_000), (err: unknown) => {
      assert.ok(err instanceof AbortError);
      assert.equal(err.code, 'SMOKE_HTTPS_FAILED');
      assert.match(err.message, /ECONNREFUSED/);
      return true;
    });
  });

  test('httpsGet gives up after the timeout when nothing answers', async () => {
    const started = Date.now();
    await assert.rejects(createSmoke().httpsGet(`https://127.0.0.1:${silentPort}/`, 500), (err: unknown) => {
      assert.ok(err instanceof AbortError);
      assert.equal(err.code, 'SMOKE_HTTPS_FAILED');
      assert.match(err.message, /500 ms/);
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 450 && elapsed < 3_000, `gave up after ${elapsed} ms`);
  });

  test('httpProbe: nothing listening is "refused"', async () => {
    assert.equal(await createSmoke().httpProbe('127.0.0.1', 2_000, await freePort()), 'refused');
  });

  test('httpProbe: an HTTP listener (even a redirect) is "answered"', async () => {
    assert.equal(await createSmoke().httpProbe('127.0.0.1', 2_000, httpPort), 'answered');
  });

  test('httpProbe: an open port that never replies is still "answered"', async () => {
    assert.equal(await createSmoke().httpProbe('127.0.0.1', 500, silentPort), 'answered');
  });

  test('httpProbe: a name that does not resolve is "unresolvable"', async () => {
    // An injected resolver, so the test sends no DNS query off this machine.
    const smoke = createSmoke({
      lookup: (hostname, _options, callback) => {
        const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        process.nextTick(() => (callback as (e: Error) => void)(err));
      },
    });
    assert.equal(await smoke.httpProbe('hello-deploy.invalid', 2_000, httpPort), 'unresolvable');
  });

  test('httpProbe: no connection before the deadline is "timeout"', async () => {
    // A resolver that never answers keeps the socket from ever connecting: the closest loopback-only stand-in
    // for a security group that drops port 80 packets.
    const smoke = createSmoke({ lookup: () => undefined });
    const started = Date.now();
    assert.equal(await smoke.httpProbe('hello-deploy.invalid', 300, httpPort), 'timeout');
    assert.ok(Date.now() - started < 2_000);
  });
});
