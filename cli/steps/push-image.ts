// Step 7. Push both tags, streaming progress, and keep the digest: the infra stack pins the image by digest.
import type { Step } from '../core/runner.ts';
import type { StepCtx } from './context.ts';
import { imageRepository } from './image-target.ts';
import { BugError } from '../core/errors.ts';

export const pushImage: Step<StepCtx<'docker'>> = {
  id: 'push-image',
  title: 'Push the image',
  after: ['tag-image', 'ecr-login'],
  describe: ({ options }) => (options.image ? 'Skipped: --image is prebuilt.' : `docker push <repository>:${options.imageTag} and :latest, recording the digest.`),
  async run(ctx, io) {
    const { options, ports, state } = ctx;
    if (options.image) {
      state.imageId = options.image;
      return { status: 'skipped', reason: `--image ${options.image} is used as it is` };
    }
    if (!state.pushRef) throw new BugError('no tagged image to push');
    const repo = imageRepository(ctx);
    const { digest } = await ports.docker.push(state.pushRef, (line) => io.log('stdout', line));
    await ports.docker.push(`${repo}:latest`, (line) => io.log('stdout', line));
    state.imageId = `${repo}@${digest}`;
    return { status: 'succeeded', summary: state.imageId };
  },
};
