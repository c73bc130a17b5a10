// Rehearsal wrapper for the deploy steps that need a Docker engine: without one they are skipped with the reason
// (never faked). push-image, when skipped, still leaves the infra stack an image reference to deploy: the
// repository URI with the run's tag, which the report marks as never built or pushed.
import type { Step } from '../../core/runner.ts';
import type { DeployContext } from '../../steps/context.ts';
import type { RehearsalStepCtx } from '../context.ts';
import type { StepId } from '../../core/events.ts';
import { onEmulator } from './on-emulator.ts';

export function dockerOnly(
  step: Step<DeployContext>,
  opts: { describe?: (ctx: RehearsalStepCtx) => string; after?: StepId[]; onSkip?: (ctx: RehearsalStepCtx) => void } = {},
): Step<RehearsalStepCtx> {
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
      return inner.run(ctx, io);
    },
  };
}
