// The rehearsal's load balancer during a rollout (cli/adapters/emulator/haproxy-runtime.ts, load-loop.ts): real
// HAProxy configured from what the moto launcher holds for the real infra template's ALB, real HTTPS stand-in
// targets on loopback, and a real load loop through it. ELB's behaviour imitated: a registered target gets no
// traffic until its healthy threshold passes, and deregistration lets in-flight requests finish
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACMClient, ImportCertificateCommand } from '@aws-sdk/client-acm';
import { startMoto, type Moto } from './support/moto.ts';
import { cfnClient, createStackAndWait, motoClientConfig } from './support/stacks.ts';
import { ECR_TEMPLATE, INFRA_TEMPLATE, infraParams } from './support/template-stacks.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { attachHaproxy, describeTargetHealth, findHaproxy, readLoadBalancer, registerTarget, reportTargetHealth, startHaproxy } from '../cli/adapters/emulator/load-balancer.ts';
import { startLoad } from '../cli/adapters/emulator/load-loop.ts';
import { alive } from '../cli/adapters/emulator/processes.ts';
import { freePort } from '../cli/adapters/emulator/net.ts';
import { httpsGet } from '../cli/adapters/emulator/probe.ts';
import { BugError } from '../cli/core/errors.ts';
import type { LoadBalancerSpec, SavedLoadBalancer, StartedLoadBalancer, TargetHealthView } from '../cli/ports/rehearsal.ts';

const haproxy = findHaproxy();
const ECO = 'lbroll';
const SCALE = 0.1;
let moto: Moto;
let cert: TestCert;
let spec: LoadBalancerSpec;
let workDir: string;

/** A stand-in for the app on loopback: "hello world" on /, `health` on /health, /slow after 1.5 s; counts hits. */
async function standIn(health: number): Promise<{ port: number; target: { id: string; port: number }; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const srv = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    if (req.url !== '/health') hits.push(req.url ?? '');
    if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end('slow'), 1_500);
    res.writeHead(req.url === '/health' ? health : 200, { 'Content-Type': 'text/plain' }).end(req.url === '/health' ? 'ok' : 'hello world');
  });
  const port = await freePort();
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
  return { port, target: { id: '127.0.0.1', port }, hits, close: () => new Promise((r) => { srv.closeAllConnections(); srv.close(() => r()); }) };
}

const states = (views: TargetHealthView[]) => Object.fromEntries(views.map((v) => [v.port, v.state]));

