// logs' plain output: the log lines alone on stdout (`<task 8> <ISO time> <message>`, ready for grep), everything
// else for a person on stderr. A message is untrusted text (anything the app printed): its control, invisible and
// bidi characters are written as \u escapes, so a line cannot move the cursor, retitle the window or hide text.
import { escapeInvisible } from '../domain/shown.ts';
import type { LogLineEvent, LogsEvent, LogsResult } from '../logs/result.ts';
import { failureLines } from './line.ts';

export function logLine(e: LogLineEvent): string {
  const prefix = `${e.task.slice(0, 8)} ${e.at} `;
  // A multi-line event (a traceback sent as one) keeps its lines, under the first one's text.
  const lines = escapeInvisible(e.message.replace(/\r?\n$/, '')).split('\n');
  return [`${prefix}${lines[0] ?? ''}`, ...lines.slice(1).map((l) => `${' '.repeat(prefix.length)}${l}`)].join('\n');
}

function resultLines(e: LogsResult): string[] {
  if (!e.ok) return failureLines(e.error);
  const where = e.previous ? `of task ${e.previous.id}` : e.task ? `of task ${e.task}` : `in ${e.logGroup}`;
  if (e.count === 0) return [`No log lines ${where} from ${e.from} to ${e.to}.`];
  return e.truncated ? [`⚠ Only the oldest ${e.count} lines ${where} since ${e.from} were printed: narrow --since (or pass --task) for the rest.`] : [];
}

export function logsPrinter(out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): (e: LogsEvent) => void {
  return (e) => {
    if (e.type === 'log-line') return out(`${logLine(e)}\n`);
    const lines = e.type === 'result' ? resultLines(e) : [e.type === 'warn' ? `⚠ ${e.message}` : e.message];
    for (const l of lines) err(`${l}\n`);
  };
}
