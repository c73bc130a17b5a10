// Where the image goes: the ECR repository, or the same repository name on --registry (an emulator's stand-in).
import type { StepCtx } from './context.ts';
import { BugError } from '../core/errors.ts';

export function imageRepository({ options, state }: StepCtx): string {
  if (!state.repository) throw new BugError('the ECR repository is not known before the ECR stack step');
  return options.registry ? `${options.registry}/${state.repository.name}` : state.repository.uri;
}

export const localImageName = (ecosystem: string) => `${ecosystem}-hello-world`;
