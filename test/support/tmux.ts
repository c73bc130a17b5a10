// A real pseudo-terminal for the wizard tests: tmux on a private socket runs a command at a fixed size, real
// keystrokes go in with send-keys, and the screen is read back with capture-pane. The command's exit code is
// echoed into the pane (EXIT=n) when it ends, and the pane stays open so the last screen can still be read.
// Used by the wizard pty tests and by scripts/capture-wizard.mjs (which runs under tsx to import it).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { assertNoSecrets } from './secrets.ts';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

export interface Tmux {
  /** Starts `argv` in a fresh session (replacing the previous one), with `env` added to a clean-of-CI environment. */
  start(argv: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<void>;
  /**
   * The visible screen; with `history`, the scrollback above it too (what <Static> printed and scrolled away); with
   * `colours`, the SGR escapes as well (capture-pane -e).
   */
  screen(opts?: ScreenOptions): Promise<string>;
  keys(...k: string[]): Promise<void>;
  /** Literal text, as if typed. */
  type(s: string): Promise<void>;
  /** Polls until the screen shows `what`; fails early if the command exited first. `seen` gets every screen read. */
  waitScreen(what: string | RegExp, timeoutMs?: number, opts?: { history?: boolean; seen?: (screen: string) => void }): Promise<string>;
  /** Ends the tmux server and everything in it (SIGHUP to the command). */
  kill(): Promise<void>;
}

export interface ScreenOptions {
  history?: boolean;
  colours?: boolean;
  /** Lines the terminal wrapped are joined again (capture-pane -J): what a copy of them gives. */
  joined?: boolean;
}

export function createTmux(name: string, size: { columns: number; rows: number } = { columns: 100, rows: 40 }): Tmux {
  const socket = `${name}-${process.pid}`;
  const session = 'wizard';
  let started = false;
  const tmux = (...args: string[]) => run('tmux', ['-L', socket, ...args], { timeout: 10_000 });
  const screen = async ({ history = false, colours = false, joined = false }: ScreenOptions = {}) => {
    const text = (await tmux('capture-pane', '-p', '-t', session, ...(history ? ['-S', '-'] : []), ...(colours ? ['-e'] : []), ...(joined ? ['-J'] : []))).stdout;
    assertNoSecrets(text, `the wizard's screen (${name})`);
    return text;
  };

  return {
    async start(argv, { cwd, env = {} }) {
      // `env -u CI`: the tmux server inherits this process's environment, and CI=true would (rightly) turn the
      // wizard off; NO_COLOR would change what is drawn.
      const command = [
        'env -u CI -u NO_COLOR',
        ...Object.entries({ TERM: 'xterm-256color', ...env }).map(([k, v]) => `${k}=${q(v)}`),
        ...argv.map(q),
        '; echo EXIT=$?; sleep 600',
      ].join(' ');
      if (started) await tmux('kill-session', '-t', session).catch(() => undefined);
      await tmux('new-session', '-d', '-x', String(size.columns), '-y', String(size.rows), '-s', session, '-c', cwd, command);
      started = true;
    },
    screen,
    async keys(...k) {
      await tmux('send-keys', '-t', session, ...k);
    },
    async type(s) {
      await tmux('send-keys', '-t', session, '-l', s);
    },
    async waitScreen(what, timeoutMs = 30_000, opts = {}) {
      const deadline = Date.now() + timeoutMs;
      const wantsExit = typeof what === 'string' ? what.startsWith('EXIT=') : what.source.includes('EXIT');
      for (;;) {
        const last = await screen({ history: opts.history });
        opts.seen?.(last);
        if (typeof what === 'string' ? last.includes(what) : what.test(last)) return last;
        if (/EXIT=\d+/.test(last) && !wantsExit) assert.fail(`the command exited while waiting for ${String(what)}:\n${last}`);
        if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${String(what)}; screen:\n${last}`);
        await sleep(150);
      }
    },
    async kill() {
      if (started) await tmux('kill-server').catch(() => undefined);
      started = false;
    },
  };
}
