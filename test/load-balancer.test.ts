// The rehearsal's load balancer (cli/adapters/emulator/load-balancer.ts): HAProxy configured from what the moto
// launcher holds for the real infra template's ALB, listener and target group, with real TLS handshakes on
// loopback against a stand-in target (a tiny HTTPS server that answers like app/app.py). Nothing here is mocked.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACMClient, ImportCertificateCommand } from '@aws-sdk/client-acm';
import { startMoto, type Moto } from './support/moto.ts';
import { cfnClient, createStackAndWait, motoClientConfig } from './support/stacks.ts';
import { ECR_TEMPLATE, INFRA_TEMPLATE, infraParams } from './support/template-stacks.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { describeTargetHealth, findHaproxy, readLoadBalancer, registerTarget, reportTargetHealth, startHaproxy } from '../cli/adapters/emulator/load-balancer.ts';
import { freePort } from '../cli/adapters/emulator/net.ts';
import { httpsGet } from '../cli/adapters/emulator/probe.ts';
import type { LoadBalancerSpec, StartedLoadBalancer, TargetHealthView } from '../cli/ports/rehearsal.ts';

const haproxy = findHaproxy();
const ECO = 'lbtest';
let moto: Moto;
let cert: TestCert;
let spec: LoadBalancerSpec;
let workDir: string;

/** A stand-in for the app: HTTPS on loopback, "hello world" on /, `health` on /health; counts what reaches it. */
async function standIn(health: number): Promise<{ port: number; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const srv = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    if (req.url !== '/health') hits.push(req.url ?? '');
    if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end('slow'), 1_500);
    res.writeHead(req.url === '/health' ? health : 200, { 'Content-Type': 'text/plain' }).end(req.url === '/health' ? 'ok' : 'hello world');
  });
  const port = await freePort();
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
  return { port, hits, close: () => new Promise((r) => { srv.closeAllConnections(); srv.close(() => r()); }) };
}

