// destroy's steps: find everything, confirm, then delete the infra stack, the certificate (once nothing uses it),
// the repository's images and the ECR stack, then the saved answers, and last a read-only check that nothing of the
// ecosystem is left (leftovers.ts). Deleting is ordered by what depends on
// what: the listener holds the certificate, and the service runs the images.
import type { Step, StepIO, StepOutcome } from '../core/runner.ts';
import { AbortError } from '../core/errors.ts';
import { resourceNames, stackNames } from '../domain/names.ts';
import type { DestroyContext } from './context.ts';
import { checkLeftovers, retainedKey } from './leftovers.ts';
import { look, plural } from './look.ts';
import { rerunCommand } from './options.ts';

const nothingLeft = (ctx: DestroyContext) => ctx.state.inventory?.nothing === true;

const confirm: Step<DestroyContext> = {
  id: 'confirm',
  title: 'Confirm',
  after: ['look'],
  describe: ({ options }) => (options.yes ? '--yes: no question asked.' : `Type the ecosystem name (${options.ecosystem}) to confirm; anything else deletes nothing.`),
  async run(ctx) {
    if (nothingLeft(ctx)) return { status: 'skipped', reason: 'nothing to delete' };
    if (!(await ctx.confirm(ctx.state.inventory!))) {
      throw new AbortError('DESTROY_DECLINED', `The name typed was not ${ctx.options.ecosystem}: nothing was deleted.`, { hint: `Run it again and type ${ctx.options.ecosystem} exactly, or pass --yes.` });
    }
    return { status: 'succeeded', summary: ctx.options.yes ? 'confirmed by --yes' : 'confirmed' };
  },
};

/** Deletes one stack, and on DELETE_FAILED asks: retain what failed and finish, or try again (--yes: neither). */
async function deleteStack(ctx: DestroyContext, io: StepIO, which: 'infra' | 'ecr'): Promise<StepOutcome> {
  const { options, ports, state } = ctx;
  const name = stackNames(options.ecosystem)[which];
  if (!state.inventory?.stacks.some((s) => s.name === name)) return { status: 'skipped', reason: `there is no stack ${name}` };
  let retain = [...options.retain];
  for (;;) {
    const out = await ports.stacks.delete({
      stackName: name,
      retain,
      timeoutMs: options.timeoutMs[which],
      onEvent: (e) => io.stackEvent({ stack: name, ...e }),
      onProgress: (m, current, total) => io.progress(m, current, total),
      signal: io.signal,
    });
    if (out.status === 'absent') return { status: 'succeeded', summary: `${name} was already gone` };
    if (out.status === 'deleted') {
      if (out.warning) io.warn(out.warning);
      state.deleted.push(`stack ${name} (${plural(out.resources, 'resource')})`);
      for (const r of out.retained) {
        state.retained.push(`${r.logicalId} (${r.resourceType})${r.physicalId ? ` ${r.physicalId}` : ''}, from stack ${name}`);
        (state.retainedIds ??= []).push(retainedKey(name, r.logicalId));
      }
      const kept = out.retained.length ? `; retained ${out.retained.map((r) => r.logicalId).join(', ')}` : '';
      return { status: 'succeeded', summary: `${name} deleted${out.resumed ? ' (resumed an earlier deletion)' : ''}${kept}` };
    }
    const lines = out.failed.map((f) => `${f.logicalId} (${f.resourceType}): ${f.reason}`);
    const what = lines.length ? lines.join('; ') : (out.reason ?? 'CloudFormation gave no reason');
    io.warn(`Stack ${name} ended in DELETE_FAILED: ${what}`);
    const ids = out.failed.map((f) => f.logicalId);
    if (ids.length && (await io.ask({ kind: 'confirm', id: `retain-${which}`, message: `Retain ${ids.join(', ')} (left in the account, outside any stack) and finish deleting ${name}?`, default: false }))) {
      retain = [...new Set([...retain, ...ids])];
      continue;
    }
    if (await io.ask({ kind: 'confirm', id: `retry-${which}`, message: `Try deleting ${name} again (once what blocks it is fixed)?`, default: false })) continue;
    throw new AbortError('STACK_DELETE_FAILED', `Stack ${name} could not be deleted (DELETE_FAILED): ${what}`, {
      hint: ids.length
        ? `Remove what blocks it and run the same command again, or keep ${ids.length === 1 ? 'that resource' : 'those resources'} out of the stack and finish: ${rerunCommand(options, ids.map((id) => `--retain ${id}`))}`
        : `Run the same command again to retry: ${rerunCommand(options)}`,
    });
  }
}

const infraStack: Step<DestroyContext> = {
  id: 'delete-infra-stack',
  title: 'Delete the infra stack',
  after: ['confirm'],
  describe: ({ options }) => `DeleteStack ${stackNames(options.ecosystem).infra} and follow its events until it is gone (at most ${Math.round(options.timeoutMs.infra / 60_000)} min).`,
  run: (ctx, io) => deleteStack(ctx, io, 'infra'),
};

