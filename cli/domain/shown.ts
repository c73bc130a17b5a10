// How any value a user typed is quoted in a message: one helper, so no refused value reaches a terminal raw. A flag
// value can carry ESC/OSC sequences (`\e]0;pwned\a` retitles the window, `\e[2J` clears it), C1 controls, bidi
// overrides that reorder what is shown, or zero-width characters that hide what is there. shown() prints it the way
// JSON would (quoted, `\u001b`, `\n`, …) and escapes the invisible and reordering characters JSON leaves alone.

/** Shown at most this many characters (code points) of a value; the rest becomes "…". */
export const SHOWN_MAX = 80;

/**
 * Escaped besides what JSON escapes: C0/DEL/C1 controls (\p{Cc}), format characters (\p{Cf}: bidi marks and
 * overrides U+200E/F, U+202A–E, U+2066–9, U+061C, zero-width U+200B–D, U+2060, U+FEFF, soft hyphen, tag characters),
 * line and paragraph separators, every space but the plain one (U+00A0, U+3000, …), private-use, unassigned and
 * lone surrogate code points.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]|(?! )\p{Zs}/gu;

const escape = (ch: string): string => {
  const cp = ch.codePointAt(0) ?? 0;
  return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
};

/**
 * `text` with every control, invisible and bidi character written as a `\uXXXX` escape, line breaks kept: for a
 * message someone else composed around a user's value (commander's "argument '…' is invalid").
 */
export function escapeInvisible(text: string): string {
  return text.split('\n').map((line) => line.replace(INVISIBLE, escape)).join('\n');
}

/** `value` in double quotes, JSON-escaped, with every control, invisible and bidi character escaped, cut at `max`. */
export function shown(value: string, max = SHOWN_MAX): string {
  const chars = Array.from(value);
  const cut = chars.length > max ? `${chars.slice(0, max).join('')}…` : value;
  // JSON.stringify escapes C0, quotes, backslashes and lone surrogates; the rest is done on its output, whose
  // escapes are plain ASCII and so never match INVISIBLE.
  return JSON.stringify(cut).replace(INVISIBLE, escape);
}
