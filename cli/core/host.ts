// The engine talks to exactly one host. It emits events and asks questions; every question carries a default,
// so a non-interactive host can always answer (and says that it did). A host is typed by the events it accepts:
// each command's host takes the common events plus that command's own, and nothing of another command's.
import type { EngineEvent, EventOf } from './events.ts';
import type { StartGate } from './gate.ts';

export interface ConfirmQuestion {
  kind: 'confirm';
  id: string;
  message: string;
  default: boolean;
  /** Extra data a rich host may show (e.g. the change set being confirmed). */
  details?: unknown;
}

export type Question = ConfirmQuestion;

export interface Host<E extends { type: string } = EngineEvent> {
  // A property, not a method: checked contravariantly, so a Host<DeployEvent> serves where the runner wants a
  // Host<EngineEvent>, and never the other way round.
  emit: (event: E) => void;
  ask(question: Question): Promise<boolean>;
  /** Held while the person decides something (the wizard's Ctrl-C dialog): the runner starts no new step. */
  readonly gate?: StartGate;
}

type Answered = EventOf<EngineEvent, 'question'>;

/** For --yes, CI and pipes: answers every question with its default and emits that it did so. */
export class NonInteractiveHost<E extends { type: string } = EngineEvent> implements Host<E> {
  private readonly sink: (event: E | Answered) => void;
  constructor(sink: (event: E | Answered) => void) {
    this.sink = sink;
  }
  emit(event: E): void {
    this.sink(event);
  }
  async ask(q: Question): Promise<boolean> {
    this.sink({ type: 'question', id: q.id, message: q.message, answer: q.default, answeredBy: 'default' });
    return q.default;
  }
}
