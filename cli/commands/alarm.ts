// `hello-deploy alarm test`: sets the ecosystem's alarm to ALARM and back to OK so its e-mail really arrives, and
// says who receives it. `alarm` is a group (program.ts); `test` runs through the skeleton like every command.
import type { ErrorShape } from '../core/errors.ts';
import type { AlarmTestFlags, AlarmTestOptions } from '../alarm/options.ts';
import type { AlarmTestEvent } from '../alarm/result.ts';
import { exitCodeOf, runStreamed, type CommandSpec } from './skeleton.ts';

export const alarmTestCommand: CommandSpec<AlarmTestFlags, AlarmTestEvent> = {
  name: 'test',
  declare: (cmd) => {
    cmd
      .description('Set the CPU alarm to ALARM and back to OK (SetAlarmState), so its e-mail arrives; name who receives it and who must still confirm')
      .option('--ecosystem <name>', 'the ecosystem whose alarm to test; default: the current git branch, sanitized')
      .option('--region <region>', 'AWS region (default: as the AWS CLI resolves it)')
      .option('--profile <profile>', 'AWS profile from your shared config')
      .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator)')
      .option('--json', 'print one JSON event per line (NDJSON); the last line is the result')
      .addHelpText('after', '\nExit codes: 0 the alarm went to ALARM and back, 1 no alarm or a call failed, 2 usage or bad input.');
  },
  failure: (error: ErrorShape) => ({ type: 'result', ok: false, error }),
  action: (flags) =>
    runStreamed<AlarmTestOptions, AlarmTestEvent>({
      json: flags.json === true,
      plain: async () => {
        const [{ linePrinter }, { alarmTestLines }] = await Promise.all([import('../printers/line.ts'), import('../printers/alarm.ts')]);
        return linePrinter<AlarmTestEvent>(alarmTestLines);
      },
      failure: alarmTestCommand.failure,
      prepare: async () => {
        const [git, { resolveAlarmTestOptions }] = await Promise.all([import('../adapters/git.ts'), import('../alarm/options.ts')]);
        const branch = await git.currentBranch(process.cwd());
        return resolveAlarmTestOptions(flags, { ...(branch ? { branch } : {}), resolveRegion: async (aws) => (await import('../adapters/aws/config.ts')).resolveRegion(aws) });
      },
      run: async (options, print, signal) => {
        const [{ createEcosystemReads }, { runAlarmTest }] = await Promise.all([import('../adapters/aws/ecosystem.ts'), import('../alarm/run.ts')]);
        const reads = createEcosystemReads({ ...(options.region ? { region: options.region } : {}), ...(options.profile ? { profile: options.profile } : {}), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) });
        try {
          return exitCodeOf(await runAlarmTest(options, reads, print, signal));
        } finally {
          reads.close();
        }
      },
      stopOn: { signals: ['SIGINT', 'SIGTERM', 'SIGHUP'], saying: (signal) => `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping… (Ctrl-C again to quit at once)\n` },
    }),
};
