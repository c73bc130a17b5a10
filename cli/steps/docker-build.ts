// Step 5. Build the app image with the real Dockerfile, streaming every line. It depends only on the
// prerequisites, so it runs while the ECR stack deploys.
import path from 'node:path';
import type { Step } from '../core/runner.ts';
import type { StepCtx } from './context.ts';
import { localImageName } from './image-target.ts';
import { AbortError } from '../core/errors.ts';
import type { DockerPort } from '../ports/deploy.ts';
import { BASE_PULL_FAILED, LOCAL_BASE_IMAGE } from '../domain/base-image.ts';
import { CPU_ARCHITECTURES, archFlagValue, dockerPlatform, platformName, runsOn, type CpuArchitecture, type ImagePlatform } from '../domain/architecture.ts';

export const dockerBuild: Step<StepCtx<'docker'>> = {
  id: 'docker-build',
  title: 'Build the image',
  after: ['prerequisites'],
  describe: ({ options }) =>
    options.image
      ? 'Skipped: --image is prebuilt.'
      : `docker build --platform ${dockerPlatform(options.architecture)} ${path.relative(options.projectDir, options.dockerfile) || options.dockerfile} as ${buildTagOf(options)}, using the build cache.`,
  async run({ options, ports, state }, io) {
    if (options.image) return { status: 'skipped', reason: `--image ${options.image} is used as it is` };
    const tag = buildTagOf(options);
    let lines = 0;
    const output: string[] = [];
    const platform = dockerPlatform(options.architecture);
    const { imageId, platform: built } = await ports.docker
      .build({
        context: options.projectDir,
        dockerfile: options.dockerfile,
        tags: [tag],
        buildArgs: options.buildArgs,
        platform,
        onLine: (line) => {
          lines += 1;
          if (output.push(line) > 200) output.shift();
          io.log('stdout', line);
        },
      })
      .catch(async (err: unknown) => {
        if (!(err instanceof AbortError) || err.code !== 'DOCKER_BUILD_FAILED') throw err;
        const hint = output.some((l) => EXEC_FORMAT.test(l)) ? emulationHint(options.architecture, platform) : await buildHint(ports.docker, options.buildArgs['BASE_IMAGE'], output);
        throw new AbortError(err.code, err.message, { hint, cause: err });
      });
    // Fargate would start an image of another architecture and watch it die with "exec format error": refuse it here.
    if (built && !runsOn(built, options.architecture)) {
      throw new AbortError('DOCKER_BUILD_ARCH', `docker build --platform ${platform} produced a ${platformName(built)} image (${imageId.slice(0, 19)}), which Fargate cannot run as ${options.architecture}.`, {
        hint: emulationHint(options.architecture, platform, built),
      });
    }
    state.builtImage = tag;
    return { status: 'succeeded', summary: `${tag} (${built ? platformName(built) : platform}, ${imageId.slice(0, 19)}, ${lines} build lines)` };
  },
};

const buildTagOf = (o: StepCtx['options']) => o.buildTag ?? `${localImageName(o.ecosystem)}:${o.imageTag}`;

/** A RUN step of another architecture with no emulator to run it: the kernel refuses the binary. */
const EXEC_FORMAT = /exec format error/i;

/**
 * Building for another architecture than the engine's runs the Dockerfile's RUN steps under emulation (QEMU
 * registered with binfmt_misc: Docker Desktop has it, a plain Linux engine usually does not), and needs a base image
 * of that architecture. Without it the build fails ("exec format error"), or the legacy builder quietly uses a base
 * image of its own architecture.
 */
function emulationHint(arch: CpuArchitecture, platform: string, built?: ImagePlatform): string {
  const builds = built ? CPU_ARCHITECTURES.find((a) => runsOn(built, a)) : undefined;
  return (
    `${built ? `This engine built ${platformName(built)} (the legacy builder, for one, takes a base image already on the machine as it is, whatever --platform asks). ` : ''}` +
    `Building ${platform} on an engine of another architecture needs emulation (QEMU registered with binfmt_misc, e.g. \`docker run --privileged --rm tonistiigi/binfmt --install ${arch === 'ARM64' ? 'arm64' : 'amd64'}\`, or Docker Desktop) and a base image for ${platform} (BuildKit, \`docker buildx\`, pulls one). ` +
    (builds ? `Or deploy what this engine builds: --arch ${archFlagValue(builds)}` : 'Or leave --arch out: the default is this machine\'s own architecture, which builds without emulation') +
    `; or build on an ${archFlagValue(arch)} machine and deploy it with --image.`
  );
}

/**
 * What to try after a failed build, from what it printed: a base image that could not be pulled names --base-image
 * (and the local base image, when this engine has it); a failing RUN step points at the log.
 */
async function buildHint(docker: DockerPort, base: string | undefined, output: string[]): Promise<string> {
  const baseName = base ? `the base image ${base} (--base-image)` : "the Dockerfile's base image (ARG BASE_IMAGE)";
  if (!output.some((l) => BASE_PULL_FAILED.test(l))) {
    return `A step of the Dockerfile failed: the build output above shows which (a RUN step such as pip install, usually). It built FROM ${baseName}; builds use --network host.`;
  }
  const local = base !== LOCAL_BASE_IMAGE && (await docker.imageExists(LOCAL_BASE_IMAGE).catch(() => false));
  return (
    `Docker could not pull ${baseName}: no network to its registry, or no such image. Pass --base-image <an image this machine has> (or set HELLO_DEPLOY_BASE_IMAGE)` +
    (local ? `; this machine has ${LOCAL_BASE_IMAGE}, the local base image --local finds: --base-image ${LOCAL_BASE_IMAGE}.` : `; in a clone of hello-deploy, \`npm run setup\` builds ${LOCAL_BASE_IMAGE} without pulling anything.`)
  );
}
