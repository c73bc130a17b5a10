// destroy --stale's service over fake ports (a fake listing and a fake destroy: the failure shapes, a destroy that
// fails or is interrupted half-way, cannot be had from moto on cue). What is stale, and how a run goes on past a
// failure; the end to end run on moto and a real git remote is test/destroy-stale-e2e.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findStale, runSweep, type SweepPorts } from '../cli/sweep/run.ts';
import { parseRemote, resolveSweepOptions, type SweepOptions } from '../cli/sweep/options.ts';
import type { SweepEvent, SweepRow } from '../cli/sweep/result.ts';
import { NonInteractiveHost } from '../cli/core/host.ts';
import { branchTagValue } from '../cli/domain/ecosystem.ts';
import { sweepLines } from '../cli/printers/sweep.ts';
import { isEngineEvent, type EngineEvent } from '../cli/core/events.ts';

const OPTIONS: SweepOptions = { remote: 'origin', dryRun: false, yes: true, keepImages: false, region: 'us-east-1', cwd: '/tmp' };
const rows: SweepRow[] = [
  { ecosystem: 'main', state: 'CREATE_COMPLETE', stacks: ['ecr', 'infra'], branch: 'main', monthly: 20 },
  { ecosystem: 'feat-a', state: 'CREATE_COMPLETE', stacks: ['ecr', 'infra'], branch: 'feat/a', monthly: 18.5 },
  { ecosystem: 'feat-b', state: 'UPDATE_COMPLETE', stacks: ['ecr', 'infra'], branch: branchTagValue('feat#b'), monthly: 1.25 },
  { ecosystem: 'half', state: 'CREATE_COMPLETE', stacks: ['ecr'], branch: 'half' },
  { ecosystem: 'manual', state: 'CREATE_COMPLETE', stacks: ['ecr', 'infra'], monthly: 20 },
  { ecosystem: 'throttled', state: 'CREATE_COMPLETE', stacks: ['ecr', 'infra'], branch: 'throttled', unread: 'Rate exceeded' },
];

/** A fake destroy: each ecosystem's outcome as given (ok by default), every call recorded. */
function fakePorts(outcomes: Record<string, { ok: boolean; error?: { code: string; message: string } }> = {}, list: SweepRow[] = rows) {
  const calls: string[] = [];
  let listed = 0;
  const ports: SweepPorts = {
    list: async () => {
      listed++;
      return list;
    },
    destroy: async (ecosystem, emit) => {
      calls.push(ecosystem);
      emit({ type: 'info', message: `destroying ${ecosystem}` });
      const o = outcomes[ecosystem] ?? { ok: true };
      return { ok: o.ok, deleted: o.ok ? [`stack ${ecosystem}-hello-world-infra`] : [], ...(o.error ? { error: o.error } : {}) };
    },
  };
  return { ports, calls, listed: () => listed };
}

async function sweep(opts: Partial<SweepOptions>, heads: string[], ports: SweepPorts, confirm = async () => true) {
  const events: SweepEvent[] = [];
  const host = new NonInteractiveHost<SweepEvent>((e) => events.push(e as SweepEvent));
  const outcome = await runSweep({ options: { ...OPTIONS, ...opts }, heads, ports, confirm }, host, new AbortController().signal);
  return { outcome, events, result: events[events.length - 1] as Extract<SweepEvent, { type: 'result' }> & Record<string, unknown> };
}

test('findStale: a recorded branch gone from the remote is stale; one still there is live; no recorded branch is never stale; names compare as the tag wrote them', () => {
  const r = findStale(rows, ['main', 'feat#b', 'half', 'throttled']);
  assert.deepEqual(r.stale.map((s) => s.ecosystem), ['feat-a']);
  assert.deepEqual(r.live, ['main', 'feat-b', 'half', 'throttled']);
  assert.deepEqual(r.unowned, ['manual']);
  // `feat#b` is recorded as `feat_b` (CloudFormation refuses `#` in a tag): a remote branch `feat_b` matches it too,
  // the only way to compare what the tag can hold.
  assert.deepEqual(findStale(rows, ['main', 'feat_b', 'half', 'feat/a', 'throttled']).stale, []);
});

test('a failure does not stop the sweep: the others are deleted, the result lists the failed one, exit 1 STALE_DESTROY_FAILED', async () => {
  const { ports, calls } = fakePorts({ 'feat-a': { ok: false, error: { code: 'STACK_DELETE_FAILED', message: 'the VPC would not go' } } });
  const { outcome, events, result } = await sweep({}, ['main'], ports);
  assert.deepEqual(calls, ['feat-a', 'feat-b', 'half', 'throttled']);
  assert.equal(outcome.ok, false);
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.error.code, 'STALE_DESTROY_FAILED');
  assert.deepEqual(result.deleted, ['feat-b', 'half', 'throttled']);
  assert.deepEqual((result.failed as Array<{ ecosystem: string }>).map((f) => f.ecosystem), ['feat-a']);
  const each = events.filter((e) => e.type === 'stale-destroyed');
  assert.deepEqual(each.map((e) => [e.ecosystem, e.succeeded]), [['feat-a', false], ['feat-b', true], ['half', true], ['throttled', true]]);
  // Each destroy's own events are relayed between its start and its outcome.
  assert.ok(events.some((e) => e.type === 'info' && e.message === 'destroying feat-b'));
  assert.equal(events.filter((e) => e.type === 'result').length, 1);
  // The saving: what could be priced (half has no infra stack, so runs nothing; throttled's count was unread), to the cent.
  assert.equal(result.savesMonthly, 19.75);
});

