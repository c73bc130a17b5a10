// The wizard's Host: engine events go into a small store the screens read with useSyncExternalStore, and each
// confirm question waits for a key press. The engine cannot tell it from the --yes host; only the answers differ.
import type { RolloutEvent } from '../../domain/rollout.ts';
import type { ReactNode } from 'react';
import type { BareFailure, EngineEvent, ResultEvent } from '../../core/events.ts';
import type { ConfirmQuestion, Host, Question } from '../../core/host.ts';
import { Gate } from '../../core/gate.ts';
import { emptyProgress, reduceProgress, type ProgressModel, type ResultOf, type StepView } from './progress-model.ts';

/** What a store takes when no command is named: the common events and any command's result. */
type AnyEvent = EngineEvent | RolloutEvent | ResultEvent<string>;

export interface PendingQuestion {
  question: ConfirmQuestion;
  answer(yes: boolean): void;
}

/** What <Static> prints once, in order: a finished step's line, or a finished run's report. */
export type FinishedItem = { key: string; step: StepView } | { key: string; report: ReactNode };

export interface WizardSnapshot<E extends { type: string } = AnyEvent> {
  progress: ProgressModel<ResultOf<E>>;
  question?: PendingQuestion;
  /** Every finished step and every run's report, in order: what <Static> prints once and never again. */
  finished: FinishedItem[];
  run: number;
}

/** `E` is the events of the command the wizard runs: its store keeps that command's result. */
export class WizardStore<E extends { type: string } = AnyEvent> {
  private snapshot: WizardSnapshot<E> = { progress: emptyProgress(), finished: [], run: 0 };
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): WizardSnapshot<E> => this.snapshot;

  private set(next: WizardSnapshot<E>): void {
    this.snapshot = next;
    for (const fn of this.listeners) fn();
  }

  /** A new deploy attempt: fresh panes; what earlier runs printed stays above. */
  newRun(): void {
    this.set({ progress: emptyProgress(), finished: this.snapshot.finished, run: this.snapshot.run + 1 });
  }

  /** A bare failure is every command's failure result (see ResultEvent): the wizard's own, when a run throws. */
  dispatch(e: E | EngineEvent | BareFailure): void {
    const { progress, finished, run } = this.snapshot;
    const next = reduceProgress<E>(progress, e, this.now());
    const added = next.finished.slice(progress.finished.length).flatMap((id) => {
      const step = next.steps.find((s) => s.id === id);
      return step ? [{ key: `${run}:${id}`, step }] : [];
    });
    this.set({ ...this.snapshot, progress: next, finished: added.length ? [...finished, ...added] : finished });
  }

  /**
   * Prints a finished run's report once, above the live screen (a key prints at most once): the report can be
   * taller than the terminal, yet scrolls like any output, while the live screen below stays a few lines.
   */
  printOnce(key: string, report: ReactNode): void {
    if (this.snapshot.finished.some((i) => i.key === key)) return;
    this.set({ ...this.snapshot, finished: [...this.snapshot.finished, { key, report }] });
  }

  setQuestion(q: PendingQuestion | undefined): void {
    const { question: _drop, ...rest } = this.snapshot;
    this.set(q ? { ...rest, question: q } : rest);
  }
}

export class WizardHost<E extends { type: string } = AnyEvent> implements Host<E> {
  private readonly store: WizardStore<E>;
  /** Held while the Ctrl-C dialog is open: the runner starts no new step until it is answered. */
  readonly gate = new Gate();
  constructor(store: WizardStore<E>) {
    this.store = store;
  }

  emit(e: E): void {
    this.store.dispatch(e);
  }

  ask(q: Question): Promise<boolean> {
    return new Promise((resolve) => {
      let settled = false;
      this.store.setQuestion({
        question: q,
        answer: (yes) => {
          if (settled) return;
          settled = true;
          this.store.setQuestion(undefined);
          this.store.dispatch({ type: 'question', id: q.id, message: q.message, answer: yes, answeredBy: 'user' });
          resolve(yes);
        },
      });
    });
  }

  /** On Ctrl-C: a question nobody will answer now is declined, so the step can wind down. */
  declinePending(): void {
    this.store.getSnapshot().question?.answer(false);
  }
}
