// Time as steps see it. Injected rather than read from Date.now/setTimeout, so a test can run a five-minute wait
// (the smoke check's window, the app's start-up wait) in milliseconds over a fake clock.
export interface Clock {
  /** Milliseconds since the epoch, as Date.now() counts them. */
  now(): number;
  /** Resolves after ms, or as soon as signal aborts: the caller's own abort check then stops it. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
