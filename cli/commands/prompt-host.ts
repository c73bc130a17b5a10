// A Host for a plain run on a terminal: events go to the line printer, and a question (the change set to execute)
// is asked on the terminal, one line, Enter for the default. For commands that have no wizard of their own
// (rollback): deploy's own terminal run is the wizard, which asks the same question on its change-set screen.
import { createInterface } from 'node:readline';
import type { EngineEvent, EventOf } from '../core/events.ts';
import type { Host, Question } from '../core/host.ts';

type Answered = EventOf<EngineEvent, 'question'>;

export class PromptHost<E extends { type: string }> implements Host<E> {
  constructor(
    private readonly sink: (event: E | Answered) => void,
    private readonly signal: AbortSignal,
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly write: (s: string) => void = (s) => process.stdout.write(s),
  ) {}

  emit(event: E): void {
    this.sink(event);
  }

  ask(q: Question): Promise<boolean> {
    // Not `terminal: true`: the terminal stays in cooked mode, so Ctrl-C is still SIGINT, which the skeleton turns
    // into a stop (the question then answers "no": nothing is executed on the way out).
    const rl = createInterface({ input: this.input, terminal: false });
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const done = (answer: boolean, by: 'user' | 'default') => {
        if (settled) return;
        settled = true;
        this.signal.removeEventListener('abort', stop);
        rl.close();
        this.sink({ type: 'question', id: q.id, message: q.message, answer, answeredBy: by });
        resolve(answer);
      };
      const stop = () => done(false, 'user');
      if (this.signal.aborted) return stop();
      this.signal.addEventListener('abort', stop, { once: true });
      this.write(`? ${q.message} [${q.default ? 'Y/n' : 'y/N'}] `);
      rl.once('line', (line) => {
        const a = line.trim().toLowerCase();
        if (a === '') done(q.default, 'default');
        else done(a === 'y' || a === 'yes', 'user');
      });
      // The input ended (Ctrl-D, a closed terminal): nobody said yes.
      rl.once('close', () => done(false, 'user'));
    });
  }
}
