// Typed errors. Every failure the user can see carries a stable code, a message, a hint (what to try) and the
// exit code main.ts will use. Only cli/main.ts turns an error into an exit status. The codes are registered in
// codes.ts: a code missing there does not type-check.
import type { ErrorCode } from './codes.ts';

export type { ErrorCode } from './codes.ts';

export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface ErrorShape {
  code: string;
  message: string;
  hint?: string;
}

export class HelloDeployError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(code: ErrorCode, message: string, opts: { hint?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? EXIT.failure;
  }

  toJSON(): ErrorShape {
    return this.hint === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, hint: this.hint };
  }
}

/** The user asked for something we cannot do as asked: bad flags, bad files, missing answers. Exit 2. */
export class UsageError extends HelloDeployError {
  constructor(code: ErrorCode, message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(code, message, { ...opts, exitCode: EXIT.usage });
  }
}

/** Something in the world failed (AWS, Docker, a stack): the user can act on the hint. Exit 1. */
export class AbortError extends HelloDeployError {
  constructor(code: ErrorCode, message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(code, message, { ...opts, exitCode: EXIT.failure });
  }
}

/** The user interrupted (Ctrl-C). Exit 130. */
export class InterruptedError extends HelloDeployError {
  constructor(message: string, opts: { hint?: string } = {}) {
    super('INTERRUPTED', message, { ...opts, exitCode: EXIT.interrupted });
  }
}

/** How to report a bug: the output is what a maintainer needs, and a rerun tells a flake from a bug. */
export const BUG_HINT = 'This is a bug in hello-deploy: rerun the same command, and if it fails again, copy the whole output and open an issue in the hello-deploy repository with it.';

/** Our own mistake: an invariant broke. Exit 1, and ask for a report. */
export class BugError extends HelloDeployError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('BUG', message, { ...opts, hint: BUG_HINT, exitCode: EXIT.failure });
  }
}

/**
 * Turns anything thrown into a HelloDeployError so printers and main.ts handle one shape. Every failure we
 * expect is already a HelloDeployError (the adapters map theirs); anything else reaching here is a bug of ours.
 */
export function toHelloDeployError(err: unknown): HelloDeployError {
  if (err instanceof HelloDeployError) return err;
  if (err instanceof Error) return new BugError(err.message || err.name, { cause: err });
  return new BugError(String(err));
}
