// `hello-deploy ci init`: write the GitHub Actions workflow that gives every branch its own ecosystem. Flags are
// checked before anything is written; the skeleton owns the printer, refusals and the exit code.
import { EXIT, type ErrorShape } from '../core/errors.ts';
import type { CiInitFlags, CiInitOptions } from '../ci/options.ts';
import type { CiInitEvent } from '../ci/result.ts';
import { runStreamed, type CommandSpec } from './skeleton.ts';

export const ciInitCommand: CommandSpec<CiInitFlags, CiInitEvent> = {
  name: 'init',
  declare: (cmd) => {
    cmd
      .description('Write .github/workflows/hello-deploy.yml: pull requests rehearse (--local), pushes deploy the branch as its own ecosystem, a deleted branch is destroyed, a weekly sweep finds stale ones')
      .option('--provider <name>', 'the CI system: github (the only one)', 'github')
      .option('--aws', 'also deploy the CI role (GitHub OIDC) and write its ARN into the workflow')
      .option('--role-arn <arn>', 'the IAM role the workflow assumes (default: the repository variable HELLO_DEPLOY_ROLE_ARN)')
      .option('--region <region>', 'the AWS region the workflow deploys to (default: the repository variable AWS_REGION)')
      .option('--cron <expr>', 'when the sweep runs, POSIX cron in UTC (default: weekly, "17 4 * * 1")')
      .option('--force', 'replace an existing workflow file')
      .option('--json', 'print one JSON object: the result')
      .addHelpText('after', '\nExit codes: 0 written, 2 usage (a bad flag, the file exists without --force, not in a git repository; nothing written).');
  },
  failure: (error: ErrorShape) => ({ type: 'result', ok: false, error }),
  action: (flags) =>
    runStreamed<CiInitOptions, CiInitEvent>({
      json: flags.json === true,
      plain: async () => {
        const [{ linePrinter }, { ciInitLines }] = await Promise.all([import('../printers/line.ts'), import('../printers/ci.ts')]);
        return linePrinter<CiInitEvent>(ciInitLines);
      },
      failure: ciInitCommand.failure,
      prepare: async () => (await import('../ci/options.ts')).resolveCiInitOptions(flags),
      run: async (options, print) => {
        const [{ runCiInit }, git, fs, path] = await Promise.all([
          import('../ci/run.ts'),
          import('../adapters/git.ts'),
          import('node:fs/promises'),
          import('node:path'),
        ]);
        const result = await runCiInit(options, process.cwd(), {
          repositoryRoot: git.repositoryRoot,
          exists: (f) => fs.access(f).then(() => true, () => false),
          write: async (f, text) => {
            await fs.mkdir(path.dirname(f), { recursive: true });
            await fs.writeFile(f, text);
          },
        });
        // A refusal throws (the skeleton prints it as the failure); what comes back is always a success.
        print(result);
        return EXIT.ok;
      },
    }),
};
