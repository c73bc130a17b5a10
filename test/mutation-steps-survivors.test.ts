// Behaviours of the deploy steps (cli/steps) that the mutation run showed no fast test pinned down: each test here
// was written against a mutant that survived (docs/mutation.md, cli/steps), and asserts what a user sees (messages,
// errors with code and hint) or what the engine is asked. All over FAKE ports (test/support/fake-ports.ts).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError } from '../cli/core/errors.ts';
import type { SubscriptionPort, SubscriptionView } from '../cli/ports/ecosystem.ts';
import { checkAlarmSubscriptions } from '../cli/steps/alarm-subscriptions.ts';
import { DOMAIN_WAIT_MS, certificateArnOf, minutes, watchCertificate } from '../cli/steps/certificate-wait.ts';
import type { CertificatePort, DescribedCertificate } from '../cli/ports/deploy.ts';
import { deployInfraStack } from '../cli/steps/deploy-infra-stack.ts';
import { FakeClock, deployOptions, recordingIO } from './support/fake-ports.ts';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:feature-x-hello-world-alarms';

describe('checkAlarmSubscriptions: who receives the alarm, said after the deploy', () => {
  const sub = (endpoint: string, pending: boolean, protocol = 'email'): SubscriptionView => ({ protocol, endpoint, arn: pending ? 'PendingConfirmation' : `${TOPIC}:1`, pending });
  async function check(list: SubscriptionPort['list'], emulator = false) {
    const signals: (AbortSignal | undefined)[] = [];
    const { io, rec } = recordingIO();
    await checkAlarmSubscriptions({ list: async (arn, o) => (signals.push(o?.signal), list(arn, o)) }, TOPIC, { email: 'ops@example.com', emulator }, io);
    return { rec, signals, io };
  }

  test('every confirmed address is named, in order; nothing pending: no warning; the read gets the step\'s signal', async () => {
    const { rec, signals, io } = await check(async () => [sub('ops@example.com', false), sub('oncall@example.com', false)]);
    assert.deepEqual(rec.info, ['The alarm e-mail goes to ops@example.com, oncall@example.com (confirmed).']);
    assert.deepEqual(rec.warn, []);
    assert.deepEqual(signals, [io.signal], 'Ctrl-C reaches the SNS read');
  });

  test('only pending addresses: each is warned about, and nobody is said to receive it', async () => {
    const { rec } = await check(async () => [sub('ops@example.com', true)]);
    assert.deepEqual(rec.info, []);
    assert.equal(rec.warn.length, 1);
    assert.match(rec.warn[0]!, /^the alarm e-mail to "ops@example\.com" is not confirmed yet/);
  });

  test('no e-mail subscription on AWS: a warning naming the topic that nobody receives the alarm (the emulator\'s explanation is not given)', async () => {
    const { rec } = await check(async () => [sub('https://hooks.example.com/x', false, 'https')]);
    assert.deepEqual(rec.warn, [`the alarm topic ${TOPIC} has no e-mail subscription: nobody receives the alarm. Deploy again with --email to subscribe one.`]);
    assert.deepEqual(rec.info, []);
  });

  test('no e-mail subscription on an emulator: an info saying why, naming the address AWS would write to; no warning', async () => {
    const { rec } = await check(async () => [], true);
    assert.deepEqual(rec.warn, []);
    assert.deepEqual(rec.info, ['The alarm topic has no e-mail subscription on this emulator (it does not create AWS::SNS::Subscription); on AWS, ops@example.com gets a confirmation e-mail.']);
  });

  test('a topic the read finds nothing for (gone): nothing is said either way', async () => {
    const { rec } = await check(async () => undefined);
    assert.deepEqual([rec.info, rec.warn], [[], []]);
  });

  test('a failed read that is not an Error is still quoted in the warning; the deploy goes on', async () => {
    const { rec } = await check(async () => {
      throw 'socket hang up'; // what a misbehaving dependency may throw
    });
    assert.match(rec.warn[0]!, /^could not check whether the alarm e-mail is confirmed \(socket hang up\); the deploy itself succeeded/);
    const denied = await check(async () => {
      throw new AbortError('AWS_ACCESS_DENIED', 'SNS ListSubscriptionsByTopic: access denied');
    });
    assert.match(denied.rec.warn[0]!, /\(SNS ListSubscriptionsByTopic: access denied\)/);
  });
});

