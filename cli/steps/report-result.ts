// Step 9. The URL, and a smoke check that the deployment does what it promises: HTTPS answers, plain HTTP
// does not. On an emulator the load balancer's DNS name leads nowhere, so the check is skipped and says why.
import { AbortError, InterruptedError } from '../core/errors.ts';
import type { Step } from '../core/runner.ts';
import type { StepCtx } from './context.ts';
import { stackNames } from '../domain/names.ts';
import { checkAlarmSubscriptions } from './alarm-subscriptions.ts';

/** How long a new load balancer gets to answer 200 on `/`. */
export const SMOKE_WINDOW_MS = 5 * 60_000;
/** Between two HTTPS attempts. */
export const SMOKE_RETRY_MS = 10_000;
/** How the step's skip reason starts on an emulator; what follows is why (the wizard shows it as "not checked"). */
export const SMOKE_SKIPPED = 'smoke check skipped: ';

/** The smoke check's wait: its window and the pause between attempts (tests pass short ones; time is the clock's). */
export interface SmokeTiming {
  readonly windowMs: number;
  readonly retryMs: number;
}

/** 300 000 → `5 minutes`; 90 000 → `90 s`. */
function span(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}` : `${Math.round(ms / 1000)} s`;
}

/**
 * What an answer to `GET /` means. The app answers 200 on `/`, and only that is success. A 5xx is "not yet": the
 * load balancer answers 502/503/504 while targets register and turn healthy. Any other status (a 404, a redirect,
 * a 403) is something else answering in the app's place: still retried within the window (a rollout may be
 * replacing it), but if it is what answers last, it is its own failure, SMOKE_HTTPS_STATUS, not a slow start.
 */
type Answer = { kind: 'status'; status: number } | { kind: 'error'; message: string };

function gaveUp(url: string, last: Answer, timing: SmokeTiming): AbortError {
  if (last.kind === 'status' && last.status < 500) {
    return new AbortError('SMOKE_HTTPS_STATUS', `${url} answered HTTP ${last.status} to GET /, not the app's 200, until the ${span(timing.windowMs)} window ran out.`, {
      hint: 'Something other than the app answers behind the load balancer: check the listener\'s default action and target group, and the image the service runs (ImageId).',
    });
  }
  const said = last.kind === 'status' ? `HTTP ${last.status}` : last.message;
  return new AbortError('SMOKE_HTTPS', `${url} did not answer 200 within ${span(timing.windowMs)} (last: ${said}).`, {
    hint: 'Check the service events and the task logs (LogGroupName above); the circuit breaker rolls back tasks that never turn healthy.',
  });
}

export const reportResult = reportResultStep({ windowMs: SMOKE_WINDOW_MS, retryMs: SMOKE_RETRY_MS });

export function reportResultStep(timing: SmokeTiming): Step<StepCtx<'smoke' | 'subscriptions'>> {
  return {
    id: 'result',
    title: 'Check the live URL',
    after: ['deploy-infra-stack'],
    describe: ({ options }) =>
      `Read ServiceUrl; HTTPS GET / must answer 200${options.domain ? ` with a certificate chain and name that verify for ${options.domain.name} (no -k)` : ''} and plain HTTP must be refused or time out (skipped on emulators); name an alarm e-mail not confirmed yet.`,
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
      const deadline = clock.now() + timing.windowMs;
      let last: Answer;
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await ports.smoke.httpsGet(url, 10_000, options.domain ? { verifyFor: options.domain.name } : {});
          if (res.status === 200) break;
          last = { kind: 'status', status: res.status };
        } catch (err) {
          // A certificate that does not verify is not a matter of waiting: say so now.
          if (err instanceof AbortError && err.code === 'DOMAIN_TLS_UNTRUSTED') throw err;
          last = { kind: 'error', message: err instanceof Error ? err.message : String(err) };
        }
        if (io.signal.aborted) throw new InterruptedError(`Interrupted while waiting for ${url} to answer.`);
        if (clock.now() > deadline) throw gaveUp(url, last, timing);
        io.progress(`waiting for ${url} (attempt ${attempt}: ${last.kind === 'status' ? `HTTP ${last.status}` : last.message})`);
        await clock.sleep(timing.retryMs, io.signal);
      }
      // Port 80 must be closed: the ALB has no listener there and its security group admits only 443. Refused (a
      // reset) or timed out (the security group drops the SYN) both prove it; a TCP connect already counts as
      // answered (cli/adapters/smoke.ts), whatever follows.
      const host = new URL(url).hostname;
      const http = await ports.smoke.httpProbe(host, 5_000);
      let plain: string;
      switch (http) {
        case 'refused':
          plain = 'plain HTTP refused';
          break;
        case 'timeout':
          plain = 'plain HTTP timed out (dropped)';
          break;
        case 'answered':
          throw new AbortError('SMOKE_HTTP_OPEN', `Plain HTTP to ${host}:80 answered; the stack promises HTTPS only.`, { hint: 'Check the load balancer security group: only TCP 443 may be open.' });
        case 'unresolvable':
          // HTTPS just reached the same name, so this is a resolver hiccup, not a closed port: not proven, so said.
          io.warn(`could not check that plain HTTP is refused: ${host} did not resolve for the port 80 probe`);
          plain = 'plain HTTP not checked (name did not resolve)';
          break;
      }
      const trusted = options.domain ? ` with a trusted certificate for ${options.domain.name} (ACM renews it automatically)` : '';
      return { status: 'succeeded', summary: `${url} answers over HTTPS${trusted}; ${plain}` };
    },
  };
}
