// After a deploy: is anyone going to receive the alarm? Reads the subscriptions of the infra stack's AlarmTopicArn
// and warns about each e-mail still waiting for its confirmation. Advice only: a denied or failed read is a warning
// that it could not check, never a failed deploy.
import type { StepIO } from '../core/runner.ts';
import { HelloDeployError } from '../core/errors.ts';
import type { SubscriptionPort } from '../ports/ecosystem.ts';
import { emailRecipients, unconfirmedSubscription } from '../domain/alarm-subscriptions.ts';

export async function checkAlarmSubscriptions(subscriptions: SubscriptionPort, topicArn: string, opts: { email: string; emulator: boolean }, io: Pick<StepIO, 'info' | 'warn' | 'signal'>): Promise<void> {
  let subs;
  try {
    subs = await subscriptions.list(topicArn, { signal: io.signal });
  } catch (err) {
    const why = err instanceof HelloDeployError ? err.message : err instanceof Error ? err.message : String(err);
    io.warn(`could not check whether the alarm e-mail is confirmed (${why}); the deploy itself succeeded. \`hello-deploy alarm test\` checks it and sends a test alarm.`);
    return;
  }
  if (!subs) return;
  const { confirmed, pending } = emailRecipients(subs);
  for (const endpoint of pending) io.warn(unconfirmedSubscription(endpoint));
  if (confirmed.length) io.info(`The alarm e-mail goes to ${confirmed.join(', ')} (confirmed).`);
  if (!confirmed.length && !pending.length) {
    // moto does not create AWS::SNS::Subscription (issue 14): on an emulator this is expected, and said as such.
    if (opts.emulator) io.info(`The alarm topic has no e-mail subscription on this emulator (it does not create AWS::SNS::Subscription); on AWS, ${opts.email} gets a confirmation e-mail.`);
    else io.warn(`the alarm topic ${topicArn} has no e-mail subscription: nobody receives the alarm. Deploy again with --email to subscribe one.`);
  }
}
