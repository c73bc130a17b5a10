// What both wizards (deploy and rehearsal) need around one engine run: the event store and its Host, a `quit`
// that exits only after the goodbye frame has been drawn, interrupts from either a Ctrl-C key press (raw mode) or
// a signal (SIGINT, SIGTERM, SIGHUP, by name), always routed to the newest handler, the run itself with its
// interrupt ladder, and the frame around every screen.
import React, { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useApp } from 'ink';
import { useKeys } from './keys.tsx';
import { EXIT, toHelloDeployError, type ExitCode } from '../../core/errors.ts';
import { WizardHost, WizardStore } from './host.ts';
import { useTint, useUiEnv } from './env.tsx';
import { FinishedSteps } from './Progress.tsx';
import { Card } from './widgets.tsx';

export interface ExitInfo {
  /** Quit while the engine may still be winding down: the caller should end the process. */
  hard?: boolean;
  /**
   * Plain text the caller prints to stdout once the screen is gone: what a person copies (the URL, ARNs, the
   * commands), whole and outside any border, so the terminal wraps it softly and a copy is one line again.
   */
  afterword?: string;
  /**
   * A hello-deploy command (its arguments) to run in this terminal once the screen is gone: the lifecycle command
   * a person opened from the result screen (status, logs, destroy). Its exit code becomes the process's.
   */
  next?: string[];
}

export type EngineSession<E extends { type: string }> = ReturnType<typeof useEngineSession<E>>;

/** `E` is the events of the command the wizard runs (DeployEvent, RehearsalEvent). */
export function useEngineSession<E extends { type: string }>(onExit: (code: ExitCode, info: ExitInfo) => void) {
  const env = useUiEnv();
  const { exit } = useApp();
  const [store] = useState(() => new WizardStore<E>(env.now));
  const [host] = useState(() => new WizardHost<E>(store));
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [farewell, setFarewell] = useState<string | undefined>();
  const [leaving, setLeaving] = useState<{ code: ExitCode; hard: boolean } | undefined>();
  const afterword = useRef<string | undefined>(undefined);
  const next = useRef<string[] | undefined>(undefined);

  // Exit after the frame that says goodbye has been drawn.
  useEffect(() => {
    if (!leaving) return;
    onExit(leaving.code, { hard: leaving.hard, ...(afterword.current ? { afterword: afterword.current } : {}), ...(next.current ? { next: next.current } : {}) });
    exit();
  }, [leaving, onExit, exit]);

  /** What to print whole when the wizard ends (the newest wins): see ExitInfo.afterword. */
  const leaveBehind = (text: string | undefined) => {
    afterword.current = text;
  };

  const quit = (code: ExitCode, message?: string, hard = false) => {
    if (message) setFarewell(message);
    setLeaving({ code, hard });
  };
  /** Leaves the wizard (exit 0 so far) to run `args` as a hello-deploy command in its place (ExitInfo.next). */
  const openNext = (args: string[], message?: string) => {
    next.current = args;
    quit(EXIT.ok, message);
  };
  return { store, host, snap, farewell, leaving, quit, leaveBehind, openNext };
}

/** Delivers interrupts by signal name (the skeleton's chrome: SIGINT, SIGTERM, SIGHUP). */
export type SubscribeInterrupt = (fn: (signal: NodeJS.Signals) => void) => () => void;

/**
 * Only SIGINT (Ctrl-C, as a key or `kill -INT`) may be asked about: SIGTERM (a CI cancel, `kill`) and SIGHUP (the
 * terminal went away) come from no one at the keyboard, so a dialog would wait for an answer that never comes.
 */
export const canAsk = (signal: NodeJS.Signals): boolean => signal === 'SIGINT';

/** Calls the newest `handler` on Ctrl-C (a key in raw mode, which means SIGINT) and on the signals `subscribe` delivers. */
export function useInterrupt(handler: (signal: NodeJS.Signals) => void, subscribe?: SubscribeInterrupt): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => subscribe?.((signal) => latest.current(signal)), [subscribe]);
  useKeys((input, key) => {
    if (key.ctrl && input === 'c') latest.current('SIGINT');
  });
}

export interface EngineRunOptions<A, E extends { type: string }> {
  /** The engine (runDeploy, runRehearsal) behind the wizard's services. */
  run(answers: A, host: WizardHost<E>, signal: AbortSignal): Promise<{ exitCode: ExitCode }>;
  /** The wizard shows the run; before that an interrupt quits at once. */
  onRunScreen: boolean;
  /** The farewell of an interrupt before the run: nothing was started. */
  notStarted: string;
  /** The farewell of an interrupt while stopping: the process ends without waiting for the engine. */
  killed: string;
  /**
   * The first Ctrl-C (SIGINT) during a run, when the wizard asks what to do (the deploy, about a moving stack);
   * without it, stop. SIGTERM and SIGHUP never ask: they stop, as "stop here, leave AWS alone" would.
   */
  ask?: (() => void) | undefined;
  subscribeInterrupt?: SubscribeInterrupt | undefined;
}

/**
 * One engine run at a time (a retry is a fresh run), and the interrupt ladder both wizards share, for a Ctrl-C key
 * and SIGINT, SIGTERM, SIGHUP alike: before the run, quit (130); during it, `ask` (SIGINT only) or stop after the
 * running steps; again while stopping, quit at once; after it, quit with the run's outcome (0 after a success,
 * however the result screen is left). A stopped run ends in exit 130.
 */
