// destroy's questions on a terminal: a small readline prompt under the plain printer's lines (the inventory is
// printed first, then the person types the ecosystem name). Ctrl-C at a prompt deletes nothing more: it rejects
// with InterruptedError (exit 130). Only used when stdin and stdout are terminals and --json is off.
import { createInterface } from 'node:readline';
import { InterruptedError } from '../core/errors.ts';
import type { Host, Question } from '../core/host.ts';
import type { EngineEvent } from '../core/events.ts';

/** One line of input, or InterruptedError on Ctrl-C (or the terminal closing). */
export function promptLine(question: string, stopped: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    let answered = false;
    rl.on('SIGINT', () => {
      process.stdout.write('\n');
      rl.close();
    });
    rl.on('close', () => {
      if (!answered) reject(new InterruptedError(stopped));
    });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}

/** Typing the ecosystem name is the go-ahead; anything else is a no. */
export async function confirmByName(ecosystem: string): Promise<boolean> {
  const typed = await promptLine(`\nType the ecosystem name (${ecosystem}) to delete all of the above, anything else to stop: `, 'Ctrl-C at the confirmation: nothing was deleted.');
  return typed.trim() === ecosystem;
}

/** A host that asks its yes/no questions (retain, retry) at the terminal, and says what was answered. */
export class PromptHost<E extends { type: string }> implements Host<E> {
  constructor(private readonly sink: (event: E | Extract<EngineEvent, { type: 'question' }>) => void) {}
  emit(event: E): void {
    this.sink(event);
  }
  async ask(q: Question): Promise<boolean> {
    const raw = await promptLine(`${q.message} [${q.default ? 'Y/n' : 'y/N'}] `, 'Ctrl-C at a question: stopped.');
    const answer = /^\s*$/.test(raw) ? q.default : /^\s*y(es)?\s*$/i.test(raw);
    this.sink({ type: 'question', id: q.id, message: q.message, answer, answeredBy: 'user' });
    return answer;
  }
}
