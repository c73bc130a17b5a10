// Rehearsal wrapper for validate-templates: a clean verdict is remembered in the per-user cache under a hash of
// both template bodies, the emulator (engine, version, extensions) and the validators' versions (cfn-lint, moto),
// and reused while all of them are unchanged — moto's ValidateTemplate runs cfn-lint, seconds a warm rehearsal
// need not spend again. Any change to any of them validates again; a failed validation is never remembered. The
// real deploy never uses this (cli/deploy/plan.ts runs the step itself): AWS's ValidateTemplate is the one that counts.
import { createHash } from 'node:crypto';
import type { Step } from '../../core/runner.ts';
import type { RehearsalStepCtx } from '../context.ts';
import { emulatorPorts } from '../context.ts';
import { readTemplate } from '../../steps/templates.ts';

/** The cache key, or undefined when something it depends on is unknown (then nothing is cached). */
async function keyOf(ctx: RehearsalStepCtx<'validationCache'>): Promise<string | undefined> {
  const r = ctx.rehearsal;
  const emulator = r.state.emulator?.info;
  const cache = r.ports.validationCache;
  if (!cache || !emulator?.version) return undefined;
  const validators = await cache.validators(r.state.python).catch(() => undefined);
  if (!validators) return undefined;
  const files = emulatorPorts(r).files;
  ctx.state.ecrTemplateBody ??= await readTemplate(files, ctx.options.ecrTemplate);
  ctx.state.infraTemplateBody ??= await readTemplate(files, ctx.options.infraTemplate);
  const parts = [ctx.state.ecrTemplateBody, ctx.state.infraTemplateBody, emulator.engine, emulator.version, ...(emulator.extensions ?? []), validators];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export function cachedValidation(inner: Step<RehearsalStepCtx>): Step<RehearsalStepCtx<'validationCache'>> {
  return {
    ...inner,
    describe: (ctx) => `${inner.describe(ctx as RehearsalStepCtx)} Not run again while both templates and the validators are unchanged since the last clean validation.`,
    async run(ctx, io) {
      const cache = ctx.rehearsal.ports.validationCache;
      const key = await keyOf(ctx);
      const hit = key && cache ? await cache.get(key).catch(() => undefined) : undefined;
      if (key && hit) {
        for (const w of hit.warnings) io.warn(w);
        // Succeeded, not skipped: the verdict stands for these exact bodies, so the fidelity report counts them validated.
        return { status: 'succeeded', summary: `skipped: unchanged since the last validation (hash ${key.slice(0, 12)}, ${hit.at}): ${hit.summary}` };
      }
      const warnings: string[] = [];
      const outcome = await inner.run(ctx as RehearsalStepCtx, {
        signal: io.signal,
        progress: (m, c, t) => io.progress(m, c, t),
        log: (s, l) => io.log(s, l),
        info: (m) => io.info(m),
        warn: (m) => {
          warnings.push(m);
          io.warn(m);
        },
        stackEvent: (e) => io.stackEvent(e),
        changeSet: (s, c) => io.changeSet(s, c),
        emit: (e) => io.emit(e),
        ask: (q) => io.ask(q),
      });
      if (key && cache && outcome.status === 'succeeded') {
        // A cache that cannot be written costs the next run its seconds, nothing more.
        await cache.put(key, { at: new Date().toISOString(), summary: outcome.summary ?? 'clean', warnings }).catch(() => undefined);
      }
      return outcome;
    },
  };
}
