// A real pseudo-terminal for the wizard tests: tmux on a private socket runs a command at a fixed size, real
// keystrokes go in with send-keys, and the screen is read back with capture-pane. The command's exit code is
// echoed into the pane (EXIT=n) when it ends, then whether it left the terminal's modes as it found them
// (TTY=restored: raw mode off, echo on), and the pane stays open so the last screen can still be read.
// Used by the wizard pty tests and by scripts/capture-wizard.mjs (which runs under tsx to import it).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { assertNoSecrets } from './secrets.ts';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

export interface Tmux {
  /**
   * Starts `argv` in a fresh session (replacing the previous one), with `env` added to a clean-of-CI environment.
   * With `exitCodeFile`, its exit code is also written there, so it can still be read after the terminal is gone
   * (kill(): a real hang-up).
   */
  start(argv: string[], opts: { cwd: string; env?: Record<string, string>; exitCodeFile?: string }): Promise<void>;
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
  /** The pid of the running command (not of the shell around it), to send it signals as `kill` would. */
  pid(): Promise<number>;
  /**
   * Waits for the command to end: its exit code, whether the terminal's modes are as before it ran (stty -g), and
   * whether the cursor is visible (a full-screen app hides it and must show it again).
   */
  ended(timeoutMs?: number, opts?: { history?: boolean; seen?: (screen: string) => void }): Promise<{ code: number; ttyRestored: boolean; cursorVisible: boolean; screen: string }>;
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
    async start(argv, { cwd, env = {}, exitCodeFile }) {
      // `env -u CI`: the tmux server inherits this process's environment, and CI=true would (rightly) turn the
      // wizard off; NO_COLOR would change what is drawn.
      const run = ['env -u CI -u NO_COLOR', ...Object.entries({ TERM: 'xterm-256color', ...env }).map(([k, v]) => `${k}=${q(v)}`), ...argv.map(q)].join(' ');
      // With exitCodeFile, an inner shell that ignores SIGHUP runs it and records its exit code: when the terminal
      // closes, the pane's own shell (the session leader) dies of SIGHUP and the kernel sends SIGHUP on to the
      // command, exactly as a closed terminal window does, while the inner shell lives on to write the code.
      const recorded = exitCodeFile ? `sh -c ${q(`trap '' HUP; ${run}; CODE=$?; echo $CODE > ${q(exitCodeFile)}; exit $CODE`)}` : run;
      const command = [
        'TTY0=$(stty -g);',
        recorded,
        '; echo EXIT=$?;',
        'if [ "$(stty -g)" = "$TTY0" ]; then echo TTY=restored; else echo TTY=changed; fi; sleep 600',
      ].join(' ');
      if (started) await tmux('kill-session', '-t', session).catch(() => undefined);
      // Killing the only session ends the server; a new session on its socket meanwhile can meet it exiting.
      for (let attempt = 1; ; attempt++) {
        try {
          await tmux('new-session', '-d', '-x', String(size.columns), '-y', String(size.rows), '-s', session, '-c', cwd, command);
          break;
        } catch (err) {
          if (attempt >= 3 || !/server exited unexpectedly/.test(String(err))) throw err;
          await sleep(200);
        }
      }
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
    async pid() {
      const shell = Number((await tmux('list-panes', '-t', session, '-F', '#{pane_pid}')).stdout.trim());
      // The pane runs a shell (or two) around the command: look down the tree for node running bin/hello-deploy.js.
      const read = (f: string) => {
        try {
          return readFileSync(f, 'utf8');
        } catch {
          return ''; // gone meanwhile
        }
      };
      const queue = [shell];
      for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
        const argv = read(`/proc/${pid}/cmdline`).split('\0');
        if (/(^|\/)node$/.test(argv[0] ?? '') && argv.some((a) => a.endsWith('hello-deploy.js'))) return pid;
        queue.push(...read(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(Boolean).map(Number));
      }
      return assert.fail(`no node running hello-deploy.js under the pane's shell (pid ${shell})`);
    },
    async ended(timeoutMs = 30_000, opts = {}) {
      const last = await this.waitScreen(/EXIT=(\d+)\s+TTY=(restored|changed)/, timeoutMs, opts);
      const m = /EXIT=(\d+)\s+TTY=(restored|changed)/.exec(last)!;
      const cursor = (await tmux('display-message', '-p', '-t', session, '#{cursor_flag}')).stdout.trim();
      return { code: Number(m[1]), ttyRestored: m[2] === 'restored', cursorVisible: cursor === '1', screen: last };
    },
    async kill() {
      if (started) await tmux('kill-server').catch(() => undefined);
      started = false;
    },
  };
}
