// The nine steps, in the original project's order. The runner overlaps what can overlap (see each step's `after`).
import type { Step } from '../engine/runner.ts';
import type { DeployContext } from './context.ts';
import { checkPrerequisites } from './check-prerequisites.ts';
import { validateTemplates } from './validate-templates.ts';
import { deployEcrStack } from './deploy-ecr-stack.ts';
import { ecrLogin } from './ecr-login.ts';
import { dockerBuild } from './docker-build.ts';
import { tagImage } from './tag-image.ts';
import { pushImage } from './push-image.ts';
import { deployInfraStack } from './deploy-infra-stack.ts';
import { reportResult } from './report-result.ts';

export const deploySteps: Step<DeployContext>[] = [
  checkPrerequisites,
  validateTemplates,
  deployEcrStack,
  ecrLogin,
  dockerBuild,
  tagImage,
  pushImage,
  deployInfraStack,
  reportResult,
];
