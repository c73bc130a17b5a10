// A running HAProxy driven through its runtime API (the admin stats socket): targets added and drained while it
// serves, as ELB registers and deregisters targets during an ECS rollout, and the same control from a later
// hello-deploy process that takes over a load balancer a kept rehearsal left running (attach).
// Runtime API reference: HAProxy 2.6 management guide, section 9.3 (https://docs.haproxy.org/2.6/management.html).
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { parseStats, serverOptions } from './haproxy.ts';
import { alive } from './processes.ts';
import type { Running, SavedLoadBalancer, StartedLoadBalancer } from '../../ports/rehearsal.ts';

const BACKEND = 'target_group';
const POLL_MS = 100;
const DEL_RETRY_MS = 3_000;
const STOP_GRACE_MS = 5_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One command on HAProxy's stats socket; its whole answer. */
export function socketCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(socket, () => s.end(`${command}\n`));
    s.setTimeout(5_000, () => s.destroy(new Error(`HAProxy's stats socket did not answer "${command}" within 5 s`)));
    s.on('data', (c: Buffer) => chunks.push(c));
    s.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    s.once('error', reject);
  });
}

interface ServerRow {
  name: string;
  addr: string;
  /** Requests being served by it now (HAProxy's scur). */
  sessions: number;
}

/** The backend's servers as `show stat` lists them. */
function servers(csv: string): ServerRow[] {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').replace(/^#\s*/, '').split(',');
  const at = (row: string[], name: string) => row[header.indexOf(name)] ?? '';
  return lines
    .slice(1)
    .map((l) => l.split(','))
    .filter((row) => at(row, 'pxname') === BACKEND && !['BACKEND', 'FRONTEND'].includes(at(row, 'svname')))
    .map((row) => ({ name: at(row, 'svname'), addr: at(row, 'addr'), sessions: Number(at(row, 'scur') || 0) }));
}

/** The runtime API answers errors in words, with no status: anything but the expected answer is a failure. */
async function expectAnswer(socket: string, command: string, ok: RegExp): Promise<void> {
  const answer = (await socketCommand(socket, command)).trim();
  if (!ok.test(answer)) throw new Error(`HAProxy refused "${command}": ${answer || 'no answer'}`);
}

/** The control half of a started or attached load balancer; `running` is how its process is stopped. */
export function controlled(saved: SavedLoadBalancer, running: Running): StartedLoadBalancer {
  const sock = saved.statsSocket;
  const everUp = new Set<string>();
  const draining = new Set<string>();
  const show = async () => socketCommand(sock, 'show stat');
  const find = async (t: { id: string; port: number }) => servers(await show()).find((s) => s.addr === `${t.id}:${t.port}`);

  async function drainTarget(t: { id: string; port: number }, delayMs: number): Promise<void> {
    const key = `${t.id}:${t.port}`;
    const server = await find(t);
    if (!server) return;
    const ref = `${BACKEND}/${server.name}`;
    draining.add(key);
    try {
      // ELB deregistration: no new requests, in-flight ones finish; it completes at once when none are left, or
      // when the delay runs out (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay).
      await expectAnswer(sock, `set server ${ref} state drain`, /^$/);
      const deadline = Date.now() + delayMs;
      while (Date.now() < deadline && ((await find(t))?.sessions ?? 0) > 0) await sleep(POLL_MS);
      await expectAnswer(sock, `set server ${ref} state maint`, /^$/);
      await expectAnswer(sock, `shutdown sessions server ${ref}`, /^$/);
      // `del server` is refused while the server still holds connections (idle ones kept for reuse are released
      // shortly after maintenance): retried for a bounded time.
      const until = Date.now() + DEL_RETRY_MS;
      for (;;) {
        const answer = (await socketCommand(sock, `del server ${ref}`)).trim();
        if (/Server deleted/i.test(answer)) break;
        if (Date.now() > until) throw new Error(`HAProxy did not remove ${ref}: ${answer}`);
        await sleep(POLL_MS);
      }
    } finally {
      draining.delete(key);
    }
  }

  async function addTarget(t: { id: string; port: number }): Promise<void> {
    if (await find(t)) return; // already a target: registering twice is a no-op, as RegisterTargets is
    const ref = `${BACKEND}/p${t.port}`;
    // Added in maintenance with weight 0: leaving maintenance, HAProxy marks a checked server UP at once ("start
    // OK but check immediately"), so its health is forced down before it gets a weight. From then on it takes
    // traffic only after its healthy threshold of checks, as ELB's `initial` target.
    await expectAnswer(sock, `add server ${ref} ${t.id}:${t.port} ${serverOptions(saved.targetGroup, saved.timeScale)} weight 0`, /New server registered/);
    await expectAnswer(sock, `enable health ${ref}`, /^$/);
    await expectAnswer(sock, `enable server ${ref}`, /^$/);
    await expectAnswer(sock, `set server ${ref} health down`, /^$/);
    await expectAnswer(sock, `set server ${ref} weight 1`, /^$/);
  }

  return {
    ...running,
    url: saved.url,
    port: saved.port,
    targetHealth: async () => parseStats(await show(), [], everUp, draining),
    async logTail() {
      const text = await readFile(saved.logFile, 'utf8').catch(() => '');
      return text.split('\n').filter((l) => l.trim() !== '').slice(-20).join('\n');
    },
    addTarget,
    drainTarget,
    saved: () => saved,
    async stop() {
      // Every target deregistered as ELB does before the proxy goes: in-flight requests finish within the delay.
      if (alive(saved.pid)) {
        const deadline = Date.now() + saved.targetGroup.deregistrationDelaySeconds * 1000 * saved.timeScale;
        try {
          const all = servers(await show());
          for (const s of all) await socketCommand(sock, `set server ${BACKEND}/${s.name} state drain`);
          while (Date.now() < deadline && servers(await show()).some((s) => s.sessions > 0)) await sleep(POLL_MS);
        } catch {
          // the socket is gone: HAProxy is stopping anyway
        }
      }
      await running.stop();
    },
  };
}

/** Signals HAProxy's process group (it was started detached, as its own group leader); never throws. */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/**
 * Takes over a load balancer that another hello-deploy process started and left running. Undefined when the
 * process is gone, or its pid now belongs to something that does not answer on the stats socket as that HAProxy.
 */
export async function attachHaproxy(saved: SavedLoadBalancer): Promise<StartedLoadBalancer | undefined> {
  if (!alive(saved.pid)) return undefined;
  const info = await socketCommand(saved.statsSocket, 'show info').catch(() => '');
  if (Number(/^Pid: (\d+)$/m.exec(info)?.[1]) !== saved.pid) return undefined;
  const running: Running = {
    what: 'load balancer (HAProxy)',
    pid: saved.pid,
    endpoint: saved.url,
    stopHint: `kill ${saved.pid}`,
    async stop() {
      signal(saved.pid, 'SIGTERM');
      const until = Date.now() + STOP_GRACE_MS;
      while (alive(saved.pid) && Date.now() < until) await sleep(POLL_MS);
      if (alive(saved.pid)) signal(saved.pid, 'SIGKILL');
    },
    killNow: () => signal(saved.pid, 'SIGKILL'),
    release() {
      // not this process's child: nothing holds hello-deploy open
    },
  };
  return controlled(saved, running);
}
