// One skeleton for every command. A command declares its flags, the object a --json caller reads when it fails
// before it starts, and its work (an engine's plan and service, or one call); the skeleton owns the rest, the same
// for all: which printer (plain lines or NDJSON), a refusal before the run printed as the command's own failure,
// the signals (the first stops after the running steps, a second quits at once), and the exit code. It is loaded
// on every start-up, so it imports nothing heavy: printers and Ink come in only when a command runs.
import type { Command, CommanderError } from 'commander';
import type React from 'react';
import { EXIT, HelloDeployError, toHelloDeployError, type ErrorShape, type ExitCode } from '../core/errors.ts';

export type Print<O> = (out: O) => void;

export interface CommandSpec<F, O> {
  name: string;
  /** The command that runs when none is named: `hello-deploy --yes …` is `hello-deploy deploy --yes …`. */
  isDefault?: boolean;
  /** Description, flags and help text. */
  declare(cmd: Command): void;
  /** What this command prints for a failure before anything ran (a flag commander refused, an input it refused). */
  failure(error: ErrorShape): O;
  /** Runs with the parsed flags; resolves with the exit code. */
  action(flags: F): Promise<ExitCode>;
}

const commandPath = (c: Command): string => (c.parent?.parent ? `${commandPath(c.parent)} ${c.name()}` : c.name());

/** Who answers for a commander error: the command it was parsing (or the default one, for the program's own). */
interface Owner {
  name: string;
  failure(error: ErrorShape): unknown;
}
const UNKNOWN_COMMAND = 'commander.unknownCommand';

export function addCommand<F, O>(program: Command, spec: CommandSpec<F, O>, done: (code: ExitCode) => void): void {
  const cmd = program.command(spec.name, spec.isDefault ? { isDefault: true } : {});
  spec.declare(cmd);
  // A subcommand answers by its whole name (`ci init`, `alarm test`), as a person types it.
  const owner: Owner = { name: commandPath(cmd), failure: spec.failure };
  answerFor(cmd, owner);
  cmd.action(async (flags: F) => {
    // Only as the default command are excess arguments allowed through (see refuseUnknownCommands): a word after
    // the flags, as in `hello-deploy --yes teleport`, was meant as a command.
    if (spec.isDefault && cmd.args.length > 0) unknownCommand(program, cmd.args[0]!);
    done(await spec.action(flags));
  });
  if (spec.isDefault) refuseUnknownCommands(program, cmd, owner);
}

/**
 * With a default command, commander hands it any word it does not know, so `hello-deploy teleport` would read as
 * deploy with a stray argument. A word where a command goes that names no command is an unknown command.
 */
function refuseUnknownCommands(program: Command, fallback: Command, owner: Owner): void {
  // The program's own errors (an unknown command) answer in the default command's shape.
  answerFor(program, owner);
  program.hook('preSubcommand', (_program, sub) => {
    const first = program.args[0];
    if (sub !== fallback || first === undefined || first === sub.name()) return;
    if (!first.startsWith('-')) unknownCommand(program, first);
    sub.allowExcessArguments(true);
  });
}

/** Commander's errors while parsing `cmd` carry who answers for them, for commanderExit. */
function answerFor(cmd: Command, owner: Owner): void {
  cmd.exitOverride((err) => {
    throw Object.assign(err, { owner });
  });
}

function unknownCommand(program: Command, name: string): never {
  const names = program.commands.map((c) => c.name()).join(', ');
  program.error(`error: unknown command '${name}' (the commands are: ${names})`, { code: UNKNOWN_COMMAND, exitCode: EXIT.usage });
}

/**
 * Commander refused the command line (it has already written its message to stderr). With --json, stdout still
 * ends with one object in the shape that command's callers parse, made by the command itself: `BAD_FLAGS`.
 */
