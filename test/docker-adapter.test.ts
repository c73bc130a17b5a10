// The Docker adapter against the real engine and a real local registry (test/support/registry.ts).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { dockerUnavailableReason } from './support/docker.ts';
import { createDockerPort } from '../cli/adapters/docker/docker.ts';
import { dockerBuild } from '../cli/steps/docker-build.ts';
import { recordingIO, stepCtx } from './support/fake-ports.ts';
import { AbortError } from '../cli/core/errors.ts';
import { BASE_IMAGE } from './support/paths.ts';
import { dockerPlatform, hostArchitecture, platformName, runsOn, type CpuArchitecture } from '../cli/domain/architecture.ts';
import { startRegistry, type Registry } from './support/registry.ts';

const USERNAME = 'AWS';
const PASSWORD = '123456789012-auth-token';
const RUN_ID = randomBytes(4).toString('hex');
const LOCAL_TAG = `hello-deploy-test/adapter:${RUN_ID}`;
const REPO = 'hello-deploy-test/app';
/** The architecture of this machine, which the local base image was built for. */
const HOST_ARCH: CpuArchitecture = hostArchitecture(process.arch) ?? 'X86_64';

let engineProblem: string | undefined;
let registry: Registry | undefined;
let work = '';
let dockerConfig = '';
let argvLog = '';
let wrapper = '';
let quietPush = '';
const createdRefs: string[] = [LOCAL_TAG, `${LOCAL_TAG}-broken`];

function skipWithoutEngine(t: { skip(reason: string): void }): boolean {
  if (engineProblem === undefined) return false;
  t.skip(engineProblem);
  return true;
}

/** The adapter with its own DOCKER_CONFIG, so logins never touch the user's ~/.docker. */
function port(opts: { docker?: string; env?: Record<string, string> } = {}) {
  return createDockerPort({ docker: opts.docker ?? 'docker', env: { DOCKER_CONFIG: dockerConfig, ...opts.env } });
}

