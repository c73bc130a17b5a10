// The engine talks to exactly one host. It emits events and asks questions; every question carries a default,
// so a non-interactive host can always answer (and says that it did).
import type { EngineEvent } from './events.ts';

export interface ConfirmQuestion {
  kind: 'confirm';
  id: string;
  message: string;
  default: boolean;
  /** Extra data a rich host may show (e.g. the change set being confirmed). */
  details?: unknown;
}

export type Question = ConfirmQuestion;

export interface Host {
  emit(event: EngineEvent): void;
  ask(question: Question): Promise<boolean>;
}

/** For --yes, CI and pipes: answers every question with its default and emits that it did so. */
export class NonInteractiveHost implements Host {
  private readonly sink: (event: EngineEvent) => void;
  constructor(sink: (event: EngineEvent) => void) {
    this.sink = sink;
  }
  emit(event: EngineEvent): void {
    this.sink(event);
  }
  async ask(q: Question): Promise<boolean> {
    this.sink({ type: 'question', id: q.id, message: q.message, answer: q.default, answeredBy: 'default' });
    return q.default;
  }
}
