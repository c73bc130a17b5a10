// Small pieces every screen uses: the framed card, the key-hint line, a status icon and a one-line text input.
import React from 'react';
import { Box, Text, useStdout, useWindowSize } from 'ink';
import { Spinner, useTint } from './env.tsx';
import { escapeInvisible } from '../../domain/shown.ts';

/** Cards are as wide as the terminal, capped at 100 so lines stay readable; the wizard needs 60 columns. */
export function useCardWidth(): number {
  const { columns } = useWindowSize();
  return Math.max(40, Math.min(columns, 100));
}

/**
 * The terminal's height, following resizes; Infinity when the output has none (not a terminal: a test's fake
 * stdout), where nothing needs to fit. A live frame taller than this loses its top on screen.
 */
export function useRows(): number {
  useWindowSize(); // re-render on resize
  const { rows } = useStdout().stdout as { rows?: number };
  return rows ? rows : Infinity;
}

export function Card({ title, children, color = 'cyan' }: { title: string; children: React.ReactNode; color?: string }) {
  const width = useCardWidth();
  const tint = useTint();
  return (
    <Box flexDirection="column" width={width} borderStyle="round" borderColor={tint(color)} paddingX={1}>
      <Text bold color={tint(color)}>{title}</Text>
      {children}
    </Box>
  );
}

export function Keys({ hints }: { hints: Array<[string, string]> }) {
  return (
    <Box paddingX={1}>
      <Text dimColor wrap="truncate-end">{hints.map(([k, what]) => (k ? `${k} ${what}` : what)).join(' · ')}</Text>
    </Box>
  );
}

export type Status = 'pending' | 'checking' | 'running' | 'ok' | 'succeeded' | 'fail' | 'failed' | 'skipped' | 'warn';

export function StatusIcon({ status }: { status: Status }) {
  const tint = useTint();
  switch (status) {
    case 'checking':
    case 'running':
      return <Spinner />;
    case 'ok':
    case 'succeeded':
      return <Text color={tint('green')}>✔</Text>;
    case 'fail':
    case 'failed':
      return <Text color={tint('red')}>✘</Text>;
    case 'warn':
      return <Text color={tint('yellow')}>⚠</Text>;
    case 'skipped':
      return <Text dimColor>–</Text>;
    default:
      return <Text dimColor>○</Text>;
  }
}

/** Label column plus a value that wraps under itself, so narrow terminals still line up. */
export function Row({ label, width = 14, children }: { label: string; width?: number; children: React.ReactNode }) {
  return (
    <Box>
      <Box width={width} flexShrink={0}>
        <Text dimColor>{label}</Text>
      </Box>
      <Box flexDirection="column" flexGrow={1} flexShrink={1}>{children}</Box>
    </Box>
  );
}

/**
 * The visible half of a text field: value plus a block cursor while focused. Keys are handled by the screen. The
 * value is shown with every control, invisible and bidi character written out (`\u200b`): what was pasted or
 * given as a flag reaches the terminal only as text, and the person sees what the field really holds.
 */
export function Field({ value, focused, placeholder }: { value: string; focused: boolean; placeholder?: string }) {
  const tint = useTint();
  if (!value && placeholder && !focused) return <Text dimColor>{placeholder}</Text>;
  return (
    <Text color={focused ? tint('white') : undefined} wrap="truncate-start">
      {escapeInvisible(value)}
      {focused ? <Text inverse> </Text> : null}
    </Text>
  );
}

/** Applies one key press to a text value; returns undefined when the key is not text editing. */
export function editText(value: string, input: string, key: { backspace: boolean; delete: boolean; ctrl: boolean; meta: boolean; tab: boolean; return: boolean; escape: boolean; upArrow: boolean; downArrow: boolean; leftArrow: boolean; rightArrow: boolean }): string | undefined {
  // By code point: an astral character (or an escaped invisible one) goes in one press, never half a surrogate pair.
  if (key.backspace || key.delete) return Array.from(value).slice(0, -1).join('');
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl || key.meta || key.tab || key.return || key.escape || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return undefined;
  // Pasted text arrives as one string, with Ink's parser having taken the escape sequences out as keys of their own;
  // C0 controls and DEL are dropped here. Anything else invisible (C1 controls, zero-width and bidi characters) is
  // kept, so the field's check refuses it as the flag would, and Field shows it escaped.
  const printable = [...input].filter((c) => c >= ' ' && c !== '\u007f').join('');
  return printable ? value + printable : undefined;
}
