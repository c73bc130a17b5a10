// deploy --domain (issue 16), the parts that need no emulator: the flag and the plan text, and the certificate wait's
// messages and bound over a FAKE certificate port and a FAKE stack (moto 5.2.5 models no
// AWS::CertificateManager::Certificate, so no stack of it ever waits on a validation record). The Route 53 zone
// lookup on moto, the smoke check against real TLS servers and the CLI are in test/deploy-domain.test.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDomainName } from '../cli/domain/domain-name.ts';
import { resolveDeployOptions } from '../cli/deploy/options.ts';
import { AbortError, UsageError } from '../cli/core/errors.ts';
import { deployInfraStack } from '../cli/steps/deploy-infra-stack.ts';
import { checkPrerequisites } from '../cli/steps/check-prerequisites.ts';
import { reportResult } from '../cli/steps/report-result.ts';
import { DOMAIN_POLL_MS, watchCertificate } from '../cli/steps/certificate-wait.ts';
import type { CertificatePort, DescribedCertificate, StackPort } from '../cli/ports/deploy.ts';
import { DIGEST, REPOSITORY, FakeClock, deployOptions, fakeRolloutReads, fakeStacks, recordingIO, stepCtx, UNUSED_DNS } from './support/fake-ports.ts';
import { ROOT } from './support/paths.ts';

const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const RECORD = { name: '_0123abcd.hello.example.com.', type: 'CNAME', value: '_4567ef.xyz.acm-validations.aws.' };

/** FAKE ACM: the certificate the stack made, pending validation with its record, issued from `issueAt` reads on. */
function fakeCerts(issueAt = Infinity): CertificatePort & { reads: number } {
  const port = {
    reads: 0,
    async describe(arn: string): Promise<DescribedCertificate> {
      port.reads += 1;
      return { arn, status: port.reads >= issueAt ? 'ISSUED' : 'PENDING_VALIDATION', validation: [RECORD] };
    },
    importPair: async () => assert.fail('no import with --domain'),
  };
  return port;
}

describe('--domain: the flag', () => {
  test('a DNS host name, lower-cased, one trailing dot dropped; anything else is DOMAIN_INVALID (exit 2)', () => {
    assert.equal(parseDomainName(' Hello.Example.COM. '), 'hello.example.com');
    for (const bad of ['', 'localhost', '*.example.com', '-a.example.com', 'a_b.example.com', 'a..example.com', '10.0.0.1', `${'a'.repeat(64)}.example.com`, 'hello.example.com/x', 'héllo.example.com']) {
      assert.throws(() => parseDomainName(bad), (e: UsageError) => e.code === 'DOMAIN_INVALID' && e.exitCode === 2, bad);
    }
  });

  test('with --domain no certificate flag is needed, and none is taken; --domain-wait is a duration that goes with it', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'hd-domain-'));
    const env = { cwd, projectDir: ROOT, imageTag: 't', resolveRegion: async () => 'us-east-1' };
    try {
      const o = await resolveDeployOptions({ ecosystem: 'dom', email: 'ops@example.com', domain: 'Hello.Example.com', domainWait: '3m' }, env);
      assert.deepEqual(o.certificate, { kind: 'managed' });
      assert.deepEqual(o.domain, { name: 'hello.example.com' });
      assert.equal(o.domainWaitMs, 180_000);
      await assert.rejects(resolveDeployOptions({ ecosystem: 'dom', email: 'ops@example.com', domain: 'hello.example.com', certArn: ARN }, env), (e: UsageError) => e.exitCode === 2 && /--domain makes its own ACM certificate/.test(e.message));
      await assert.rejects(resolveDeployOptions({ ecosystem: 'dom', email: 'ops@example.com', certArn: ARN, domainWait: '3m' }, env), (e: UsageError) => /--domain-wait goes with --domain/.test(e.message));
      await assert.rejects(resolveDeployOptions({ ecosystem: 'dom', email: 'ops@example.com', domain: 'a..b' }, env), (e: UsageError) => e.exitCode === 2 && /is not a DNS host name/.test(e.message));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('the plan says what --domain makes, that nothing is imported, and the bound of the wait', () => {
    const options = deployOptions({ certificate: { kind: 'managed' }, domain: { name: 'hello.example.com' }, domainWaitMs: 300_000 });
    const infra = deployInfraStack.describe({ options } as never);
    assert.match(infra, /an ACM certificate for hello\.example\.com with DNS validation \(it renews itself\)/);
    assert.match(infra, /its validation CNAME in the Route 53 zone that holds it/);
    assert.match(infra, /an alias A record hello\.example\.com → the load balancer \(IPv4 only, so no AAAA\)/);
    assert.match(infra, /watched for at most 5m00s \(--domain-wait\)/);
    const prereq = checkPrerequisites.describe({ options } as never);
    assert.match(prereq, /public Route 53 hosted zone holding hello\.example\.com \(ListHostedZonesByName, longest match\); no self-signed certificate is imported/);
    assert.match(reportResult.describe({ options } as never), /verify for hello\.example\.com \(no -k\)/);
  });
});

