// The nine steps, in the original project's order. The runner overlaps what can overlap (see each step's `after`).
import type { Step } from '../core/runner.ts';
import type { DeployContext } from '../steps/context.ts';
import { checkPrerequisites } from '../steps/check-prerequisites.ts';
import { validateTemplates } from '../steps/validate-templates.ts';
import { deployEcrStack } from '../steps/deploy-ecr-stack.ts';
import { ecrLogin } from '../steps/ecr-login.ts';
import { dockerBuild } from '../steps/docker-build.ts';
import { tagImage } from '../steps/tag-image.ts';
import { pushImage } from '../steps/push-image.ts';
import { deployInfraStack } from '../steps/deploy-infra-stack.ts';
import { reportResult } from '../steps/report-result.ts';

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
