// The nine steps, in the original project's order. The runner overlaps what can overlap (see each step's `after`).
import type { Step } from '../core/runner.ts';
import { preflightPassed, type DeployContext, type DeployOptions } from '../steps/context.ts';
import { InterruptedError } from '../core/errors.ts';
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
 * The plan for these options. Against AWS, validation runs beside the prerequisites. Against an emulator it starts
 * beside them too but sends nothing until the preflight has passed: moto runs cfn-lint inside ValidateTemplate and
 * answers its other calls only in between, so it would hold the preflight up by seconds, and a problem the preflight
 * finds in a second would take four. The rest of the prerequisites (service-linked roles, the certificate import)
 * still overlap it.
 */
export function deployPlan(options: Pick<DeployOptions, 'endpointUrl'>): Step<DeployContext>[] {
  if (!options.endpointUrl) return deploySteps;
  const afterPreflight: Step<DeployContext> = {
    ...validateTemplates,
    async run(ctx, io) {
      const stopped = new Promise<never>((_resolve, reject) => {
        const stop = () => reject(new InterruptedError('Stopped before the preflight passed.'));
        if (io.signal.aborted) stop();
        else io.signal.addEventListener('abort', stop, { once: true });
      });
      stopped.catch(() => undefined);
      io.progress('waiting for the preflight (the emulator answers nothing else during ValidateTemplate)');
      await Promise.race([preflightPassed(ctx.state).opened, stopped]);
      return validateTemplates.run(ctx, io);
    },
  };
  return deploySteps.map((s) => (s.id === validateTemplates.id ? afterPreflight : s));
}
