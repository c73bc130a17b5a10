// status's service: read, judge, print; under --watch again every N seconds until Ctrl-C, which ends with the last
// verdict (exit 0 healthy, 1 not). Without --watch, Ctrl-C during the reads is an interrupt (130).
import { AbortError, InterruptedError, toHelloDeployError, type HelloDeployError } from '../core/errors.ts';
import type { Host } from '../core/host.ts';
import type { Pricing } from '../domain/cost.ts';
import { branchTagValue } from '../domain/ecosystem.ts';
import type { Clock } from '../ports/clock.ts';
import { judgeAll, listEcosystems } from './all.ts';
import { gatherStatus, type StatusPorts } from './gather.ts';
import { judge } from './judge.ts';
import type { StatusOptions } from './options.ts';
import type { StatusOutput, StatusVerdictFields } from './result.ts';

export interface StatusContext {
  options: StatusOptions;
  ports: StatusPorts;
  clock: Clock;
  /** What the cost estimate needs (cli/commands/pricing.ts); without it no cost is shown. */
  pricing?: Pricing;
  /** The branches origin had at the last fetch, when known: which recorded branches are gone. */
  branches?: string[];
}

/** How many ecosystems record a branch that origin no longer had at the last fetch (compared as the tag writes it). */
export function branchesGone(rows: Array<{ branch?: string }>, branches: string[]): number {
  const present = new Set(branches.map(branchTagValue));
  return rows.filter((r) => r.branch !== undefined && !present.has(r.branch)).length;
}

type Outcome = { ok: true } | { ok: false; error: HelloDeployError };

/** One read and its verdict, emitted; the verdict fields for the closing result. */
async function once(ctx: StatusContext, host: Host<StatusOutput>, signal: AbortSignal): Promise<StatusVerdictFields> {
  const { options, ports, clock } = ctx;
  const emulator = options.endpointUrl !== undefined;
  if (options.all) {
    const now = clock.now();
    const rows = await listEcosystems(ports, now, signal, ctx.pricing);
    const priced = rows.filter((r) => r.monthly !== undefined);
    host.emit({
      type: 'status-all', region: options.region, at: new Date(now).toISOString(), emulator, ecosystems: rows,
      costBasis: ctx.pricing ? `estimate, ${ctx.pricing.table.region} ${ctx.pricing.table.origin} prices of ${ctx.pricing.table.checked}${ctx.pricing.notes.length ? `; ${ctx.pricing.notes.join('; ')}` : ''}` : 'not estimated',
      totalMonthly: Math.round(priced.reduce((n, r) => n + r.monthly!, 0) * 100) / 100,
      noBranch: rows.filter((r) => r.branch === undefined).length,
      ...(ctx.branches ? { branchGone: branchesGone(rows, ctx.branches) } : {}),
    });
    const v = judgeAll(rows);
    return { region: options.region, all: true, healthy: v.healthy, reasons: v.reasons, warnings: rows.flatMap((r) => (r.unread ? [`${r.ecosystem}: could not read the service: ${r.unread}`] : [])) };
  }
  const snapshot = await gatherStatus({ ecosystem: options.ecosystem!, region: options.region, emulator, now: clock.now(), signal, ...(ctx.pricing ? { pricing: ctx.pricing } : {}) }, ports);
  const verdict = judge(snapshot);
  host.emit({ type: 'status', verdict, ...snapshot });
  return { region: options.region, ecosystem: options.ecosystem!, ...verdict };
}

function closing(host: Host<StatusOutput>, v: StatusVerdictFields, all: boolean): Outcome {
  if (v.healthy) {
    host.emit({ type: 'result', ok: true, ...v });
    return { ok: true };
  }
  const first = v.reasons[0] ?? 'not healthy';
  const error = new AbortError('ECOSYSTEM_UNHEALTHY', all ? `${v.reasons.length} problem${v.reasons.length === 1 ? '' : 's'} among the ecosystems; first: ${first}` : `ecosystem ${v.ecosystem} is not healthy: ${first}`, {
    hint: all ? '`hello-deploy status --ecosystem <name>` shows one in full.' : v.reasons.length > 1 ? `${v.reasons.length - 1} more reason(s) above.` : 'The screen above shows what was read.',
  });
  host.emit({ type: 'result', ok: false, error: error.toJSON(), ...v });
  return { ok: false, error };
}

export async function runStatus(ctx: StatusContext, host: Host<StatusOutput>, signal: AbortSignal): Promise<Outcome> {
  const { options, clock } = ctx;
  let last: StatusVerdictFields | undefined;
  try {
    for (;;) {
      try {
        last = await once(ctx, host, signal);
      } catch (e) {
        if (signal.aborted && last) break;
        // Under --watch, a refresh that fails after a first good read (a throttled call, a network blip, the stacks
        // deleted meanwhile) is said and the watch goes on; the first read failing ends the run, as without --watch.
        if (!last || options.watchSeconds === undefined) throw e;
        host.emit({ type: 'warn', message: `refresh failed, showing the last read: ${toHelloDeployError(e).message}` });
      }
      if (options.watchSeconds === undefined || signal.aborted) break;
      await clock.sleep(options.watchSeconds * 1000, signal);
      if (signal.aborted) break;
    }
  } catch (e) {
    const error = signal.aborted ? new InterruptedError('status stopped before it had read anything; nothing was changed.') : toHelloDeployError(e);
    host.emit({ type: 'result', ok: false, error: error.toJSON(), region: options.region, ...(options.ecosystem ? { ecosystem: options.ecosystem } : {}), healthy: false, reasons: [error.message], warnings: [] });
    return { ok: false, error };
  }
  return closing(host, last!, options.all);
}