const certificate: Step<DestroyContext> = {
  id: 'delete-certificate',
  title: 'Delete the imported certificate',
  after: ['delete-infra-stack'],
  describe: () => 'ACM DeleteCertificate of the certificate hello-deploy imported for this ecosystem, once DescribeCertificate says nothing uses it (InUseBy empty).',
  async run({ options, ports, state }) {
    const ours = (state.inventory?.certificates ?? []).filter((c) => c.action === 'delete');
    if (ours.length === 0) return { status: 'skipped', reason: 'no certificate imported by hello-deploy for this ecosystem' };
    const done: string[] = [];
    const alb = `/app/${resourceNames(options.ecosystem).loadBalancer}/`;
    for (const c of ours) {
      const now = await ports.certificates.describe(c.arn);
      if (!now) continue;
      // Only this ecosystem's own load balancer, just deleted with the infra stack: ACM's InUseBy can lag behind
      // that (and an emulator may never clear it), so DeleteCertificate decides; ACM refuses one still in use.
      const others = now.inUseBy.filter((arn) => !arn.includes(alb));
      if (others.length) {
        state.kept.push(`certificate ${c.arn}: still in use by ${others.join(', ')}`);
        continue;
      }
      const out = await ports.certificates.delete(c.arn);
      if (out.deleted) {
        state.deleted.push(`certificate ${c.arn}${c.domain ? ` (${c.domain})` : ''}`);
        done.push(c.arn);
      } else state.kept.push(`certificate ${c.arn}: ${out.reason}`);
    }
    return { status: 'succeeded', summary: done.length ? `deleted ${done.join(', ')}` : 'kept: something else uses it' };
  },
};

const images: Step<DestroyContext> = {
  id: 'empty-repository',
  title: 'Delete the images',
  after: ['delete-infra-stack'],
  describe: ({ options }) =>
    options.keepImages
      ? 'Skipped: --keep-images keeps the repository and its images.'
      : 'ECR BatchDeleteImage of every image, so a non-empty repository never blocks the ECR stack (its EmptyOnDelete does the same on AWS; emulators may not honour it).',
  async run({ options, ports, state }, io) {
    const repo = state.inventory?.repository;
    if (options.keepImages) return { status: 'skipped', reason: '--keep-images' };
    if (!repo) return { status: 'skipped', reason: 'there is no repository' };
    const n = await ports.images.empty(repo.name, { signal: io.signal });
    if (n) state.deleted.push(`${plural(n, 'image')} in repository ${repo.name}`);
    return { status: 'succeeded', summary: n ? `${plural(n, 'image')} deleted from ${repo.name}` : `${repo.name} was empty` };
  },
};

const ecrStack: Step<DestroyContext> = {
  id: 'delete-ecr-stack',
  title: 'Delete the ECR stack',
  after: ['empty-repository'],
  describe: ({ options }) =>
    options.keepImages ? `Skipped: --keep-images keeps ${stackNames(options.ecosystem).ecr}.` : `DeleteStack ${stackNames(options.ecosystem).ecr} (the repository) and wait until it is gone (at most ${Math.round(options.timeoutMs.ecr / 60_000)} min).`,
  async run(ctx, io) {
    if (ctx.options.keepImages) return { status: 'skipped', reason: '--keep-images' };
    const outcome = await deleteStack(ctx, io, 'ecr');
    // The stack held the repository, so it must be gone with it; one left behind (moto 5 deletes the stack but not
    // the repository, measured) would block the next deploy's preflight, which refuses a name taken outside a stack.
    const repo = ctx.state.inventory?.repository;
    const held = ctx.state.inventory?.stacks.some((s) => s.name === stackNames(ctx.options.ecosystem).ecr && s.resources.some((r) => r.physicalId === repo?.name));
    if (repo && held && outcome.status === 'succeeded' && (await ctx.ports.images.remove(repo.name))) {
      io.warn(`The ECR stack is gone but repository ${repo.name} was still there; deleted it (ECR DeleteRepository).`);
      ctx.state.deleted.push(`repository ${repo.name} (left behind by its stack)`);
    }
    return outcome;
  },
};

const answers: Step<DestroyContext> = {
  id: 'remove-answers',
  title: 'Remove the saved answers',
  after: ['delete-ecr-stack', 'delete-certificate'],
  describe: ({ options }) => `Remove .hello-deploy/${options.ecosystem}.json, last, so an interrupted destroy can still be re-run with them.`,
  async run(ctx) {
    const file = ctx.state.inventory?.answersFile;
    if (!file) return { status: 'skipped', reason: 'no saved answers' };
    if (await ctx.removeFile(file)) ctx.state.deleted.push(`saved answers ${file}`);
    return { status: 'succeeded', summary: `removed ${file}` };
  },
};

export const destroySteps: Step<DestroyContext>[] = [look, confirm, infraStack, certificate, images, ecrStack, answers, checkLeftovers];
