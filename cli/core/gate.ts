// A gate the runner passes before it starts a step. Open, it costs nothing; held (the wizard's "Stop the deploy?"
// dialog is open), steps already running finish and nothing new starts until it is released (or the run aborted).

/** What the runner sees of a gate: whether it is held, and a promise that resolves once it is open again. */
export interface StartGate {
  readonly held: boolean;
  opened(): Promise<void>;
}

export class Gate implements StartGate {
  private waiting: { promise: Promise<void>; release: () => void } | undefined;

  get held(): boolean {
    return this.waiting !== undefined;
  }

  /** Holds new step starts; holding a held gate changes nothing. */
  hold(): void {
    if (this.waiting) return;
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.waiting = { promise, release };
  }

  /** Lets steps start again; releasing an open gate changes nothing. */
  release(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.release();
  }

  opened(): Promise<void> {
    return this.waiting?.promise ?? Promise.resolve();
  }
}
