// What both wizards (deploy and rehearsal) need around one engine run: the event store and its Host, a `quit`
// that exits only after the goodbye frame has been drawn, and interrupts from either a Ctrl-C key press (raw
// mode) or a signal, always routed to the newest handler.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useApp } from 'ink';
import { useKeys } from './keys.tsx';
import type { ExitCode } from '../engine/errors.ts';
import { WizardHost, WizardStore } from './host.ts';
import { useUiEnv } from './env.tsx';

export interface ExitInfo {
  /** Quit while the engine may still be winding down: the caller should end the process. */
  hard?: boolean;
}

export function useEngineSession(onExit: (code: ExitCode, info: ExitInfo) => void) {
  const env = useUiEnv();
  const { exit } = useApp();
  const [store] = useState(() => new WizardStore(env.now));
  const [host] = useState(() => new WizardHost(store));
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [farewell, setFarewell] = useState<string | undefined>();
  const [leaving, setLeaving] = useState<{ code: ExitCode; hard: boolean } | undefined>();

  // Exit after the frame that says goodbye has been drawn.
  useEffect(() => {
    if (!leaving) return;
    onExit(leaving.code, { hard: leaving.hard });
    exit();
  }, [leaving, onExit, exit]);

  const quit = (code: ExitCode, message?: string, hard = false) => {
    if (message) setFarewell(message);
    setLeaving({ code, hard });
  };
  return { store, host, snap, farewell, leaving, quit };
}

/** Calls the newest `handler` on Ctrl-C (as a key in raw mode) and on the signals `subscribe` delivers. */
export function useInterrupt(handler: () => void, subscribe?: (fn: () => void) => () => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => subscribe?.(() => latest.current()), [subscribe]);
  useKeys((input, key) => {
    if (key.ctrl && input === 'c') latest.current();
  });
}
