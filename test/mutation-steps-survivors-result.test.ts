// The live-URL step (cli/steps/report-result.ts) over a FAKE smoke port and a FAKE clock, for what the mutation run
// showed no fast test reached (docs/mutation.md, cli/steps): --domain's verified TLS (the name handed to the check, an
// untrusted certificate failing at once, the summary), a window that is not whole minutes, the info lines of the
// outputs, and the emulator's hint for a missing ServiceUrl. The rest is test/steps-report-result.test.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError } from '../cli/core/errors.ts';
import type { SmokePort } from '../cli/ports/deploy.ts';
import type { SubscriptionPort } from '../cli/ports/ecosystem.ts';
import { reportResult, reportResultStep } from '../cli/steps/report-result.ts';
import { FakeClock, recordingIO, stepCtx, untouchable } from './support/fake-ports.ts';

const URL = 'https://hello.example.com';

/** FAKE smoke port: HTTPS answers from `answers` in turn (the last repeating); records what each attempt asked to verify. */
function smoke(answers: Array<number | Error>): SmokePort & { checks: ({ verifyFor?: string } | undefined)[]; probed: number } {
  const port = {
    checks: [] as ({ verifyFor?: string } | undefined)[],
    probed: 0,
    async httpsGet(_url: string, _timeoutMs: number, check?: { verifyFor?: string }) {
      const a = answers[Math.min(port.checks.length, answers.length - 1)]!;
      port.checks.push(check);
      if (a instanceof Error) throw a;
      return { status: a, body: '' };
    },
    async httpProbe() {
      port.probed += 1;
      return 'refused' as const;
    },
  };
  return port;
}

const ctxWith = (port: SmokePort, over: Parameters<typeof stepCtx>[1] = {}) =>
  stepCtx({ smoke: port, subscriptions: untouchable<SubscriptionPort>('subscriptions') }, { clock: new FakeClock(), state: { infraOutputs: { ServiceUrl: URL } }, ...over });