describe('--domain: the certificate wait', () => {
  test('progress names the record and the elapsed time against the bound; issued ends the wait', async () => {
    const clock = new FakeClock();
    const progress: string[] = [];
    const records: Array<[string, boolean]> = [];
    const late = await watchCertificate(fakeCerts(4), clock, {
      domain: 'hello.example.com', zone: { name: 'example.com' }, arn: () => ARN, boundMs: 600_000, signal: new AbortController().signal,
      onProgress: (m) => progress.push(m), onRecord: (r, byHand) => records.push([r.name, byHand]),
    });
    assert.equal(late, undefined);
    assert.deepEqual(records, [[RECORD.name, false]], 'the record is announced once');
    assert.equal(progress[0], `waiting for validation record ${RECORD.name} CNAME ${RECORD.value} in zone example.com: 0s of at most 10m00s`);
    assert.equal(progress[1], `waiting for validation record ${RECORD.name} CNAME ${RECORD.value} in zone example.com: 15s of at most 10m00s`);
    assert.equal(progress.at(-1), 'certificate for hello.example.com issued after 45s');
    assert.ok(clock.slept.every((ms) => ms === DOMAIN_POLL_MS));
  });

  test('before the stack has made the certificate, the wait says so', async () => {
    const clock = new FakeClock();
    const progress: string[] = [];
    let arn: string | undefined;
    const certs = fakeCerts(2);
    const wait = watchCertificate(certs, clock, { domain: 'hello.example.com', zone: null, arn: () => arn, boundMs: 600_000, signal: new AbortController().signal, onProgress: (m) => { progress.push(m); arn = ARN; }, onRecord: () => undefined });
    assert.equal(await wait, undefined);
    assert.equal(progress[0], 'waiting for the certificate and its validation record: 0s of at most 10m00s');
  });

  test('no Route 53 zone: the CNAME is printed for the DNS provider at once, and past --domain-wait the step fails with it (exit 1) and a re-run hint', async () => {
    // FAKE stack port: CloudFormation creating a stack whose certificate waits for a record nobody adds. It reports
    // DomainCertificate's event with the ARN, then waits until the step stops waiting for it.
    const base = fakeStacks();
    let stopped = false;
    const stacks: StackPort = {
      ...base,
      async deploy(req) {
        req.onEvent({ logicalId: 'DomainCertificate', resourceType: 'AWS::CertificateManager::Certificate', status: 'CREATE_IN_PROGRESS', timestamp: new Date().toISOString(), physicalId: ARN, reason: 'Resource creation Initiated' });
        await new Promise<void>((resolve) => (req.signal!.aborted ? resolve() : req.signal!.addEventListener('abort', () => resolve(), { once: true })));
        stopped = true;
        throw new AbortError('STACK_TIMEOUT', 'stopped waiting');
      },
      describeStatus: async () => 'CREATE_IN_PROGRESS',
    };
    const clock = new FakeClock();
    const ctx = stepCtx({ stacks, ecosystem: fakeRolloutReads(), certs: fakeCerts(), dns: UNUSED_DNS }, {
      clock,
      options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.com' }, domainWaitMs: 120_000, deployMethod: 'direct' },
      state: { imageId: `${REPOSITORY.uri}@${DIGEST}`, infraTemplateBody: 'infra: body', hostedZone: null },
    });
    const { io, rec } = recordingIO();
    await assert.rejects(deployInfraStack.run(ctx, io), (e: AbortError) => {
      assert.equal(e.code, 'DOMAIN_NOT_VALIDATED');
      assert.equal(e.exitCode, 1);
      assert.match(e.message, /not validated within 2m00s \(--domain-wait\)/);
      assert.ok(e.message.includes(`the CNAME ${RECORD.name} CNAME ${RECORD.value}`));
      assert.match(e.hint ?? '', /add the CNAME .* at your DNS provider\. CloudFormation keeps waiting .* run the same command again/);
      return true;
    });
    assert.ok(stopped, 'the stack wait was stopped');
    assert.deepEqual(rec.warn, [`Add this record at your DNS provider so ACM can validate hello.example.com: ${RECORD.name} CNAME ${RECORD.value}`]);
    assert.match(rec.progress.join('\n'), /at your DNS provider: 1m45s of at most 2m00s/);
  });

  test('with a zone, the stack gets DomainName and HostedZoneId and no SSLCert', async () => {
    const stacks = fakeStacks({ outputs: { ServiceUrl: 'https://hello.example.com' } });
    const ctx = stepCtx({ stacks, ecosystem: fakeRolloutReads(), certs: fakeCerts(1), dns: UNUSED_DNS }, {
      options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.com' }, deployMethod: 'direct' },
      state: { imageId: `${REPOSITORY.uri}@${DIGEST}`, infraTemplateBody: 'infra: body', hostedZone: { id: 'Z123', name: 'example.com' } },
    });
    await deployInfraStack.run(ctx, recordingIO().io);
    const p = stacks.requests[0]!.parameters;
    assert.equal(p['DomainName'], 'hello.example.com');
    assert.equal(p['HostedZoneId'], 'Z123');
    assert.equal(p['SSLCert'], undefined);
  });
});
