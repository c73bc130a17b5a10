// `hello-deploy destroy`: delete an ecosystem (both stacks, the repository's images, the certificate hello-deploy
// imported for it, the saved answers), after naming all of it. Every flag is checked before any AWS call; on a
// terminal the person types the ecosystem name, elsewhere --yes is required. The skeleton owns the printer,
// refusals, Ctrl-C (stop waiting; CloudFormation carries on and a re-run resumes) and the exit code.
import type { ErrorShape } from '../core/errors.ts';
import type { DestroyFlags, DestroyOptions } from '../destroy/options.ts';
import type { DestroyEvent } from '../destroy/result.ts';
import { exitCodeOf, runStreamed, type CommandSpec } from './skeleton.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const destroyCommand: CommandSpec<DestroyFlags, DestroyEvent> = {
  name: 'destroy',
  declare: (cmd) => {
    cmd
      .description('Delete an ecosystem: both stacks and their resources, the images, the certificate hello-deploy imported for it, the saved answers; names all of it first, and checks after that nothing of it is left')
      .option('--ecosystem <name>', 'the ecosystem to delete; default: the current git branch, sanitized')
      .option('--region <region>', 'AWS region (default: as the AWS CLI resolves it)')
      .option('--profile <profile>', 'AWS profile from your shared config')
      .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator)')
      .option('-y, --yes', 'do not ask: no typed confirmation; after a DELETE_FAILED, neither retain nor retry (exit 1 with the --retain command)')
      .option('--keep-images', 'keep the ECR stack (the repository and its images); delete only the infra stack, the certificate and the answers')
      .option('--timeout <duration>', 'how long to wait for each stack to be gone, e.g. 20m, 1h (default: 30m infra, 15m ECR)')
      .option('--retain <logicalId>', 'a resource a stack in DELETE_FAILED may keep (DeleteStack RetainResources); repeatable', collect)
      .option('--stale', 'delete every ecosystem whose recorded git branch is gone from the remote (git ls-remote --heads), after listing them with their cost; never one with no recorded branch')
      .option('--remote <name|url>', 'with --stale: the git remote whose branches count (default: origin)')
      .option('--dry-run', 'with --stale: only list the stale ecosystems and what deleting them saves')
      .option('--json', 'print one JSON event per line (NDJSON); the last line is the result')
      .addHelpText('after', '\nExit codes: 0 deleted (or nothing to delete) and nothing left, 1 a failure, a declined confirmation or something of the ecosystem still there (LEFTOVERS), 2 usage (nothing deleted), 130 interrupted (re-run to resume).\nWith --stale: 0 every stale ecosystem deleted, or none stale, or --dry-run; 1 any of them not deleted (the others are), or a declined confirmation.');
  },
  failure: (error: ErrorShape) => ({ type: 'result', ok: false, error }),
  action: async (flags) => {
    if (flags.stale) return (await import('./destroy-stale.ts')).runDestroyStale(flags);
    const json = flags.json === true;
    const interactive = !json && flags.yes !== true && process.stdin.isTTY === true && process.stdout.isTTY === true;
    return runStreamed<DestroyOptions, DestroyEvent>({
      json,
      plain: async () => {
        const [{ linePrinter }, { destroyLines }] = await Promise.all([import('../printers/line.ts'), import('../printers/destroy.ts')]);
        return linePrinter<DestroyEvent>(destroyLines);
      },
      failure: destroyCommand.failure,
      prepare: async () => {
        const cwd = process.cwd();
        const [{ projectDir }, git, { resolveDestroyOptions }] = await Promise.all([import('../core/paths.ts'), import('../adapters/git.ts'), import('../destroy/options.ts')]);
        const branch = await git.currentBranch(cwd);
        return resolveDestroyOptions(flags, {
          cwd,
          projectDir: projectDir(cwd),
          ...(branch ? { branch } : {}),
          interactive: !json && process.stdin.isTTY === true && process.stdout.isTTY === true,
          resolveRegion: async (aws) => (await import('../adapters/aws/config.ts')).resolveRegion(aws),
        });
      },
      run: async (options, print, signal) => {
        const [{ NonInteractiveHost }, { createDestroyPorts }, { runDestroy }, prompt, { rm, access }] = await Promise.all([
          import('../core/host.ts'),
          import('../adapters/destroy-ports.ts'),
          import('../destroy/run.ts'),
          import('./destroy-prompt.ts'),
          import('node:fs/promises'),
        ]);
        const ports = await createDestroyPorts({ ...(options.region ? { region: options.region } : {}), ...(options.profile ? { profile: options.profile } : {}), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) });
        const host = interactive ? new prompt.PromptHost<DestroyEvent>(print) : new NonInteractiveHost<DestroyEvent>(print);
        const pricing = options.region ? await (await import('./pricing.ts')).loadPricing({ projectDir: (await import('../core/paths.ts')).projectDir(process.cwd()), region: options.region }) : undefined;
        try {
          const ctx = {
            ...(pricing ? { pricing } : {}),
            options,
            ports,
            state: { deleted: [], retained: [], kept: [] },
            report: (e: Extract<DestroyEvent, { type: 'destroy-plan' }>) => print(e),
            confirm: async () => (options.yes ? true : prompt.confirmByName(options.ecosystem)),
            removeFile: (p: string) => rm(p).then(() => true, () => false),
            fileExists: (p: string) => access(p).then(() => true, () => false),
          };
          return exitCodeOf(await runDestroy(ctx, host, signal));
        } finally {
          ports.close();
        }
      },
      stopOn: { signals: ['SIGINT', 'SIGTERM', 'SIGHUP'], saying: (signal) => `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping; CloudFormation goes on deleting what it started, and re-running resumes… (Ctrl-C again to quit at once)\n` },
    });
  },
};
