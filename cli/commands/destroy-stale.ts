// `hello-deploy destroy --stale`: the sweep. Every flag is checked and the remote's branches are read (a bounded
// `git ls-remote`) before any AWS call; then the sweep lists the ecosystems as `status --all` does and deletes the
// stale ones, each with destroy's own service in this process. Here the two products are wired into the sweep's
// ports (cli/sweep/run.ts), since products never import each other.
import { isEngineEvent, type EngineEvent } from '../core/events.ts';
import { toHelloDeployError, type ErrorShape, type ExitCode } from '../core/errors.ts';
import type { DestroyEvent, DestroyResult } from '../destroy/result.ts';
import type { SweepFlags, SweepOptions } from '../sweep/options.ts';
import type { SweepEvent } from '../sweep/result.ts';
import { exitCodeOf, runStreamed } from './skeleton.ts';

const failure = (error: ErrorShape): SweepEvent => ({ type: 'result', ok: false, error });

export function runDestroyStale(flags: SweepFlags): Promise<ExitCode> {
  const json = flags.json === true;
  const interactive = !json && flags.yes !== true && process.stdin.isTTY === true && process.stdout.isTTY === true;
  return runStreamed<{ options: SweepOptions; heads: string[] }, SweepEvent>({
    json,
    plain: async () => {
      const [{ linePrinter }, { sweepLines }] = await Promise.all([import('../printers/line.ts'), import('../printers/sweep.ts')]);
      return linePrinter<SweepEvent>(sweepLines);
    },
    failure,
    prepare: async () => {
      const cwd = process.cwd();
      const [git, { resolveSweepOptions }] = await Promise.all([import('../adapters/git.ts'), import('../sweep/options.ts')]);
      const options = await resolveSweepOptions(flags, {
        cwd,
        interactive: !json && process.stdin.isTTY === true && process.stdout.isTTY === true,
        resolveRegion: async (aws) => (await import('../adapters/aws/config.ts')).resolveRegion(aws),
      });
      // Asked before AWS: an unknown remote or no access to it refuses the run with nothing read or deleted.
      return { options, heads: await git.remoteHeads(cwd, options.remote) };
    },
    run: async ({ options, heads }, print, signal) => {
      const [{ NonInteractiveHost }, { createCloudFormationPorts }, { createEcosystemReads }, { listEcosystems }, { createDestroyPorts }, { runDestroy }, { resolveDestroyOptions }, { runSweep }, prompt, { projectDir }, { rm, access }] = await Promise.all([
        import('../core/host.ts'),
        import('../adapters/aws/cloudformation.ts'),
        import('../adapters/aws/ecosystem.ts'),
        import('../status/all.ts'),
        import('../adapters/destroy-ports.ts'),
        import('../destroy/run.ts'),
        import('../destroy/options.ts'),
        import('../sweep/run.ts'),
        import('./destroy-prompt.ts'),
        import('../core/paths.ts'),
        import('node:fs/promises'),
      ]);
      const aws = { region: options.region, ...(options.profile ? { profile: options.profile } : {}), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) };
      const cfn = createCloudFormationPorts(aws);
      const reads = createEcosystemReads(aws);
      const destroyPorts = await createDestroyPorts(aws);
      const pricing = await (await import('./pricing.ts')).loadPricing({ projectDir: projectDir(options.cwd), region: options.region, ...(options.profile ? { profile: options.profile } : {}) });
      try {
        const ports = {
          list: (s: AbortSignal) => listEcosystems({ stacks: cfn.reads, ecs: reads.ecs }, Date.now(), s, pricing),
          destroy: async (ecosystem: string, emit: (e: EngineEvent) => void, s: AbortSignal) => {
            let result: DestroyResult | undefined;
            // destroy's step events go out as they are; its result becomes the sweep's `stale-destroyed`, so the
            // sweep's own result stays the one last line.
            const host = new NonInteractiveHost<DestroyEvent>((e) => {
              if (e.type === 'result') result = e as DestroyResult;
              else if (isEngineEvent(e)) emit(e);
            });
            try {
              const destroyOptions = await resolveDestroyOptions(
                { ecosystem, yes: true, keepImages: options.keepImages, region: options.region, ...(options.profile ? { profile: options.profile } : {}), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}), ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}) },
                { cwd: options.cwd, projectDir: projectDir(options.cwd), interactive: false },
              );
              const ctx = {
                options: destroyOptions,
                ports: destroyPorts,
                state: { deleted: [], retained: [], kept: [] },
                report: () => {},
                confirm: async () => true,
                removeFile: (p: string) => rm(p).then(() => true, () => false),
                fileExists: (p: string) => access(p).then(() => true, () => false),
              };
              const outcome = await runDestroy(ctx, host, s);
              return { ok: outcome.ok, deleted: result?.deleted ?? [], ...(outcome.error ? { error: outcome.error.toJSON() } : {}) };
            } catch (e) {
              return { ok: false, deleted: result?.deleted ?? [], error: toHelloDeployError(e).toJSON() };
            }
          },
        };
        const confirm = async (stale: unknown[]) => {
          if (options.yes) return true;
          if (!interactive) return false;
          const typed = await prompt.promptLine(`\nType the number of stale ecosystems (${stale.length}) to delete all of them, anything else to stop: `, 'Ctrl-C at the confirmation: nothing was deleted.');
          return typed.trim() === String(stale.length);
        };
        return exitCodeOf(await runSweep({ options, heads, ports, confirm, ...(pricing ? { costBasis: `estimate, ${pricing.table.region} ${pricing.table.origin} prices of ${pricing.table.checked}, at each ecosystem's desired task count` } : {}) }, new NonInteractiveHost<SweepEvent>(print), signal));
      } finally {
        cfn.destroy();
        reads.close();
        destroyPorts.close();
      }
    },
    stopOn: { signals: ['SIGINT', 'SIGTERM', 'SIGHUP'], saying: (signal) => `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after the ecosystem being deleted; CloudFormation goes on deleting what it started, and re-running resumes… (Ctrl-C again to quit at once)\n` },
  });
}