async function waitUntil(lb: StartedLoadBalancer, ok: (views: TargetHealthView[]) => boolean, what: string): Promise<TargetHealthView[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const views = await lb.targetHealth();
    if (ok(views)) return views;
    assert.ok(Date.now() < deadline, `${what} never happened: ${JSON.stringify(views)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const start = async (targets: Array<{ id: string; port: number }>) =>
  startHaproxy({ haproxy: haproxy!, spec: { ...spec, targets }, certPem: cert.certPem, keyPem: cert.keyPem, workDir, port: await freePort(), timeScale: SCALE, signal: AbortSignal.timeout(30_000) });

describe('the load balancer during a rollout', { skip: haproxy ? false : 'haproxy is not installed (npm run setup installs it)' }, () => {
  before(async () => {
    moto = await startMoto({ launcher: true });
    cert = makeTestCert('roll.hello-deploy.test');
    workDir = mkdtempSync(path.join(tmpdir(), 'hello-deploy-lbroll-'));
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

  test('A then B under 20 req/s: B added, healthy, A drained and removed, and not one request fails', async () => {
    const [a, b] = [await standIn(200), await standIn(200)];
    const lb = await start([a.target]);
    const tg = spec.targetGroup.arn;
    try {
      await waitUntil(lb, (v) => states(v)[a.port] === 'healthy', 'A healthy');
      const load = startLoad(`${lb.url}/`, { rps: 20, maxRequests: 400, timeoutMs: 5_000 });
      await registerTarget(moto.endpoint, tg, a.target);
      await registerTarget(moto.endpoint, tg, b.target);
      await lb.addTarget(b.target);
      const initial = await lb.targetHealth();
      assert.deepEqual(states(initial), { [a.port]: 'healthy', [b.port]: 'initial' });
      const hitsBeforeHealthy = b.hits.length;
      // Several targets in one report: the launcher's target_health route takes a list.
      assert.ok(await reportTargetHealth(moto.endpoint, tg, initial));
      assert.deepEqual(Object.fromEntries((await describeTargetHealth(moto.endpoint, tg)).map((t) => [t.port, t.state])), { [a.port]: 'healthy', [b.port]: 'initial' });
      await waitUntil(lb, (v) => states(v)[b.port] === 'healthy', 'B healthy');
      assert.equal(hitsBeforeHealthy, 0, 'B got no traffic while initial');
      await new Promise((r) => setTimeout(r, 500));
      // Requests in flight on A when its drain starts finish; meanwhile A reads as draining.
      const slow = Array.from({ length: 4 }, () => httpsGet(`${lb.url}/slow`, 5_000));
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(a.hits.includes('/slow'), 'a slow request is in flight on A');
      const t0 = Date.now();
      const drained = lb.drainTarget(a.target, spec.targetGroup.deregistrationDelaySeconds * 1000 * SCALE);
      const during = await waitUntil(lb, (v) => states(v)[a.port] === 'draining', 'A draining');
      assert.equal(during.find((v) => v.port === a.port)?.reason, 'Target.DeregistrationInProgress');
      assert.ok(await reportTargetHealth(moto.endpoint, tg, during));
      assert.equal((await describeTargetHealth(moto.endpoint, tg)).find((t) => t.port === a.port)?.state, 'draining');
      const aHitsAtDrain = a.hits.length;
      await drained;
      const took = Date.now() - t0;
      assert.ok(took < 3_000 + 1_000, `the drain took ${took} ms, beyond the scaled 3 s delay`);
      assert.deepEqual((await Promise.all(slow)).map((s) => s.status), [200, 200, 200, 200], 'in-flight requests finished');
      assert.equal(a.hits.length, aHitsAtDrain, 'A got no new request once draining');
      assert.deepEqual(states(await lb.targetHealth()), { [b.port]: 'healthy' }, 'A is gone');
      // DeregisterTargets of 127.0.0.1:A leaves 127.0.0.1:B registered (one IP, two ports, as AWS allows).
      await registerTarget(moto.endpoint, tg, a.target, true);
      assert.ok(await reportTargetHealth(moto.endpoint, tg, await lb.targetHealth()));
      assert.deepEqual((await describeTargetHealth(moto.endpoint, tg)).map((t) => [t.port, t.state]), [[b.port, 'healthy']]);
      await new Promise((r) => setTimeout(r, 500));
      const report = await load.stop();
      assert.equal(report.failed, 0, JSON.stringify(report.failures));
      assert.ok(report.sent >= 20 && report.ok === report.sent, JSON.stringify(report));
      assert.ok(b.hits.filter((h) => h === '/').length > 0, 'requests reached B');
      assert.ok(report.p99Ms >= report.p50Ms && report.durationMs > 0);
    } finally {
      await lb.stop();
      // Cleanup only: a target the body never got to register is not an error here.
      await registerTarget(moto.endpoint, tg, a.target, true).catch(() => undefined);
      await registerTarget(moto.endpoint, tg, b.target, true).catch(() => undefined);
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('a new target whose health check answers 500 never gets traffic, and reads unhealthy with its reason', async () => {
    const [a, b] = [await standIn(200), await standIn(500)];
    const lb = await start([a.target]);
    try {
      await waitUntil(lb, (v) => states(v)[a.port] === 'healthy', 'A healthy');
      const load = startLoad(`${lb.url}/`, { rps: 20, maxRequests: 200, timeoutMs: 5_000 });
      await lb.addTarget(b.target);
      const views = await waitUntil(lb, (v) => states(v)[b.port] === 'unhealthy', 'B unhealthy');
      const bView = views.find((v) => v.port === b.port);
      assert.equal(bView?.reason, 'Target.ResponseCodeMismatch');
      assert.match(bView?.description ?? '', /\[500\]/);
      // Several of its checks' worth of time: still nothing.
      await new Promise((r) => setTimeout(r, 1_500));
      const report = await load.stop();
      assert.deepEqual(b.hits, [], 'no request reached the unhealthy target');
      assert.equal(report.failed, 0, JSON.stringify(report.failures));
      await lb.drainTarget(b.target, 1_000);
      assert.deepEqual(Object.keys(states(await lb.targetHealth())), [String(a.port)]);
    } finally {
      await lb.stop();
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('attach: a fresh object from the saved record drives the same HAProxy; undefined once its process is gone', async () => {
    const [a, b] = [await standIn(200), await standIn(200)];
    const lb = await start([a.target]);
    try {
      await waitUntil(lb, (v) => states(v)[a.port] === 'healthy', 'A healthy');
      const saved = JSON.parse(JSON.stringify(lb.saved())) as SavedLoadBalancer;
      assert.equal(saved.pid, lb.pid);
      const again = await attachHaproxy(saved);
      assert.ok(again, 'attached');
      assert.equal(again.url, lb.url);
      await again.addTarget(b.target);
      await waitUntil(again, (v) => states(v)[b.port] === 'healthy', 'B healthy through the attached object');
      assert.equal((await httpsGet(`${again.url}/`, 5_000)).status, 200);
      process.kill(saved.pid, 'SIGKILL');
      const deadline = Date.now() + 5_000;
      while (alive(saved.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await attachHaproxy(saved), undefined);
    } finally {
      await lb.stop();
      await Promise.all([a.close(), b.close()]);
    }
  });
});

test('the load loop refuses anything but loopback, and stops at maxRequests', async () => {
  assert.throws(() => startLoad('https://example.com/', { rps: 20, maxRequests: 10, timeoutMs: 1_000 }), BugError);
  assert.throws(() => startLoad('https://10.0.0.1/', { rps: 20, maxRequests: 10, timeoutMs: 1_000 }), BugError);
  // Nothing listens on this port: every request fails fast, and the count is still bounded.
  const run = startLoad(`https://127.0.0.1:${await freePort()}/`, { rps: 100, maxRequests: 5, timeoutMs: 1_000 });
  await new Promise((r) => setTimeout(r, 300));
  const report = await run.stop();
  assert.equal(report.sent, 5);
  assert.equal(report.failed, 5);
  assert.match(report.failures[0]?.error ?? '', /ECONNREFUSED/);
});
