// The image steps (ecr-login, docker-build, tag-image, push-image, and image-target's choice of repository) over
// FAKE ports (test/support/fake-ports.ts): a build that fails half-way, a push that reports no digest, --image and
// --registry, which a real engine and registry test only along the happy path.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ecrLogin } from '../cli/steps/ecr-login.ts';
import { dockerBuild } from '../cli/steps/docker-build.ts';
import { tagImage } from '../cli/steps/tag-image.ts';
import { pushImage } from '../cli/steps/push-image.ts';
import { AbortError, UsageError } from '../cli/core/errors.ts';
import { imageNotFound } from '../cli/domain/image-ref.ts';
import type { DockerPort, ImageDigestPort, RegistryAuthPort, RegistryImage, RegistryLogin } from '../cli/ports/deploy.ts';
import type { ImagePlatform } from '../cli/domain/architecture.ts';
import { checkImageArchitecture } from '../cli/steps/image-architecture.ts';
import { DIGEST, REPOSITORY, allText, fakeDocker, recordingIO, stepCtx, untouchable } from './support/fake-ports.ts';

const TAG = 'abc1234-20250101120000';
const BUILT = `feature-x-hello-world:${TAG}`;
const PREBUILT = 'public.ecr.aws/acme/hello:1.2.3';
/** A fake GetAuthorizationToken answer; the password is what must never surface in an event. */
const TOKEN = { registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', username: 'AWS', password: 's3cr3t-token-value' };
const ecrAuth: RegistryAuthPort = { getLogin: async () => ({ ...TOKEN }) };

describe('ecr-login', () => {
  test('logs in with the token, to --registry when given, and the password appears in no event', async () => {
    const docker = fakeDocker();
    const ctx = stepCtx({ ecrAuth, docker }, { options: { registry: '127.0.0.1:5001' } });
    const { io, rec } = recordingIO();
    await ecrLogin.run(ctx, io);
    assert.deepEqual(docker.logins, [{ ...TOKEN, registry: '127.0.0.1:5001' }]);
    assert.equal(ctx.state.login?.registry, '127.0.0.1:5001');
    assert.ok(!allText(rec).includes(TOKEN.password), 'the password reached an event');
  });

  test('with --image it is skipped and asks ECR and Docker nothing', async () => {
    const ctx = stepCtx({ ecrAuth: untouchable<RegistryAuthPort>('ecrAuth'), docker: untouchable<DockerPort>('docker') }, { options: { image: PREBUILT } });
    const { io } = recordingIO();
    assert.deepEqual(await ecrLogin.run(ctx, io), { status: 'skipped', reason: `--image ${PREBUILT} is used as it is` });
    assert.equal(ctx.state.login, undefined);
  });
});

describe('docker-build', () => {
  test('a failing build fails the step with the engine error, after streaming the lines it printed; nothing is left to tag', async () => {
    const docker = fakeDocker({ buildLines: ['Step 1/3 : FROM python', 'Step 2/3 : RUN pip install -r requirements.txt'], buildFails: true });
    const ctx = stepCtx({ docker });
    const { io, rec } = recordingIO();
    await assert.rejects(dockerBuild.run(ctx, io), (e: AbortError) => e.code === 'DOCKER_BUILD_FAILED');
    assert.deepEqual(rec.logs, ['Step 1/3 : FROM python', 'Step 2/3 : RUN pip install -r requirements.txt']);
    assert.equal(ctx.state.builtImage, undefined);
  });

  test('the hint follows the output: a failing RUN step points at the log; an unpullable base without the local one says how to build it', async () => {
    const run = fakeDocker({ buildLines: ['Step 2/3 : RUN pip install -r requirements.txt', 'ERROR: No matching distribution found for flask'], buildFails: true });
    await assert.rejects(dockerBuild.run(stepCtx({ docker: run }), recordingIO().io), (e: AbortError) => /^A step of the Dockerfile failed: the build output above shows which/.test(e.hint ?? '') && /FROM the Dockerfile's base image \(ARG BASE_IMAGE\)/.test(e.hint ?? ''));
    const pull = fakeDocker({ buildLines: ['Step 2/3 : FROM ${BASE_IMAGE}', 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host'], buildFails: true });
    await assert.rejects(dockerBuild.run(stepCtx({ docker: pull }), recordingIO().io), (e: AbortError) => {
      assert.match(e.hint ?? '', /^Docker could not pull the Dockerfile's base image \(ARG BASE_IMAGE\): .*Pass --base-image <an image this machine has>/);
      assert.match(e.hint ?? '', /`npm run setup` builds hello-deploy\/python-base:trixie without pulling anything/);
      return true;
    });
  });

  test('builds <ecosystem>-hello-world:<tag> with the build args, and counts the lines it streamed', async () => {
    const docker = fakeDocker({ buildLines: ['a', 'b', 'c'] });
    const ctx = stepCtx({ docker }, { options: { buildArgs: { BASE_IMAGE: 'hello-deploy/python-base:trixie' } } });
    const { io } = recordingIO();
    const outcome = await dockerBuild.run(ctx, io);
    assert.deepEqual(docker.calls, [`build ${BUILT} {"BASE_IMAGE":"hello-deploy/python-base:trixie"}`]);
    assert.equal(ctx.state.builtImage, BUILT);
    assert.match(outcome.status === 'succeeded' ? (outcome.summary ?? '') : '', /\(linux\/amd64, sha256:cdcdcdcdcdcd, 3 build lines\)$/);
    assert.deepEqual(docker.platforms, ['linux/amd64']);
  });

  test('--platform follows the architecture; an image of another one is DOCKER_BUILD_ARCH naming both and what the engine can build', async () => {
    const arm = fakeDocker({ built: { os: 'linux', architecture: 'arm64', variant: 'v8' } });
    const ok = await dockerBuild.run(stepCtx({ docker: arm }, { options: { architecture: 'ARM64' } }), recordingIO().io);
    assert.deepEqual(arm.platforms, ['linux/arm64']);
    assert.match(ok.status === 'succeeded' ? (ok.summary ?? '') : '', /\(linux\/arm64\/v8, /);

    const amd = fakeDocker({ built: { os: 'linux', architecture: 'amd64' } });
    const ctx = stepCtx({ docker: amd }, { options: { architecture: 'ARM64' } });
    await assert.rejects(dockerBuild.run(ctx, recordingIO().io), (e: AbortError) => {
      assert.equal(e.code, 'DOCKER_BUILD_ARCH');
      assert.match(e.message, /^docker build --platform linux\/arm64 produced a linux\/amd64 image \(sha256:cdcdcdcdcdcd\), which Fargate cannot run as ARM64\.$/);
      assert.match(e.hint ?? '', /tonistiigi\/binfmt --install arm64/);
      assert.match(e.hint ?? '', /Or deploy what this engine builds: --arch x86_64; or build on an arm64 machine and deploy it with --image\.$/);
      return true;
    });
    assert.equal(ctx.state.builtImage, undefined, 'nothing for tag-image and push-image');
  });

  test('a RUN step the kernel refuses ("exec format error": no emulation) gets the emulation hint, not the pip one', async () => {
    const docker = fakeDocker({ buildLines: ['Step 5/12 : RUN groupadd --system app', 'exec /bin/sh: exec format error'], buildFails: true });
    await assert.rejects(dockerBuild.run(stepCtx({ docker }, { options: { architecture: 'ARM64' } }), recordingIO().io), (e: AbortError) => {
      assert.equal(e.code, 'DOCKER_BUILD_FAILED');
      assert.match(e.hint ?? '', /^Building linux\/arm64 on an engine of another architecture needs emulation/);
      assert.match(e.hint ?? '', /Or leave --arch out: the default is this machine's own architecture/);
      return true;
    });
  });
});

describe('tag-image and image-target', () => {
  test('tags the ECR repository with the run tag and latest, and keeps the run tag to push', async () => {
    const docker = fakeDocker();
    const ctx = stepCtx({ docker }, { state: { builtImage: BUILT, repository: REPOSITORY } });
    await tagImage.run(ctx, recordingIO().io);
    assert.deepEqual(docker.calls, [`tag ${BUILT} ${REPOSITORY.uri}:${TAG}`, `tag ${BUILT} ${REPOSITORY.uri}:latest`]);
    assert.equal(ctx.state.pushRef, `${REPOSITORY.uri}:${TAG}`);
  });

  test('with --registry the same repository name goes to that registry instead of the ECR URI', async () => {
    const docker = fakeDocker();
    const ctx = stepCtx({ docker }, { options: { registry: '127.0.0.1:5001' }, state: { builtImage: BUILT, repository: REPOSITORY } });
    await tagImage.run(ctx, recordingIO().io);
    assert.equal(ctx.state.pushRef, `127.0.0.1:5001/${REPOSITORY.name}:${TAG}`);
  });

  test('before the ECR stack has given a repository there is nothing to tag into: a bug, not a guess', async () => {
    const ctx = stepCtx({ docker: untouchable<DockerPort>('docker') }, { state: { builtImage: BUILT } });
    await assert.rejects(tagImage.run(ctx, recordingIO().io), (e: AbortError) => e.code === 'BUG' && /ECR repository is not known/.test(e.message));
  });
});

/**
 * A FAKE ImageDigestPort: answers `digest` and `platforms` (or `unknown`), or throws `fails`, and records what it
 * was asked and whether a login was offered.
 */
function fakeDigests(script: { digest?: string; fails?: Error; platforms?: ImagePlatform[]; unknown?: string } = {}): ImageDigestPort & { asked: Array<RegistryImage & { login?: RegistryLogin }> } {
  const asked: Array<RegistryImage & { login?: RegistryLogin }> = [];
  return {
    asked,
    async resolve(image, opts = {}) {
      asked.push({ ...image, ...(opts.login ? { login: await opts.login() } : {}) });
      if (script.fails) throw script.fails;
      return { digest: script.digest ?? DIGEST };
    },
    async platforms(image, opts = {}) {
      asked.push({ ...image, ...(opts.login ? { login: await opts.login() } : {}) });
      if (script.fails) throw script.fails;
      const digest = image.digest ?? script.digest ?? DIGEST;
      return script.unknown ? { digest, unknown: script.unknown } : { digest, platforms: script.platforms ?? [{ os: 'linux', architecture: 'amd64' }] };
    },
  };
}

describe('the --image architecture check (checkImageArchitecture, shared with the preflight)', () => {
  const AMD: ImagePlatform = { os: 'linux', architecture: 'amd64' };
  const ARM: ImagePlatform = { os: 'linux', architecture: 'arm64', variant: 'v8' };

  test('an image of the tasks\' architecture passes, with the digest it read and the reference pinned by it', async () => {
    const imageDigests = fakeDigests({ platforms: [AMD] });
    const r = await checkImageArchitecture({ imageDigests, ecrAuth: untouchable<RegistryAuthPort>('ecrAuth') }, { image: PREBUILT, architecture: 'X86_64' });
    assert.deepEqual(r, { ok: true, value: { digest: DIGEST, pinned: `public.ecr.aws/acme/hello@${DIGEST}`, platforms: [AMD] } });
    assert.deepEqual(imageDigests.asked, [{ registry: 'public.ecr.aws', repository: 'acme/hello', tag: '1.2.3' }], 'read anonymously');
  });

  test('an index with both platforms runs on either; a digest reference is read by its digest', async () => {
    const both = fakeDigests({ platforms: [AMD, ARM] });
    const byDigest = `public.ecr.aws/acme/hello@${'sha256:' + 'ef'.repeat(32)}`;
    for (const architecture of ['X86_64', 'ARM64'] as const) {
      const r = await checkImageArchitecture({ imageDigests: both, ecrAuth }, { image: byDigest, architecture });
      assert.ok(r.ok && r.value.digest === `sha256:${'ef'.repeat(32)}`, JSON.stringify(r));
    }
    assert.deepEqual(both.asked[0], { registry: 'public.ecr.aws', repository: 'acme/hello', digest: `sha256:${'ef'.repeat(32)}` });
  });

  test('another architecture is IMAGE_ARCH_MISMATCH (exit 2): what the image holds, why this architecture, and both ways out', async () => {
    const r = await checkImageArchitecture({ imageDigests: fakeDigests({ platforms: [AMD] }), ecrAuth }, { image: PREBUILT, architecture: 'ARM64', architectureFromHost: true });
    assert.ok(!r.ok);
    assert.ok(r.error instanceof UsageError);
    assert.equal(r.error.code, 'IMAGE_ARCH_MISMATCH');
    assert.equal(r.error.exitCode, 2);
    assert.equal(r.error.message, `--image "${PREBUILT}" holds linux/amd64, but the tasks would run on ARM64 (this machine's architecture, the default without --arch), which needs linux/arm64: Fargate would start it and watch it fail with "exec format error". Nothing was changed.`);
    assert.match(r.error.hint ?? '', /^Run it as it is on X86_64 Fargate: --arch x86_64\. Or push an image for linux\/arm64/);
    const flag = await checkImageArchitecture({ imageDigests: fakeDigests({ platforms: [ARM, { os: 'windows', architecture: 'amd64' }] }), ecrAuth }, { image: PREBUILT, architecture: 'X86_64' });
    assert.ok(!flag.ok);
    assert.match(flag.error.message, /holds linux\/arm64\/v8, windows\/amd64, but the tasks would run on X86_64 \(--arch x86_64\)/);
  });

  test('a registry that cannot say (an emulator\'s ECR) is unchecked, with the reason, never passed off as checked', async () => {
    const r = await checkImageArchitecture({ imageDigests: fakeDigests({ unknown: 'the emulator\'s ECR does not serve the image config' }), ecrAuth }, { image: PREBUILT, architecture: 'ARM64' });
    assert.deepEqual(r, { ok: true, value: { digest: DIGEST, pinned: `public.ecr.aws/acme/hello@${DIGEST}`, unchecked: 'the emulator\'s ECR does not serve the image config' } });
  });

  test('the --registry stand-in for ECR is read with the ECR token; IMAGE_NOT_FOUND comes back as it was', async () => {
    const imageDigests = fakeDigests();
    await checkImageArchitecture({ imageDigests, ecrAuth }, { image: '127.0.0.1:5001/feature-x-hello-world-ecr:v7', architecture: 'X86_64', registry: '127.0.0.1:5001' });
    assert.deepEqual(imageDigests.asked, [{ registry: '127.0.0.1:5001', repository: 'feature-x-hello-world-ecr', tag: 'v7', login: { ...TOKEN, registry: '127.0.0.1:5001' } }]);
    const missing = await checkImageArchitecture({ imageDigests: fakeDigests({ fails: imageNotFound(PREBUILT, 'gone') }), ecrAuth }, { image: PREBUILT, architecture: 'X86_64' });
    assert.ok(!missing.ok && missing.error.code === 'IMAGE_NOT_FOUND');
  });
});

describe('push-image', () => {
  const tagged = { pushRef: `${REPOSITORY.uri}:${TAG}`, repository: REPOSITORY };
  const noImagePorts = { imageDigests: untouchable<ImageDigestPort>('imageDigests'), ecrAuth: untouchable<RegistryAuthPort>('ecrAuth') };

  test('pins the image by the digest of the run tag (not of latest), pushing the run tag first', async () => {
    const docker = fakeDocker({ digests: { [`${REPOSITORY.uri}:latest`]: `sha256:${'99'.repeat(32)}` } });
    const ctx = stepCtx({ docker, ...noImagePorts }, { state: tagged });
    const { io, rec } = recordingIO();
    await pushImage.run(ctx, io);
    assert.deepEqual(docker.calls, [`push ${REPOSITORY.uri}:${TAG}`, `push ${REPOSITORY.uri}:latest`]);
    assert.equal(ctx.state.imageId, `${REPOSITORY.uri}@${DIGEST}`);
    assert.deepEqual(rec.logs, [`${REPOSITORY.uri}:${TAG}: Pushed`, `${REPOSITORY.uri}:latest: Pushed`]);
  });

  test('a push that reports no digest fails the step; latest is not pushed and no image is left for the infra stack', async () => {
    const docker = fakeDocker({ noDigest: true });
    const ctx = stepCtx({ docker, ...noImagePorts }, { state: tagged });
    await assert.rejects(pushImage.run(ctx, recordingIO().io), (e: AbortError) => e.code === 'DOCKER_PUSH_FAILED' && /no digest/.test(e.message));
    assert.deepEqual(docker.calls, [`push ${REPOSITORY.uri}:${TAG}`]);
    assert.equal(ctx.state.imageId, undefined);
  });

  test('a digest --image is deployed as it is: nothing is pushed or resolved', async () => {
    const byDigest = `public.ecr.aws/acme/hello@${DIGEST}`;
    const ctx = stepCtx({ docker: untouchable<DockerPort>('docker'), ...noImagePorts }, { options: { image: byDigest } });
    assert.match(pushImage.describe(ctx), /pinned by its digest and deployed as it is/);
    const outcome = await pushImage.run(ctx, recordingIO().io);
    assert.equal(outcome.status, 'skipped');
    assert.equal(ctx.state.imageId, byDigest);
  });

  test('a tagged --image is pinned to the digest the prerequisites read (no second lookup: the image checked is the image run)', async () => {
    const ctx = stepCtx({ docker: untouchable<DockerPort>('docker'), ...noImagePorts }, { options: { image: PREBUILT }, state: { checkedImage: { digest: `sha256:${'12'.repeat(32)}` } } });
    const { io, rec } = recordingIO();
    assert.deepEqual(await pushImage.run(ctx, io), { status: 'succeeded', summary: `resolved "${PREBUILT}" to public.ecr.aws/acme/hello@sha256:${'12'.repeat(32)}` });
    assert.equal(ctx.state.imageId, `public.ecr.aws/acme/hello@sha256:${'12'.repeat(32)}`);
    assert.deepEqual(rec.progress, []);
  });

  test('a tagged --image the prerequisites did not read is resolved to its digest and the infra stack gets <repository>@sha256:…; nothing is pushed', async () => {
    const imageDigests = fakeDigests();
    const ctx = stepCtx({ docker: untouchable<DockerPort>('docker'), imageDigests, ecrAuth: untouchable<RegistryAuthPort>('ecrAuth') }, { options: { image: PREBUILT } });
    assert.match(pushImage.describe(ctx), /the --image tag :1\.2\.3 is pinned to the digest it pointed to when the prerequisites read its manifest \(the registry API of public\.ecr\.aws\)/);
    const { io, rec } = recordingIO();
    const outcome = await pushImage.run(ctx, io);
    assert.deepEqual(imageDigests.asked, [{ registry: 'public.ecr.aws', repository: 'acme/hello', tag: '1.2.3' }], 'another registry is read anonymously');
    assert.equal(ctx.state.imageId, `public.ecr.aws/acme/hello@${DIGEST}`);
    assert.deepEqual(outcome, { status: 'succeeded', summary: `resolved "${PREBUILT}" to public.ecr.aws/acme/hello@${DIGEST}` });
    assert.deepEqual(rec.progress, [`resolving "${PREBUILT}" to its digest`]);
  });

  test('an ECR reference is described as an ECR lookup; the --registry stand-in for ECR gets the ECR token as its login', async () => {
    const ecrRef = `${REPOSITORY.uri}:v7`;
    assert.match(pushImage.describe(stepCtx({ docker: untouchable<DockerPort>('docker'), ...noImagePorts }, { options: { image: ecrRef } })), /\(ECR BatchGetImage\)/);
    const imageDigests = fakeDigests();
    const ctx = stepCtx({ docker: untouchable<DockerPort>('docker'), imageDigests, ecrAuth }, { options: { image: '127.0.0.1:5001/feature-x-hello-world-ecr:v7', registry: '127.0.0.1:5001' } });
    const { io, rec } = recordingIO();
    await pushImage.run(ctx, io);
    assert.deepEqual(imageDigests.asked, [{ registry: '127.0.0.1:5001', repository: 'feature-x-hello-world-ecr', tag: 'v7', login: { ...TOKEN, registry: '127.0.0.1:5001' } }]);
    assert.equal(ctx.state.imageId, `127.0.0.1:5001/feature-x-hello-world-ecr@${DIGEST}`);
    assert.ok(!allText(rec).includes(TOKEN.password), 'the password reached an event');
  });

  test('a tag the registry does not hold fails the step with IMAGE_NOT_FOUND, and leaves no image for the infra stack', async () => {
    const imageDigests = fakeDigests({ fails: imageNotFound(PREBUILT, 'public.ecr.aws has no tag "1.2.3" in "acme/hello"') });
    const ctx = stepCtx({ docker: untouchable<DockerPort>('docker'), imageDigests, ecrAuth }, { options: { image: PREBUILT } });
    await assert.rejects(pushImage.run(ctx, recordingIO().io), (e: unknown) => e instanceof AbortError && e.code === 'IMAGE_NOT_FOUND' && e.message.includes(PREBUILT) && /@sha256/.test(e.hint ?? ''));
    assert.equal(ctx.state.imageId, undefined);
  });
});