describe('docker adapter (real engine, local registry)', () => {
  before(async () => {
    const noDocker = await dockerUnavailableReason();
    if (noDocker) {
      engineProblem = noDocker;
      return;
    }
    work = await mkdtemp(path.join(tmpdir(), 'hello-deploy-docker-test-'));
    dockerConfig = path.join(work, 'docker-config');
    argvLog = path.join(work, 'argv.log');
    // A recorder in front of docker: one "--- call" line, then each argument on its own line, then the real CLI.
    wrapper = path.join(work, 'docker-recorder.sh');
    await writeFile(wrapper, `#!/bin/sh\nprintf '%s\\n' '--- call' "$@" >> '${argvLog}'\nexec docker "$@"\n`);
    await chmod(wrapper, 0o755);
    // A CLI that hides push's "digest:" line, to exercise the `docker inspect` fallback.
    quietPush = path.join(work, 'docker-quiet-push.sh');
    await writeFile(quietPush, `#!/bin/sh\nif [ "$1" = push ]; then\n  out=$(docker "$@" 2>&1); rc=$?\n  printf '%s\\n' "$out" | grep -v 'digest: sha256'\n  exit $rc\nfi\nexec docker "$@"\n`);
    await chmod(quietPush, 0o755);
    await writeFile(path.join(work, 'hello.txt'), `hello ${RUN_ID}\n`);
    await writeFile(path.join(work, 'Dockerfile'), `FROM ${BASE_IMAGE}\nARG GREETING=unset\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt && echo "greeting=$GREETING" > /greeting.txt\n`);
    await writeFile(path.join(work, 'Broken.Dockerfile'), `FROM ${BASE_IMAGE}\nRUN echo about-to-fail-${RUN_ID} && exit 3\n`);
    registry = await startRegistry({ username: USERNAME, password: PASSWORD });
  });

  after(async () => {
    if (engineProblem !== undefined) return;
    await execa('docker', ['rmi', '-f', ...createdRefs], { reject: false });
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('ping reports the server version', async (t) => {
    if (skipWithoutEngine(t)) return;
    const { serverVersion } = await port().ping();
    assert.match(serverVersion, /^\d+\.\d+/);
  });

  test('ping without a reachable engine is DOCKER_UNAVAILABLE with a hint', async (t) => {
    if (skipWithoutEngine(t)) return;
    const noEngine = port({ env: { DOCKER_HOST: `unix://${path.join(work, 'no-such.sock')}` } });
    await assert.rejects(noEngine.ping(), (err: unknown) => {
      assert.ok(err instanceof AbortError);
      assert.equal(err.code, 'DOCKER_UNAVAILABLE');
      assert.match(err.hint ?? '', /--image/);
      return true;
    });
    const noBinary = createDockerPort({ docker: path.join(work, 'no-such-docker') });
    await assert.rejects(noBinary.ping(), (err: unknown) => err instanceof AbortError && err.code === 'DOCKER_UNAVAILABLE');
  });

  test('login succeeds with the right password, and the password never reaches argv', async (t) => {
    if (skipWithoutEngine(t) || !registry) return;
    await port({ docker: wrapper }).login({ registry: registry.host, username: USERNAME, password: PASSWORD });
    const recorded = await readFile(argvLog, 'utf8');
    assert.match(recorded, /^login$/m);
    assert.match(recorded, /^--password-stdin$/m);
    assert.ok(!recorded.includes(PASSWORD), 'the password must not appear on docker argv');
    const config = JSON.parse(await readFile(path.join(dockerConfig, 'config.json'), 'utf8')) as { auths?: Record<string, unknown> };
    assert.ok(config.auths?.[registry.host], `docker stored a login for ${registry.host}`);
  });

  test('login with a wrong password is DOCKER_LOGIN_FAILED and leaks no password', async (t) => {
    if (skipWithoutEngine(t) || !registry) return;
    const wrong = `wrong-${RUN_ID}`;
    await assert.rejects(port().login({ registry: registry.host, username: USERNAME, password: wrong }), (err: unknown) => {
      assert.ok(err instanceof AbortError);
      assert.equal(err.code, 'DOCKER_LOGIN_FAILED');
      const shown = `${err.message}\n${err.hint ?? ''}`;
      assert.ok(!shown.includes(wrong) && !shown.includes(PASSWORD), `no password in: ${shown}`);
      assert.match(err.message, /unauthorized|authentication|401/i);
      return true;
    });
  });

  test('build streams every line, passes build args and --platform for this machine, reports the platform built, and reuses the cache the second time', async (t) => {
    if (skipWithoutEngine(t)) return;
    const docker = port({ docker: wrapper });
    const platform = dockerPlatform(HOST_ARCH);
    const req = (lines: string[]) => ({
      context: work,
      dockerfile: path.join(work, 'Dockerfile'),
      tags: [LOCAL_TAG],
      buildArgs: { GREETING: `hi-${RUN_ID}` },
      platform,
      onLine: (l: string) => lines.push(l),
    });
    const first: string[] = [];
    const { imageId, platform: built } = await docker.build(req(first));
    assert.match(imageId, /^sha256:[0-9a-f]{64}$/);
    // The local base image was built for this machine, and nothing is pulled: --platform of the host's own
    // architecture builds offline with it.
    assert.match((await readFile(argvLog, 'utf8')).split('--- call').findLast((c) => c.includes('\nbuild\n')) ?? '', new RegExp(`\\n--platform\\n${platform}\\n`));
    assert.ok(built, 'the built platform was read back');
    assert.equal(platformName(built), platform);
    assert.ok(runsOn(built, HOST_ARCH));
    assert.ok(first.some((l) => /^Step \d+\/\d+ :/.test(l)), 'a "Step n/m" line was streamed');
    assert.ok(first.some((l) => l.includes(`hello ${RUN_ID}`)), 'the RUN step output was streamed');
    const greeting = await execa('docker', ['run', '--rm', '--network', 'host', LOCAL_TAG, 'cat', '/greeting.txt']);
    assert.equal(greeting.stdout.trim(), `greeting=hi-${RUN_ID}`);

    const second: string[] = [];
    const again = await docker.build(req(second));
    assert.ok(second.some((l) => l.includes('Using cache')), 'the second build used the cache');
    assert.equal(again.imageId, imageId);
  });

  test('a failing build is DOCKER_BUILD_FAILED carrying the last lines', async (t) => {
    if (skipWithoutEngine(t)) return;
    const lines: string[] = [];
    await assert.rejects(
      port().build({ context: work, dockerfile: path.join(work, 'Broken.Dockerfile'), tags: [`${LOCAL_TAG}-broken`], buildArgs: {}, platform: dockerPlatform(HOST_ARCH), onLine: (l) => lines.push(l) }),
      (err: unknown) => {
        assert.ok(err instanceof AbortError);
        assert.equal(err.code, 'DOCKER_BUILD_FAILED');
        assert.match(err.message, new RegExp(`about-to-fail-${RUN_ID}`));
        return true;
      },
    );
    assert.ok(lines.length > 0, 'output was streamed before the failure');
    const left = await execa('docker', ['ps', '-a', '--no-trunc', '--format', '{{.Command}}']);
    assert.ok(!left.stdout.includes(`about-to-fail-${RUN_ID}`), 'the failed step left no stopped container behind');
  });

  test('a base image that cannot be pulled: the build step says so in one line and names --base-image and the local base image', async (t) => {
    if (skipWithoutEngine(t)) return;
    // Port 1 on loopback answers nothing: the pull fails at once, as it does on a machine with no network.
    await writeFile(path.join(work, 'Pulls.Dockerfile'), `ARG BASE_IMAGE\nFROM \${BASE_IMAGE}\nRUN true\n`);
    const unreachable = `127.0.0.1:1/nowhere/python:${RUN_ID}`;
    const ctx = stepCtx({ docker: port() }, { options: { projectDir: work, dockerfile: path.join(work, 'Pulls.Dockerfile'), buildArgs: { BASE_IMAGE: unreachable } } });
    const { io, rec } = recordingIO();
    await assert.rejects(dockerBuild.run(ctx, io), (err: unknown) => {
      assert.ok(err instanceof AbortError);
      assert.equal(err.code, 'DOCKER_BUILD_FAILED');
      // One line: the output itself is in the step's log already (a card would otherwise show it twice).
      assert.doesNotMatch(err.message, /\n/);
      assert.match(err.message, /^docker build failed: /);
      assert.match(err.hint ?? '', new RegExp(`Docker could not pull the base image ${unreachable.replaceAll('.', '\\.')} \\(--base-image\\)`));
      // setup (and .ci/run) build the local base image on this machine, so the hint offers it by name.
      assert.match(err.hint ?? '', new RegExp(`this machine has ${BASE_IMAGE}, the local base image --local finds: --base-image ${BASE_IMAGE}`));
      return true;
    });
    assert.ok(rec.logs.length > 0, 'the build output was streamed to the step log');
  });

  test('the other architecture: the build step never passes off an image of this machine\'s as it, and ends at once', async (t) => {
    if (skipWithoutEngine(t)) return;
    // FROM the local base image, built for this machine. What happens depends on the engine: with emulation
    // (QEMU in binfmt_misc) and a base image of that architecture, a real build; with Debian's docker.io 20.10 and
    // no emulation (this test bed), the legacy builder takes the local base image as it is and builds this
    // machine's architecture; with BuildKit and no emulation, RUN fails with "exec format error".
    const other: CpuArchitecture = HOST_ARCH === 'ARM64' ? 'X86_64' : 'ARM64';
    const tag = `hello-deploy-test/other-arch:${RUN_ID}`;
    createdRefs.push(`feature-x-hello-world:${tag.split(':')[1]}`);
    const ctx = stepCtx({ docker: port() }, { options: { projectDir: work, dockerfile: path.join(work, 'Dockerfile'), architecture: other, imageTag: tag.split(':')[1]! } });
    const { io, rec } = recordingIO();
    const started = Date.now();
    const outcome = await dockerBuild.run(ctx, io).then(
      (r) => ({ ok: true as const, r }),
      (err: unknown) => ({ ok: false as const, err }),
    );
    assert.ok(Date.now() - started < 120_000, 'bounded: no hang waiting for an emulator');
    if (outcome.ok) {
      // An engine that can emulate it: the summary names the platform built, which is the one asked for.
      assert.match(String((outcome.r as { summary?: string }).summary), new RegExp(dockerPlatform(other)));
      t.diagnostic(`this engine builds ${dockerPlatform(other)} (emulation present)`);
      return;
    }
    const err = outcome.err;
    assert.ok(err instanceof AbortError, String(err));
    assert.ok(['DOCKER_BUILD_ARCH', 'DOCKER_BUILD_FAILED'].includes(err.code), err.code);
    assert.match(err.hint ?? '', /needs emulation \(QEMU registered with binfmt_misc/);
    if (err.code === 'DOCKER_BUILD_ARCH') {
      assert.equal(err.message, `docker build --platform ${dockerPlatform(other)} produced a ${dockerPlatform(HOST_ARCH)} image (${err.message.match(/\((sha256:[0-9a-f]{12})\)/)?.[1]}), which Fargate cannot run as ${other}.`);
      assert.match(err.hint ?? '', new RegExp(`Or deploy what this engine builds: --arch ${HOST_ARCH.toLowerCase()}`));
      t.diagnostic(`this engine built ${dockerPlatform(HOST_ARCH)} when asked for ${dockerPlatform(other)}: refused (DOCKER_BUILD_ARCH)`);
    } else {
      assert.ok(rec.logs.some((l) => /exec format error/i.test(l)), rec.logs.slice(-5).join('\n'));
    }
    assert.equal(ctx.state.builtImage, undefined, 'nothing is left for the tag and push steps');
  });

  test('tag + push returns the digest the registry stores', async (t) => {
    if (skipWithoutEngine(t) || !registry) return;
    const docker = port();
    await docker.login({ registry: registry.host, username: USERNAME, password: PASSWORD });
    const remote = `${registry.host}/${REPO}:${RUN_ID}`;
    createdRefs.push(remote);
    await docker.tag(LOCAL_TAG, remote);
    const lines: string[] = [];
    const { digest } = await docker.push(remote, (l) => lines.push(l));
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    assert.ok(lines.some((l) => l.includes(digest)), 'the digest line was streamed');
    assert.equal(await registry.manifestDigest(REPO, RUN_ID), digest);
    assert.equal(await registry.hasManifest(REPO, digest), true);
    assert.equal(await registry.manifestDigest(REPO, 'never-pushed'), undefined);
  });

  test('push finds the digest through docker inspect when the CLI prints no digest line', async (t) => {
    if (skipWithoutEngine(t) || !registry) return;
    const docker = port({ docker: quietPush });
    await docker.login({ registry: registry.host, username: USERNAME, password: PASSWORD });
    const tag = `quiet-${RUN_ID}`;
    const remote = `${registry.host}/${REPO}:${tag}`;
    createdRefs.push(remote);
    await docker.tag(LOCAL_TAG, remote);
    const lines: string[] = [];
    const { digest } = await docker.push(remote, (l) => lines.push(l));
    assert.ok(lines.length > 0 && !lines.some((l) => l.includes('digest: sha256')), 'the wrapper hid the digest line');
    assert.equal(digest, await registry.manifestDigest(REPO, tag));
  });

  test('push without a login is DOCKER_PUSH_FAILED with a log-in hint', async (t) => {
    if (skipWithoutEngine(t) || !registry) return;
    const anonymous = port({ env: { DOCKER_CONFIG: path.join(work, 'empty-docker-config') } });
    const remote = `${registry.host}/${REPO}:anonymous-${RUN_ID}`;
    createdRefs.push(remote);
    await anonymous.tag(LOCAL_TAG, remote);
    await assert.rejects(anonymous.push(remote, () => undefined), (err: unknown) => {
      assert.ok(err instanceof AbortError);
      assert.equal(err.code, 'DOCKER_PUSH_FAILED');
      assert.match(err.hint ?? '', /log in/i);
      return true;
    });
    assert.equal(await registry.manifestDigest(REPO, `anonymous-${RUN_ID}`), undefined);
  });
});
