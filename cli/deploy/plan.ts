// The nine steps, in the original project's order. The runner overlaps what can overlap (see each step's `after`).
import type { Step } from '../core/runner.ts';
import type { DeployContext, DeployOptions } from '../steps/context.ts';
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

/**
 * The plan for these options. Against AWS, validation runs beside the prerequisites. Against an emulator it waits
 * for them: moto runs cfn-lint inside ValidateTemplate and answers its other calls only in between, so beside the
 * prerequisites it would hold the preflight up by seconds, and a problem the preflight finds in a second would take
 * four (the rehearsal orders them the same way, for the same emulator).
 */
export function deployPlan(options: Pick<DeployOptions, 'endpointUrl'>): Step<DeployContext>[] {
  if (!options.endpointUrl) return deploySteps;
  return deploySteps.map((s) => (s.id === validateTemplates.id ? { ...s, after: ['prerequisites'] } : s));
}
