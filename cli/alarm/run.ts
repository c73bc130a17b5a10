// `alarm test`: the ecosystem's CPU alarm is set to ALARM and back to OK with SetAlarmState, so its SNS topic
// e-mails every confirmed subscriber, and the run says who that is and who still has to confirm. SetAlarmState
// "is intended only for testing": the state holds until the next evaluation of the metric, and the transition to
// ALARM runs the alarm's actions (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html).
import { AbortError, HelloDeployError, type ErrorShape } from '../core/errors.ts';
import { resourceNames } from '../domain/names.ts';
import { emailRecipients, unconfirmedSubscription } from '../domain/alarm-subscriptions.ts';
import type { AlarmPort, SubscriptionPort } from '../ports/ecosystem.ts';
import type { AlarmTestOptions } from './options.ts';
import type { AlarmTestEvent, AlarmTested } from './result.ts';

export const TEST_REASON = 'hello-deploy alarm test';

export interface AlarmTestPorts {
  alarms: AlarmPort;
  subscriptions: SubscriptionPort;
}

const SNS_ARN = /^arn:aws[\w-]*:sns:/;

export async function runAlarmTest(options: AlarmTestOptions, ports: AlarmTestPorts, emit: (e: AlarmTestEvent) => void, signal?: AbortSignal): Promise<{ ok: boolean; error?: HelloDeployError }> {
  const name = resourceNames(options.ecosystem).alarm;
  const found: Partial<AlarmTested> = { ecosystem: options.ecosystem, alarm: name };
  const fail = (error: HelloDeployError) => {
    emit({ type: 'result', ok: false, error: error.toJSON() as ErrorShape, ...found });
    return { ok: false, error };
  };
  try {
    const alarm = await ports.alarms.describe(name, signal ? { signal } : {});
    if (!alarm) {
      // moto's CloudFormation does not create AWS::CloudWatch::Alarm (issue 14): on an emulator, say so plainly.
      throw new AbortError('ALARM_NOT_FOUND', `There is no CloudWatch alarm ${name}.`, {
        hint: options.endpointUrl
          ? `Emulators such as moto do not create AWS::CloudWatch::Alarm from the template, so a deployed ecosystem has no alarm there; nothing was changed. Against AWS, deploy first: \`hello-deploy deploy\`.`
          : 'Nothing was changed. Deploy the ecosystem first (`hello-deploy deploy`), or check --ecosystem, --region and --profile.',
      });
    }
    const topics = alarm.actions.filter((a) => SNS_ARN.test(a));
    found.topics = topics;
    if (!topics.length) emit({ type: 'warn', message: `the alarm ${name} notifies no SNS topic, so the test reaches nobody; deploy again to restore its action.` });
    const confirmed: string[] = [];
    const pending: string[] = [];
    for (const topic of topics) {
      try {
        const subs = await ports.subscriptions.list(topic, signal ? { signal } : {});
        const r = emailRecipients(subs ?? []);
        confirmed.push(...r.confirmed);
        pending.push(...r.pending);
      } catch (err) {
        emit({ type: 'warn', message: `could not list the subscriptions of ${topic} (${err instanceof Error ? err.message : String(err)}); the test alarm is sent anyway.` });
      }
    }
    found.recipients = confirmed;
    found.unconfirmed = pending;
    for (const p of pending) emit({ type: 'warn', message: unconfirmedSubscription(p) });

    // Both calls, even after Ctrl-C: leaving the alarm in ALARM would mislead whoever looks next.
    await ports.alarms.setState(name, 'ALARM', TEST_REASON);
    found.states = ['ALARM'];
    emit({ type: 'info', message: `${name} set to ALARM (reason "${TEST_REASON}")` });
    try {
      await ports.alarms.setState(name, 'OK', `${TEST_REASON}: back to OK`);
    } catch (err) {
      throw new AbortError(err instanceof HelloDeployError ? err.code : 'AWS_ERROR', `${name} was set to ALARM, but setting it back to OK failed: ${err instanceof Error ? err.message : String(err)}`, {
        hint: 'CloudWatch puts it back to its real state at the next evaluation of its metric (within a minute or two).',
      });
    }
    found.states = ['ALARM', 'OK'];
    emit({ type: 'info', message: `${name} set back to OK` });
    const result: AlarmTested = { ecosystem: options.ecosystem, alarm: name, states: ['ALARM', 'OK'], topics, recipients: confirmed, unconfirmed: pending };
    if (options.endpointUrl) result.emulator = `${options.endpointUrl} is an emulator: it records the states but sends no e-mail.`;
    emit({ type: 'result', ok: true, ...result });
    return { ok: true };
  } catch (err) {
    if (err instanceof HelloDeployError) return fail(err);
    throw err;
  }
}
