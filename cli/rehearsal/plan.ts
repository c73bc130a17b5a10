// The rehearsal (`deploy --local`): the deploy steps, unchanged, between the rehearsal's own — start the emulator,
// start a local registry for the image, run and probe the app. Teardown is not a step: it runs whatever happened.
// Each deploy step runs over deployView() (onEmulator, dockerOnly): aimed at the emulator and the local registry.
import type { Step } from '../core/runner.ts';
import type { RehearsalContext } from './context.ts';
import { startEmulator } from './steps/start-emulator.ts';
import { rehearsalPrerequisites } from './steps/prerequisites.ts';
import { validateTemplates } from '../steps/validate-templates.ts';
import { deployEcrStack } from '../steps/deploy-ecr-stack.ts';
import { startLocalRegistry } from './steps/start-registry.ts';
import { ecrLogin } from '../steps/ecr-login.ts';
import { dockerBuild } from '../steps/docker-build.ts';
import { tagImage } from '../steps/tag-image.ts';
import { pushImage } from '../steps/push-image.ts';
import { deployInfraStack } from '../steps/deploy-infra-stack.ts';
import { runApp } from './steps/run-app.ts';
import { startLoadBalancer } from './steps/start-load-balancer.ts';
import { rollOut } from './steps/roll-out.ts';
import { dockerOnly } from './steps/docker-only.ts';
import { onEmulator } from './steps/on-emulator.ts';
import { cachedValidation } from './steps/validate-cached.ts';

export const rehearsalSteps: Step<RehearsalContext>[] = [
  startEmulator,
  rehearsalPrerequisites,
  // Here the endpoint itself is a step: validation waits for the emulator (through the prerequisites).
  // Skipped while the templates and validators are unchanged since the last clean validation (the per-user cache).
  cachedValidation(onEmulator(validateTemplates, { after: ['prerequisites'] })),
  onEmulator(deployEcrStack),
  startLocalRegistry,
  dockerOnly(ecrLogin, {
    after: [...ecrLogin.after, 'local-registry'],
    describe: () => "ECR GetAuthorizationToken from the emulator, then docker login --password-stdin to the local registry.",
  }),
  // Needs only Docker and the Dockerfile: it builds while the emulator starts (seconds off a warm rehearsal).
  dockerOnly(dockerBuild, { after: [], dockerAlone: true }),
  // The tags name the local registry (deployView reads it once it runs): tagging before it would name the emulated
  // ECR's URI, a host that does not exist, and the push would try to reach it.
  dockerOnly(tagImage, { after: [...tagImage.after, 'local-registry'] }),
  dockerOnly(pushImage, {
    // The infra stack still needs an ImageId: the repository URI and this run's tag, never built or pushed.
    onSkip: ({ state, options }) => {
      if (state.repository) state.imageId = `${state.repository.uri}:${options.imageTag}`;
    },
  }),
  onEmulator(deployInfraStack),
  runApp,
  rollOut,
  startLoadBalancer,
];
