// The image steps (cli/steps/docker-build.ts, ecr-login.ts, image-architecture.ts) over a FAKE DockerPort and FAKE
// registry reads, for what the mutation run showed no fast test pinned down (docs/mutation.md, cli/steps): which
// build output a failure's hint is read from, the base image it names, which errors pass through untouched, the
// emulation hint's words, and what the login and the architecture check hand on. The rest is test/steps-image.test.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError } from '../cli/core/errors.ts';
import type { StepIO } from '../cli/core/runner.ts';
import type { DeployPorts, DockerPort } from '../cli/ports/deploy.ts';
import { LOCAL_BASE_IMAGE } from '../cli/domain/base-image.ts';
import { dockerBuild } from '../cli/steps/docker-build.ts';
import { ecrLogin } from '../cli/steps/ecr-login.ts';
import { checkImageArchitecture } from '../cli/steps/image-architecture.ts';
import { pushImage } from '../cli/steps/push-image.ts';
import { tagImage } from '../cli/steps/tag-image.ts';
import { DIGEST, REPOSITORY, fakeDocker, recordingIO, stepCtx, untouchable } from './support/fake-ports.ts';

const PULL_FAILED = 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host';

describe('docker-build: a failed build\'s hint', () => {
  test('the hint is read from the last 200 lines of output: an "exec format error" 200 lines before the end still counts', async () => {
    const lines = (at: number) => Array.from({ length: 201 }, (_, i) => (i === at ? 'exec /bin/sh: exec format error' : `step output ${i}`));
    const kept = fakeDocker({ buildLines: lines(1), buildFails: true });
    await assert.rejects(dockerBuild.run(stepCtx({ docker: kept }, { options: { architecture: 'ARM64' } }), recordingIO().io), (e: AbortError) => /^Building linux\/arm64 on an engine of another architecture/.test(e.hint ?? ''));
    const dropped = fakeDocker({ buildLines: lines(0), buildFails: true });
    await assert.rejects(dockerBuild.run(stepCtx({ docker: dropped }, { options: { architecture: 'ARM64' } }), recordingIO().io), (e: AbortError) => /^A step of the Dockerfile failed/.test(e.hint ?? ''), 'older lines are not kept');
  });

  test('a --base-image is named in the hint; when it is the local base image itself, the same image is not suggested again', async () => {
    const run = fakeDocker({ buildLines: ['RUN pip install', 'ERROR: boom'], buildFails: true });
    await assert.rejects(dockerBuild.run(stepCtx({ docker: run }, { options: { buildArgs: { BASE_IMAGE: 'python:3.12-slim' } } }), recordingIO().io), (e: AbortError) => (e.hint ?? '').endsWith('It built FROM the base image python:3.12-slim (--base-image); builds use --network host.'));

    const local = fakeDocker({ buildLines: [PULL_FAILED], buildFails: true, images: [LOCAL_BASE_IMAGE] });
    await assert.rejects(dockerBuild.run(stepCtx({ docker: local }, { options: { buildArgs: { BASE_IMAGE: LOCAL_BASE_IMAGE } } }), recordingIO().io), (e: AbortError) => /`npm run setup` builds/.test(e.hint ?? '') && !/; this machine has/.test(e.hint ?? ''));

    const other = fakeDocker({ buildLines: [PULL_FAILED], buildFails: true, images: [LOCAL_BASE_IMAGE] });
    await assert.rejects(dockerBuild.run(stepCtx({ docker: other }, { options: { buildArgs: { BASE_IMAGE: 'python:3.12-slim' } } }), recordingIO().io), (e: AbortError) => (e.hint ?? '').endsWith(`; this machine has ${LOCAL_BASE_IMAGE}, the local base image --local finds: --base-image ${LOCAL_BASE_IMAGE}.`));

    // An engine that cannot say whether it has the image: no suggestion rather than a failure.
    const unsure = fakeDocker({ buildLines: [PULL_FAILED], buildFails: true });
    unsure.imageExists = async () => { throw new AbortError('DOCKER_UNAVAILABLE', 'engine gone'); };
    await assert.rejects(dockerBuild.run(stepCtx({ docker: unsure }), recordingIO().io), (e: AbortError) => e.code === 'DOCKER_BUILD_FAILED' && /`npm run setup` builds/.test(e.hint ?? ''));
  });

  test('any other failure (the engine gone, a bug) passes through as it was, not dressed as a build failure', async () => {
    for (const thrown of [new AbortError('DOCKER_UNAVAILABLE', 'Cannot connect to the Docker daemon'), new Error('socket closed')]) {
      const docker = fakeDocker();
      docker.build = async () => { throw thrown; };
      await assert.rejects(dockerBuild.run(stepCtx({ docker }), recordingIO().io), (e: unknown) => e === thrown);
    }
  });

  test('an x86_64 target built as arm64: the hint names what was built, and the binfmt install for amd64', async () => {
    const docker = fakeDocker({ built: { os: 'linux', architecture: 'arm64' } });
    await assert.rejects(dockerBuild.run(stepCtx({ docker }), recordingIO().io), (e: AbortError) => {
      assert.equal(e.code, 'DOCKER_BUILD_ARCH');
      assert.match(e.hint ?? '', /^This engine built linux\/arm64 \(the legacy builder, for one, takes a base image already on the machine as it is, whatever --platform asks\)\. Building linux\/amd64 /);
      assert.match(e.hint ?? '', /tonistiigi\/binfmt --install amd64`/);
      return true;
    });
  });

  test('the build output is streamed as stdout, line by line; with --image nothing is built', async () => {
    const streamed: string[] = [];
    const { io } = recordingIO();
    const logIO: StepIO = { ...io, log: (stream, line) => void streamed.push(`${stream} ${line}`) };
    await dockerBuild.run(stepCtx({ docker: fakeDocker({ buildLines: ['one', 'two'] }) }), logIO);
    assert.deepEqual(streamed, ['stdout one', 'stdout two']);
    const skipped = await dockerBuild.run(stepCtx({ docker: untouchable<DockerPort>('docker') }, { options: { image: '127.0.0.1:5000/app:1' } }), recordingIO().io);
    assert.deepEqual(skipped, { status: 'skipped', reason: '--image 127.0.0.1:5000/app:1 is used as it is' });
  });
});

describe('ecr-login', () => {
  test('says who it logged in as and where; the login lands in state for the push', async () => {
    const docker = fakeDocker();
    const ctx = stepCtx({ docker, ecrAuth: { getLogin: async () => ({ registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', username: 'AWS', password: 'secret' }) } });
    const { io, rec } = recordingIO();
    assert.deepEqual(await ecrLogin.run(ctx, io), { status: 'succeeded', summary: 'logged in to 123456789012.dkr.ecr.us-east-1.amazonaws.com' });
    assert.deepEqual(rec.progress, ['logged in to 123456789012.dkr.ecr.us-east-1.amazonaws.com as AWS']);
    assert.deepEqual(ctx.state.login, { registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', username: 'AWS', password: 'secret' });
  });
});

describe('checkImageArchitecture', () => {
  test('the caller\'s signal reaches the registry read', async () => {
    const signal = new AbortController().signal;
    const seen: (AbortSignal | undefined)[] = [];
    const ports = {
      imageDigests: { platforms: async (_i: unknown, o?: { signal?: AbortSignal }) => (seen.push(o?.signal), { digest: `sha256:${'ab'.repeat(32)}`, platforms: [{ os: 'linux', architecture: 'amd64' }] }) },
      ecrAuth: untouchable<{ getLogin(): never }>('ecrAuth'),
    };
    assert.equal((await checkImageArchitecture(ports as never, { image: '127.0.0.1:5000/app:1', architecture: 'X86_64' }, signal)).ok, true);
    assert.deepEqual(seen, [signal]);
  });
});

describe('push-image', () => {
  const TAGGED = { pushRef: `${REPOSITORY.uri}:abc1234-20250101120000`, repository: REPOSITORY };
  const noReads = { imageDigests: untouchable<DeployPorts['imageDigests']>('imageDigests'), ecrAuth: untouchable<DeployPorts['ecrAuth']>('ecrAuth') };

  test('both pushes stream as stdout; the summary counts the layers the registry already had, from the first push only', async () => {
    const docker = fakeDocker();
    docker.push = async (ref, onLine) => {
      for (const l of ref.endsWith(':latest') ? ['0123456789ab: Layer already exists', 'ba9876543210: Layer already exists'] : ['0123456789ab: Layer already exists', 'ba9876543210: Pushed']) onLine(l);
      return { digest: DIGEST };
    };
    const streamed: string[] = [];
    const { io } = recordingIO();
    const outcome = await pushImage.run(stepCtx({ docker, ...noReads }, { state: { ...TAGGED } }), { ...io, log: (s, l) => void streamed.push(`${s} ${l}`) });
    assert.deepEqual(outcome, { status: 'succeeded', summary: `${REPOSITORY.uri}@${DIGEST} (1 of 2 layer(s) already in the registry)` });
    assert.equal(streamed.length, 4);
    assert.ok(streamed.every((l) => l.startsWith('stdout ')), streamed.join('\n'));
  });

  test('no tagged image (a broken plan) is a bug, and nothing is pushed; a digest --image is skipped saying why', async () => {
    await assert.rejects(pushImage.run(stepCtx({ docker: untouchable<DockerPort>('docker'), ...noReads }, { state: { repository: REPOSITORY } }), recordingIO().io), (e: AbortError) => e.code === 'BUG' && /no tagged image to push/.test(e.message));
    const pinned = `127.0.0.1:5000/app@${DIGEST}`;
    assert.deepEqual(await pushImage.run(stepCtx({ docker: untouchable<DockerPort>('docker'), ...noReads }, { options: { image: pinned } }), recordingIO().io), { status: 'skipped', reason: `--image "${pinned}" is pinned by its digest and used as it is` });
  });
});

describe('tag-image', () => {
  test('each tag is said as it is made, and the summary names both; --image skips it; no built image is a bug', async () => {
    const docker = fakeDocker();
    const { io, rec } = recordingIO();
    const outcome = await tagImage.run(stepCtx({ docker }, { state: { builtImage: 'feature-x-hello-world:t1', repository: REPOSITORY } }), io);
    assert.deepEqual(rec.progress, [`${REPOSITORY.uri}:abc1234-20250101120000`, `${REPOSITORY.uri}:latest`]);
    assert.deepEqual(outcome, { status: 'succeeded', summary: `${REPOSITORY.uri}:abc1234-20250101120000, ${REPOSITORY.uri}:latest` });
    assert.deepEqual(await tagImage.run(stepCtx({ docker: untouchable<DockerPort>('docker') }, { options: { image: '127.0.0.1:5000/app:1' } }), recordingIO().io), { status: 'skipped', reason: '--image 127.0.0.1:5000/app:1 is used as it is' });
    await assert.rejects(tagImage.run(stepCtx({ docker: untouchable<DockerPort>('docker') }, { state: { repository: REPOSITORY } }), recordingIO().io), (e: AbortError) => e.code === 'BUG' && /no built image to tag/.test(e.message));
  });
});

describe('checkImageArchitecture: what it reads and says', () => {
  const reading = (answer: { digest: string; platforms?: { os: string; architecture: string }[]; unknown?: string }) => {
    const asked: unknown[] = [];
    return { asked, ports: { imageDigests: { platforms: async (image: unknown) => (asked.push(image), answer) }, ecrAuth: untouchable('ecrAuth') } as never };
  };

  test('a registry that gives neither platforms nor a reason: "the registry did not say", never passed off as checked', async () => {
    const r = reading({ digest: DIGEST });
    const out = await checkImageArchitecture(r.ports, { image: '127.0.0.1:5000/app:1', architecture: 'X86_64' });
    assert.deepEqual(r.asked, [{ registry: '127.0.0.1:5000', repository: 'app', tag: '1' }]);
    assert.deepEqual(out.ok && out.value, { digest: DIGEST, pinned: `127.0.0.1:5000/app@${DIGEST}`, unchecked: 'the registry did not say' });
  });

  test('an index with no runnable platform is a mismatch that says so', async () => {
    const out = await checkImageArchitecture(reading({ digest: DIGEST, platforms: [] }).ports, { image: '127.0.0.1:5000/app:1', architecture: 'X86_64' });
    assert.equal(out.ok === false && out.error.code, 'IMAGE_ARCH_MISMATCH');
    assert.match(out.ok === false ? out.error.message : '', /holds no runnable platform \(only attestations, or an empty index\)/);
  });
});
