// A minimal interactive host for a TTY without --yes: events go to the printer, confirmations to readline.
// The Ink wizard replaces this with a richer host; the engine does not notice the difference.
import { createInterface } from 'node:readline/promises';
import type { EngineEvent } from '../engine/events.ts';
import type { Host, Question } from '../engine/host.ts';

export class PromptHost implements Host {
  private readonly sink: (e: EngineEvent) => void;
  constructor(sink: (e: EngineEvent) => void) {
    this.sink = sink;
  }
  emit(e: EngineEvent): void {
    this.sink(e);
  }
  async ask(q: Question): Promise<boolean> {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      const raw = (await rl.question(`? ${q.message} ${q.default ? '[Y/n]' : '[y/N]'} `)).trim().toLowerCase();
      const answer = raw === '' ? q.default : raw.startsWith('y');
      this.sink({ type: 'question', id: q.id, message: q.message, answer, answeredBy: 'user' });
      return answer;
    } finally {
      rl.close();
    }
  }
}
