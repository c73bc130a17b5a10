// `hello-deploy logs`: the service's CloudWatch logs, once or followed. Its flags, its plain or NDJSON output, and
// the wiring of the read adapter. Every flag is checked before any AWS call; the skeleton owns the printer,
// refusals, the signals and the exit code. Under --follow, Ctrl-C (or SIGTERM, SIGHUP) is how it ends: exit 0.
import type { ErrorShape } from '../core/errors.ts';
import type { LogsFlags, LogsOptions } from '../logs/options.ts';
import type { LogsEvent } from '../logs/result.ts';
import { systemClock } from '../adapters/clock.ts';
import { exitCodeOf, runStreamed, type CommandSpec } from './skeleton.ts';

export const logsCommand: CommandSpec<LogsFlags, LogsEvent> = {
  name: 'logs',
  declare: (cmd) => {
    cmd
      .description("The service's CloudWatch logs: each line with its task's short id and time; --follow keeps printing new lines, across task replacements")
      .option('--ecosystem <name>', 'the ecosystem whose logs to read; default: the current git branch, sanitized')
      .option('--region <region>', 'AWS region (default: as the AWS CLI resolves it)')
      .option('--profile <profile>', 'AWS profile from your shared config')
      .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator)')
      .option('--since <duration>', 'how far back to start: 30s, 10m, 2h, 1d (at most 30d); default 10m')
      .option('--task <id>', "only this task's lines: its id, its ARN, or the first 8+ characters logs prints")
      .option('--previous', 'the lines of the most recently stopped task (where a crash is explained), its whole life')
      .option('-f, --follow', 'keep printing new lines (every 2 s) until Ctrl-C, including new tasks\' lines')
      .option('--json', 'print one JSON event per line (NDJSON): a log-line per line, the last line is the result')
      .addHelpText('after', '\nRead only. Exit codes: 0 read (also when the window has no lines, and when --follow is stopped by Ctrl-C), 1 a problem (no log group: not deployed there), 2 usage or bad input, 130 interrupted before the window was read.');
  },
  failure: (error: ErrorShape) => ({ type: 'result', ok: false, error }),
  action: (flags) =>
    runStreamed<LogsOptions, LogsEvent>({
      json: flags.json === true,
      plain: async () => (await import('../printers/logs.ts')).logsPrinter(),
      failure: logsCommand.failure,
      prepare: async () => {
        const [git, { resolveLogsOptions }] = await Promise.all([import('../adapters/git.ts'), import('../logs/options.ts')]);
        const branch = await git.currentBranch(process.cwd());
        return resolveLogsOptions(flags, {
          ...(branch ? { branch } : {}),
          resolveRegion: async (aws) => (await import('../adapters/aws/config.ts')).resolveRegion(aws),
        });
      },
      run: async (options, print, signal) => {
        const [{ createEcosystemReads }, { runLogs }] = await Promise.all([import('../adapters/aws/ecosystem.ts'), import('../logs/run.ts')]);
        const reads = createEcosystemReads({ region: options.region, ...(options.profile ? { profile: options.profile } : {}), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) });
        try {
          return exitCodeOf(await runLogs({ options, ports: { logs: reads.logs, ecs: reads.ecs }, clock: systemClock }, print, signal));
        } finally {
          reads.close();
        }
      },
      stopOn: { signals: ['SIGINT', 'SIGTERM', 'SIGHUP'], saying: (signal) => `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping… (Ctrl-C again to quit at once)\n` },
    }),
};
