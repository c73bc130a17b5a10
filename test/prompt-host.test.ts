// The terminal question of a plain run without --yes (cli/commands/prompt-host.ts: rollback's change-set
// confirmation), over a real stream standing in for the terminal's input: Enter takes the default, y/yes says yes,
// anything else no, the input ending or a stop (Ctrl-C) says no. Each answer is reported as a `question` event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { PromptHost } from '../cli/commands/prompt-host.ts';
import type { Question } from '../cli/core/host.ts';

const Q: Question = { kind: 'confirm', id: 'execute-change-set:eco-hello-world-infra', message: 'Execute 1 change(s) to eco-hello-world-infra?', default: true };

function host(controller = new AbortController()) {
  const input = new PassThrough();
  const events: Array<{ type: string; answer?: unknown; answeredBy?: string }> = [];
  let shown = '';
  const h = new PromptHost<{ type: string }>((e) => void events.push(e as never), controller.signal, input, (s) => void (shown += s));
  return { h, input, events, shown: () => shown, controller };
}

test('Enter takes the default, y and yes say yes, anything else no; the question is shown with its default', async () => {
  for (const [typed, answer, by] of [['\n', true, 'default'], ['y\n', true, 'user'], [' YES \n', true, 'user'], ['n\n', false, 'user'], ['maybe\n', false, 'user']] as const) {
    const { h, input, events, shown } = host();
    const asked = h.ask(Q);
    input.write(typed);
    assert.equal(await asked, answer, JSON.stringify(typed));
    assert.equal(shown(), '? Execute 1 change(s) to eco-hello-world-infra? [Y/n] ');
    assert.deepEqual(events, [{ type: 'question', id: Q.id, message: Q.message, answer, answeredBy: by }]);
  }
});

test('the input ends (Ctrl-D, a closed terminal) or the run is stopped: no, and nothing executed', async () => {
  const ended = host();
  const a = ended.h.ask(Q);
  ended.input.end();
  assert.equal(await a, false);
  const stopped = host();
  const b = stopped.h.ask(Q);
  stopped.controller.abort();
  assert.equal(await b, false);
  assert.equal(stopped.events.length, 1);
});
