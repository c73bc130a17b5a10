// Step 9. The URL, and a smoke check that the deployment does what it promises: HTTPS answers, plain HTTP
// does not. On an emulator the load balancer's DNS name leads nowhere, so the check is skipped and says why.
import { AbortError, InterruptedError } from '../core/errors.ts';
import type { Step } from '../core/runner.ts';
import type { StepCtx } from './context.ts';
import { stackNames } from '../domain/names.ts';
import { checkAlarmSubscriptions } from './alarm-subscriptions.ts';

export const SMOKE_WINDOW_MS = 5 * 60_000;
/** Between two HTTPS attempts. */
export const SMOKE_RETRY_MS = 10_000;
/** How the step's skip reason starts on an emulator; what follows is why (the wizard shows it as "not checked"). */
export const SMOKE_SKIPPED = 'smoke check skipped: ';

export const reportResult: Step<StepCtx<'smoke' | 'subscriptions'>> = {
  id: 'result',
  title: 'Check the live URL',
  after: ['deploy-infra-stack'],
  describe: ({ options }) =>
    `Read ServiceUrl; HTTPS GET / must answer 200${options.domain ? ` with a certificate chain and name that verify for ${options.domain.name} (no -k)` : ''} and plain HTTP must be refused (skipped on emulators); name an alarm e-mail not confirmed yet.`,
  async run({ options, ports, state, clock }, io) {
    const url = state.infraOutputs?.['ServiceUrl'];
    if (!url) {
      // No console to point at when the stack lives in an emulator.
      const where = options.endpointUrl ? `aws cloudformation describe-stacks --stack-name ${stackNames(options.ecosystem).infra} --endpoint-url ${options.endpointUrl}` : 'the CloudFormation console';
      throw new AbortError('STACK_OUTPUTS_MISSING', 'The infra stack has no ServiceUrl output.', { hint: `Check the stack outputs: ${where}.` });
    }
    state.url = url;
    for (const key of ['ClusterName', 'ServiceName', 'LogGroupName', 'AlarmTopicArn']) {
      const v = state.infraOutputs?.[key];
      if (v) io.info(`${key}: ${v}`);
    }
    const topic = state.infraOutputs?.['AlarmTopicArn'];
    if (topic) await checkAlarmSubscriptions(ports.subscriptions, topic, { email: options.email, emulator: options.endpointUrl !== undefined }, io);
    if (options.endpointUrl) {
      return { status: 'skipped', reason: `${SMOKE_SKIPPED}${url} belongs to the emulator at ${options.endpointUrl} and is not reachable` };
    }
    // A new ALB's DNS name can take a minute or two to resolve and the first task a little longer to turn healthy.
    const deadline = clock.now() + SMOKE_WINDOW_MS;
    let last: string;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await ports.smoke.httpsGet(url, 10_000, options.domain ? { verifyFor: options.domain.name } : {});
        if (res.status === 200) break;
        last = `HTTP ${res.status}`;
      } catch (err) {
        // A certificate that does not verify is not a matter of waiting: say so now.
        if (err instanceof AbortError && err.code === 'DOMAIN_TLS_UNTRUSTED') throw err;
        last = err instanceof Error ? err.message : String(err);
      }
      if (io.signal.aborted) throw new InterruptedError(`Interrupted while waiting for ${url} to answer.`);
      if (clock.now() > deadline) {
        throw new AbortError('SMOKE_HTTPS', `${url} did not answer 200 within ${SMOKE_WINDOW_MS / 60_000} minutes (last: ${last}).`, { hint: 'Check the service events and the task logs (LogGroupName above); the circuit breaker rolls back tasks that never turn healthy.' });
      }
      io.progress(`waiting for ${url} (attempt ${attempt}: ${last})`);
      await clock.sleep(SMOKE_RETRY_MS, io.signal);
    }
    const host = new URL(url).hostname;
    const http = await ports.smoke.httpProbe(host, 5_000);
    if (http === 'answered') throw new AbortError('SMOKE_HTTP_OPEN', `Plain HTTP to ${host}:80 answered; the stack promises HTTPS only.`, { hint: 'Check the load balancer security group: only TCP 443 may be open.' });
    const trusted = options.domain ? ` with a trusted certificate for ${options.domain.name} (ACM renews it automatically)` : '';
    return { status: 'succeeded', summary: `${url} answers over HTTPS${trusted}; plain HTTP ${http}` };
  },
};
