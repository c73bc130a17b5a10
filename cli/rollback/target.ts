// The rollback's own work: from the infra stack as it stands and the repository's push history, the image to
// deploy and what to keep. It only reads; the deploy engine (handed this by cli/commands/rollback.ts) changes things.
import { AbortError } from '../core/errors.ts';
import { resourceNames, stackNames } from '../domain/names.ts';
import { shown } from '../domain/shown.ts';
import { chooseRollbackImage, splitImageId } from '../domain/rollback-target.ts';
import type { ImageHistoryPort } from '../ports/rollback.ts';
import type { StackReadPort } from '../ports/stacks.ts';
import type { RollbackOptions } from './options.ts';
import type { RollbackChosen } from './result.ts';

export interface RollbackPorts {
  stacks: Pick<StackReadPort, 'describe'>;
  images: ImageHistoryPort;
}

export async function resolveRollback(ports: RollbackPorts, options: RollbackOptions, signal?: AbortSignal): Promise<RollbackChosen> {
  const stack = stackNames(options.ecosystem).infra;
  const repositoryName = resourceNames(options.ecosystem).repository;
  const live = await ports.stacks.describe(stack, signal ? { signal } : {});
  if (!live) {
    throw new AbortError('STACK_NOT_FOUND', `There is no stack ${stack}: ecosystem ${options.ecosystem} has nothing deployed to roll back.`, { hint: 'Check --ecosystem, --region and --profile; `hello-deploy deploy` deploys it first.' });
  }
  const p = live.parameters;
  const imageId = p['ImageId'] ?? '';
  const current = splitImageId(imageId);
  if (!current) {
    throw new AbortError('NO_PREVIOUS_IMAGE', `The stack ${stack} runs ImageId ${shown(imageId, 200)}, which is not pinned by digest, so its place in the push history is unknown.`, {
      hint: 'Nothing was changed. Run `hello-deploy deploy` once (it pins the image by digest), or roll back with `hello-deploy deploy --image <repository>@sha256:<digest>`.',
    });
  }
  const email = p['EmailAddress'];
  const certificateArn = p['SSLCert'];
  // A --domain stack has an empty SSLCert and its DomainName instead (the template makes the certificate).
  const domain = p['DomainName'];
  if (!email || (!certificateArn && !domain)) {
    throw new AbortError('STACK_NOT_FOUND', `The stack ${stack} has no EmailAddress, or neither an SSLCert nor a DomainName parameter: it was not made from this project's template.`, { hint: 'Nothing was changed. Deploy it with `hello-deploy deploy` first.' });
  }
  const images = await ports.images.history(repositoryName, signal ? { signal } : {});
  if (!images) {
    throw new AbortError('ECR_REPOSITORY_MISSING', `The ECR repository ${repositoryName} does not exist, so there is no image history to roll back through.`, {
      hint: 'Nothing was changed. `hello-deploy deploy` recreates the repository and pushes a new image.',
    });
  }
  const chosen = chooseRollbackImage(current.digest, images, repositoryName, options.to);
  return {
    type: 'rollback',
    ecosystem: options.ecosystem,
    stack,
    from: imageId,
    to: `${current.repository}@${chosen.digest}`,
    tags: chosen.tags,
    ...(chosen.pushedAt ? { pushedAt: chosen.pushedAt.toISOString() } : {}),
    chosenBy: options.to ? 'to' : 'previous',
    kept: { email, ...(domain ? { domain } : { certificateArn: certificateArn! }), ...(p['CpuArchitecture'] ? { architecture: p['CpuArchitecture'] } : {}) },
  };
}
