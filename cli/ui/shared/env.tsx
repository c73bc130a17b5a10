// What the screens take from their surroundings, injected so tests are deterministic: the clock, whether spinners
// move, whether colour is allowed (NO_COLOR) and whether the terminal understands OSC 8 links.
import React, { createContext, useContext } from 'react';
import { Text, useAnimation } from 'ink';

export interface UiEnv {
  now(): number;
  /** False in tests: spinners show their first frame and nothing ticks. */
  animate: boolean;
  /** False when NO_COLOR is set (https://no-color.org): no colour at all, bold and inverse stay. */
  color: boolean;
  hyperlinks: boolean;
}

export const UiEnvContext = createContext<UiEnv>({ now: () => Date.now(), animate: true, color: true, hyperlinks: false });

export function useUiEnv(): UiEnv {
  return useContext(UiEnvContext);
}

/** `tint('green')` is 'green', or undefined under NO_COLOR. */
export function useTint(): (c: string) => string | undefined {
  const { color } = useUiEnv();
  return (c) => (color ? c : undefined);
}

type Env = Record<string, string | undefined>;

/**
 * OSC 8 support, the way supports-hyperlinks decides it, without the dependency. tmux and screen swallow OSC 8
 * unless configured, and CI logs show the raw escape, so both get the plain URL (which is printed either way).
 */
export function supportsHyperlinks(env: Env): boolean {
  if (env.FORCE_HYPERLINK !== undefined) return env.FORCE_HYPERLINK !== '0';
  if (env.CI || env.TMUX || env.TERM?.startsWith('screen') || env.TERM === 'dumb') return false;
  if (env.WT_SESSION || env.KONSOLE_VERSION || env.TERM === 'xterm-kitty' || env.TERM === 'xterm-ghostty') return true;
  if (env.VTE_VERSION && Number(env.VTE_VERSION) >= 5000) return true;
  return ['iTerm.app', 'WezTerm', 'vscode', 'ghostty', 'Hyper'].includes(env.TERM_PROGRAM ?? '');
}

export function detectUiEnv(env: Env = process.env): UiEnv {
  return {
    now: () => Date.now(),
    animate: true,
    color: env.NO_COLOR === undefined || env.NO_COLOR === '',
    hyperlinks: supportsHyperlinks(env),
  };
}

/** The test environment: a fixed clock, still spinners, no colour, no links. */
export function stillEnv(now: number): UiEnv {
  return { now: () => now, animate: false, color: false, hyperlinks: false };
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function Spinner({ color = 'cyan' }: { color?: string }) {
  const { animate } = useUiEnv();
  const tint = useTint();
  const { frame } = useAnimation({ interval: 80, isActive: animate });
  return <Text color={tint(color)}>{FRAMES[animate ? frame % FRAMES.length : 0]}</Text>;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Time since `since`, re-rendered once a second while animating. */
export function Elapsed({ since }: { since: number }) {
  const { now, animate } = useUiEnv();
  useAnimation({ interval: 1000, isActive: animate });
  return <Text dimColor>{formatDuration(now() - since)}</Text>;
}

/** An OSC 8 link around visible text that is the URL itself, so copying from a terminal without links still works. */
export function Link({ url }: { url: string }) {
  const { hyperlinks } = useUiEnv();
  const tint = useTint();
  const text = hyperlinks ? `\u001B]8;;${url}\u0007${url}\u001B]8;;\u0007` : url;
  return <Text color={tint('cyan')} underline>{text}</Text>;
}
