// Step 6. An immutable tag (git short SHA plus time) for the record, and `latest` for people who look.
import type { Step } from '../core/runner.ts';
import type { StepCtx } from './context.ts';
import { imageRepository } from './image-target.ts';
import { BugError } from '../core/errors.ts';

export const tagImage: Step<StepCtx<'docker'>> = {
  id: 'tag-image',
  title: 'Tag the image',
  after: ['docker-build', 'deploy-ecr-stack'],
  describe: ({ options }) => (options.image ? 'Skipped: --image is prebuilt.' : `docker tag as <repository>:${options.imageTag} and <repository>:latest.`),
  async run(ctx, io) {
    const { options, ports, state } = ctx;
    if (options.image) return { status: 'skipped', reason: `--image ${options.image} is used as it is` };
    if (!state.builtImage) throw new BugError('no built image to tag');
    const repo = imageRepository(ctx);
    for (const tag of [options.imageTag, 'latest']) {
      await ports.docker.tag(state.builtImage, `${repo}:${tag}`);
      io.progress(`${repo}:${tag}`);
    }
    state.pushRef = `${repo}:${options.imageTag}`;
    return { status: 'succeeded', summary: `${repo}:${options.imageTag}, ${repo}:latest` };
  },
};
