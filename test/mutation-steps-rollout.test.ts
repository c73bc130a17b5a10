// The rollout watcher's read-error retry (cli/steps/rollout-watch.ts): a look that fails is tried again at the next
// poll; MAX_ERRORS (3) failed looks in a row end the watch with a warning, and the stack wait goes on alone. ECS
// reads that fail on cue are a shape moto cannot produce, hence a FAKE (the real reads: rollout-watch-moto.test.ts).
// Needs no emulator, so `npm run mutate` runs it (docs/mutation.md).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError } from '../cli/core/errors.ts';
import type { RolloutReport } from '../cli/domain/rollout.ts';
import type { RolloutReadPorts } from '../cli/ports/deploy.ts';
import type { ServiceView } from '../cli/ports/ecosystem.ts';
import { ROLLOUT_POLL_MS, watchRollout } from '../cli/steps/rollout-watch.ts';
import { FakeClock } from './support/fake-ports.ts';

const REF = { cluster: 'feature-x-hello-world', service: 'feature-x-hello-world' };

/**
 * FAKE ECS reads: DescribeServices answers from `script`, one entry per poll (an Error, or a value to throw that is
 * not an Error, is thrown; 'ok' is a quiet service); past the end every poll is 'ok'. `onPoll` runs at each poll.
 */
function reads(script: Array<'ok' | Error | string>, opts: { firstLookFails?: boolean; onPoll?: (n: number) => void } = {}): RolloutReadPorts & { polls: number } {
  const state = { polls: 0, listed: 0 };
  const service = (): ServiceView => ({ name: REF.service, cluster: REF.cluster, status: 'ACTIVE', desired: 1, running: 1, pending: 0, taskDefinition: 'td:2', deployments: [], events: [] });
  const ports = {
    get polls() { return state.polls; },
    ecs: {
      service: async () => {
        state.polls += 1;
        opts.onPoll?.(state.polls);
        const next = script[state.polls - 1] ?? 'ok';
        if (next !== 'ok') throw next;
        return service();
      },
      tasks: async () => {
        state.listed += 1;
        if (state.listed === 1 && opts.firstLookFails) throw new AbortError('AWS_THROTTLED', 'Rate exceeded');
        return [];
      },
      describeTasks: async () => [],
    },
    targets: { targets: async () => [] },
    logs: { events: async () => undefined, tail: async () => [] },
  };
  return ports as RolloutReadPorts & { polls: number };
}

function watch(ports: RolloutReadPorts, signal: AbortSignal, clock = new FakeClock()) {
  const warnings: string[] = [];
  const reports: RolloutReport[] = [];
  const done = watchRollout(ports, clock, { ref: REF, targetGroup: 'tg', logGroup: '/ecs/x', since: clock.now(), signal, onReport: (r) => void reports.push(r), onWarn: (m) => void warnings.push(m) });
  return { done, warnings, reports, clock };
}

const boom = (n: number) => new AbortError('AWS_UNREACHABLE', `ecs timed out (${n})`);

describe('rollout watcher: failed looks', () => {
  test('three failed looks in a row end the watch with a warning naming the last error; the stack wait goes on alone', async () => {
    const ports = reads([boom(1), boom(2), boom(3)]);
    const w = watch(ports, new AbortController().signal);
    assert.equal(await w.done, undefined);
    assert.deepEqual(w.warnings, ['Stopped watching the rollout of feature-x-hello-world after 3 failed looks (ecs timed out (3)); waiting on CloudFormation alone.']);
    assert.equal(ports.polls, 3, 'no fourth look');
    assert.deepEqual(w.clock.slept, [ROLLOUT_POLL_MS, ROLLOUT_POLL_MS, ROLLOUT_POLL_MS], 'one poll interval before each look');
  });

  test('a look that succeeds resets the count: two failures, a good look, two failures is no warning', async () => {
    const stop = new AbortController();
    const ports = reads([boom(1), boom(2), 'ok', boom(4), boom(5), 'ok', 'ok'], { onPoll: (n) => { if (n === 7) stop.abort(); } });
    const w = watch(ports, stop.signal);
    assert.equal(await w.done, undefined);
    assert.deepEqual(w.warnings, []);
    assert.equal(ports.polls, 7);
    assert.equal(w.reports.length, 1, 'the quiet service is reported once, not once per look');
  });

  test('a thrown value that is not an Error is named as it is', async () => {
    const w = watch(reads(['socket hang up', 'socket hang up', 'socket hang up']), new AbortController().signal);
    await w.done;
    assert.match(w.warnings[0]!, /after 3 failed looks \(socket hang up\)/);
  });

  test('a look that fails because the wait ended (aborted) ends the watch quietly', async () => {
    const stop = new AbortController();
    const ports = reads([boom(1)], { onPoll: () => stop.abort() });
    const w = watch(ports, stop.signal);
    assert.equal(await w.done, undefined);
    assert.deepEqual(w.warnings, []);
    assert.equal(ports.polls, 1);
    assert.equal(w.clock.slept.length, 1, 'no further wait once the stack wait ended');
  });

  test('a failed first look (it only sets earlier tasks aside) is not counted: two more failures still warn nothing', async () => {
    const stop = new AbortController();
    const ports = reads([boom(1), boom(2), 'ok'], { firstLookFails: true, onPoll: (n) => { if (n === 3) stop.abort(); } });
    const w = watch(ports, stop.signal);
    assert.equal(await w.done, undefined);
    assert.deepEqual(w.warnings, []);
  });
});
