// A rollout rehearsed (issue 14 §4), end to end with the real CLI: `deploy --local --keep`, then rehearse again
// with a new image: the second rehearsal adopts the kept one and rolls the image out as ECS does (new task healthy
// behind HAProxy, old one drained), while 20 requests a second through the load balancer all succeed. Then two
// planted broken images, one that exits at start and one that fails its health check: each is caught by the
// deploy's own rollout diagnosis (ROLLOUT_FAILED, the grouped reason), the emulated circuit breaker rolls back, and
// the load loop still sees no failed request. Needs Docker and HAProxy; skipped (with the reason) without them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { runCli, type CliRun } from './support/cli.ts';
import { FAKE_AWS_ENV } from './support/moto.ts';
import { dockerUnavailableReason, removeDeployTraces } from './support/docker.ts';
import { BASE_IMAGE } from './support/paths.ts';
import type { RehearsalSummary } from '../cli/rehearsal/events.ts';
import type { KeptRehearsal } from '../cli/ports/rehearsal.ts';
import { findHaproxy } from '../cli/adapters/emulator/haproxy-bin.ts';

const ECO = 'lro';
/** Two app images that differ only in a label: a new digest, the same app. */
const BASE_V2 = 'hello-deploy-test/rollout-base:v2';
/** ENTRYPOINT exits 3 at once. */
const EXITS = 'hello-deploy-test/rollout-exits:1';
/** A server that answers 500 on every path, over TLS with the mounted pair: it never passes the health check. */
const UNHEALTHY = 'hello-deploy-test/rollout-500:1';
const SERVE_500 = [
  'import http.server, os, ssl',
  'class H(http.server.BaseHTTPRequestHandler):',
  '    def do_GET(self):',
  '        self.send_response(500); self.end_headers(); self.wfile.write(b"broken")',
  '    def log_message(self, *a): print("500 for", self.path, flush=True)',
  's = http.server.HTTPServer((os.environ.get("BIND_HOST", "127.0.0.1"), int(os.environ["PORT"])), H)',
  'c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain(os.environ["TLS_CERT_FILE"], os.environ["TLS_KEY_FILE"])',
  's.socket = c.wrap_socket(s.socket, server_side=True)',
  'print("planted: serving 500", flush=True)',
  's.serve_forever()',
].join('\n');