describe('report-result with --domain', () => {
  test('the HTTPS check verifies the certificate for the domain, and the summary says the certificate is trusted and renewed', async () => {
    const port = smoke([200]);
    const outcome = await reportResult.run(ctxWith(port, { options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.com' } } }), recordingIO().io);
    assert.deepEqual(port.checks, [{ verifyFor: 'hello.example.com' }]);
    assert.deepEqual(outcome, { status: 'succeeded', summary: `${URL} answers over HTTPS with a trusted certificate for hello.example.com (ACM renews it automatically); plain HTTP refused` });
  });

  test('without --domain nothing is verified (the self-signed or imported certificate is the user\'s), and the summary claims no trust', async () => {
    const port = smoke([200]);
    const outcome = await reportResult.run(ctxWith(port), recordingIO().io);
    assert.deepEqual(port.checks, [{}]);
    assert.deepEqual(outcome, { status: 'succeeded', summary: `${URL} answers over HTTPS; plain HTTP refused` });
  });

  test('a certificate that does not verify fails at once with its own error: no waiting, no port 80 probe', async () => {
    const port = smoke([new AbortError('DOMAIN_TLS_UNTRUSTED', 'hello.example.com: certificate has expired'), 200]);
    const ctx = ctxWith(port, { options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.com' } } });
    await assert.rejects(reportResult.run(ctx, recordingIO().io), (e: AbortError) => e.code === 'DOMAIN_TLS_UNTRUSTED');
    assert.equal(port.checks.length, 1);
    assert.equal(port.probed, 0);
  });

  test('any other AbortError while waiting is retried like a network error, and named as the last answer', async () => {
    const port = smoke([new AbortError('SMOKE_HTTPS_FAILED', 'TLS handshake reset')]);
    const step = reportResultStep({ windowMs: 90_000, retryMs: 30_000 });
    await assert.rejects(step.run(ctxWith(port), recordingIO().io), (e: AbortError) => {
      assert.equal(e.code, 'SMOKE_HTTPS');
      assert.equal(e.message, `${URL} did not answer 200 within 90 s (last: TLS handshake reset).`);
      return true;
    });
    assert.equal(port.checks.length, 5, 'attempts at 0, 30, 60, 90 and 120 s');
  });
});

describe('report-result: outputs', () => {
  test('each output a user looks for next is said on its own line; an absent one is left out', async () => {
    const { io, rec } = recordingIO();
    await reportResult.run(ctxWith(smoke([200]), { state: { infraOutputs: { ServiceUrl: URL, ClusterName: 'c1', LogGroupName: '/ecs/x' } } }), io);
    assert.deepEqual(rec.info, ['ClusterName: c1', 'LogGroupName: /ecs/x']);
  });

  test('no ServiceUrl on an emulator: the hint is the describe-stacks command against it', async () => {
    const ctx = ctxWith(untouchable<SmokePort>('smoke'), { options: { endpointUrl: 'http://127.0.0.1:5000' }, state: { infraOutputs: {} } });
    await assert.rejects(reportResult.run(ctx, recordingIO().io), (e: AbortError) =>
      e.code === 'STACK_OUTPUTS_MISSING' && e.hint === 'Check the stack outputs: aws cloudformation describe-stacks --stack-name feature-x-hello-world-infra --endpoint-url http://127.0.0.1:5000.');
    const onAws = ctxWith(untouchable<SmokePort>('smoke'), { state: {} });
    await assert.rejects(reportResult.run(onAws, recordingIO().io), (e: AbortError) => e.hint === 'Check the stack outputs: the CloudFormation console.');
  });
});

describe('report-result: the messages of each end', () => {
  test('a 500 that never clears is a slow start (SMOKE_HTTPS), not something else answering', async () => {
    const step = reportResultStep({ windowMs: 60_000, retryMs: 30_000 });
    await assert.rejects(step.run(ctxWith(smoke([500])), recordingIO().io), (e: AbortError) => e.code === 'SMOKE_HTTPS' && e.message === `${URL} did not answer 200 within 1 minute (last: HTTP 500).`);
  });

  test('no ServiceUrl: the message says which output is missing', async () => {
    await assert.rejects(reportResult.run(ctxWith(untouchable<SmokePort>('smoke'), { state: { infraOutputs: {} } }), recordingIO().io), (e: AbortError) => e.message === 'The infra stack has no ServiceUrl output.');
  });

  test('plain HTTP answering: the hint names the security group; a name that did not resolve for port 80 is a warning naming the host', async () => {
    const open = smoke([200]);
    open.httpProbe = async () => 'answered';
    await assert.rejects(reportResult.run(ctxWith(open), recordingIO().io), (e: AbortError) => e.hint === 'Check the load balancer security group: only TCP 443 may be open.');
    const unresolved = smoke([200]);
    unresolved.httpProbe = async () => 'unresolvable';
    const { io, rec } = recordingIO();
    await reportResult.run(ctxWith(unresolved), io);
    assert.deepEqual(rec.warn, ['could not check that plain HTTP is refused: hello.example.com did not resolve for the port 80 probe']);
  });

  test('on AWS, every output line is said, and an alarm topic without an e-mail subscription is a warning (not the emulator\'s info)', async () => {
    const topic = 'arn:aws:sns:us-east-1:123456789012:feature-x-hello-world-alarms';
    const ctx = stepCtx(
      { smoke: smoke([200]), subscriptions: { list: async () => [] } },
      { clock: new FakeClock(), state: { infraOutputs: { ServiceUrl: URL, ClusterName: 'c1', ServiceName: 's1', LogGroupName: '/ecs/x', AlarmTopicArn: topic } } },
    );
    const { io, rec } = recordingIO();
    await reportResult.run(ctx, io);
    assert.deepEqual(rec.info, ['ClusterName: c1', 'ServiceName: s1', 'LogGroupName: /ecs/x', `AlarmTopicArn: ${topic}`]);
    assert.deepEqual(rec.warn, [`the alarm topic ${topic} has no e-mail subscription: nobody receives the alarm. Deploy again with --email to subscribe one.`]);
  });
});
