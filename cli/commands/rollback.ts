// `hello-deploy rollback`: the rollback product (cli/rollback/) reads the infra stack and the ECR push history and
// chooses the image; this file hands it to the deploy service as a prebuilt --image, with the stack's own e-mail,
// certificate and architecture, so a rollback changes only the image and runs with deploy's steps, progress,
// change-set confirmation, failure handling and exit codes. Products never import each other; the command joins them.
import type { ErrorShape } from '../core/errors.ts';
import type { DeployEvent } from '../deploy/result.ts';
import type { RollbackFlags, RollbackOptions } from '../rollback/options.ts';
import type { RollbackChosen } from '../rollback/result.ts';
import { systemClock } from '../adapters/clock.ts';
import { exitCodeOf, runStreamed, type CommandSpec } from './skeleton.ts';

export type RollbackEvent = RollbackChosen | DeployEvent;

export const rollbackCommand: CommandSpec<RollbackFlags, RollbackEvent> = {
  name: 'rollback',
  declare: (cmd) => {
    cmd
      .description('Redeploy the infra stack with the previous image (the one pushed before the running one), or the one --to names; no build')
      .option('--to <tag|digest>', 'roll back to this tag or sha256: digest of the ecosystem\'s ECR repository')
      .option('-y, --yes', 'never prompt: execute the change set')
      .option('--json', 'print one JSON event per line (NDJSON); the last line is the result')
      .option('--ecosystem <name>', 'the ecosystem to roll back; default: the current git branch, sanitized')
      .option('--region <region>', 'AWS region (default: as the AWS CLI resolves it)')
      .option('--profile <profile>', 'AWS profile from your shared config')
      .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator)')
      .option('--registry <host:port>', 'the registry that stands in for ECR on an emulator (its manifest is read with the ECR token)')
      .addHelpText('after', '\nThe alarm e-mail, the certificate and the CPU architecture stay what the stack has: only the image changes.\nOn a terminal without --yes, the change set is shown and asked about.\nExit codes: 0 ok, 1 no image to roll back to or the deploy failed, 2 usage or bad input, 130 interrupted.');
  },
  failure: (error: ErrorShape) => ({ type: 'result', ok: false, error }),
  action: (flags) => {
    const ask = !flags.yes && !flags.json && process.stdin.isTTY === true && process.stdout.isTTY === true && !process.env.CI && process.env.TERM !== 'dumb';
    return runStreamed<RollbackOptions & { branch?: string }, RollbackEvent>({
      json: flags.json === true,
      plain: async () => {
        const [{ linePrinter }, { rollbackLines }] = await Promise.all([import('../printers/line.ts'), import('../printers/rollback.ts')]);
        return linePrinter<RollbackEvent>(rollbackLines);
      },
      failure: rollbackCommand.failure,
      prepare: async () => {
        const cwd = process.cwd();
        const [git, { resolveRollbackOptions }] = await Promise.all([import('../adapters/git.ts'), import('../rollback/options.ts')]);
        const branch = await git.currentBranch(cwd);
        const options = await resolveRollbackOptions(flags, { ...(branch ? { branch } : {}), resolveRegion: async (aws) => (await import('../adapters/aws/config.ts')).resolveRegion(aws) });
        return { ...options, ...(branch ? { branch } : {}) };
      },
      run: async (options, print, signal) => {
        const aws = { ...(options.region ? { region: options.region } : {}), ...(options.profile ? { profile: options.profile } : {}), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) };
        const [{ createRollbackPorts }, { resolveRollback }] = await Promise.all([import('../adapters/rollback-ports.ts'), import('../rollback/target.ts')]);
        const reads = await createRollbackPorts(aws);
        let chosen: RollbackChosen;
        try {
          chosen = await resolveRollback(reads, options, signal);
        } finally {
          reads.close();
        }
        print(chosen);
        return deployChosen(chosen, options, flags, ask, print, signal);
      },
      stopOn: { signals: ['SIGINT', 'SIGTERM', 'SIGHUP'], saying: (signal) => `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after the running steps… (Ctrl-C again to quit at once)\n` },
    });
  },
};

/** The deploy of the chosen image, as `deploy --image <repo>@<digest>` with the stack's own answers would run it. */
async function deployChosen(chosen: RollbackChosen, options: RollbackOptions & { branch?: string }, flags: RollbackFlags, ask: boolean, print: (e: RollbackEvent) => void, signal: AbortSignal) {
  const cwd = process.cwd();
  const [{ projectDir }, { immutableTag, resolveDeployOptions }, { NonInteractiveHost }, { PromptHost }, { createDeployPorts }, { runDeploy }] = await Promise.all([
    import('../core/paths.ts'),
    import('../deploy/options.ts'),
    import('../core/host.ts'),
    import('./prompt-host.ts'),
    import('../adapters/deploy-ports.ts'),
    import('../deploy/run.ts'),
  ]);
  // The same validation a deploy gives its flags (the template's own constraints included), on the stack's values.
  const deployOptions = await resolveDeployOptions(
    {
      ...(options.ecosystemGiven ? { ecosystem: options.ecosystem } : {}),
      email: chosen.kept.email,
      ...(chosen.kept.domain ? { domain: chosen.kept.domain } : { certArn: chosen.kept.certificateArn! }),
      image: chosen.to,
      ...(chosen.kept.architecture ? { arch: chosen.kept.architecture } : {}),
      ...(flags.region !== undefined ? { region: flags.region } : {}),
      ...(flags.profile !== undefined ? { profile: flags.profile } : {}),
      ...(flags.endpointUrl !== undefined ? { endpointUrl: flags.endpointUrl } : {}),
      ...(flags.registry !== undefined ? { registry: flags.registry } : {}),
    },
    {
      cwd,
      projectDir: projectDir(cwd),
      ...(options.branch ? { branch: options.branch } : {}),
      imageTag: immutableTag(undefined),
      ...(options.region ? { resolveRegion: async () => options.region } : {}),
    },
  );
  const ports = await createDeployPorts({ ...(options.region ? { region: options.region } : {}), ...(options.profile ? { profile: options.profile } : {}), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) });
  const host = ask ? new PromptHost<DeployEvent>(print, signal) : new NonInteractiveHost<DeployEvent>(print);
  try {
    return exitCodeOf(await runDeploy({ options: deployOptions, ports, state: { stacksTouched: [] }, clock: systemClock }, host, signal));
  } finally {
    ports.close();
  }
}
