// Baseline: this checkout against an earlier revision of itself, in the same run, so a refactor can show it is not
// slower. The revision is HELLO_DEPLOY_BENCH_BASE (any git revision; default HEAD~1), checked out with
// `git worktree add --detach` in a temp folder (removed at the end), sharing this checkout's node_modules and .venv.
// Both are built here with the same node and esbuild, so only the code differs.
// Measured round-robin (alternating current/baseline, so the shared machine's noise lands on both alike):
//   `node bin/hello-deploy.js --help`, median of 10 each, and the full `deploy --yes --json` against moto with the
//   deploy bench's test bed, median of 3 each.
// Target: each ratio current/baseline ≤ 1.10 — not slower, with a 10% margin for the noise between medians.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, NODE, median, timeOnce, roundRobin } from './lib.mjs';
import { startTestbed, deployOnce } from './deploy.bench.mjs';

const MAX_RATIO = 1.1;
const git = (...args) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();
const build = (root) => execFileSync(NODE, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });

export async function run() {
  const rev = process.env.HELLO_DEPLOY_BENCH_BASE || 'HEAD~1';
  const base = git('rev-parse', '--verify', `${rev}^{commit}`);
  const head = git('rev-parse', 'HEAD');
  const dir = mkdtempSync(path.join(tmpdir(), 'hd-bench-base-'));
  try {
    git('worktree', 'add', '--detach', '--quiet', dir, base);
    // The same installed dependencies for both (node_modules is not in git; .venv holds cfn-lint for the deploy).
    for (const d of ['node_modules', '.venv']) if (existsSync(path.join(ROOT, d))) symlinkSync(realpathSync(path.join(ROOT, d)), path.join(dir, d));
    build(ROOT); // the current dist/ may be stale or missing: `npm run bench` does not build
    build(dir);
    const roots = { current: ROOT, baseline: dir };

    // Start-up. One warm-up each: the compile cache is per file path, so each checkout fills its own.
    const help = Object.fromEntries(Object.entries(roots).map(([k, r]) => [k, () => timeOnce(NODE, [path.join(r, 'bin', 'hello-deploy.js'), '--help'])]));
    for (const fn of Object.values(help)) fn();
    const helpS = roundRobin(help, 10);

    // Full run, on one test bed for both. One warm-up each: the build cache and registry layers, and each bundle's
    // compile cache; the runs then start from an empty moto as in the deploy bench.
    const bed = await startTestbed();
    let deployS;
    try {
      const deploy = Object.fromEntries(Object.entries(roots).map(([k, r]) => [k, () => deployOnce(bed, r, '--json')]));
      for (const fn of Object.values(deploy)) fn();
      deployS = roundRobin(deploy, 3);
    } finally {
      bed.stop();
    }

    const cmp = (times) => {
      const current = median(times.current);
      const baseline = median(times.baseline);
      return { current, baseline, ratio: current / baseline, runs: times };
    };
    const startup = cmp(helpS);
    const full = cmp(deployS);
    const pass = startup.ratio <= MAX_RATIO && full.ratio <= MAX_RATIO;
    const short = (sha) => sha.slice(0, 7);
    return {
      name: 'baseline',
      results: { head, base, baseRevision: rev, maxRatio: MAX_RATIO, helpRuns: 10, deployRuns: 3, startup, deploy: full },
      pass,
      summary: `current ${short(head)} vs baseline ${short(base)} (${rev}), alternating runs:`
        + `\n  --help start-up: ${(startup.current * 1000).toFixed(0)} ms vs ${(startup.baseline * 1000).toFixed(0)} ms (medians of 10), ratio ${startup.ratio.toFixed(3)}`
        + `\n  full deploy --yes --json on moto: ${full.current.toFixed(1)} s vs ${full.baseline.toFixed(1)} s (medians of 3), ratio ${full.ratio.toFixed(3)}`
        + `\n  (target: each ratio ≤ ${MAX_RATIO.toFixed(2)}, i.e. not slower with a 10% margin for run-to-run noise)`,
    };
  } finally {
    // --force: the worktree holds untracked files (the symlinks, dist/).
    try { git('worktree', 'remove', '--force', dir); } catch { /* never added: a failed add leaves no entry */ }
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await run()).summary);