let skip: string | null = null;
let cache = '';
const env = (base: string) => ({ HELLO_DEPLOY_BASE_IMAGE: base, LOCALSTACK_AUTH_TOKEN: '', XDG_CACHE_HOME: cache, ...FAKE_AWS_ENV });
const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-6000)}\n${r.stderr.slice(-3000)}`;
const last = (r: CliRun) => r.events[r.events.length - 1] as unknown as { ok: boolean; rehearsal?: RehearsalSummary; error?: { code: string; message: string; hint?: string } };
const rehearse = (base: string, keep = true) => runCli(['deploy', '--local', '--yes', '--json', ...(keep ? ['--keep'] : []), '--ecosystem', ECO], { env: env(base), timeout: 300_000 });
const record = () => JSON.parse(readFileSync(path.join(cache, 'hello-deploy', 'kept', `${ECO}.json`), 'utf8')) as KeptRehearsal;

async function build(tag: string, dockerfile: string): Promise<string | null> {
  const r = await execa('docker', ['build', '-q', '--network', 'host', '-t', tag, '-'], { input: dockerfile, reject: false });
  return r.exitCode === 0 ? null : `cannot build ${tag}: ${r.stderr}`;
}

before(async () => {
  skip = (await dockerUnavailableReason()) ?? (findHaproxy() ? null : 'HAProxy is not installed (npm run setup installs it)');
  if (skip) return;
  cache = mkdtempSync(path.join(tmpdir(), 'hd-rollout-cache-'));
  skip =
    (await build(BASE_V2, `FROM ${BASE_IMAGE}\nLABEL hello-deploy-test=v2\n`)) ??
    (await build(EXITS, `FROM ${BASE_IMAGE}\nENTRYPOINT ["sh", "-c", "echo planted: exiting 3 >&2; exit 3"]\n`)) ??
    (await build(UNHEALTHY, `FROM ${BASE_IMAGE}\nENTRYPOINT ["python3", "-c", ${JSON.stringify(SERVE_500)}]\n`));
});

after(async () => {
  // Whatever a failed test left kept: stopped through its record (the last rehearsal without --keep does it otherwise).
  if (cache && existsSync(path.join(cache, 'hello-deploy', 'kept', `${ECO}.json`))) {
    const k = record();
    for (const t of k.tasks) await execa('docker', ['rm', '-f', '-v', t.containerId], { reject: false });
    if (k.registry?.containerId) await execa('docker', ['rm', '-f', '-v', k.registry.containerId], { reject: false });
    for (const pid of [k.registry?.pid, (k.loadBalancer as { pid?: number } | undefined)?.pid, k.emulator.pid]) {
      try {
        if (pid) process.kill(pid, 'SIGTERM');
      } catch {
        // gone
      }
    }
    rmSync(k.workDir, { recursive: true, force: true });
  }
  if (cache) rmSync(cache, { recursive: true, force: true });
  if (!skip) {
    await removeDeployTraces({ ecosystems: [ECO] });
    await execa('docker', ['rmi', BASE_V2, EXITS, UNHEALTHY], { reject: false });
  }
});

test('kept, then a new image: rolled out with zero failed requests; the broken ones (exit at start, failing health check) are caught and rolled back; a last run tears it all down', async (t) => {
  if (skip) return t.skip(skip);
  const first = await rehearse(BASE_IMAGE);
  assert.equal(first.exitCode, 0, explain(first));
  assert.equal(record().tasks.length, 1, 'the kept record names the running task');
  assert.equal(last(first).rehearsal?.rollout, undefined, 'a first rehearsal rolls nothing out');

  // 1. A good new image: the same app, a new digest.
  const good = await rehearse(BASE_V2);
  assert.equal(good.exitCode, 0, explain(good));
  const ro = last(good).rehearsal?.rollout;
  assert.ok(ro, explain(good));
  assert.equal(ro.outcome, 'completed');
  assert.deepEqual([ro.started, ro.drained, ro.failed], [1, 1, 0]);
  assert.notEqual(ro.from, ro.to, 'a new task definition revision');
  assert.ok(ro.load && ro.load.sent >= 20, `the load loop ran for the rollout: ${JSON.stringify(ro.load)}`);
  assert.equal(ro.load.failed, 0, `zero downtime: ${JSON.stringify(ro.load)}`);
  assert.deepEqual(last(good).rehearsal?.fidelity.rollout?.load?.failed, 0, 'the fidelity report carries the count');
  assert.equal(last(good).rehearsal?.loadBalancer?.root.ok, true, 'the new task answers through the load balancer');
  assert.notEqual(record().tasks[0]!.containerId, JSON.parse(JSON.stringify(first.events.at(-1))).rehearsal?.started?.find?.((s: { what: string }) => s.what === 'app container')?.containerId);

  // `status` and `logs` read the rolled-out service on the kept emulator as they read one on AWS: one deployment,
  // COMPLETED, running the new revision; the drained task stopped with the scheduler's reason.
  const endpoint = record().emulator.info.endpoint;
  const st = await runCli(['status', '--json', '--ecosystem', ECO, '--endpoint-url', endpoint, '--region', 'us-east-1'], { env: env(BASE_IMAGE) });
  const snap = st.events.find((e) => e.type === 'status') as unknown as { service?: { running: number; desired: number; taskDefinition: string; deployments: Array<{ status: string; rolloutState?: string }> }; stopped?: Array<{ reason: string }> };
  assert.ok(snap?.service, explain(st));
  assert.deepEqual([snap.service.running, snap.service.desired], [1, 1], explain(st));
  assert.equal(snap.service.taskDefinition, ro.to);
  assert.deepEqual(snap.service.deployments.map((d) => [d.status, d.rolloutState]), [['PRIMARY', 'COMPLETED']]);
  assert.ok(snap.stopped?.some((g) => /^Scaling activity initiated by \(deployment ecs-svc\/\d+\)$/.test(g.reason)), JSON.stringify(snap.stopped));
  const lg = await runCli(['logs', '--json', '--since', '10m', '--ecosystem', ECO, '--endpoint-url', endpoint, '--region', 'us-east-1'], { env: env(BASE_IMAGE) });
  assert.equal(lg.exitCode, 0, explain(lg));
  const newTask = record().tasks[0]!.taskArn!.split('/').pop();
  assert.ok(lg.events.some((e) => e.type === 'log-line' && (e as { task?: string }).task === newTask), `logs of the new task ${newTask}: ${explain(lg)}`);

  // 2. An image whose container exits at start: the same diagnosis text a deploy gives, the breaker, a rollback.
  const exits = await rehearse(EXITS);
  assert.equal(exits.exitCode, 1, explain(exits));
  const e1 = last(exits);
  assert.equal(e1.error?.code, 'ROLLOUT_FAILED', explain(exits));
  assert.match(e1.error!.message, /^The rollout of service lro-hello-world is failing: \d tasks stopped: Essential container in task exited; hello-world exit code 3/);
  assert.match(e1.error!.hint ?? '', /circuit breaker \(emulated\) failed deployment ecs-svc\/\d+ after 3 failed tasks and rolled back/);
  assert.match(exits.stderr + exits.stdout, /planted: exiting 3/, 'the log tail of a stopped task is shown');
  assert.equal(e1.rehearsal?.rollout?.outcome, 'rolled-back');
  assert.equal(e1.rehearsal?.rollout?.load?.failed, 0, `the old task kept serving: ${JSON.stringify(e1.rehearsal?.rollout?.load)}`);

  // 3. An image that runs but fails its health check: stopped with ELB's reason after the (scaled) grace period.
  const sick = await rehearse(UNHEALTHY);
  assert.equal(sick.exitCode, 1, explain(sick));
  const e2 = last(sick);
  assert.equal(e2.error?.code, 'ROLLOUT_FAILED', explain(sick));
  assert.match(e2.error!.message, /tasks stopped: Task failed ELB health checks/);
  assert.equal(e2.rehearsal?.rollout?.outcome, 'rolled-back');
  assert.equal(e2.rehearsal?.rollout?.load?.failed, 0, `no request reached the unhealthy task: ${JSON.stringify(e2.rehearsal?.rollout?.load)}`);

  // 4. Without --keep, the rehearsal adopts what was kept, and tears all of it down, record included.
  const end = await rehearse(BASE_V2, false);
  assert.equal(end.exitCode, 0, explain(end));
  assert.equal(existsSync(path.join(cache, 'hello-deploy', 'kept', `${ECO}.json`)), false, 'the record is gone with what it named');
});
