// Which registry API resolves a tagged --image (and reads the platforms its manifest names), chosen by its host:
// - an ECR private registry host (<account>.dkr.ecr.<region>.amazonaws.com): ECR DescribeImages, through the SDK
//   with the run's credentials, bounds and error mapping, and to --endpoint-url when one is set, so on an emulator
//   the emulated ECR answers (the OCI API would leave this machine for amazonaws.com);
// - any other host (Docker Hub, GHCR, public.ecr.aws, a company registry, or the --registry that stands in for ECR
//   on an emulator): the OCI distribution API, which every registry speaks.
import { ecrRegistryOf } from '../domain/image-ref.ts';
import type { ImageDigestPort } from '../ports/deploy.ts';
import { createEcrImageDigests } from './aws/ecr.ts';
import { callLimits, type AwsOptions } from './aws/config.ts';
import { createOciImageDigests } from './oci-registry.ts';

export function createImageDigests(aws: AwsOptions): ImageDigestPort {
  const ecr = createEcrImageDigests(aws);
  // A registry call gets the same time as one AWS call (HELLO_DEPLOY_AWS_TIMEOUT_MS shortens both in tests).
  const oci = createOciImageDigests({ timeoutMs: callLimits().requestMs });
  const pick = (registry: string) => (ecrRegistryOf(registry) ? ecr : oci);
  return { resolve: (image, opts) => pick(image.registry).resolve(image, opts), platforms: (image, opts) => pick(image.registry).platforms(image, opts) };
}
