// Rehearsal speed (issue 14, section 5): `hello-deploy deploy --local --json` end to end, cold and warm, measured
// in the same run. Cold: the first rehearsal ever, an empty per-user cache folder (no registry layers, no
// validation verdicts; the Docker build cache stays as it is). Warm: the same cache folder again after a code
// change in app/ (a new file there, so the last image layer changes and is pushed). One warm-up each, then three
// of each round-robin; medians. Target: warm ≤ 8 s. The rollout rehearsal is benched elsewhere.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, NODE, median, roundRobin } from './lib.mjs';

const BIN = path.join(ROOT, 'bin', 'hello-deploy.js');
const ECO = 'benchrehearsal';
const CHANGE = path.join(ROOT, 'app', 'bench-change.txt');

/** One rehearsal with this cache folder: seconds, and the push step's "N of M layer(s) already in the registry". */
function rehearse(cacheHome) {
  writeFileSync(CHANGE, `${process.hrtime.bigint()}\n`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(NODE, [BIN, 'deploy', '--local', '--json', '--ecosystem', ECO], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true', XDG_CACHE_HOME: cacheHome, HELLO_DEPLOY_BASE_IMAGE: 'hello-deploy/python-base:trixie' },
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`deploy --local exited ${r.status}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  const events = r.stdout.split('\n').map((l) => { try { return JSON.parse(l); } catch { return {}; } });
  const push = events.find((e) => e.type === 'step-succeeded' && e.step === 'push-image');
  // The rehearsal's own per-step wall times (its fidelity report), to see where a slow run spent them.
  const steps = Object.fromEntries((events.find((e) => e.type === 'fidelity')?.timings ?? []).map((t) => [t.step, t.durationMs]));
  const m = /\((\d+) of (\d+) layer\(s\) already/.exec(push?.summary ?? '');
  return { s, steps, present: m ? Number(m[1]) : undefined, total: m ? Number(m[2]) : undefined };
}

export async function run() {
  const warmHome = mkdtempSync(path.join(tmpdir(), 'hd-bench-cache-warm-'));
  const coldHomes = [];
  const last = { cold: undefined, warm: undefined };
  const cold = () => {
    const home = mkdtempSync(path.join(tmpdir(), 'hd-bench-cache-cold-'));
    coldHomes.push(home);
    last.cold = rehearse(home);
    return last.cold.s;
  };
  const warm = () => (last.warm = rehearse(warmHome)).s;
  try {
    cold();
    warm(); // the warm-up fills the warm cache folder
    const times = roundRobin({ cold, warm }, 3);
    const c = median(times.cold);
    const w = median(times.warm);
    const layers = (x) => (x?.total === undefined ? 'layers not reported' : `${x.present} of ${x.total} layers already in the registry`);
    return {
      name: 'rehearsal',
      results: { runs: 3, coldS: c, warmS: w, coldRunsS: times.cold, warmRunsS: times.warm, warmLayersPresent: last.warm?.present, layersTotal: last.warm?.total, coldLayersPresent: last.cold?.present, lastWarmStepsMs: last.warm?.steps, lastColdStepsMs: last.cold?.steps },
      pass: w <= 8,
      summary: `deploy --local: warm ${w.toFixed(1)} s (${layers(last.warm)}), cold ${c.toFixed(1)} s (${layers(last.cold)}); medians of 3 after one warm-up (target: warm ≤ 8 s)`,
    };
  } finally {
    rmSync(CHANGE, { force: true });
    for (const d of [warmHome, ...coldHomes]) rmSync(d, { recursive: true, force: true });
    const tags = spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' }).stdout.split('\n').filter((t) => t.startsWith(`hello-deploy-local/${ECO}:`));
    if (tags.length) spawnSync('docker', ['rmi', ...tags], { stdio: 'ignore' });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await run()).summary);