export function commanderExit(err: CommanderError, argv: string[]): ExitCode {
  // --help and --version arrive here as "errors" with exit code 0; commander has printed them.
  if (err.exitCode === 0) return EXIT.ok;
  const owner = (err as CommanderError & { owner?: Owner }).owner;
  const args = argv.slice(2);
  const end = args.indexOf('--');
  if (owner && (end === -1 ? args : args.slice(0, end)).includes('--json')) {
    const hint = err.code === UNKNOWN_COMMAND ? '`hello-deploy --help` lists the commands.' : `\`hello-deploy ${owner.name} --help\` lists the flags.`;
    const error = { code: 'BAD_FLAGS', message: err.message.replace(/^error: /, ''), hint: `Nothing was sent to AWS. ${hint}` };
    process.stdout.write(`${JSON.stringify(owner.failure(error))}\n`);
  }
  return EXIT.usage;
}

/** A failure for a person, on stderr: what went wrong and what to try. */
export function refusalText(error: ErrorShape): string {
  return `✘ ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`;
}

/** The one way out of the process besides main.ts returning: a second Ctrl-C, or quitting a wizard at once. */
function exitNow(code: ExitCode): never {
  // A rehearsal's 'exit' hook still kills what it started.
  process.exit(code);
}

function onSignals(signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): () => void {
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}

/** `ok`, or the typed error that decides the exit code. */
export function exitCodeOf(outcome: { ok: boolean; error?: { exitCode: ExitCode } }): ExitCode {
  return outcome.ok ? EXIT.ok : (outcome.error?.exitCode ?? EXIT.failure);
}

/** A command run for scripts and CI: plain lines or NDJSON on stdout, nothing asked. */
export interface StreamedRun<C, O> {
  json: boolean;
  /** This command's plain printer, loaded only when used. */
  plain(): Promise<Print<O>>;
  failure(error: ErrorShape): O;
  /** Checks and resolves everything the run needs. A HelloDeployError here is a refusal: printed as the failure. */
  prepare(): Promise<C>;
  /** The run, which prints its own outcome (an engine ends with its `result` event). */
  run(ctx: C, print: Print<O>, signal: AbortSignal): Promise<ExitCode>;
  /** Signals that stop the run after its running steps, and what to say on the first; a second quits at once. */
  stopOn?: { signals: readonly NodeJS.Signals[]; saying(signal: NodeJS.Signals): string };
}

export async function runStreamed<C, O>(job: StreamedRun<C, O>): Promise<ExitCode> {
  const printer: Print<O> = job.json ? (await import('../printers/ndjson.ts')).ndjsonPrinter<O>() : await job.plain();
  // Whatever happens, the output ends with one outcome (under --json, the last line is always the result): note
  // when the run printed its own, and print the failure for anything thrown before that.
  let ended = false;
  const print: Print<O> = (o) => {
    if (typeof o === 'object' && o !== null && 'ok' in o) ended = true;
    printer(o);
  };
  const fail = (e: unknown): ExitCode => {
    const error = toHelloDeployError(e);
    if (ended) throw error;
    print(job.failure(error.toJSON()));
    return error.exitCode;
  };
  let ctx: C;
  try {
    ctx = await job.prepare();
  } catch (e) {
    return fail(e);
  }
  const controller = new AbortController();
  const { stopOn } = job;
  const off = stopOn
    ? onSignals(stopOn.signals, (signal) => {
        if (controller.signal.aborted) exitNow(EXIT.interrupted); // a second one: the user really wants out
        controller.abort();
        process.stderr.write(stopOn.saying(signal));
      })
    : undefined;
  try {
    return await job.run(ctx, print, controller.signal);
  } catch (e) {
    return fail(e);
  } finally {
    off?.();
  }
}

/**
 * What interrupts a wizard, for both of them alike: SIGINT (`kill -INT`; Ctrl-C itself arrives as a key in raw
 * mode), SIGTERM (a CI cancel, `kill`) and SIGHUP (the terminal went away). Each reaches the app by name, and the
 * app decides: only SIGINT may be asked about, the others stop without asking.
 */
