// Step 7. Push both tags, streaming progress, and keep the digest: the infra stack pins the image by digest.
// With a prebuilt --image nothing is pushed; a tag is resolved to the digest it points to now, so the infra stack
// still pins one image (CloudFormation sees a change when the tag moves, and ECS runs exactly what was resolved).
import type { Step } from '../core/runner.ts';
import type { StepCtx } from './context.ts';
import { imageRepository } from './image-target.ts';
import { BugError } from '../core/errors.ts';
import { ecrRegistryOf, parseDeployImage } from '../domain/image-ref.ts';
import { shown } from '../domain/shown.ts';
import { countPushedLayers, layersPhrase } from '../domain/push-layers.ts';

/** --image split into its parts; options hold only values parseDeployImage accepted, so this cannot fail. */
function prebuilt(image: string) {
  const ref = parseDeployImage(image);
  if (ref.domain === undefined) throw new BugError(`--image ${image} passed validation without a registry`);
  return { ...ref, registry: ref.domain };
}

export const pushImage: Step<StepCtx<'docker' | 'imageDigests' | 'ecrAuth'>> = {
  id: 'push-image',
  title: 'Push the image',
  after: ['tag-image', 'ecr-login'],
  describe: ({ options }) => {
    if (!options.image) return `docker push <repository>:${options.imageTag} and :latest, recording the digest.`;
    const ref = prebuilt(options.image);
    if (ref.tag === undefined) return 'Nothing to push: --image is pinned by its digest and deployed as it is.';
    const how = ecrRegistryOf(ref.registry) ? 'ECR BatchGetImage' : `the registry API of ${ref.registry}`;
    return `Nothing to push: the --image tag :${ref.tag} is pinned to the digest it pointed to when the prerequisites read its manifest (${how}); the infra stack deploys <repository>@sha256:<digest>.`;
  },
  async run(ctx, io) {
    const { options, ports, state } = ctx;
    if (options.image) {
      const ref = prebuilt(options.image);
      if (ref.tag === undefined) {
        state.imageId = options.image;
        return { status: 'skipped', reason: `--image ${shown(options.image, 200)} is pinned by its digest and used as it is` };
      }
      const repository = `${ref.registry}/${ref.path}`;
      // The prerequisites read the manifest (for its architecture) and kept its digest: deploying that one means the
      // image checked is the image run, even if the tag moves while the ECR stack deploys.
      let digest = state.checkedImage?.digest;
      if (digest === undefined) {
        io.progress(`resolving ${shown(options.image, 200)} to its digest`);
        // The --registry that stands in for ECR on an emulator takes the ECR token's credentials, as docker login does.
        const login = ref.registry === options.registry ? async () => ({ ...(await ports.ecrAuth.getLogin()), registry: ref.registry }) : undefined;
        digest = (await ports.imageDigests.resolve({ registry: ref.registry, repository: ref.path, tag: ref.tag }, { ...(login ? { login } : {}), signal: io.signal })).digest;
      }
      state.imageId = `${repository}@${digest}`;
      return { status: 'succeeded', summary: `resolved ${shown(options.image, 200)} to ${state.imageId}` };
    }
    if (!state.pushRef) throw new BugError('no tagged image to push');
    const repo = imageRepository(ctx);
    const lines: string[] = [];
    const { digest } = await ports.docker.push(state.pushRef, (line) => {
      lines.push(line);
      io.log('stdout', line);
    });
    await ports.docker.push(`${repo}:latest`, (line) => io.log('stdout', line));
    state.imageId = `${repo}@${digest}`;
    // Counted on the first push only: the second (:latest) finds every layer present by then.
    const layers = countPushedLayers(lines);
    return { status: 'succeeded', summary: layers ? `${state.imageId} (${layersPhrase(layers)})` : state.imageId };
  },
};
