// What `alarm test` ends with: the closing `result` event (the wire shape is in README.md, `alarm test`), after
// `info`/`warn` events for each state set and each unconfirmed e-mail.
import type { EngineEvent, ResultEvent } from '../core/events.ts';

export interface AlarmTested {
  ecosystem: string;
  alarm: string;
  /** The states set, in order: ALARM, then OK. */
  states: Array<'ALARM' | 'OK'>;
  /** The SNS topics the alarm notifies (its AlarmActions). */
  topics: string[];
  /** Confirmed e-mail addresses: where the test alarm goes. */
  recipients: string[];
  /** E-mail addresses still PendingConfirmation: they receive nothing until confirmed. */
  unconfirmed: string[];
  /** Set on an emulator: no e-mail is sent, whatever the subscriptions say. */
  emulator?: string;
}

export type AlarmTestResult = ResultEvent<'alarm-test', AlarmTested, Partial<AlarmTested>>;

export type AlarmTestEvent = EngineEvent | AlarmTestResult;