async function waitFor(lb: StartedLoadBalancer, state: TargetHealthView['state']): Promise<TargetHealthView[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const views = await lb.targetHealth();
    if (views.every((v) => v.state === state)) return views;
    assert.ok(Date.now() < deadline, `targets never turned ${state}: ${JSON.stringify(views)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function handshake(port: number, maxVersion: tls.SecureVersion): Promise<string> {
  return new Promise((resolve) => {
    // SECLEVEL=0 so the refusal is the server's, not this client's own OpenSSL policy.
    const s = tls.connect({ host: '127.0.0.1', port, maxVersion, minVersion: 'TLSv1', rejectUnauthorized: false, ciphers: 'DEFAULT@SECLEVEL=0' });
    s.once('secureConnect', () => { resolve(`connected ${s.getProtocol()}`); s.destroy(); });
    s.once('error', (err) => resolve(`refused: ${err.message}`));
  });
}

function plainHttp(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    let got = '';
    s.on('data', (c: Buffer) => { got += c.toString('latin1'); });
    s.setTimeout(3_000, () => s.destroy());
    s.once('close', () => resolve(got));
    s.once('error', () => undefined);
  });
}

describe('load balancer from the emulated ALB', { skip: haproxy ? false : 'haproxy is not installed (npm run setup installs it)' }, () => {
  before(async () => {
    moto = await startMoto({ launcher: true });
    cert = makeTestCert('lb.hello-deploy.test');
    workDir = mkdtempSync(path.join(tmpdir(), 'hello-deploy-lbtest-'));
    const cfn = cfnClient(moto.endpoint);
    assert.equal((await createStackAndWait(cfn, { stackName: `${ECO}-hello-world-ecr`, templateBody: ECR_TEMPLATE, parameters: { Ecosystem: ECO } })).status, 'CREATE_COMPLETE');
    const acm = new ACMClient(motoClientConfig(moto.endpoint));
    const arn = (await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(cert.certPem), PrivateKey: Buffer.from(cert.keyPem) }))).CertificateArn!;
    acm.destroy();
    const infra = await createStackAndWait(cfn, { stackName: `${ECO}-hello-world-infra`, templateBody: INFRA_TEMPLATE, parameters: infraParams(ECO, arn), capabilities: ['CAPABILITY_IAM'] });
    assert.equal(infra.status, 'CREATE_COMPLETE', infra.reason);
    spec = await readLoadBalancer(moto.endpoint, `${ECO}-hello-world-infra`);
  });
  after(async () => {
    await moto?.stop();
    if (cert) rmSync(cert.dir, { recursive: true, force: true });
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  test('the spec is what the template gave the emulator, not hard-coded', () => {
    assert.equal(spec.listener.port, 443);
    assert.equal(spec.listener.sslPolicy, 'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09');
    assert.equal(spec.listener.minTls, 'TLSv1.3');
    assert.equal(new X509Certificate(spec.listener.certificatePem).fingerprint256, new X509Certificate(cert.certPem).fingerprint256);
    assert.deepEqual(spec.targetGroup.healthCheck, { protocol: 'HTTPS', path: '/health', intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: '200' });
    // The template's 30 s, kept by the launcher's target_health extension (plain moto reads back 300).
    assert.equal(spec.targetGroup.deregistrationDelaySeconds, 30);
  });

  test('a healthy target serves /, /health and the listener certificate over TLS 1.3 only', async () => {
    const app = await standIn(200);
    const target = { id: '127.0.0.1', port: app.port };
    await registerTarget(moto.endpoint, spec.targetGroup.arn, target);
    const lb = await startHaproxy({ haproxy: haproxy!, spec: { ...spec, targets: [target] }, certPem: cert.certPem, keyPem: cert.keyPem, workDir, port: await freePort(), timeScale: 0.1, signal: AbortSignal.timeout(60_000) });
    try {
      const first = await lb.targetHealth();
      assert.equal(first[0]?.state, 'initial', JSON.stringify(first));
      assert.ok(await reportTargetHealth(moto.endpoint, spec.targetGroup.arn, first));
      assert.deepEqual((await describeTargetHealth(moto.endpoint, spec.targetGroup.arn)).map((t) => [t.state, t.reason]), [['initial', 'Elb.InitialHealthChecking']]);
      const views = await waitFor(lb, 'healthy');
      assert.ok(await reportTargetHealth(moto.endpoint, spec.targetGroup.arn, views));
      assert.deepEqual((await describeTargetHealth(moto.endpoint, spec.targetGroup.arn)).map((t) => [t.id, t.port, t.state]), [['127.0.0.1', app.port, 'healthy']]);

      const root = await httpsGet(`${lb.url}/`, 5_000);
      assert.equal(root.status, 200);
      assert.equal(root.body, 'hello world');
      assert.equal(root.fingerprint, new X509Certificate(cert.certPem).fingerprint256);
      assert.equal((await httpsGet(`${lb.url}/health`, 5_000)).status, 200);
      assert.deepEqual(app.hits, ['/']);
      assert.match(await handshake(lb.port, 'TLSv1.1'), /^refused/);
      assert.match(await handshake(lb.port, 'TLSv1.2'), /^refused/);
      assert.equal(await handshake(lb.port, 'TLSv1.3'), 'connected TLSv1.3');
      assert.doesNotMatch(await plainHttp(lb.port), /^HTTP\//, 'plain HTTP gets no HTTP answer');
    } finally {
      await lb.stop();
      await registerTarget(moto.endpoint, spec.targetGroup.arn, target, true);
      await app.close();
    }
  });

  test('an unhealthy target (health answers 500) gets no traffic and is reported with its reason', async () => {
    const app = await standIn(500);
    const target = { id: '127.0.0.1', port: app.port };
    await registerTarget(moto.endpoint, spec.targetGroup.arn, target);
    const lb = await startHaproxy({ haproxy: haproxy!, spec: { ...spec, targets: [target] }, certPem: cert.certPem, keyPem: cert.keyPem, workDir, port: await freePort(), timeScale: 0.1, signal: AbortSignal.timeout(60_000) });
    try {
      const views = await waitFor(lb, 'unhealthy');
      assert.equal(views[0]?.reason, 'Target.ResponseCodeMismatch');
      assert.match(views[0]?.description ?? '', /\[500\]/);
      assert.ok(await reportTargetHealth(moto.endpoint, spec.targetGroup.arn, views));
      const reported = (await describeTargetHealth(moto.endpoint, spec.targetGroup.arn)).find((t) => t.port === app.port);
      assert.deepEqual([reported?.state, reported?.reason], ['unhealthy', 'Target.ResponseCodeMismatch']);
      assert.equal((await httpsGet(`${lb.url}/`, 5_000)).status, 503);
      assert.deepEqual(app.hits, [], 'no request reached the unhealthy target');
    } finally {
      await lb.stop();
      await app.close();
    }
  });

  test('stopping drains: a request in flight completes, within the scaled deregistration delay', async () => {
    const app = await standIn(200);
    const target = { id: '127.0.0.1', port: app.port };
    const lb = await startHaproxy({ haproxy: haproxy!, spec: { ...spec, targets: [target] }, certPem: cert.certPem, keyPem: cert.keyPem, workDir, port: await freePort(), timeScale: 0.1, signal: AbortSignal.timeout(60_000) });
    try {
      await waitFor(lb, 'healthy');
      const slow = httpsGet(`${lb.url}/slow`, 10_000);
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      await lb.stop();
      const took = Date.now() - t0;
      const answer = await slow;
      assert.deepEqual([answer.status, answer.body], [200, 'slow'], 'the in-flight request finished');
      // It waited for the request (about 1.2 s more), and no longer than 30 s x 0.1 (plus HAProxy's own stop).
      assert.ok(took >= 900 && took < 3_000 + 5_000, `stop took ${took} ms`);
    } finally {
      await lb.stop();
      await app.close();
    }
  });
});
