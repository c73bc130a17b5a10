// Rehearsal wrapper for the deploy steps that need a Docker engine: without one they are skipped with the reason
// (never faked). push-image, when skipped, still leaves the infra stack an image reference to deploy: the
// repository URI with the run's tag, which the report marks as never built or pushed.
import type { Step } from '../../core/runner.ts';
import type { DeployContext } from '../../steps/context.ts';
import { deployView, emulatorPorts, type RehearsalStepCtx } from '../context.ts';
import type { StepId } from '../../core/events.ts';
import { onEmulator } from './on-emulator.ts';

export function dockerOnly(
  step: Step<DeployContext>,
  opts: {
    describe?: (ctx: RehearsalStepCtx) => string;
    after?: StepId[];
    onSkip?: (ctx: RehearsalStepCtx) => void;
    /** The step uses the Docker engine only (no emulator): it gets the local Docker port, so it may run before the emulator is up. */
    dockerAlone?: boolean;
  } = {},
): Step<RehearsalStepCtx<'localDocker'>> {
  const inner = onEmulator(step, opts);
  return {
    ...inner,
    describe: (ctx) => (ctx.rehearsal.docker.available ? (opts.describe ?? inner.describe)(ctx) : `Skipped: no Docker engine (${ctx.rehearsal.docker.reason}).`),
    async run(ctx, io) {
      const docker = ctx.rehearsal.docker;
      if (!docker.available) {
        opts.onSkip?.(ctx);
        return { status: 'skipped', reason: `no Docker engine: ${docker.reason}` };
      }
      const localDocker = ctx.rehearsal.ports.localDocker;
      if (opts.dockerAlone && localDocker) {
        // The Docker port of this machine, whatever the emulator's state: such a step declares no other port (StepCtx<'docker'>).
        const view = deployView(ctx);
        return step.run({ ...view, ports: { ...emulatorPorts(ctx.rehearsal), docker: await localDocker() } }, io);
      }
      return inner.run(ctx, io);
    },
  };
}
