// What `logs` prints: one `log-line` event per CloudWatch Logs event, `info` lines for a person (which task
// --previous picked, that --follow is following), `warn` (a failed poll under --follow, the group deleted), and the
// closing `result`. The wire shape is in README.md (logs).
import type { ResultEvent } from '../core/events.ts';

export interface LogLineEvent {
  type: 'log-line';
  /** The task's id (the last part of the stream name); plain output shows its first 8 characters. */
  task: string;
  stream: string;
  /** ISO 8601, the event's own timestamp. */
  at: string;
  /** As CloudWatch Logs holds it: untrusted text, escaped only by the plain printer. */
  message: string;
}

/** The stopped task --previous picked, and why ECS says it stopped. */
export interface PreviousTask {
  id: string;
  stoppedAt?: string;
  stopCode?: string;
  stoppedReason?: string;
  /** The app container's exit code, when ECS reports one. */
  exitCode?: number;
}

export interface LogsFindings {
  ecosystem: string;
  region: string;
  logGroup: string;
  /** Lines printed. */
  count: number;
  /** The window read, ISO 8601; under --follow `to` is when it stopped. */
  from: string;
  to: string;
  follow: boolean;
  /** --task (as given, an id or its first characters), or the task --previous picked. */
  task?: string;
  previous?: PreviousTask;
  /** More lines than one run prints (MAX_PAGES pages) were in the window: the oldest were printed; narrow --since. */
  truncated?: true;
}

export type LogsResult = ResultEvent<'logs', LogsFindings, Partial<LogsFindings>>;

export type LogsEvent = LogLineEvent | { type: 'info' | 'warn'; message: string } | LogsResult;
