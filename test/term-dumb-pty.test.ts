// TERM=dumb on a real terminal: the wizard's cursor addressing would garble it, so hello-deploy prints the plain
// lines a pipe gets. Driven in tmux (a real pseudo-terminal), where a TTY with any other TERM opens the wizard.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTmux } from './support/tmux.ts';
import { BIN } from './support/cli.ts';
import { ROOT } from './support/paths.ts';

const tmux = createTmux('hello-deploy-dumb');
const empty = mkdtempSync(path.join(tmpdir(), 'hd-dumb-'));
after(async () => {
  await tmux.kill();
  rmSync(empty, { recursive: true, force: true });
});

test('TERM=dumb gets the plain printer: the missing answers are listed (exit 2) instead of the wizard opening', async () => {
  // A folder with no git branch and no app/certs: plain mode must refuse with the missing flags before any AWS call.
  await tmux.start([path.join(ROOT, 'node_modules/.bin/node'), BIN, 'deploy', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9'], { cwd: empty, env: { TERM: 'dumb' } });
  const screen = await tmux.waitScreen(/missing --ecosystem/, 20_000);
  assert.match(screen, /missing --email/);
  assert.doesNotMatch(screen, /Welcome|hello-deploy wizard/i);
});
