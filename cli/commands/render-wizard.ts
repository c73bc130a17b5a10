// Mounts one of the wizards (deploy or rehearsal) with Ink on this TTY, and turns its end into an exit code.
import { EXIT, type ExitCode } from '../core/errors.ts';
import type React from 'react';
import type { AppProps } from '../ui/deploy/App.tsx';

type AppChrome = Pick<AppProps, 'onExit' | 'subscribeInterrupt'>;

/**
 * Renders one of the wizards on this TTY and resolves with its exit code. The given signals reach the app as
 * interrupts (Ctrl-C itself arrives as a key in raw mode); the app decides what they mean, never a silent exit.
 */
export async function renderWizard<P extends AppChrome>(make: (chrome: AppChrome) => { component: React.FunctionComponent<P>; props: P }, signals: NodeJS.Signals[]): Promise<ExitCode> {
  const [React, { render }, { UiEnvContext, detectUiEnv }] = await Promise.all([import('react'), import('ink'), import('../ui/shared/env.tsx')]);
  let code: ExitCode = EXIT.interrupted;
  let hard = false;
  const listeners = new Set<() => void>();
  const onSignal = () => {
    for (const fn of listeners) fn();
  };
  for (const s of signals) process.on(s, onSignal);
  try {
    const { component, props } = make({
      onExit: (c, info) => {
        code = c;
        hard = info.hard === true;
      },
      subscribeInterrupt: (fn) => {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
    });
    // Every card follows terminal resizes through Ink's useWindowSize, one stdout listener each; a full progress
    // screen has more cards than Node's default of 10 listeners before it warns (into the wizard's own screen).
    process.stdout.setMaxListeners(Math.max(process.stdout.getMaxListeners(), 64));
    const instance = render(React.createElement(UiEnvContext.Provider, { value: detectUiEnv() }, React.createElement(component, props)), { exitOnCtrlC: false });
    await instance.waitUntilExit();
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
  // "Quit at once" while the engine still winds down: do not wait for it (a rehearsal's exit hook kills what it started).
  if (hard) process.exit(code);
  return code;
}
