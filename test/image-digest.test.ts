// Resolving a tagged --image to its digest (ImageDigestPort), on real parts: the OCI distribution API against Debian's
// docker-registry on loopback, with Basic auth (the --registry stand-in for ECR) and with Bearer token auth (as
// Docker Hub, GHCR and public.ecr.aws ask), each compared with the digest `docker push` printed; ECR DescribeImages
// against moto; and the two ways a registry fails (refused, or accepting and never answering), bounded.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { createImageDigests } from '../cli/adapters/image-digests.ts';
import { createOciImageDigests, parseChallenge, registryBase } from '../cli/adapters/oci-registry.ts';
import { AbortError } from '../cli/core/errors.ts';
import type { TaggedImage } from '../cli/ports/deploy.ts';
import { dockerUnavailableReason } from './support/docker.ts';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { freePort } from './support/ports.ts';
import { startRegistry, type Registry } from './support/registry.ts';
import { startStallProxy } from './support/stall-proxy.ts';
import { startTokenRegistry, type TokenRegistry } from './support/token-registry.ts';
import { pushImageFor, putManifest } from './support/oci-push.ts';
import { architecturesOf } from '../cli/domain/architecture.ts';

const RUN = randomBytes(4).toString('hex');
const LOGIN = { registry: '', username: 'AWS', password: '123456789012-auth-token' };
const oci = createOciImageDigests({ timeoutMs: 10_000 });
let work = '';
let dockerConfig = '';
const localImages: string[] = [];

