// How a deploy step joins the rehearsal plan: it runs unchanged, over deployView() (the rehearsal's options and
// state, aimed at the emulator and the local registry once they run). `after` may differ from the deploy plan's.
import type { Step } from '../../core/runner.ts';
import type { DeployContext } from '../../steps/context.ts';
import { deployView, type RehearsalStepCtx } from '../context.ts';
import type { StepId } from '../../core/events.ts';

export function onEmulator(step: Step<DeployContext>, opts: { after?: StepId[] } = {}): Step<RehearsalStepCtx> {
  return {
    id: step.id,
    title: step.title,
    after: opts.after ?? step.after,
    ...(step.readOnly ? { readOnly: true } : {}),
    describe: (ctx) => step.describe(deployView(ctx)),
    run: (ctx, io) => step.run(deployView(ctx), io),
  };
}
