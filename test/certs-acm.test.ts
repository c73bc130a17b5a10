// ACM import, rotation, reuse and expiry listing against the moto emulator (server mode on 127.0.0.1), driven
// through the real CLI where a user would and through the reusable module where the wizard and deploy will; then
// the infra stack's HTTPS listener is created on moto with the imported ARN (and refused with an unknown one).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate, randomUUID } from 'node:crypto';
import { execa } from 'execa';
import {
  ACMClient, DescribeCertificateCommand, GetCertificateCommand, ListCertificatesCommand, ListTagsForCertificateCommand, RequestCertificateCommand,
} from '@aws-sdk/client-acm';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { runCli, type CliRun } from './support/cli.ts';
import { cfnClient, createStackAndWait, describeStack, motoClientConfig, readTemplate, stackResources } from './support/stacks.ts';
import { createAcmStore, createCertificatePort } from '../cli/adapters/aws/acm.ts';
import { generateSelfSigned } from '../cli/domain/certificates/generate.ts';
import { validatePair } from '../cli/domain/certificates/pair.ts';
import { findCertificates, importPair, importPairOnce, managedTags, type CertificateStore } from '../cli/domain/certificates/store.ts';

const ARN = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;

let moto: Moto;
let acm: ACMClient;
let cfn: CloudFormationClient;
let work: string;
let store: CertificateStore & { close(): void };
const savedEnv: Record<string, string | undefined> = {};

const cli = (args: string[], cwd: string): Promise<CliRun> =>
  runCli(['generate-certs', ...args], { cwd, timeout: 120_000, env: { ...FAKE_AWS_ENV } });

