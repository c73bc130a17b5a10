// STS and ECR adapters against moto, and the end-to-end path moto token → real `docker login` → local registry.
// Missing credentials and a missing region are checked across all four AWS adapters: they share one error mapping.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dockerUnavailableReason } from './support/docker.ts';
import { createIdentity } from '../cli/adapters/aws/sts.ts';
import { createEcrAuth, decodeAuthorization } from '../cli/adapters/aws/ecr.ts';
import { createAcmStore } from '../cli/adapters/aws/acm.ts';
import { createCloudFormationPorts } from '../cli/adapters/aws/cloudformation.ts';
import { createDockerPort } from '../cli/adapters/docker/docker.ts';
import { AbortError, EXIT, UsageError } from '../cli/core/errors.ts';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { startRegistry, type Registry } from './support/registry.ts';

const ACCOUNT = '123456789012';
let moto: Moto;
let work = '';
let registry: Registry | undefined;
const savedEnv = new Map<string, string | undefined>();

/** Sets (or, with undefined, removes) env vars for the rest of the file; after() puts the originals back. */
function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (!savedEnv.has(k)) savedEnv.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

describe('AWS adapters against moto', () => {
  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'hello-deploy-aws-test-'));
    await writeFile(path.join(work, 'empty'), '');
    // Empty shared files: the SDK must never pick up a real profile from this machine.
    setEnv({ ...FAKE_AWS_ENV, AWS_PROFILE: undefined, AWS_CONFIG_FILE: path.join(work, 'empty'), AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'empty') });
    moto = await startMoto();
  });

  after(async () => {
    await registry?.stop();
    await moto?.stop();
    for (const [k, v] of savedEnv) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('whoAmI returns moto account, an ARN and the resolved region', async () => {
    const id = await createIdentity({ endpointUrl: moto.endpoint }).whoAmI();
    assert.equal(id.account, ACCOUNT);
    assert.match(id.arn, new RegExp(`^arn:aws:(sts|iam)::${ACCOUNT}:`));
    assert.equal(id.region, 'us-east-1');
    assert.ok(moto.requests().some((l) => l.includes('POST /')), 'the call really went to moto');
  });

  test('an explicit --region wins over the environment', async () => {
    const id = await createIdentity({ endpointUrl: moto.endpoint, region: 'eu-west-1' }).whoAmI();
    assert.equal(id.region, 'eu-west-1');
  });

  test('no credentials anywhere is AWS_CREDENTIALS with a hint', async () => {
    const keys = { AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: process.env.AWS_SESSION_TOKEN };
    setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined });
    try {
      await assert.rejects(createIdentity({ endpointUrl: moto.endpoint }).whoAmI(), (err: unknown) => {
        assert.ok(err instanceof AbortError);
        assert.equal(err.code, 'AWS_CREDENTIALS');
        assert.match(err.hint ?? '', /aws configure/);
        assert.match(err.hint ?? '', /aws sso login/);
        assert.match(err.hint ?? '', /--profile/);
        return true;
      });
      // A profile that does not exist in the (empty) shared files is a credentials problem too.
      await assert.rejects(createIdentity({ endpointUrl: moto.endpoint, region: 'us-east-1', profile: 'no-such-profile' }).whoAmI(), (err: unknown) => err instanceof AbortError && err.code === 'AWS_CREDENTIALS');
      await assert.rejects(createEcrAuth({ endpointUrl: moto.endpoint }).getLogin(), (err: unknown) => err instanceof AbortError && err.code === 'AWS_CREDENTIALS');
      // CloudFormation called this AWS_NO_CREDENTIALS before the adapters shared one mapping; ACM, AWS_CREDENTIALS.
      const cfn = createCloudFormationPorts({ endpointUrl: moto.endpoint });
      try {
        await assert.rejects(cfn.stacks.describeStatus('hd-any'), (err: unknown) => err instanceof AbortError && err.code === 'AWS_CREDENTIALS' && /CloudFormation DescribeStacks/.test(err.message));
      } finally {
        cfn.destroy();
      }
      const acm = await createAcmStore({ endpointUrl: moto.endpoint });
      try {
        await assert.rejects(acm.listCertificates(), (err: unknown) => err instanceof AbortError && err.code === 'AWS_CREDENTIALS' && /ACM ListCertificates/.test(err.message));
      } finally {
        acm.close();
      }
    } finally {
      setEnv(keys);
    }
  });

  test('no region anywhere is AWS_REGION, a usage error (exit 2) with a hint, from every AWS adapter', async () => {
    const region = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
    setEnv({ AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined });
    // STS used to make it an AbortError (exit 1) and CloudFormation AWS_REGION_MISSING; ACM already said this.
    const noRegion = (service: string) => (err: unknown) => {
      assert.ok(err instanceof UsageError, `${service}: ${String(err)}`);
      assert.equal(err.code, 'AWS_REGION', service);
      assert.equal(err.exitCode, EXIT.usage, service);
      assert.match(err.message, new RegExp(service), service);
      assert.match(err.hint ?? '', /--region/, service);
      return true;
    };
    const posts = () => moto.requests().filter((l) => l.includes('POST /')).length;
    const sentBefore = posts();
    const cfn = createCloudFormationPorts({ endpointUrl: moto.endpoint });
    try {
      await assert.rejects(createIdentity({ endpointUrl: moto.endpoint }).whoAmI(), noRegion('STS'));
      await assert.rejects(createEcrAuth({ endpointUrl: moto.endpoint }).getLogin(), noRegion('ECR'));
      await assert.rejects(createAcmStore({ endpointUrl: moto.endpoint }), noRegion('ACM'));
      await assert.rejects(cfn.stacks.describeStatus('hd-any'), noRegion('CloudFormation'));
      assert.equal(posts(), sentBefore, 'nothing was sent without a region');
    } finally {
      cfn.destroy();
      setEnv(region);
    }
  });

  test('getLogin decodes the token moto issues', async () => {
    const login = await createEcrAuth({ endpointUrl: moto.endpoint }).getLogin();
    assert.equal(login.username, 'AWS');
    assert.equal(login.password, `${ACCOUNT}-auth-token`);
    assert.equal(login.registry, `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`);
  });

  test('a malformed token is ECR_AUTH_FAILED and does not echo the token', () => {
    const token = Buffer.from('no-colon-secret').toString('base64');
    assert.throws(() => decodeAuthorization(token, 'https://1.dkr.ecr.x.amazonaws.com'), (err: unknown) => {
      assert.ok(err instanceof AbortError);
      assert.equal(err.code, 'ECR_AUTH_FAILED');
      assert.ok(!err.message.includes(token) && !err.message.includes('no-colon-secret'));
      return true;
    });
  });

  test('end to end: the moto token logs docker into a registry that expects it', async (t) => {
    const noDocker = await dockerUnavailableReason();
    if (noDocker) return t.skip(noDocker);
    const login = await createEcrAuth({ endpointUrl: moto.endpoint }).getLogin();
    registry = await startRegistry({ username: 'AWS', password: `${ACCOUNT}-auth-token` });
    const docker = createDockerPort({ env: { DOCKER_CONFIG: path.join(work, 'docker-config') } });
    // Same user and password, sent to the local stand-in instead of the fake *.amazonaws.com host moto names.
    await docker.login({ ...login, registry: registry.host });
    await assert.rejects(docker.login({ ...login, password: `${login.password}-tampered`, registry: registry.host }), (err: unknown) => err instanceof AbortError && err.code === 'DOCKER_LOGIN_FAILED');
  });
});
