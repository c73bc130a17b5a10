// App serving benchmark: the container's way (gunicorn with app/gunicorn.conf.py's defaults, 2 workers x 2 gthreads, TLS)
// against the original project's way (Flask's dev server, `app.run(ssl_context=(cert, key))`, threaded as Flask
// defaults). Same certificate, same machine, each on a free loopback port, loaded in alternating rounds with
// `wrk -t2 -c16 -d10s --latency`. Target: gunicorn >= 10x the dev server's req/s with a p99 no worse.
//
// Loopback only and bounded: per round a 2 s warm-up and a 10 s run per server; then both servers are stopped.
// Run: `node bench/app.bench.mjs` or through `npm run bench` (which imports run()).
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, realpathSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { $ } from 'zx';

const ROOT = path.resolve(import.meta.dirname, '..');
const APP_DIR = path.join(ROOT, 'app');
const VENV = path.join(ROOT, '.venv', 'bin');
const WRK = { threads: 2, connections: 16, duration: '10s' };
const TARGET_RATIO = 10;
const ROUNDS = 3;

const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** The median round's figures, field by field (req/s, p50, p99, errors), with every round kept. */
function medianOf(rs) {
  return { rps: med(rs.map((r) => r.rps)), p50Ms: med(rs.map((r) => r.p50Ms)), p99Ms: med(rs.map((r) => r.p99Ms)), errors: Math.max(...rs.map((r) => r.errors)), requests: rs.reduce((a, r) => a + r.requests, 0), rounds: rs.map((r) => ({ rps: r.rps, p99Ms: r.p99Ms })) };
}

$.verbose = false;

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/health', rejectUnauthorized: false, agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Starts a server process; its output goes to a log file (cheap, and kept for a failure message). */
async function startServer(label, cmd, args, env, workdir) {
  const port = await freePort();
  const logPath = path.join(workdir, `${label}.log`);
  const fd = openSync(logPath, 'w');
  const child = spawn(cmd, args(port), { cwd: APP_DIR, env: { ...process.env, ...env(port) }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + 30_000;
  while (!(await healthy(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${label} did not serve on 127.0.0.1:${port}:\n${readFileSync(logPath, 'utf8').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    label,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** wrk --latency output → { rps, p50Ms, p99Ms, requests, errors }. */
export function parseWrk(out) {
  const num = (re) => { const m = re.exec(out); return m ? Number(m[1]) : NaN; };
  const pct = (p) => { const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out); return m ? Number(m[1]) * UNIT_MS[m[2]] : NaN; };
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + (num(/Non-2xx or 3xx responses: (\d+)/) || 0);
  return { rps: num(/Requests\/sec:\s+([\d.]+)/), p50Ms: pct(50), p99Ms: pct(99), requests: num(/(\d+) requests in/), errors };
}

async function load(port, { duration = WRK.duration, connections = WRK.connections } = {}) {
  const r = await $`wrk -t${WRK.threads} -c${connections} -d${duration} --latency ${`https://127.0.0.1:${port}/`}`;
  return { ...parseWrk(r.stdout), raw: r.stdout };
}

async function measure(server) {
  await load(server.port, { duration: '2s', connections: 4 }); // warm-up: imports, TLS session setup, thread pools
  const res = await load(server.port);
  if (!Number.isFinite(res.rps) || !Number.isFinite(res.p99Ms)) throw new Error(`could not parse wrk output for ${server.label}:\n${res.raw}`);
  return res;
}

export async function run() {
  if ((await $`command -v wrk`.nothrow()).exitCode !== 0) throw new Error('wrk is not installed (npm run setup installs it)');
  const workdir = mkdtempSync(path.join(tmpdir(), 'hd-bench-'));
  const tempDirs = [];
  try {
    // One certificate for both, made by the app's own generator (EC P-256, 0600 key in a private dir).
    const gen = await $({ cwd: APP_DIR })`${path.join(VENV, 'python')} -c ${'import tls_files; t = tls_files.self_signed(); print(t.certfile); print(t.keyfile)'}`;
    const [cert, key] = gen.stdout.trim().split('\n');
    tempDirs.push(path.dirname(cert)); // removed in finally

    // Both servers up at once (idle when not loaded); then ROUNDS alternating measurements, so a noisy
    // neighbour on this shared machine hits both alike. The medians are compared.
    const devCode = 'import sys, app; app.app.run(host="127.0.0.1", port=int(sys.argv[1]), ssl_context=(sys.argv[2], sys.argv[3]))';
    const gunicorn = await startServer('gunicorn', path.join(VENV, 'gunicorn'), () => ['-c', 'gunicorn.conf.py', 'app:app'],
      (port) => ({ PORT: String(port), BIND_HOST: '127.0.0.1', TLS_CERT_FILE: cert, TLS_KEY_FILE: key }),
      workdir);
    const rounds = { gunicorn: [], dev: [] };
    try {
      const dev = await startServer('flask-dev', path.join(VENV, 'python'), (port) => ['-c', devCode, String(port), cert, key], () => ({}), workdir);
      try {
        for (let i = 0; i < ROUNDS; i++) {
          rounds.gunicorn.push(await measure(gunicorn));
          rounds.dev.push(await measure(dev));
        }
      } finally {
        await dev.stop();
      }
    } finally {
      await gunicorn.stop();
    }
    const g = medianOf(rounds.gunicorn);
    const d = medianOf(rounds.dev);

    const ratio = g.rps / d.rps;
    const pass = ratio >= TARGET_RATIO && g.p99Ms <= d.p99Ms && g.errors === 0;
    const fmt = (x) => `${x.rps.toFixed(0)} req/s, p99 ${x.p99Ms.toFixed(2)} ms${x.errors ? `, ${x.errors} errors` : ''}`;
    const summary = `medians of ${ROUNDS} alternating rounds: gunicorn 2x2 gthread TLS: ${fmt(g)} | flask dev server TLS: ${fmt(d)} | ratio ${ratio.toFixed(2)}x ` +
      `(target >= ${TARGET_RATIO}x, p99 no worse) → ${pass ? 'PASS' : 'FAIL'}`;
    const strip = ({ raw: _raw, ...rest }) => rest;
    return {
      name: 'app: gunicorn vs flask dev server (wrk -t2 -c16 -d10s, TLS, loopback)',
      results: { gunicorn: strip(g), flaskDev: strip(d), ratio, p99NoWorse: g.p99Ms <= d.p99Ms, targetRatio: TARGET_RATIO },
      pass,
      summary,
    };
  } finally {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    rmSync(workdir, { recursive: true, force: true });
  }
}

const direct = process.argv[1] && realpathSync(process.argv[1]) === realpathSync(import.meta.filename);
if (direct) {
  const r = await run();
  console.log(r.name);
  console.log(JSON.stringify(r.results, null, 2));
  console.log(r.summary);
  process.exitCode = r.pass ? 0 : 1;
}