test('an interrupted destroy stops the sweep: no other ecosystem is started, exit 130 naming what was not deleted', async () => {
  const { ports, calls } = fakePorts({ 'feat-a': { ok: false, error: { code: 'INTERRUPTED', message: 'stopped' } } });
  const { outcome, result } = await sweep({}, ['main'], ports);
  assert.deepEqual(calls, ['feat-a']);
  assert.equal(!outcome.ok && outcome.error.code, 'INTERRUPTED');
  assert.deepEqual(result.notDeleted, ['feat-a', 'feat-b', 'half', 'throttled']);
});

test('--dry-run, nothing stale, a declined confirmation: nothing is destroyed; a remote with no branches is refused before the listing', async () => {
  const dry = fakePorts();
  const d = await sweep({ dryRun: true }, ['main'], dry.ports);
  assert.deepEqual(dry.calls, []);
  assert.equal(d.result.ok && d.result.dryRun, true);
  assert.deepEqual((d.result.stale as Array<{ ecosystem: string }>).map((s) => s.ecosystem), ['feat-a', 'feat-b', 'half', 'throttled']);

  const none = fakePorts();
  const n = await sweep({}, ['main', 'feat/a', 'feat#b', 'half', 'throttled'], none.ports, async () => assert.fail('nothing to confirm'));
  assert.equal(n.result.ok && n.result.nothingToDelete, true);

  const declined = fakePorts();
  const x = await sweep({ yes: false }, ['main'], declined.ports, async () => false);
  assert.deepEqual(declined.calls, []);
  assert.equal(!x.outcome.ok && x.outcome.error.code, 'DESTROY_DECLINED');

  const empty = fakePorts();
  const e = await sweep({}, [], empty.ports);
  assert.equal(empty.listed(), 0);
  assert.equal(!e.outcome.ok && e.outcome.error.code, 'GIT_REMOTE_EMPTY');
});

test('flags: --remote is a name or a URL, never an option or a control character; --ecosystem and --retain are refused with --stale; --yes or --dry-run without a terminal', async () => {
  for (const ok of ['origin', 'upstream/fork', 'https://github.com/o/r.git', 'git@github.com:o/r.git', '/srv/git/r.git']) assert.equal(parseRemote(ok), ok);
  for (const bad of ['', '-x', '--upload-pack=touch /tmp/x', 'a b', 'a\u001b[2Jb', 'a\u202eb', 'a\u00a0b', 'a\ud800b']) assert.throws(() => parseRemote(bad), /is not a git remote/);
  await assert.rejects(resolveSweepOptions({ stale: true, ecosystem: 'main', retain: ['Vpc'], region: 'us-east-1' }, { cwd: '/tmp', interactive: false }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'MISSING_ANSWERS');
    assert.match(e.message, /--yes/);
    assert.match(e.message, /--ecosystem names one/);
    assert.match(e.message, /--retain names resources of one ecosystem/);
    return true;
  });
  const o = await resolveSweepOptions({ stale: true, dryRun: true, region: 'us-east-1', timeout: '5m' }, { cwd: '/tmp', interactive: false });
  assert.deepEqual({ remote: o.remote, dryRun: o.dryRun, timeoutMs: o.timeoutMs }, { remote: 'origin', dryRun: true, timeoutMs: 300_000 });
});

test('the plain lines: the stale table with each cost and the saving, what is kept and why, and each outcome', async () => {
  const { ports } = fakePorts({ 'feat-a': { ok: false, error: { code: 'STACK_DELETE_FAILED', message: 'the VPC would not go' } } });
  const { events } = await sweep({}, ['main'], ports);
  const text = events.filter((e): e is Exclude<SweepEvent, EngineEvent> => !isEngineEvent(e)).flatMap(sweepLines).join('\n');
  assert.match(text, /Stale \(the branch is gone from origin\): 4 ecosystems/);
  assert.match(text, /feat-a\s+feat\/a\s+CREATE_COMPLETE\s+~\$18\.50\/mo/);
  assert.match(text, /half\s+half\s+CREATE_COMPLETE\s+-\n/);
  assert.match(text, /throttled\s+throttled\s+CREATE_COMPLETE\s+unread/);
  assert.match(text, /deleting them saves ~\$19\.75\/mo \(without throttled, whose cost could not be read\)/);
  assert.match(text, /Kept, the branch is still there: main/);
  assert.match(text, /Kept, no branch recorded .* never stale: manual/);
  assert.match(text, /✘ feat-a not destroyed: the VPC would not go/);
  assert.match(text, /✔ feat-b destroyed/);
  assert.match(text, /Failed: feat-a: the VPC would not go/);
});
