// `destroy --stale`'s service: list every ecosystem of hello-deploy in the region (what `status --all` lists),
// compare the branch each records with the remote's branches, report the stale ones with their cost, and (unless
// --dry-run) after the go-ahead destroy each in turn with the destroy product's own service, going on past a
// failure. The command wires the listing and the destroy in (cli/commands/destroy-stale.ts): products never
// import each other.
import { AbortError, InterruptedError, toHelloDeployError, type HelloDeployError, type ErrorShape } from '../core/errors.ts';
import type { EngineEvent } from '../core/events.ts';
import type { Host } from '../core/host.ts';
import { branchTagValue } from '../domain/ecosystem.ts';
import { shown } from '../domain/shown.ts';
import type { SweepOptions } from './options.ts';
import type { StaleEcosystem, StalePlanEvent, SweepEvent, SweepRow } from './result.ts';

export interface SweepPorts {
  /** Every ecosystem of hello-deploy in the region, with its recorded branch and cost (status --all's listing). */
  list(signal: AbortSignal): Promise<SweepRow[]>;
  /** One `destroy --yes` of `ecosystem`, its step events relayed through `emit`; never throws. */
  destroy(ecosystem: string, emit: (e: EngineEvent) => void, signal: AbortSignal): Promise<{ ok: boolean; deleted: string[]; error?: ErrorShape }>;
}

export interface SweepContext {
  options: SweepOptions;
  /** The remote's branch names (git ls-remote --heads), read before anything was sent to AWS. */
  heads: string[];
  ports: SweepPorts;
  /** The go-ahead for deleting `stale` (typed on a terminal; true with --yes). */
  confirm(stale: StaleEcosystem[]): Promise<boolean>;
  /** What the listing's monthly figures are ("estimate, us-east-1 bundled prices of …"). */
  costBasis?: string;
}

/**
 * Which ecosystems are stale: those whose recorded branch the remote no longer has. The tag holds the branch as
 * branchTagValue wrote it (characters CloudFormation refuses replaced), so the remote's names are compared the same
 * way. An ecosystem with no recorded branch is never stale: nothing says which branch it belongs to.
 */
export function findStale(rows: SweepRow[], heads: string[]): { stale: StaleEcosystem[]; live: string[]; unowned: string[] } {
  const present = new Set(heads.map(branchTagValue));
  const stale: StaleEcosystem[] = [];
  const live: string[] = [];
  const unowned: string[] = [];
  for (const r of rows) {
    if (r.branch === undefined) unowned.push(r.ecosystem);
    else if (present.has(r.branch)) live.push(r.ecosystem);
    else stale.push({ ecosystem: r.ecosystem, branch: r.branch, state: r.state, stacks: r.stacks, ...(r.monthly !== undefined ? { monthly: r.monthly } : {}), ...(r.unread ? { unread: r.unread } : {}) });
  }
  return { stale, live, unowned };
}

type Outcome = { ok: true } | { ok: false; error: HelloDeployError };

