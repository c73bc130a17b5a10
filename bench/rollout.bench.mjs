// The rollout rehearsal (issue 14, sections 4 and 5): on a rehearsal kept with --keep, `deploy --local` with a new
// image rolls it out (new task healthy behind HAProxy, old one drained, 20 requests a second through the load
// balancer meanwhile). Two base images that differ only in a label alternate, so every run is a real rollout to a
// new digest. One warm-up, then three; medians, beside one rolled-back rollout (an image that exits at start, until
// the emulated circuit breaker) measured in the same run. Reported with the scaled delays the rollout ran with.
// No target of its own beyond what the issue asks: a good rollout with 0 failed requests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, NODE, median } from './lib.mjs';

const BIN = path.join(ROOT, 'bin', 'hello-deploy.js');
const ECO = 'benchrollout';
const BASE = 'hello-deploy/python-base:trixie';
const IMAGES = { a: 'hello-deploy-bench/rollout:a', b: 'hello-deploy-bench/rollout:b', broken: 'hello-deploy-bench/rollout:exits' };

function build(tag, dockerfile) {
  const r = spawnSync('docker', ['build', '-q', '--network', 'host', '-t', tag, '-'], { input: dockerfile, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker build ${tag}: ${r.stderr}`);
}

function rehearse(cacheHome, base, keep = true) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(NODE, [BIN, 'deploy', '--local', '--json', ...(keep ? ['--keep'] : []), '--ecosystem', ECO], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true', XDG_CACHE_HOME: cacheHome, HELLO_DEPLOY_BASE_IMAGE: base },
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const events = r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => { try { return JSON.parse(l); } catch { return {}; } });
  const result = events.at(-1) ?? {};
  const rollout = result.rehearsal?.rollout;
  const step = events.find((e) => e.type === 'fidelity')?.timings?.find((t) => t.step === 'roll-out');
  const error = result.error ? `${result.error.code}: ${result.error.message}\n${result.error.hint ?? ''}` : '';
  return { s, exit: r.status, rollout, rollOutS: step ? step.durationMs / 1000 : undefined, tail: `exit ${r.status} ${error}\nrollout ${JSON.stringify(rollout)}\n${r.stderr.slice(-1500)}` };
}

export async function run() {
  const cache = mkdtempSync(path.join(tmpdir(), 'hd-bench-rollout-'));
  build(IMAGES.a, `FROM ${BASE}\nLABEL bench=a\n`);
  build(IMAGES.b, `FROM ${BASE}\nLABEL bench=b\n`);
  build(IMAGES.broken, `FROM ${BASE}\nENTRYPOINT ["sh", "-c", "exit 3"]\n`);
  try {
    const first = rehearse(cache, IMAGES.a);
    if (first.exit !== 0) throw new Error(`the kept rehearsal failed: ${first.tail}`);
    const good = [];
    let next = 'b';
    for (let i = 0; i < 4; i++) {
      const r = rehearse(cache, IMAGES[next]);
      if (r.exit !== 0 || r.rollout?.outcome !== 'completed') throw new Error(`rollout to ${next} failed: ${r.tail}`);
      if (i > 0) good.push(r); // the first is the warm-up
      next = next === 'a' ? 'b' : 'a';
    }
    const bad = rehearse(cache, IMAGES.broken);
    if (bad.exit !== 1 || bad.rollout?.outcome !== 'rolled-back') throw new Error(`the broken image was not rolled back: ${bad.tail}`);
    const end = rehearse(cache, IMAGES[next], false);
    if (end.exit !== 0) throw new Error(`the last (tearing down) rehearsal failed: ${end.tail}`);
    const total = median(good.map((r) => r.s));
    const step = median(good.map((r) => r.rollOutS ?? 0));
    const failed = good.reduce((n, r) => n + (r.rollout.load?.failed ?? 0), 0) + (bad.rollout.load?.failed ?? 0);
    const sent = good.reduce((n, r) => n + (r.rollout.load?.sent ?? 0), 0) + (bad.rollout.load?.sent ?? 0);
    const d = good[0].rollout.delays;
    return {
      name: 'rollout',
      results: { runs: good.length, rehearsalS: total, rollOutStepS: step, rolledBackRehearsalS: bad.s, rolledBackStepS: bad.rollOutS, requestsSent: sent, requestsFailed: failed, delays: d, runsS: good.map((r) => r.s) },
      pass: failed === 0,
      summary: `rollout rehearsal: ${total.toFixed(1)} s end to end (the roll-out step ${step.toFixed(1)} s), rolled back ${bad.s.toFixed(1)} s (step ${bad.rollOutS?.toFixed(1)} s); ${sent} requests through the load balancer, ${failed} failed; delays scaled by ${d.scale} (grace ${d.graceS} s, deregistration ${d.deregistrationS} s); medians of ${good.length} after one warm-up`,
    };
  } finally {
    // A run that failed before the last (tearing down) rehearsal leaves the kept one running: stop it by its record.
    const record = path.join(cache, 'hello-deploy', 'kept', `${ECO}.json`);
    if (existsSync(record)) {
      const k = JSON.parse(readFileSync(record, 'utf8'));
      for (const t of k.tasks ?? []) spawnSync('docker', ['rm', '-f', '-v', t.containerId], { stdio: 'ignore' });
      if (k.registry?.containerId) spawnSync('docker', ['rm', '-f', '-v', k.registry.containerId], { stdio: 'ignore' });
      for (const pid of [k.loadBalancer?.pid, k.registry?.pid, k.emulator?.pid]) {
        try {
          if (pid) process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      if (k.workDir) rmSync(k.workDir, { recursive: true, force: true });
    }
    rmSync(cache, { recursive: true, force: true });
    spawnSync('docker', ['rmi', ...Object.values(IMAGES)], { stdio: 'ignore' });
    const tags = spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' }).stdout.split('\n').filter((t) => t.startsWith(`hello-deploy-local/${ECO}:`) || t.startsWith(`${ECO}-hello-world:`));
    if (tags.length) spawnSync('docker', ['rmi', ...tags], { stdio: 'ignore' });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await run()).summary);
