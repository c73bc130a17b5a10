// `alarm test`'s own lines for the plain printer: who the e-mail goes to, who must still confirm, and when to
// expect it.
import type { AlarmTestResult } from '../alarm/result.ts';
import { failureLines } from './line.ts';

export function alarmTestLines(e: AlarmTestResult): string[] {
  if (!e.ok) return failureLines(e.error);
  const to = e.recipients.length ? `The test alarm e-mail goes to ${e.recipients.join(', ')}; it should arrive within a minute.` : 'No confirmed e-mail address receives the alarm.';
  return [
    `\n✔ ${e.alarm} went to ALARM and back to OK.`,
    `  ${to}`,
    ...e.unconfirmed.map((u) => `  ⚠ ${u} has not confirmed the subscription: nothing reaches it until the link in AWS's e-mail is clicked.`),
    ...(e.emulator ? [`  ${e.emulator}`] : []),
  ];
}