describe('certificate-wait helpers', () => {
  test('the certificate\'s ARN comes only from DomainCertificate\'s events, once its physical id is an ARN', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/1';
    assert.equal(certificateArnOf({ logicalId: 'DomainCertificate', physicalId: arn }), arn);
    assert.equal(certificateArnOf({ logicalId: 'DomainCertificate' }), undefined, 'no physical id yet');
    assert.equal(certificateArnOf({ logicalId: 'DomainCertificate', physicalId: '' }), undefined);
    assert.equal(certificateArnOf({ logicalId: 'DomainCertificate', physicalId: 'hello-cert-pending' }), undefined, 'not an ARN');
    assert.equal(certificateArnOf({ logicalId: 'LoadBalancer', physicalId: 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x' }), undefined, 'another resource');
  });

  test('durations: seconds under a minute, then minutes and two-digit seconds', () => {
    assert.deepEqual([0, 59_000, 59_600, 60_000, 61_000, 600_000].map(minutes), ['0s', '59s', '1m00s', '1m00s', '1m01s', '10m00s']);
  });

  test('--domain-wait defaults to 10 minutes, and the plan says so', () => {
    assert.equal(DOMAIN_WAIT_MS, 600_000);
    const options = deployOptions({ certificate: { kind: 'managed' }, domain: { name: 'hello.example.com' } });
    assert.match(deployInfraStack.describe({ options } as never), /watched for at most 10m00s \(--domain-wait\)/);
  });

  test('a failed DescribeCertificate, or one before ACM has a validation record, is waited through: the next read decides', async () => {
    const answers: Array<DescribedCertificate | Error> = [new Error('Rate exceeded'), { arn: 'arn:c', status: 'PENDING_VALIDATION' }, { arn: 'arn:c', status: 'ISSUED' }];
    const certs: CertificatePort = {
      describe: async () => {
        const a = answers.shift()!;
        if (a instanceof Error) throw a;
        return a;
      },
      importPair: async () => assert.fail('nothing is imported'),
    };
    const progress: string[] = [];
    const records: unknown[] = [];
    const late = await watchCertificate(certs, new FakeClock(), {
      domain: 'hello.example.com', zone: { name: 'example.com' }, arn: () => 'arn:c', boundMs: 600_000, signal: new AbortController().signal,
      onProgress: (m) => progress.push(m), onRecord: (r) => records.push(r),
    });
    assert.equal(late, undefined);
    assert.deepEqual(records, [], 'no record was ever known');
    assert.deepEqual(progress, [
      'waiting for the certificate and its validation record: 0s of at most 10m00s',
      'waiting for the certificate and its validation record: 15s of at most 10m00s',
      'certificate for hello.example.com issued after 30s',
    ]);
  });

  /** Watches a certificate whose every DescribeCertificate answers `status` (with a record unless `noRecord`). */
  async function watch(status: string, opts: { boundMs?: number; noRecord?: boolean; zone?: { name: string } | null } = {}) {
    const clock = new FakeClock();
    const record = { name: '_a.hello.example.com.', type: 'CNAME', value: '_b.acm-validations.aws.' };
    const certs: CertificatePort = { describe: async (arn) => ({ arn, status, ...(opts.noRecord ? {} : { validation: [record] }) }), importPair: async () => assert.fail('nothing is imported') };
    const progress: string[] = [];
    const late = await watchCertificate(certs, clock, {
      domain: 'hello.example.com', zone: opts.zone === undefined ? { name: 'example.com' } : opts.zone, arn: () => 'arn:c', boundMs: opts.boundMs ?? 600_000, signal: new AbortController().signal,
      onProgress: (m) => progress.push(m), onRecord: () => undefined,
    });
    return { late, progress, slept: clock.slept };
  }

  test('ACM giving up (FAILED, VALIDATION_TIMED_OUT) ends the wait at once with DOMAIN_NOT_VALIDATED saying so', async () => {
    for (const status of ['FAILED', 'VALIDATION_TIMED_OUT']) {
      const { late, slept } = await watch(status);
      assert.equal(late?.code, 'DOMAIN_NOT_VALIDATED', status);
      assert.equal(late.message, `The certificate for hello.example.com is not issued: ACM marked the certificate ${status}. It waits for the CNAME _a.hello.example.com. CNAME _b.acm-validations.aws..`);
      assert.match(late.hint ?? '', /^CloudFormation adds it to the Route 53 zone example\.com; check that the zone is the one the domain's registrar delegates to\. /);
      assert.deepEqual(slept, [], 'no second look');
    }
  });

  test('the bound is inclusive: a look at exactly --domain-wait is the last one; an unknown record is named as such', async () => {
    const { late, slept, progress } = await watch('PENDING_VALIDATION', { boundMs: 30_000, noRecord: true, zone: null });
    assert.deepEqual(slept, [15_000, 15_000], 'looks at 0 s, 15 s and 30 s');
    assert.equal(progress.length, 2);
    assert.equal(late?.message, 'The certificate for hello.example.com is not issued: it was not validated within 30s (--domain-wait). It waits for its validation CNAME (not known yet: `aws acm describe-certificate` shows it).');
    assert.match(late.hint ?? '', /^add its validation CNAME \(not known yet/);
  });
});
