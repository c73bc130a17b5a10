// The parsers throw a UsageError for a bad value. Before a wizard opens, a bad answer is not an error yet (the
// wizard asks for it again), so these places need "the value, or nothing".

/** f's result, or undefined when it throws. */
export function valueOrUndefined<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
