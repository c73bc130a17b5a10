// What to tell someone about the alarm's e-mail subscriptions: the same words after a deploy and in `alarm test`.
// An SNS e-mail subscription delivers nothing until its recipient clicks the link in AWS's confirmation message; its
// ARN reads "PendingConfirmation" until then (https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html).
import { shown } from './shown.ts';

export interface SubscriptionLike {
  protocol: string;
  endpoint: string;
  pending: boolean;
}

export const unconfirmedSubscription = (endpoint: string) =>
  `the alarm e-mail to ${shown(endpoint, 254)} is not confirmed yet: open the message from AWS Notifications and click "Confirm subscription", or nobody receives the alarm`;

/** The addresses the alarm e-mail goes to (confirmed), and those still waiting for their confirmation. */
export function emailRecipients(subs: readonly SubscriptionLike[]): { confirmed: string[]; pending: string[] } {
  const email = subs.filter((s) => s.protocol === 'email' || s.protocol === 'email-json');
  return { confirmed: email.filter((s) => !s.pending).map((s) => s.endpoint), pending: email.filter((s) => s.pending).map((s) => s.endpoint) };
}
