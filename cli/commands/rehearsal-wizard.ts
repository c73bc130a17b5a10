// `hello-deploy --local` on a TTY: the rehearsal wizard. Prepares a dry run to show what will happen (flag checks
// exactly as `--local --yes`), then mounts the Ink app with its one service: the same runRehearsal.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { BugError, toHelloDeployError, type ExitCode } from '../core/errors.ts';
import { shown } from '../domain/shown.ts';
import { validateEcosystem } from '../domain/ecosystem.ts';
import { EMAIL } from '../domain/parsers.ts';
import { valueOrUndefined } from '../domain/optional.ts';
import { rehearsalPassThrough } from '../domain/equivalent-command.ts';
import type { RehearsalServices, RehearsalStart } from '../ui/shared/services.ts';
import type { RehearsalFlags } from '../rehearsal/options.ts';
import { exitCodeOf, runWizardApp } from './skeleton.ts';

/**
 * What the rehearsal wizard opens with, from a dry preparation of the run: the flags are checked exactly as with
 * `--local --yes` (a UsageError, exit 2, before the wizard opens), except the two answers it asks for, which may
 * be wrong on the command line. The dry run's folder is removed at once; each rehearsal prepares its own.
 */
export async function rehearsalStart(flags: RehearsalFlags, cwd = process.cwd()): Promise<RehearsalStart> {
  const [{ prepareRehearsal }, { planOf }, { rehearsalSteps }, { REHEARSAL_EMAIL }, git] = await Promise.all([
    import('./local.ts'),
    import('../core/runner.ts'),
    import('../rehearsal/plan.ts'),
    import('../rehearsal/options.ts'),
    import('../adapters/git.ts'),
  ]);
  const goodEcosystem = flags.ecosystem !== undefined && valueOrUndefined(() => validateEcosystem(flags.ecosystem!)) !== undefined;
  const goodEmail = flags.email !== undefined && EMAIL.test(flags.email);
  const { ecosystem: _e, email: _m, ...rest } = flags;
  const [ctx, branch] = await Promise.all([
    prepareRehearsal({ ...rest, ...(goodEcosystem ? { ecosystem: flags.ecosystem } : {}), ...(goodEmail ? { email: flags.email } : {}) }, cwd),
    git.currentBranch(cwd),
  ]);
  try {
    const r = ctx.rehearsal;
    const certFile = ctx.options.certificate.kind === 'pair' ? ctx.options.certificate.certFile : '';
    return {
      ecosystem: flags.ecosystem ?? ctx.options.ecosystem,
      ...(branch && flags.ecosystem === undefined ? { branch } : {}),
      email: flags.email ?? '',
      defaultEmail: REHEARSAL_EMAIL,
      emulator: r.options.engine,
      docker: r.docker,
      certificate: { source: r.options.certificateSource, label: path.relative(cwd, certFile) || certFile },
      ...(r.options.baseImageNote ? { baseImageNote: r.options.baseImageNote } : {}),
      keep: r.options.keep,
      // The roll-out runs only onto a kept rehearsal; on a first one the welcome does not list a step that cannot run.
      steps: planOf(rehearsalSteps, ctx).filter((st) => st.id !== 'roll-out' || ctx.rehearsal.options.attach),
      passThrough: rehearsalPassThrough(flags),
    };
  } finally {
    // A dry start: its own folder goes at once; a kept rehearsal's folder is not its to remove.
    if (!ctx.rehearsal.options.attach) await rm(ctx.rehearsal.options.workDir, { recursive: true, force: true });
  }
}

/** The rehearsal wizard's one service: prepare a fresh rehearsal with the answers, and run it (runRehearsal). */
export function createRehearsalServices(flags: RehearsalFlags, cwd = process.cwd()): RehearsalServices {
  return {
    async rehearse(a, host, signal) {
      const { prepareRehearsal } = await import('./local.ts');
      let ctx;
      try {
        // As `--local --yes`: a branch-owned ecosystem comes without --ecosystem and is derived from the branch, which
        // the rehearsal then records on the emulator's stacks and checks, as a real deploy does.
        const { ecosystem: _e, ...rest } = flags;
        ctx = await prepareRehearsal({ ...rest, ...(a.branch === undefined ? { ecosystem: a.ecosystem } : {}), email: a.email }, cwd, a.branch === undefined ? {} : { branch: a.branch });
        // owningBranch gave the branch from this very ecosystem, so they cannot differ; if they did, nothing starts.
        if (ctx.options.ecosystem !== a.ecosystem) {
          if (!ctx.rehearsal.options.attach) await rm(ctx.rehearsal.options.workDir, { recursive: true, force: true });
          throw new BugError(`the wizard answered ecosystem ${a.ecosystem}, but its branch ${shown(a.branch ?? '')} derives ${ctx.options.ecosystem}`);
        }
      } catch (err) {
        const e = toHelloDeployError(err);
        host.emit({ type: 'result', ok: false, error: e.toJSON() });
        return { exitCode: e.exitCode };
      }
      const { runRehearsal } = await import('../rehearsal/run.ts');
      return { exitCode: exitCodeOf(await runRehearsal(ctx, host, signal)) };
    },
  };
}

/** `hello-deploy --local` on a TTY; resolves with the exit code (0 passed, 1 failed, 2 bad flags, 130 interrupted). */
export function runRehearsalWizard(flags: RehearsalFlags): Promise<ExitCode> {
  const cwd = process.cwd();
  // SIGINT, SIGTERM and SIGHUP (the terminal went away) stop the rehearsal alike (skeleton.ts): it still tears down
  // what it started.
  return runWizardApp({
    prepare: () => rehearsalStart(flags, cwd),
    app: async (start, chrome) => ({ component: (await import('../ui/rehearsal/RehearsalApp.tsx')).RehearsalApp, props: { ...chrome, services: createRehearsalServices(flags, cwd), start } }),
  });
}