export function useEngineRun<A, E extends { type: string }>({ store, host, leaving, quit }: EngineSession<E>, o: EngineRunOptions<A, E>) {
  const [running, setRunning] = useState(false);
  const [exitCode, setExitCode] = useState<ExitCode | undefined>();
  const [stopping, setStopping] = useState(false);
  /** The signal that stopped the run without asking (SIGTERM, SIGHUP), for the screen to say so. */
  const [stoppedBy, setStoppedBy] = useState<NodeJS.Signals | undefined>();
  // Also as a ref: two signals can arrive before React renders the first one's state, and the second must quit.
  const stoppingNow = useRef(false);
  const controller = useRef<AbortController | undefined>(undefined);

  const start = (a: A) => {
    const c = new AbortController();
    controller.current = c;
    store.newRun();
    host.gate.release();
    setRunning(true);
    setStopping(false);
    setStoppedBy(undefined);
    stoppingNow.current = false;
    setExitCode(undefined);
    void o.run(a, host, c.signal).then(
      ({ exitCode }) => {
        setExitCode(exitCode);
        setRunning(false);
      },
      (err: unknown) => {
        // A run that throws instead of ending with its result is our bug: one shape for it everywhere (BUG).
        store.dispatch({ type: 'result', ok: false, error: toHelloDeployError(err).toJSON() });
        setExitCode(EXIT.failure);
        setRunning(false);
      },
    );
  };

  /**
   * Stops after the running steps: a pending question is declined and nothing new starts. `first` (the deploy's
   * CancelUpdateStack) is awaited before the engine hears of it, while the screen already says it is stopping;
   * the gate a `pause` held stays held until the abort is sent, so nothing slips in between.
   */
  const stop = async (first?: () => Promise<void>) => {
    stoppingNow.current = true;
    setStopping(true);
    if (first) await first();
    host.declinePending();
    controller.current?.abort();
    host.gate.release();
  };

  /** While the person decides whether to stop: running steps finish, nothing new starts. */
  const pause = () => host.gate.hold();
  /** The answer was "keep going": steps start again. */
  const resume = () => host.gate.release();

  useInterrupt((signal) => {
    if (leaving) return;
    if (!o.onRunScreen) return quit(EXIT.interrupted, o.notStarted);
    // The run is over and its screen is up: the exit code is its outcome, whichever key or signal leaves it.
    if (!running) return quit(exitCode === EXIT.ok ? EXIT.ok : EXIT.interrupted);
    if (stoppingNow.current) return quit(EXIT.interrupted, o.killed, true);
    if (o.ask && canAsk(signal)) return o.ask();
    if (!canAsk(signal)) setStoppedBy(signal);
    void stop();
  }, o.subscribeInterrupt);

  // After an interrupt, once the engine has wound down, the interrupted card stays on screen and we exit 130.
  useEffect(() => {
    if (o.onRunScreen && !running && stopping && !leaving) quit(EXIT.interrupted);
  });

  /** The exit for quitting a failed run: the engine's own code, never 0. */
  const failCode: ExitCode = exitCode === undefined || exitCode === EXIT.ok ? EXIT.failure : exitCode;
  return { running, stopping, stoppedBy, failCode, start, stop, pause, resume };
}

/** Prints a report once above the live screen (see WizardStore.printOnce); absent outside a session. */
const PrintOnce = createContext<((id: string, report: React.ReactNode) => void) | undefined>(undefined);

/**
 * A screen whose `report` (a run's result, a long change set: any height) is printed once above, with the finished
 * steps, while only `children` (the outcome or the question in a line or two, the keys) stay live. A live frame taller than the terminal loses its top
 * and leaves partial copies in the scrollback; a short one never does. Outside a session (a screen rendered alone)
 * the report is drawn in place.
 */
export function ReportAbove({ id, report, children }: { id: string; report: React.ReactNode; children: React.ReactNode }) {
  const print = useContext(PrintOnce);
  // Printed once per id: a later render of the same report is not news (and <Static> would not redraw it anyway).
  useEffect(() => print?.(id, report), [print, id]);
  return (
    <Box flexDirection="column">
      {print ? null : report}
      {children}
    </Box>
  );
}

/** Every screen of a session: the finished steps (and reports) printed once above it, and the farewell below it. */
export function SessionFrame<E extends { type: string }>({ session, children }: { session: EngineSession<E>; children: React.ReactNode }) {
  const tint = useTint();
  const { store, snap } = session;
  const print = useCallback((id: string, report: React.ReactNode) => store.printOnce(`${snap.run}:report:${id}`, report), [store, snap.run]);
  return (
    <Box flexDirection="column">
      <FinishedSteps items={snap.finished} />
      <PrintOnce.Provider value={print}>{children}</PrintOnce.Provider>
      {session.farewell ? <Text color={tint('yellow')}>{session.farewell}</Text> : null}
    </Box>
  );
}

/** A yes/no question the engine asks during the run (y or Enter, n or Esc). */
export function EngineQuestion({ message, onAnswer }: { message: string; onAnswer(yes: boolean): void }) {
  useKeys((input, key) => {
    const k = input.toLowerCase();
    if (k === 'y' || key.return) onAnswer(true);
    else if (k === 'n' || key.escape) onAnswer(false);
  });
  return (
    <Card title="Question" color="yellow">
      <Text>{message} (y/n)</Text>
    </Card>
  );
}