/** One failure, checked for code and for every word the message must name. */
function failsWith(code: string, ...names: (string | RegExp)[]) {
  return (err: unknown) => {
    assert.ok(err instanceof AbortError, `an AbortError, not ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const n of names) assert.match(err.message, typeof n === 'string' ? new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : n);
    assert.match(err.hint ?? '', /@sha256:<digest>/);
    return true;
  };
}

/** A tiny image (one small file, no base) imported into the engine and pushed as `ref`; returns the digest `docker push` printed. */
async function pushTiny(ref: string, content: string): Promise<string> {
  const dir = path.join(work, `img-${randomBytes(3).toString('hex')}`);
  await execa('mkdir', ['-p', dir]);
  await writeFile(path.join(dir, 'hello.txt'), content);
  const tar = await execa('tar', ['-C', dir, '-c', '.'], { encoding: 'buffer' });
  // Removed by id afterwards: once the tag moves, the first image has no name left to remove it by.
  localImages.push((await execa('docker', ['import', '-', ref], { input: tar.stdout })).stdout.trim());
  const push = await execa('docker', ['push', ref], { env: { DOCKER_CONFIG: dockerConfig }, all: true });
  const digest = /digest: (sha256:[a-f0-9]{64})/.exec(String(push.all))?.[1];
  assert.ok(digest, `docker push printed a digest:\n${String(push.all)}`);
  return digest;
}

describe('OCI distribution API against real registries on loopback', () => {
  let noDocker: string | null = null;
  let basic: Registry | undefined;
  let bearer: TokenRegistry | undefined;

  before(async () => {
    noDocker = await dockerUnavailableReason();
    work = await mkdtemp(path.join(tmpdir(), 'hello-deploy-digest-test-'));
    dockerConfig = path.join(work, 'docker-config');
    if (noDocker) return;
    [basic, bearer] = await Promise.all([startRegistry({ username: LOGIN.username, password: LOGIN.password }), startTokenRegistry()]);
    await execa('docker', ['login', '--username', LOGIN.username, '--password-stdin', basic.host], { input: LOGIN.password, env: { DOCKER_CONFIG: dockerConfig } });
  });

  after(async () => {
    if (localImages.length) await execa('docker', ['rmi', '-f', ...localImages], { reject: false });
    await Promise.all([basic?.stop(), bearer?.stop()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('Basic auth (the --registry stand-in for ECR): the digest docker push printed; a moved tag resolves to the new image', async (t) => {
    if (noDocker || !basic) return t.skip(noDocker ?? 'no registry');
    const image: TaggedImage = { registry: basic.host, repository: 'digest/app', tag: `v-${RUN}` };
    const ref = `${image.registry}/${image.repository}:${image.tag}`;
    const first = await pushTiny(ref, `first ${RUN}\n`);
    const logins: number[] = [];
    const login = async () => (logins.push(1), { ...LOGIN, registry: basic!.host });
    assert.deepEqual(await oci.resolve(image, { login }), { digest: first });
    assert.equal(logins.length, 1, 'the login was asked for once, on the 401');
    assert.equal(await basic.manifestDigest(image.repository, image.tag), first, 'the registry agrees');

    // The tag moves: the same reference now names another image, and resolving says so (what makes it a change).
    const second = await pushTiny(ref, `second ${RUN}\n`);
    assert.notEqual(second, first);
    assert.deepEqual(await oci.resolve(image, { login }), { digest: second });
  });

  test('Basic auth without a login: REGISTRY_ERROR saying it wants credentials, never a password in the message', async (t) => {
    if (noDocker || !basic) return t.skip(noDocker ?? 'no registry');
    await assert.rejects(oci.resolve({ registry: basic.host, repository: 'digest/app', tag: 'any' }), failsWith('REGISTRY_ERROR', basic.host, /asks for credentials \(basic authentication\)/));
    const wrong = { ...LOGIN, password: `wrong-${RUN}` };
    await assert.rejects(oci.resolve({ registry: basic.host, repository: 'digest/app', tag: 'any' }, { login: async () => wrong }), (err: unknown) => {
      failsWith('REGISTRY_ERROR', /HTTP 401/)(err);
      assert.ok(!(err as Error).message.includes(wrong.password));
      return true;
    });
  });

  test('a missing tag and a missing repository are IMAGE_NOT_FOUND naming the reference', async (t) => {
    if (noDocker || !basic) return t.skip(noDocker ?? 'no registry');
    const login = async () => ({ ...LOGIN, registry: basic!.host });
    await assert.rejects(oci.resolve({ registry: basic.host, repository: 'digest/app', tag: `nope-${RUN}` }, { login }), failsWith('IMAGE_NOT_FOUND', `${basic.host}/digest/app:nope-${RUN}`, `"nope-${RUN}"`));
    await assert.rejects(oci.resolve({ registry: basic.host, repository: `no/such-${RUN}`, tag: 'v1' }, { login }), failsWith('IMAGE_NOT_FOUND', `no/such-${RUN}`));
  });

  test('Bearer token auth: an anonymous token for the challenge\'s service and scope, one retry, the pushed digest', async (t) => {
    if (noDocker || !bearer) return t.skip(noDocker ?? 'no registry');
    const image: TaggedImage = { registry: bearer.host, repository: 'team/app', tag: `v-${RUN}` };
    const pushed = await pushTiny(`${image.registry}/${image.repository}:${image.tag}`, `bearer ${RUN}\n`);
    const before = bearer.tokenRequests().length;
    assert.deepEqual(await oci.resolve(image), { digest: pushed });
    const asked = bearer.tokenRequests().slice(before);
    assert.equal(asked.length, 1, 'one token request');
    assert.equal(asked[0]!.get('service'), 'hello-deploy-test-registry');
    assert.equal(asked[0]!.get('scope'), 'repository:team/app:pull');
    await assert.rejects(oci.resolve({ ...image, tag: `gone-${RUN}` }), failsWith('IMAGE_NOT_FOUND', `team/app:gone-${RUN}`));
  });

  test('a registry that refuses connections is REGISTRY_UNREACHABLE naming it, at once', async () => {
    const port = await freePort();
    const started = Date.now();
    await assert.rejects(oci.resolve({ registry: `127.0.0.1:${port}`, repository: 'x', tag: 'v1' }), failsWith('REGISTRY_UNREACHABLE', `127.0.0.1:${port}`, /ECONNREFUSED/));
    assert.ok(Date.now() - started < 5_000);
  });

  test('a registry that accepts and never answers is REGISTRY_UNREACHABLE after the bound, not a hang', async (t) => {
    if (noDocker || !basic) return t.skip(noDocker ?? 'no registry');
    const proxy = await startStallProxy(basic.port);
    try {
      proxy.stall();
      const host = proxy.endpoint.replace('http://', '');
      const started = Date.now();
      await assert.rejects(createOciImageDigests({ timeoutMs: 700 }).resolve({ registry: host, repository: 'digest/app', tag: 'v1' }), failsWith('REGISTRY_UNREACHABLE', host, /no answer within 0\.7 s/));
      const took = Date.now() - started;
      assert.ok(took >= 600 && took < 5_000, `bounded by the timeout (took ${took} ms)`);
      assert.ok(proxy.connections() >= 1, 'the request reached the stalled registry');
    } finally {
      await proxy.close();
    }
  });

  test('platforms of a single image docker pushed (imported here, so this machine\'s): its config\'s os and architecture, by tag and by digest', async (t) => {
    if (noDocker || !basic) return t.skip(noDocker ?? 'no registry');
    const image: TaggedImage = { registry: basic.host, repository: 'arch/app', tag: `host-${RUN}` };
    const pushed = await pushTiny(`${image.registry}/${image.repository}:${image.tag}`, `host ${RUN}\n`);
    const login = async () => ({ ...LOGIN, registry: basic!.host });
    // `docker import` records the engine's own platform, as `docker build` does for this machine.
    const host = { os: 'linux', architecture: process.arch === 'arm64' ? 'arm64' : 'amd64' };
    assert.deepEqual(await oci.platforms(image, { login }), { digest: pushed, platforms: [host] });
    assert.deepEqual(await oci.platforms({ registry: image.registry, repository: image.repository, digest: pushed }, { login }), { digest: pushed, platforms: [host] });
  });

  test('platforms of an arm64 image (pushed blob by blob: nothing here builds or runs one) and of an OCI index over both, attestations left out', async (t) => {
    if (noDocker || !basic) return t.skip(noDocker ?? 'no registry');
    const target = { host: basic.host, repository: 'arch/multi', auth: { username: LOGIN.username, password: LOGIN.password } };
    const login = async () => ({ ...LOGIN, registry: basic!.host });
    const arm = await pushImageFor(target, `arm-${RUN}`, { os: 'linux', architecture: 'arm64', variant: 'v8' });
    const amd = await pushImageFor(target, `amd-${RUN}`, { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(await oci.platforms({ registry: basic.host, repository: 'arch/multi', tag: `arm-${RUN}` }, { login }), { digest: arm.digest, platforms: [{ os: 'linux', architecture: 'arm64', variant: 'v8' }] });

    const entry = (m: { digest: string; size: number }, platform: object, annotations?: object) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...m, platform, ...(annotations ? { annotations } : {}) });
    const index = await putManifest(target, `both-${RUN}`, {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        entry(amd, { os: 'linux', architecture: 'amd64' }),
        entry(arm, { os: 'linux', architecture: 'arm64', variant: 'v8' }),
        // What BuildKit adds for provenance: an "unknown/unknown" manifest that is no platform at all.
        entry(amd, { os: 'unknown', architecture: 'unknown' }, { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd.digest }),
      ],
    }, 'application/vnd.oci.image.index.v1+json');
    const both = await oci.platforms({ registry: basic.host, repository: 'arch/multi', tag: `both-${RUN}` }, { login });
    assert.deepEqual(both, { digest: index.digest, platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }] });
    // The index's digest is what a tag names and what gets deployed, and resolve() agrees.
    assert.deepEqual(await oci.resolve({ registry: basic.host, repository: 'arch/multi', tag: `both-${RUN}` }, { login }), { digest: index.digest });
    assert.deepEqual(architecturesOf(both.platforms!), ['X86_64', 'ARM64']);
  });

  test('platforms: a missing tag or digest is IMAGE_NOT_FOUND; over Bearer token auth the token is asked for once', async (t) => {
    if (noDocker || !basic || !bearer) return t.skip(noDocker ?? 'no registry');
    const login = async () => ({ ...LOGIN, registry: basic!.host });
    await assert.rejects(oci.platforms({ registry: basic.host, repository: 'arch/app', tag: `none-${RUN}` }, { login }), (e: unknown) => e instanceof AbortError && e.code === 'IMAGE_NOT_FOUND' && /no tag "none-/.test(e.message));
    await assert.rejects(oci.platforms({ registry: basic.host, repository: 'arch/app', digest: `sha256:${'0'.repeat(64)}` }, { login }), (e: unknown) => e instanceof AbortError && e.code === 'IMAGE_NOT_FOUND' && /no manifest "sha256:0{64}"/.test(e.message));
    const image: TaggedImage = { registry: bearer.host, repository: 'team/arch', tag: `v-${RUN}` };
    const pushed = await pushTiny(`${image.registry}/${image.repository}:${image.tag}`, `bearer arch ${RUN}\n`);
    const before = bearer.tokenRequests().length;
    const read = await oci.platforms(image);
    assert.equal(read.digest, pushed);
    assert.equal(read.platforms?.length, 1);
    assert.equal(bearer.tokenRequests().length - before, 1, 'one token for the manifest and the config blob');
  });

  test('plain HTTP only for loopback registries; challenges are read with their parameters', () => {
    assert.equal(registryBase('127.0.0.1:5000'), 'http://127.0.0.1:5000');
    assert.equal(registryBase('localhost:5000'), 'http://localhost:5000');
    assert.equal(registryBase('registry.example.com'), 'https://registry.example.com');
    assert.equal(registryBase('127.example.com:5000'), 'https://127.example.com:5000');
    assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull"'), {
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/python:pull' },
    });
    assert.deepEqual(parseChallenge('Basic realm="hello-deploy-local"'), { scheme: 'basic', params: { realm: 'hello-deploy-local' } });
    assert.equal(parseChallenge(null), undefined);
  });
});

describe('ECR DescribeImages against moto, chosen for ECR hosts', () => {
  const ACCOUNT = '123456789012';
  const HOST = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
  let moto: Moto;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    for (const [k, v] of Object.entries({ ...FAKE_AWS_ENV, AWS_PROFILE: undefined })) {
      saved[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    moto = await startMoto();
  });

  after(async () => {
    await moto?.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  test('a tag resolves to the digest ECR holds for it; a missing tag or repository is IMAGE_NOT_FOUND; the region is the host\'s', async () => {
    const ecr = new ECRClient({ endpoint: moto.endpoint, region: 'us-east-1' });
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prebuilt/app' }));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: `sha256:${'c'.repeat(64)}` },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3, digest: `sha256:${RUN.repeat(8)}` }],
    });
    const put = await ecr.send(new PutImageCommand({ repositoryName: 'prebuilt/app', imageManifest: manifest, imageTag: 'v1' }));
    const held = put.image?.imageId?.imageDigest;
    assert.match(held ?? '', /^sha256:[a-f0-9]{64}$/);
    ecr.destroy();

    // Through the chooser, as the deploy wires it: an ECR host goes to ECR (here moto), never to the OCI API.
    const digests = createImageDigests({ endpointUrl: moto.endpoint });
    const before = (await moto.settled()).length;
    assert.deepEqual(await digests.resolve({ registry: HOST, repository: 'prebuilt/app', tag: 'v1' }), { digest: held });
    assert.equal((await moto.settled()).length, before + 1, 'one DescribeImages call to moto');
    await assert.rejects(digests.resolve({ registry: HOST, repository: 'prebuilt/app', tag: 'v2' }), failsWith('IMAGE_NOT_FOUND', `${HOST}/prebuilt/app:v2`, /has no tag "v2"/));
    await assert.rejects(digests.resolve({ registry: HOST, repository: 'prebuilt/none', tag: 'v1' }), failsWith('IMAGE_NOT_FOUND', /no ECR repository "prebuilt\/none" in us-east-1/));
    // The same repository name in another region's registry is another repository.
    await assert.rejects(digests.resolve({ registry: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`, repository: 'prebuilt/app', tag: 'v1' }), failsWith('IMAGE_NOT_FOUND', /in eu-west-1/));
  });

  test('platforms through ECR BatchGetImage on moto: an index is read from the manifest; a single image\'s config cannot be (moto has no GetDownloadUrlForLayer), which is said, not guessed', async () => {
    const ecr = new ECRClient({ endpoint: moto.endpoint, region: 'us-east-1' });
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'arch/app' }));
    const single = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: `sha256:${'c'.repeat(64)}` },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3, digest: `sha256:${'e'.repeat(64)}` }],
    });
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 500, digest: `sha256:${'a'.repeat(64)}`, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }],
    });
    const one = await ecr.send(new PutImageCommand({ repositoryName: 'arch/app', imageManifest: single, imageTag: 'single' }));
    const multi = await ecr.send(new PutImageCommand({ repositoryName: 'arch/app', imageManifest: index, imageTag: 'multi', imageManifestMediaType: 'application/vnd.oci.image.index.v1+json' }));
    ecr.destroy();

    const digests = createImageDigests({ endpointUrl: moto.endpoint });
    assert.deepEqual(await digests.platforms({ registry: HOST, repository: 'arch/app', tag: 'multi' }), { digest: multi.image?.imageId?.imageDigest, platforms: [{ os: 'linux', architecture: 'arm64', variant: 'v8' }] });
    const started = Date.now();
    const unknown = await digests.platforms({ registry: HOST, repository: 'arch/app', tag: 'single' });
    assert.equal(unknown.digest, one.image?.imageId?.imageDigest);
    assert.equal(unknown.platforms, undefined);
    assert.match(unknown.unknown ?? '', /^the emulator's ECR does not serve the image config that names the architecture \(its GetDownloadUrlForLayer failed with HTTP 500\)$/);
    assert.ok(Date.now() - started < 5_000, 'one attempt on an emulator, no retries with backoff');
    await assert.rejects(digests.platforms({ registry: HOST, repository: 'arch/app', tag: 'gone' }), failsWith('IMAGE_NOT_FOUND', /ECR repository "arch\/app" in us-east-1 has no tag "gone"/));
    await assert.rejects(digests.platforms({ registry: HOST, repository: 'arch/none', tag: 'v1' }), failsWith('IMAGE_NOT_FOUND', /no ECR repository "arch\/none" in us-east-1/));
  });
});