export async function runSweep(ctx: SweepContext, host: Host<SweepEvent>, signal: AbortSignal): Promise<Outcome> {
  const { options, heads, ports } = ctx;
  const base = { remote: options.remote, dryRun: options.dryRun };
  const fail = (error: HelloDeployError, fields: { stale: StaleEcosystem[]; deleted: string[]; savesMonthly: number; failed?: Array<{ ecosystem: string; error: ErrorShape }>; notDeleted?: string[] }): Outcome => {
    host.emit({ type: 'result', ok: false, error: error.toJSON(), ...base, failed: [], notDeleted: [], ...fields });
    return { ok: false, error };
  };
  // A remote with no branches at all is far likelier a wrong --remote (or an empty mirror) than a repository whose
  // every branch was deleted: calling every ecosystem stale on its word would delete them all.
  if (heads.length === 0) {
    return fail(new AbortError('GIT_REMOTE_EMPTY', `git remote ${shown(options.remote)} lists no branches: every ecosystem would look stale, so none is.`, { hint: 'Check --remote (`git ls-remote --heads <remote>`); to delete an ecosystem on purpose, `hello-deploy destroy --ecosystem <name>`.' }), { stale: [], deleted: [], savesMonthly: 0 });
  }
  let rows: SweepRow[];
  try {
    rows = await ports.list(signal);
  } catch (e) {
    return fail(signal.aborted ? new InterruptedError('destroy --stale stopped before it had listed the ecosystems; nothing was deleted.') : toHelloDeployError(e), { stale: [], deleted: [], savesMonthly: 0 });
  }
  const { stale, live, unowned } = findStale(rows, heads);
  const priced = stale.filter((s) => s.monthly !== undefined);
  const savesMonthly = Math.round(priced.reduce((sum, s) => sum + s.monthly!, 0) * 100) / 100;
  const plan: StalePlanEvent = {
    type: 'stale-plan', remote: options.remote, region: options.region, emulator: options.endpointUrl !== undefined, branches: heads.length,
    stale, live, unowned, savesMonthly, unpriced: stale.filter((s) => s.unread !== undefined).map((s) => s.ecosystem), costBasis: ctx.costBasis ?? 'not estimated', dryRun: options.dryRun,
  };
  host.emit(plan);
  const tally = { stale, savesMonthly };
  if (stale.length === 0 || options.dryRun) {
    host.emit({ type: 'result', ok: true, ...base, ...tally, deleted: [], nothingToDelete: stale.length === 0 });
    return { ok: true };
  }
  if (!(await ctx.confirm(stale))) {
    return fail(new AbortError('DESTROY_DECLINED', 'Not confirmed: no ecosystem was deleted.', { hint: 'Type the number of stale ecosystems to go ahead, or pass --yes in a script; --dry-run only lists them.' }), { ...tally, deleted: [] });
  }
  const deleted: string[] = [];
  const failed: Array<{ ecosystem: string; error: ErrorShape }> = [];
  let interrupted: ErrorShape | undefined;
  for (const [i, s] of stale.entries()) {
    // Ctrl-C between two ecosystems: the one being deleted finished or was left to CloudFormation; start no other.
    if (signal.aborted || interrupted) break;
    host.emit({ type: 'stale-start', ecosystem: s.ecosystem, branch: s.branch, index: i + 1, total: stale.length });
    const r = await ports.destroy(s.ecosystem, (e) => host.emit(e), signal);
    host.emit({ type: 'stale-destroyed', ecosystem: s.ecosystem, succeeded: r.ok, deleted: r.deleted, ...(r.error ? { error: r.error } : {}) });
    if (r.ok) deleted.push(s.ecosystem);
    else if (r.error?.code === 'INTERRUPTED') interrupted = r.error;
    else failed.push({ ecosystem: s.ecosystem, error: r.error ?? { code: 'UNKNOWN', message: 'destroy failed' } });
  }
  const notDeleted = stale.map((s) => s.ecosystem).filter((e) => !deleted.includes(e) && !failed.some((f) => f.ecosystem === e));
  if (interrupted || signal.aborted) {
    return fail(new InterruptedError(`Stopped after deleting ${deleted.length} of ${stale.length} stale ecosystems${notDeleted.length ? `; not deleted: ${notDeleted.join(', ')}` : ''}.`, { hint: 'Run the same command again to resume: what is gone is no longer listed.' }), { ...tally, deleted, failed, notDeleted });
  }
  if (failed.length) {
    return fail(new AbortError('STALE_DESTROY_FAILED', `${failed.length} of ${stale.length} stale ecosystems could not be deleted: ${failed.map((f) => f.ecosystem).join(', ')}.`, { hint: `Each one's reason is above; \`hello-deploy destroy --ecosystem ${failed[0]!.ecosystem}\` shows and resumes one (with --retain after a DELETE_FAILED).` }), { ...tally, deleted, failed, notDeleted: [] });
  }
  host.emit({ type: 'result', ok: true, ...base, ...tally, deleted, nothingToDelete: false });
  return { ok: true };
}
