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
      .option('--repository <owner/name>', "--aws: the GitHub repository whose workflows may assume the role (default: origin's)")
      .option('--branches <list>', '--aws: only these branches (comma-separated, at most 5; default: any branch)')
      .option('--profile <profile>', '--aws: AWS profile from your shared config')
      .option('--endpoint-url <url>', '--aws: AWS endpoint override (e.g. an emulator)')
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
      prepare: async () =>
        (await import('../ci/options.ts')).resolveCiInitOptions(flags, { resolveRegion: async (aws) => (await import('../adapters/aws/config.ts')).resolveRegion(aws) }),
      run: async (options, print, signal) => {
        const [{ runCiInit }, { deployCiRole, githubRepositoryOf }, git, fs, path, { packageRoot }] = await Promise.all([
          import('../ci/run.ts'),
          import('../ci/role.ts'),
          import('../adapters/git.ts'),
          import('node:fs/promises'),
          import('node:path'),
          import('../core/paths.ts'),
        ]);
        const result = await runCiInit(options, process.cwd(), {
          repositoryRoot: git.repositoryRoot,
          exists: (f) => fs.access(f).then(() => true, () => false),
          write: async (f, text) => {
            await fs.mkdir(path.dirname(f), { recursive: true });
            await fs.writeFile(f, text);
          },
          originRepository: async (root) => {
            const url = await git.remoteUrl(root);
            return url ? githubRepositoryOf(url) : undefined;
          },
          deployRole: async (req, target) => {
            const { createCiRolePorts } = await import('../adapters/ci-role-ports.ts');
            const aws = { region: target.region, ...(target.profile ? { profile: target.profile } : {}), ...(target.endpointUrl ? { endpointUrl: target.endpointUrl } : {}) };
            const ports = await createCiRolePorts(aws, path.join(packageRoot(), 'infra', 'hello-world-ci-role.yaml'));
            try {
              return await deployCiRole(ports, { ...req, signal });
            } finally {
              ports.close();
            }
          },
        });
        // A refusal throws (the skeleton prints it as the failure); what comes back is always a success.
        print(result);
        return EXIT.ok;
      },
    }),
};
