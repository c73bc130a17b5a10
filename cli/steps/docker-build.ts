// Step 5. Build the app image with the real Dockerfile, streaming every line. It depends only on the
// prerequisites, so it runs while the ECR stack deploys.
import path from 'node:path';
import type { Step } from '../core/runner.ts';
import type { StepCtx } from './context.ts';
import { localImageName } from './image-target.ts';

export const dockerBuild: Step<StepCtx<'docker'>> = {
  id: 'docker-build',
  title: 'Build the image',
  after: ['prerequisites'],
  describe: ({ options }) =>
    options.image ? 'Skipped: --image is prebuilt.' : `docker build ${path.relative(options.projectDir, options.dockerfile) || options.dockerfile} as ${localImageName(options.ecosystem)}:${options.imageTag}, using the build cache.`,
  async run({ options, ports, state }, io) {
    if (options.image) return { status: 'skipped', reason: `--image ${options.image} is used as it is` };
    const tag = `${localImageName(options.ecosystem)}:${options.imageTag}`;
    let lines = 0;
    const { imageId } = await ports.docker.build({
      context: options.projectDir,
      dockerfile: options.dockerfile,
      tags: [tag],
      buildArgs: options.buildArgs,
      onLine: (line) => {
        lines += 1;
        io.log('stdout', line);
      },
    });
    state.builtImage = tag;
    return { status: 'succeeded', summary: `${tag} (${imageId.slice(0, 19)}, ${lines} build lines)` };
  },
};
