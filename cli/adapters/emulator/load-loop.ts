// A bounded load loop on loopback: GET requests at a steady rate through the rehearsal's load balancer while it
// rolls out, counting what a user would have seen fail. Open loop (a slow answer does not delay the next request)
// over a keep-alive agent with a browser's six connections per host, and the self-signed certificate accepted as
// httpsGet (probe.ts) accepts it: the fingerprint check is the probes' job, not this loop's.
import http from 'node:http';
import https from 'node:https';
import { BugError } from '../../core/errors.ts';
import type { LoadOptions, LoadReport, LoadRun } from '../../ports/rehearsal.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const TOP_FAILURES = 5;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function startLoad(url: string, opts: LoadOptions): LoadRun {
  const target = new URL(url);
  if (!LOOPBACK.has(target.hostname) || !['http:', 'https:'].includes(target.protocol)) throw new BugError(`the load loop runs on loopback only, not ${target.origin}`);
  if (!(opts.rps > 0 && opts.rps <= 1000) || !(opts.maxRequests > 0) || !(opts.timeoutMs > 0)) throw new BugError(`bad load loop options ${JSON.stringify(opts)}`);
  const lib = target.protocol === 'https:' ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: 6 });
  const started = Date.now();
  const maxDuration = opts.maxDurationMs ?? Math.ceil((opts.maxRequests / opts.rps) * 1000) + opts.timeoutMs;
  const latencies: number[] = [];
  const failures = new Map<string, { status?: number; error?: string; count: number }>();
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let stopped = false;

  const fail = (key: { status: number } | { error: string }) => {
    failed++;
    const id = 'status' in key ? `s${key.status}` : `e${key.error}`;
    const row = failures.get(id) ?? { ...key, count: 0 };
    row.count++;
    failures.set(id, row);
  };

  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = Date.now();
      // The signal bounds the whole exchange; `timeout` alone bounds only idle gaps.
      const req = lib.get(target, { agent, rejectUnauthorized: false, timeout: opts.timeoutMs, signal: AbortSignal.timeout(opts.timeoutMs) }, (res) => {
        res.resume();
        res.once('end', () => {
          latencies.push(Date.now() - t0);
          const status = res.statusCode ?? 0;
          if (status >= 500) fail({ status });
          else ok++;
          resolve();
        });
        res.once('error', (err) => {
          fail({ error: err.message });
          resolve();
        });
      });
      req.once('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
      req.once('error', (err) => {
        fail({ error: err.message });
        resolve();
      });
    });

  const tick = () => {
    if (stopped) return;
    if (sent >= opts.maxRequests || Date.now() - started >= maxDuration) {
      clearInterval(timer);
      return;
    }
    sent++;
    const p = one();
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
  };
  const timer = setInterval(tick, 1000 / opts.rps);
  // The loop alone must not keep hello-deploy alive once everything else is done.
  timer.unref();
  tick();

  return {
    progress: () => ({ sent, ok, failed }),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all([...inFlight]);
      agent.destroy();
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        sent,
        ok,
        failed,
        failures: [...failures.values()].sort((a, b) => b.count - a.count).slice(0, TOP_FAILURES),
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
        durationMs: Date.now() - started,
      } satisfies LoadReport;
    },
  };
}
