// `hello-deploy status`: is the ecosystem up, and if not, why (or, with --all, every ecosystem of this tool in the
// account and region). Read only. Its flags, its plain or NDJSON output, and the wiring of read adapters; every flag
// is checked before any AWS call, and the skeleton owns the printer, refusals, Ctrl-C and the exit code.
import type { ErrorShape } from '../core/errors.ts';
import type { StatusFlags, StatusOptions } from '../status/options.ts';
import type { StatusOutput } from '../status/result.ts';
import { systemClock } from '../adapters/clock.ts';
import { exitCodeOf, runStreamed, type CommandSpec } from './skeleton.ts';

export const statusCommand: CommandSpec<StatusFlags, StatusOutput> = {
  name: 'status',
  declare: (cmd) => {
    cmd
      .description('Is it up, and if not, why: the URL, both stacks, the service and its deployments, targets, stopped tasks, the alarm and its e-mail, the certificate, and the monthly cost; --all lists every ecosystem')
      .option('--ecosystem <name>', 'the ecosystem to show; default: the current git branch, sanitized')
      .option('--all', 'list every ecosystem of hello-deploy in the account and region: state, URL, age, image, cost')
      .option('--watch [seconds]', 'refresh every N seconds (default 5) until Ctrl-C')
      .option('--region <region>', 'AWS region (default: as the AWS CLI resolves it)')
      .option('--profile <profile>', 'AWS profile from your shared config')
      .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator)')
      .option('--traffic <req/s>', 'price the load balancer\'s capacity units and the logs for this many requests a second (default: idle)')
      .option('--live-prices', 'read prices from the AWS Price List API (cached for a week) instead of the bundled table')
      .option('--json', 'print one JSON event per line (NDJSON): a status event per read, the result last')
      .addHelpText('after', '\nRead only: status changes nothing.\nExit codes: 0 healthy, 1 not healthy (the reason on the last line) or not deployed, 2 usage or bad input, 130 interrupted.');
  },
  failure: (error: ErrorShape) => ({ type: 'result', ok: false, error }),
  action: (flags) =>
    runStreamed<StatusOptions, StatusOutput>({
      json: flags.json === true,
      plain: async () => {
        const [{ linePrinter }, { statusLines }, { WATCH_DEFAULT_SECONDS }] = await Promise.all([import('../printers/line.ts'), import('../printers/status.ts'), import('../status/options.ts')]);
        // The printer is made before the flags are checked; a bad --watch value is refused (exit 2) before any read.
        const watchSeconds = flags.watch === undefined ? undefined : flags.watch === true ? WATCH_DEFAULT_SECONDS : Number(flags.watch);
        return linePrinter<StatusOutput>(statusLines({ ...(watchSeconds !== undefined ? { watchSeconds } : {}), tty: process.stdout.isTTY === true }));
      },
      failure: statusCommand.failure,
      prepare: async () => {
        const cwd = process.cwd();
        const [git, { resolveStatusOptions }] = await Promise.all([import('../adapters/git.ts'), import('../status/options.ts')]);
        // --all needs no branch; asking git anyway is cheap, and keeps one path.
        const branch = flags.all ? undefined : await git.currentBranch(cwd);
        return resolveStatusOptions(flags, {
          ...(branch ? { branch } : {}),
          resolveRegion: async (aws) => (await import('../adapters/aws/config.ts')).resolveRegion(aws),
        });
      },
      run: async (options, print, signal) => {
        const [{ NonInteractiveHost }, { createCloudFormationPorts }, { createEcosystemReads }, { createCertificatePort }, { runStatus }] = await Promise.all([
          import('../core/host.ts'),
          import('../adapters/aws/cloudformation.ts'),
          import('../adapters/aws/ecosystem.ts'),
          import('../adapters/aws/acm.ts'),
          import('../status/run.ts'),
        ]);
        const aws = { region: options.region, ...(options.profile ? { profile: options.profile } : {}), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) };
        const cfn = createCloudFormationPorts(aws);
        const reads = createEcosystemReads(aws);
        const certs = createCertificatePort(aws);
        const [{ projectDir }, { loadPricing }] = await Promise.all([import('../core/paths.ts'), import('./pricing.ts')]);
        const branches = options.all ? await (await import('../adapters/git.ts')).fetchedRemoteBranches(process.cwd()) : undefined;
        const pricing = await loadPricing({ projectDir: projectDir(process.cwd()), region: options.region, ...(options.livePrices ? { live: true } : {}), ...(options.trafficRps !== undefined ? { trafficRps: options.trafficRps } : {}), ...(options.profile ? { profile: options.profile } : {}), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}), signal });
        try {
          return exitCodeOf(
            await runStatus(
              { options, ports: { stacks: cfn.reads, ecs: reads.ecs, targets: reads.targets, alarms: reads.alarms, subscriptions: reads.subscriptions, certificates: certs }, clock: systemClock, ...(pricing ? { pricing } : {}), ...(branches ? { branches } : {}) },
              new NonInteractiveHost<StatusOutput>(print),
              signal,
            ),
          );
        } finally {
          cfn.destroy();
          reads.close();
        }
      },
      stopOn: { signals: ['SIGINT', 'SIGTERM', 'SIGHUP'], saying: (signal) => (flags.watch !== undefined ? '' : `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping… (Ctrl-C again to quit at once)\n`) },
    }),
};