export const WIZARD_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** What a wizard app gets from the skeleton: how to end, and the signals, by name, as interrupts. */
export interface WizardChrome {
  onExit(code: ExitCode, info: { hard?: boolean; afterword?: string; next?: string[] }): void;
  subscribeInterrupt(fn: (signal: NodeJS.Signals) => void): () => void;
}

/** A command run on a terminal, as an Ink app. */
export interface WizardRun<S, P> {
  /** Flags checked and the first screen settled before it opens. A HelloDeployError here is refused on stderr. */
  prepare(): Promise<S>;
  app(start: S, chrome: WizardChrome): Promise<{ component: React.FunctionComponent<P>; props: P }>;
  /** Runs the command the app asked for on its way out (ExitInfo.next), in this terminal: its exit code is the run's. */
  then?(args: string[]): Promise<ExitCode>;
}

export async function runWizardApp<S, P extends object>(job: WizardRun<S, P>): Promise<ExitCode> {
  const listeners = new Set<(signal: NodeJS.Signals) => void>();
  // A signal before the app listens (while preparing, or before its first effect ran) waits for it, so the first
  // screen quits as it would have (exit 130, nothing done) and the preparation still cleans up after itself; a
  // second one meanwhile quits at once.
  const pending: NodeJS.Signals[] = [];
  const off = onSignals(WIZARD_SIGNALS, (signal) => {
    if (listeners.size > 0) for (const fn of listeners) fn(signal);
    else if (pending.push(signal) > 1) exitNow(EXIT.interrupted);
  });
  try {
    let start: S;
    try {
      start = await job.prepare();
    } catch (e) {
      if (!(e instanceof HelloDeployError)) throw e;
      process.stderr.write(refusalText(e));
      return e.exitCode;
    }
    const [React, { render }, { UiEnvContext, detectUiEnv }] = await Promise.all([import('react'), import('ink'), import('../ui/shared/env.tsx')]);
    let code: ExitCode = EXIT.interrupted;
    let hard = false;
    let afterword: string | undefined;
    let next: string[] | undefined;
    const { component, props } = await job.app(start, {
      onExit: (c, info) => {
        code = c;
        hard = info.hard === true;
        afterword = info.afterword;
        next = info.next;
      },
      subscribeInterrupt: (fn) => {
        listeners.add(fn);
        for (const signal of pending.splice(0)) fn(signal);
        return () => listeners.delete(fn);
      },
    });
    // Every card follows terminal resizes through Ink's useWindowSize, one stdout listener each; a full progress
    // screen has more cards than Node's default of 10 listeners before it warns (into the wizard's own screen).
    process.stdout.setMaxListeners(Math.max(process.stdout.getMaxListeners(), 64));
    // Ink unmounts on every way out (the app's exit, and process exit), which restores the terminal: raw mode off,
    // the cursor shown.
    const instance = render(React.createElement(UiEnvContext.Provider, { value: detectUiEnv() }, React.createElement(component, props)), { exitOnCtrlC: false });
    await instance.waitUntilExit();
    // Once Ink has let go of the terminal: the values to copy, whole (see ExitInfo.afterword).
    if (afterword) process.stdout.write(`\n${afterword.replace(/\n*$/, '\n')}`);
    // "Quit at once" while the engine still winds down: do not wait for it.
    if (hard) exitNow(code);
    if (next && job.then) {
      // The wizard's signal handlers go first: the command opened next (logs --follow, destroy's question) owns
      // Ctrl-C from here on, as it would when typed.
      off();
      // Ink unrefs stdin when it lets go of it; the next command may read the keyboard (destroy's typed name), and an
      // unref'd stdin would let the process end under its question.
      process.stdin.ref?.();
      try {
        return await job.then(next);
      } finally {
        // …and once it is done, stdin must not hold the process open (status, logs never read it).
        process.stdin.pause();
        process.stdin.unref?.();
      }
    }
    return code;
  } finally {
    off();
  }
}
