// Which image a rollback deploys: pure rules over the repository's push history (ECR DescribeImages), so they are
// tested without AWS. The infra stack's ImageId is always `<repository>@sha256:<digest>` (the deploy pins it), so
// "the current image" is a digest, and "the previous one" is the newest image pushed before it.
import { AbortError, UsageError } from '../core/errors.ts';
import { shown } from './shown.ts';

/** One image of the repository, as ECR DescribeImages lists it. */
export interface PushedImage {
  digest: string;
  tags: string[];
  /** ECR's imagePushedAt; an emulator may leave it out. */
  pushedAt?: Date;
}

export type RollbackTo = { kind: 'tag'; tag: string } | { kind: 'digest'; digest: string };

const DIGEST = /^sha256:[a-f0-9]{64}$/;
// The OCI distribution spec's tag grammar (what ECR accepts): https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** `--to`: a tag of the repository, or a `sha256:` digest. Checked before any AWS call. */
export function parseRollbackTo(raw: string): RollbackTo {
  const value = raw.trim();
  if (value.startsWith('sha256:')) {
    if (DIGEST.test(value)) return { kind: 'digest', digest: value };
    throw new UsageError('BAD_INPUT', `--to ${shown(raw)} is not a digest: sha256: and 64 lowercase hex characters`, { hint: 'Nothing was sent to AWS. `aws ecr describe-images --repository-name <ecosystem>-hello-world-ecr` lists the digests.' });
  }
  if (TAG.test(value)) return { kind: 'tag', tag: value };
  throw new UsageError('BAD_INPUT', `--to ${shown(raw)} is neither an image tag (letters, digits, _ . -, at most 128, not starting with . or -) nor a sha256: digest`, { hint: 'Nothing was sent to AWS. Pass a tag of the repository or its sha256: digest.' });
}

/** `repo@sha256:…` → its repository and digest; undefined for anything else (an ImageId set by hand with a tag). */
export function splitImageId(imageId: string): { repository: string; digest: string } | undefined {
  const at = imageId.lastIndexOf('@');
  if (at <= 0) return undefined;
  const digest = imageId.slice(at + 1);
  return DIGEST.test(digest) ? { repository: imageId.slice(0, at), digest } : undefined;
}

const label = (i: PushedImage) => `${i.digest}${i.tags.length ? ` (${i.tags.join(', ')})` : ''}${i.pushedAt ? `, pushed ${i.pushedAt.toISOString()}` : ''}`;

/**
 * The image to roll back to. With `to`: that tag or digest, which the repository must hold (IMAGE_NOT_FOUND). Without:
 * the newest image pushed strictly before the current digest. An image pushed at the same instant as the current
 * one (ECR's time has second precision) cannot be ordered against it and is not taken for "previous".
 */
export function chooseRollbackImage(current: string, images: readonly PushedImage[], repositoryName: string, to?: RollbackTo): PushedImage {
  if (to) {
    const found = to.kind === 'digest' ? images.find((i) => i.digest === to.digest) : images.find((i) => i.tags.includes(to.tag));
    if (!found) {
      const what = to.kind === 'digest' ? `digest ${to.digest}` : `tag ${shown(to.tag)}`;
      throw new AbortError('IMAGE_NOT_FOUND', `The ECR repository ${repositoryName} holds no image with ${what}.`, { hint: `Nothing was changed. \`aws ecr describe-images --repository-name ${repositoryName}\` lists what it holds.` });
    }
    return found;
  }
  const now = images.find((i) => i.digest === current);
  const noPrevious = (why: string) =>
    new AbortError('NO_PREVIOUS_IMAGE', `No image to roll back to: ${why}.`, { hint: `Nothing was changed. Pass --to <tag|sha256:digest> to choose one; \`aws ecr describe-images --repository-name ${repositoryName}\` lists what the repository holds.` });
  if (!now?.pushedAt) throw noPrevious(now ? `ECR gives no push time for the running image ${current}` : `the running image ${current} is not in the ECR repository ${repositoryName} any more, so nothing can be placed before it`);
  const before = images.filter((i) => i.digest !== current && i.pushedAt !== undefined && i.pushedAt.getTime() < now.pushedAt!.getTime());
  if (!before.length) throw noPrevious(`the running image ${label(now)} is the oldest in ${repositoryName}`);
  return before.reduce((a, b) => (b.pushedAt!.getTime() > a.pushedAt!.getTime() ? b : a));
}

export const describePushed = label;