function onlyJson(run: CliRun): Record<string, unknown> {
  const lines = run.stdout.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `one JSON line expected; stdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}

function assertNoKey(run: CliRun, keyPath: string): void {
  const body = readFileSync(keyPath, 'utf8').split('\n').filter((l) => l && !l.startsWith('-----'));
  for (const line of body) assert.ok(!(run.stdout + run.stderr).includes(line), 'key material was printed');
}

const describeCert = async (arn: string) => (await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate;
const tagsOf = async (arn: string) =>
  Object.fromEntries(((await acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn }))).Tags ?? []).map((t) => [t.Key, t.Value]));
// moto's request log holds bare access lines (`POST / HTTP/1.1`), not action names: what was imported is read
// from ACM itself.
const certificateCount = async () => (await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList?.length ?? 0;

before(async () => {
  // The in-process store resolves credentials and region like the CLI does: from the environment. Fake ones only.
  for (const [k, v] of Object.entries(FAKE_AWS_ENV)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
  moto = await startMoto();
  acm = new ACMClient(motoClientConfig(moto.endpoint));
  cfn = cfnClient(moto.endpoint);
  work = mkdtempSync(path.join(tmpdir(), 'certs-acm-'));
  store = await createAcmStore({ endpointUrl: moto.endpoint });
});

after(async () => {
  store?.close();
  acm?.destroy();
  cfn?.destroy();
  await moto?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('generate-certs --import-acm / --rotate (real CLI on moto)', () => {
  let dir: string;
  let arn: string;
  let first: Record<string, unknown>;

  before(() => {
    dir = mkdtempSync(path.join(work, 'cli-'));
  });

  test('--import-acm imports the pair, tags it, prints the ARN; DescribeCertificate shows the domain and expiry', async () => {
    const run = await cli(['--import-acm', '--ecosystem', 'certs-test', '--endpoint-url', moto.endpoint, '--json'], dir);
    assert.equal(run.exitCode, 0, run.stderr);
    first = onlyJson(run);
    arn = String(first.certificateArn);
    assert.match(arn, ARN);
    assert.equal(first.region, 'us-east-1');
    assert.equal(first.ecosystem, 'certs-test');
    assert.deepEqual(first.tags, { Ecosystem: 'certs-test', ManagedBy: 'hello-deploy' });
    assert.equal(first.rotated, undefined);
    assertNoKey(run, String(first.keyPath));

    const d = await describeCert(arn);
    assert.equal(d?.DomainName, 'hello-deploy.local');
    assert.deepEqual(d?.SubjectAlternativeNames, ['hello-deploy.local', 'localhost', '127.0.0.1']);
    assert.equal(d?.NotAfter?.toISOString(), first.notAfter);
    assert.equal(d?.NotBefore?.toISOString(), first.notBefore);
    assert.equal(d?.Type, 'IMPORTED');
    assert.equal(d?.KeyAlgorithm, 'RSA_2048');
    assert.deepEqual(await tagsOf(arn), { Ecosystem: 'certs-test', ManagedBy: 'hello-deploy' });
    // What ACM holds is byte-for-byte the certificate on disk.
    const body = (await acm.send(new GetCertificateCommand({ CertificateArn: arn }))).Certificate ?? '';
    assert.equal(new X509Certificate(body).fingerprint256, first.fingerprintSha256);
  });

  test('plain mode prints the ARN and where it went, never the key', async () => {
    const plainDir = mkdtempSync(path.join(work, 'plain-'));
    const run = await cli(['--import-acm', '--ecosystem', 'certs-test', '--endpoint-url', moto.endpoint, '--key-type', 'ecdsa-p256'], plainDir);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, /ACM\s+arn:aws:acm:us-east-1:\d{12}:certificate\//);
    assert.match(run.stdout, /imported into us-east-1, tagged Ecosystem=certs-test, ManagedBy=hello-deploy/);
    assert.match(run.stdout, /never renews imported certificates/);
    assertNoKey(run, path.join(plainDir, 'app', 'certs', 'key.pem'));
  });

  test('--rotate re-imports into the same ARN with the new pair', async () => {
    const run = await cli(['--force', '--rotate', arn, '--key-type', 'ecdsa-p256', '--days', '200', '--endpoint-url', moto.endpoint, '--json'], dir);
    assert.equal(run.exitCode, 0, run.stderr);
    const r = onlyJson(run);
    assert.equal(r.certificateArn, arn);
    assert.equal(r.rotated, true);
    assert.notEqual(r.fingerprintSha256, first.fingerprintSha256);
    const d = await describeCert(arn);
    assert.equal(d?.KeyAlgorithm, 'EC_prime256v1');
    assert.equal(d?.NotAfter?.toISOString(), r.notAfter);
    const body = (await acm.send(new GetCertificateCommand({ CertificateArn: arn }))).Certificate ?? '';
    assert.equal(new X509Certificate(body).fingerprint256, r.fingerprintSha256);
    assert.equal(new X509Certificate(readFileSync(String(r.certPath))).fingerprint256, r.fingerprintSha256);
    assertNoKey(run, String(r.keyPath));
    // Measured moto gap: a re-import replaces the certificate record and drops its tags. AWS keeps the tags of a
    // re-imported certificate (and refuses tags on the re-import call, so we never send any).
    assert.deepEqual(await tagsOf(arn), {});
  });

  test('--rotate of an ARN that does not exist: exit 1 before anything is generated or written', async () => {
    const keyBefore = readFileSync(path.join(dir, 'app', 'certs', 'key.pem'), 'utf8');
    const certificates = await certificateCount();
    const missing = `arn:aws:acm:us-east-1:123456789012:certificate/${randomUUID()}`;
    const run = await cli(['--force', '--rotate', missing, '--endpoint-url', moto.endpoint, '--json'], dir);
    assert.equal(run.exitCode, 1);
    const error = onlyJson(run).error as { code: string; message: string; hint: string };
    assert.equal(error.code, 'ACM_CERTIFICATE_NOT_FOUND');
    assert.match(error.message, new RegExp(missing.replaceAll('/', '\\/')));
    assert.match(error.hint, /--region/);
    assert.equal(readFileSync(path.join(dir, 'app', 'certs', 'key.pem'), 'utf8'), keyBefore, 'the pair on disk is untouched');
    assert.equal(await certificateCount(), certificates, 'nothing was imported');
  });

  test('--rotate an ACM-issued certificate is refused (exit 1): only imported ones can be re-imported', async () => {
    const issued = (await acm.send(new RequestCertificateCommand({ DomainName: 'issued.certs.test' }))).CertificateArn ?? '';
    const run = await cli(['--force', '--rotate', issued, '--endpoint-url', moto.endpoint, '--json'], dir);
    assert.equal(run.exitCode, 1);
    assert.equal((onlyJson(run).error as { code: string }).code, 'ACM_NOT_IMPORTED');
  });

  test('--rotate with a --region that is not the ARN\'s: exit 2, no AWS call', async () => {
    const before = (await moto.settled()).length;
    const run = await cli(['--force', '--rotate', arn, '--region', 'eu-west-1', '--endpoint-url', moto.endpoint, '--json'], dir);
    assert.equal(run.exitCode, 2);
    assert.equal((onlyJson(run).error as { code: string }).code, 'REGION_MISMATCH');
    assert.equal((await moto.settled()).length, before);
  });

  test('the ecosystem tag defaults to the sanitized git branch; a short-lived import carries an expiry warning', async () => {
    const repo = mkdtempSync(path.join(work, 'repo-'));
    await execa('git', ['init', '-q', '-b', 'Feature/ABC_12'], { cwd: repo });
    const run = await cli(['--import-acm', '--endpoint-url', moto.endpoint, '--key-type', 'ecdsa-p256', '--days', '10', '--json'], repo);
    assert.equal(run.exitCode, 0, run.stderr);
    const r = onlyJson(run);
    assert.equal(r.ecosystem, 'feature-abc-12-162f58');
    // A 10-day certificate in ACM comes with the warning that ACM will not renew it.
    assert.equal((r.warnings as string[]).length, 1);
    assert.match((r.warnings as string[])[0] ?? '', /expires in (9|10) days .*ACM does not renew imported certificates.*--rotate arn:aws:acm:/);
    assert.deepEqual(await tagsOf(String(r.certificateArn)), { Ecosystem: 'feature-abc-12-162f58', ManagedBy: 'hello-deploy' });
  });
});

describe('the reusable module: find, warn, reuse', () => {
  let shortArn: string;
  let longArn: string;
  let wildArn: string;

  before(async () => {
    const make = async (cn: string, days: number, sans: string[] = []) => {
      const g = await generateSelfSigned({ commonName: { type: 'dns', value: cn }, sans: sans.map((value) => ({ type: 'dns' as const, value })), days, keyType: 'ecdsa-p256' });
      return validatePair(g.certificatePem, g.privateKeyPem);
    };
    shortArn = (await importPair(store, await make('short.certs.test', 10), 'listing')).arn;
    longArn = (await importPair(store, await make('long.certs.test', 200, ['alt.certs.test']), 'listing')).arn;
    wildArn = (await importPair(store, await make('*.wild.certs.test', 100), 'elsewhere')).arn;
  });

  test('by tag: both "listing" certificates, soonest expiry first, the 10-day one with a warning', async () => {
    const found = await findCertificates(store, { tags: managedTags('listing') });
    assert.deepEqual(found.map((c) => c.arn), [shortArn, longArn]);
    const [short, long] = found;
    assert.equal(short?.expiry.state, 'expiring');
    assert.ok(short?.expiry.daysLeft !== undefined && short.expiry.daysLeft >= 9 && short.expiry.daysLeft <= 10);
    assert.match(short?.expiry.warning ?? '', /expires in (9|10) days .* ACM does not renew imported certificates/);
    assert.match(short?.expiry.warning ?? '', new RegExp(`--rotate ${shortArn.replaceAll('/', '\\/')}`));
    assert.equal(long?.expiry.state, 'ok');
    assert.equal(long?.expiry.warning, undefined);
    assert.deepEqual(long?.tags, { Ecosystem: 'listing', ManagedBy: 'hello-deploy' });
  });

  test('by name: domain name, a SAN, or a wildcard match; ACM-issued certificates are left out', async () => {
    assert.deepEqual((await findCertificates(store, { domain: 'SHORT.certs.test' })).map((c) => c.arn), [shortArn]);
    assert.deepEqual((await findCertificates(store, { domain: 'alt.certs.test' })).map((c) => c.arn), [longArn]);
    assert.deepEqual((await findCertificates(store, { domain: 'app.wild.certs.test' })).map((c) => c.arn), [wildArn]);
    assert.deepEqual(await findCertificates(store, { domain: 'a.b.wild.certs.test' }), []);
    assert.deepEqual(await findCertificates(store, { domain: 'issued.certs.test' }), []);
    assert.equal((await findCertificates(store, { domain: 'issued.certs.test', importedOnly: false })).length, 1);
  });

  test('importPairOnce reuses an identical import for the same ecosystem, and imports anything else', async () => {
    const g = await generateSelfSigned({ commonName: { type: 'dns', value: 'once.certs.test' }, sans: [], days: 90, keyType: 'rsa2048' });
    const pair = validatePair(g.certificatePem, g.privateKeyPem);
    const a = await importPairOnce(store, pair, 'reuse');
    const b = await importPairOnce(store, pair, 'reuse');
    assert.deepEqual([a.reused, b.reused, b.arn], [false, true, a.arn]);
    const c = await importPairOnce(store, pair, 'reuse-other');
    assert.equal(c.reused, false, 'another ecosystem gets its own import');
    assert.notEqual(c.arn, a.arn);
  });

  test('createCertificatePort (the deploy engine\'s port): validates files, imports once, describes', async () => {
    const port = createCertificatePort({ endpointUrl: moto.endpoint });
    const g = await generateSelfSigned({ commonName: { type: 'dns', value: 'port.certs.test' }, sans: [], days: 20, keyType: 'ecdsa-p256' });
    const certFile = path.join(work, 'port-cert.pem');
    const keyFile = path.join(work, 'port-key.pem');
    writeFileSync(certFile, g.certificatePem);
    writeFileSync(keyFile, g.privateKeyPem, { mode: 0o600 });
    const first = await port.importPair(certFile, keyFile, 'port');
    const again = await port.importPair(certFile, keyFile, 'port');
    assert.equal(again.arn, first.arn);
    assert.equal(again.reused, true);
    const d = await port.describe(first.arn);
    assert.equal(d.domain, 'port.certs.test');
    assert.equal(d.notAfter?.toISOString(), g.info.notAfter.toISOString());
    // A mismatched pair is refused before any upload.
    const other = await generateSelfSigned({ commonName: { type: 'dns', value: 'x.certs.test' }, sans: [], days: 20, keyType: 'ecdsa-p256' });
    writeFileSync(keyFile, other.privateKeyPem, { mode: 0o600 });
    const requests = (await moto.settled()).length;
    await assert.rejects(port.importPair(certFile, keyFile, 'port'), (err: { code?: string; exitCode?: number }) => err.code === 'PAIR_MISMATCH' && err.exitCode === 2);
    assert.equal((await moto.settled()).length, requests, 'no AWS call for a refused pair');
    await assert.rejects(port.describe(`arn:aws:acm:us-east-1:123456789012:certificate/${randomUUID()}`), (err: { code?: string; exitCode?: number }) => err.code === 'ACM_CERTIFICATE_NOT_FOUND' && err.exitCode === 1);
  });
});

describe('the infra stack\'s HTTPS listener on moto', () => {
  const template = readTemplate('hello-world-infra.yaml');
  const params = (certArn: string) => ({
    Ecosystem: 'certs-test', EmailAddress: 'ops@example.com', ImageId: '123456789012.dkr.ecr.us-east-1.amazonaws.com/x:latest', SSLCert: certArn,
  });

  test('accepts the ARN generate-certs imported: CREATE_COMPLETE, and ACM shows the load balancer using it', async () => {
    const dir = mkdtempSync(path.join(work, 'stack-'));
    const run = await cli(['--import-acm', '--ecosystem', 'certs-test', '--endpoint-url', moto.endpoint, '--json'], dir);
    assert.equal(run.exitCode, 0, run.stderr);
    const arn = String(onlyJson(run).certificateArn);
    const r = await createStackAndWait(cfn, { stackName: 'certs-test-hello-world-infra', templateBody: template, parameters: params(arn), capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'] });
    assert.equal(r.status, 'CREATE_COMPLETE', r.reason);
    const listener = (await stackResources(cfn, 'certs-test-hello-world-infra')).find((x) => x.ResourceType === 'AWS::ElasticLoadBalancingV2::Listener');
    assert.ok(listener?.PhysicalResourceId, 'the stack has an HTTPS listener');
    const inUse = (await describeCert(arn))?.InUseBy ?? [];
    assert.equal(inUse.length, 1);
    // AWS lists the load balancer's ARN; moto 5.2 records the listener's ARN (under that load balancer).
    assert.match(inUse[0] ?? '', /^arn:aws:elasticloadbalancing:us-east-1:\d{12}:(loadbalancer|listener)\/app\/certs-test-hw-alb\//);
  });

  test('refuses a random ARN that does not exist: CertificateNotFound', async () => {
    const unknown = `arn:aws:acm:us-east-1:123456789012:certificate/${randomUUID()}`;
    // moto 5.2 fails the CreateStack call itself with the ELB error (AWS would fail the stack and roll it back).
    await assert.rejects(
      createStackAndWait(cfn, { stackName: 'certs-bad-hello-world-infra', templateBody: template, parameters: { ...params(unknown), Ecosystem: 'certs-bad' }, capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'] }),
      (err: Error) => err.name === 'CertificateNotFound',
    );
    assert.equal((await describeStack(cfn, 'certs-bad-hello-world-infra')).StackStatus, 'CREATE_IN_PROGRESS', 'measured moto gap: the failed stack is left in progress');
  });
});
