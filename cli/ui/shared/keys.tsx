// Key handling for the wizard. Ink's useInput subscribes in a passive effect, and React may run those late (after
// the next key press) when a screen appears from an async update, such as the deploy finishing: the first key on
// the new screen would be lost. Here one Ink listener at the root fans keys out to handlers that subscribe in a
// layout effect, which runs as the frame is committed, so a screen hears keys from the moment it is drawn.
import React, { createContext, useContext, useLayoutEffect, useRef, useState } from 'react';
import { useInput, type Key } from 'ink';

type Handler = (input: string, key: Key) => void;

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

/** A control character that arrived inside a longer chunk, as Ink would have reported it alone. */
function controlKey(c: string): [string, Key] {
  if (c === '\r' || c === '\n') return ['', { ...NO_KEY, return: true }];
  if (c === '\t') return ['', { ...NO_KEY, tab: true }];
  if (c === '\u007f' || c === '\b') return ['', { ...NO_KEY, backspace: true }];
  if (c === '\u001b') return ['', { ...NO_KEY, escape: true }];
  return [String.fromCharCode(c.charCodeAt(0) + 96), { ...NO_KEY, ctrl: true }];
}

class KeyBus {
  private readonly handlers = new Set<{ current: Handler }>();
  private readonly queue: Array<[string, Key]> = [];
  private draining = false;

  add(h: { current: Handler }): () => void {
    this.handlers.add(h);
    return () => this.handlers.delete(h);
  }

  /**
   * Keys can arrive together: "↓ Enter" in one read, or "wiz-pty\rops@example.com" from fast typing or a paste.
   * They are replayed one per tick, so each key lands on the screen (and field) the previous one led to.
   */
  dispatch(input: string, key: Key): void {
    // eslint-disable-next-line no-control-regex
    const controls = /([\u0000-\u001f\u007f])/;
    if (input.length > 1 && controls.test(input)) {
      for (const part of input.split(controls)) if (part) this.queue.push(part.length === 1 && controls.test(part) ? controlKey(part) : [part, { ...NO_KEY }]);
    } else {
      this.queue.push([input, key]);
    }
    this.drain();
  }

  /** One key per tick: React commits what a key did before the next key is handled. */
  private drain(): void {
    if (this.draining) return;
    const next = this.queue.shift();
    if (!next) return;
    for (const h of [...this.handlers]) h.current(...next);
    this.draining = true;
    setTimeout(() => {
      this.draining = false;
      this.drain();
    }, 10);
  }
}

const KeyBusContext = createContext<KeyBus | null>(null);

export function KeyProvider({ children }: { children: React.ReactNode }) {
  const [bus] = useState(() => new KeyBus());
  useInput((input, key) => bus.dispatch(input, key));
  return <KeyBusContext.Provider value={bus}>{children}</KeyBusContext.Provider>;
}

/** A wizard's root under its own KeyProvider, so the root's hooks (Ctrl-C) hear keys through the bus as well. */
export function withKeyProvider<P extends object>(Root: (props: P) => React.ReactNode): (props: P) => React.ReactNode {
  return function KeyedRoot(props: P) {
    return (
      <KeyProvider>
        <Root {...props} />
      </KeyProvider>
    );
  };
}

/** Like Ink's useInput; under a KeyProvider it is live as soon as the component is on screen. */
export function useKeys(handler: Handler, options: { isActive?: boolean } = {}): void {
  const bus = useContext(KeyBusContext);
  const active = options.isActive ?? true;
  const ref = useRef(handler);
  ref.current = handler;
  useLayoutEffect(() => (bus && active ? bus.add(ref) : undefined), [bus, active]);
  // Outside a provider (a screen rendered on its own), Ink's own hook does the job.
  useInput((input, key) => ref.current(input, key), { isActive: active && bus === null });
}
