// Generators that reach the boundaries a property test is about (issue 18): names exactly at a length cap and on
// either side of it, reserved prefixes, and unicode that is more than one UTF-16 unit or one code point per
// character. And `reaches()`, which samples a generator and asserts it does produce each boundary case: a property
// test whose generator is edited cannot silently stop reaching them (the ecosystem property once ran 2,000 times
// without a branch long enough to cross the 24-character cap, so dropping the cap went unnoticed).
import assert from 'node:assert/strict';
import fc from 'fast-check';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const NAME_CHARS = `${LETTERS}0123456789`;

/** A name-shaped string (a letter, then letters, digits and single inner hyphens) of exactly n ≥ 1 characters. */
export function nameOfLength(n: number): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...LETTERS), fc.array(fc.constantFrom(...NAME_CHARS, '-', '-'), { minLength: n - 1, maxLength: n - 1 })).map(([head, tail]) => {
    // A hyphen after a hyphen, or at the end, becomes a letter: the length stays n and the shape stays valid.
    const out = [head];
    tail.forEach((c, i) => out.push(c === '-' && (out[out.length - 1] === '-' || i === tail.length - 1) ? 'x' : c));
    return out.join('');
  });
}

/** Name-shaped strings of exactly cap−1, cap and cap+1 characters, and some far past the cap. */
export function aroundCap(cap: number): fc.Arbitrary<string> {
  return fc.oneof(fc.constantFrom(cap - 1, cap, cap + 1).chain(nameOfLength), fc.integer({ min: cap + 2, max: cap * 3 }).chain(nameOfLength));
}

/**
 * Prefixes AWS reserves, as a branch or a typed name may carry them: `internal-` begins the DNS name of internal
 * load balancers (and the ALB is named after the ecosystem), `aws` begins reserved tag keys and many reserved names.
 */
export const RESERVED_PREFIXES = ['internal-', 'internal/', 'Internal', 'INTERNAL_', 'aws', 'aws-', 'AWS:'];

/** `rest` after one of the reserved prefixes. */
export function reservedPrefixed(rest: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...RESERVED_PREFIXES), rest).map(([p, r]) => p + r);
}

/** Astral characters (a surrogate pair each, a flag is two), combining marks, and lone surrogates (half an emoji). */
export const ASTRAL = ['😀', '𝒜', '🇺🇸'];
export const COMBINING = ['e\u0301', 'a\u0308\u0323', '\u0301'];
export const LONE_SURROGATES = ['\ud83d', '\ude00'];

/** `base` with one unicode piece inserted somewhere; `lone: false` where no real input can hold a lone surrogate. */
export function withUnicode(base: fc.Arbitrary<string>, opts: { lone?: boolean } = {}): fc.Arbitrary<string> {
  const pieces = [...ASTRAL, ...COMBINING, ...(opts.lone === false ? [] : LONE_SURROGATES)];
  return fc.tuple(base, fc.constantFrom(...pieces), fc.nat()).map(([s, piece, at]) => {
    const i = s.length === 0 ? 0 : at % (s.length + 1);
    return s.slice(0, i) + piece + s.slice(i);
  });
}

export const hasAstral = (s: string): boolean => /[\u{10000}-\u{10FFFF}]/u.test(s);
export const hasCombining = (s: string): boolean => /\p{M}/u.test(s);
/** With the u flag, \p{Cs} matches only a surrogate that is not half of a pair. */
export const hasLoneSurrogate = (s: string): boolean => /\p{Cs}/u.test(s);

/**
 * Samples `arb` (a fixed seed, so the check is deterministic) and asserts that every named boundary case turns up
 * at least once in `numRuns` draws: as many as the property runs, so the property itself reaches them too.
 */
export function reaches<T>(arb: fc.Arbitrary<T>, cases: Record<string, (v: T) => boolean>, numRuns = 1000, seed = 18): void {
  const samples = fc.sample(arb, { numRuns, seed });
  for (const [what, hit] of Object.entries(cases)) {
    assert.ok(samples.some(hit), `the generator never produced ${what} in ${numRuns} draws (seed ${seed})`);
  }
}
