// --json: one event per line, exactly as the engine emitted it. The last line is the `result` event.
import type { EngineEvent } from '../core/events.ts';

export function ndjsonPrinter(write: (s: string) => void = (s) => process.stdout.write(s)): (e: EngineEvent) => void {
  return (e) => write(`${JSON.stringify(e)}\n`);
}
