// `hello-deploy deploy` (the default command): parse, validate before any AWS call, pick a host and printer,
// then hand over to the engine. Commands parse; services act.
import { Command, Option } from 'commander';
import { EXIT, HelloDeployError, type ExitCode } from '../core/errors.ts';
import { REQUIRED_WITHOUT_TTY } from '../deploy/required.ts';
import type { RehearsalFlags } from '../rehearsal/options.ts';

export interface CommandResult {
  exitCode: ExitCode;
}

export function registerDeploy(program: Command, onDone: (r: CommandResult) => void): void {
  program
    .command('deploy', { isDefault: true })
    .description('Deploy the app: ECR stack, image build and push, then the HTTPS-only Fargate service stack')
    .option('-y, --yes', 'never prompt: take every default answer (for scripts and CI)')
    .option('--json', 'print one JSON event per line (NDJSON); the last line is the result')
    .option('--ecosystem <name>', 'names every resource; default: the current git branch, sanitized')
    .option('--email <addr>', 'where the CPU > 70% alarm is sent (SNS e-mail subscription)')
    .option('--region <region>', 'AWS region (default: as the AWS CLI resolves it)')
    .option('--profile <profile>', 'AWS profile from your shared config')
    .option('--cert-arn <arn>', 'an ACM certificate ARN for the HTTPS listener')
    .option('--cert <file>', 'a PEM certificate to import into ACM (with --key)')
    .option('--key <file>', 'its PEM private key')
    .option('--image <uri>', 'deploy this prebuilt image; skips login, build, tag and push')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator)')
    .option('--registry <host:port>', 'push to this registry instead of the ECR endpoint (for emulators)')
    .addOption(new Option('--deploy-method <method>', 'how stacks are deployed (default: change-set; direct with --endpoint-url)').choices(['change-set', 'direct']))
    .option('--base-image <image>', 'build FROM this image (the Dockerfile\'s BASE_IMAGE build argument)')
    .option('--local', 'rehearse the whole deployment on this machine against an AWS emulator: no AWS account, nothing sent to AWS')
    .addOption(new Option('--emulator <engine>', 'with --local: moto (embedded, default), localstack (needs LOCALSTACK_AUTH_TOKEN and Docker), endpoint (--endpoint-url)').choices(['moto', 'localstack', 'endpoint']))
    .option('--keep', 'with --local: leave the emulator, registry and app running, and print how to stop them')
    .option('--localstack-image <image>', 'with --emulator localstack: the LocalStack image to run')
    .addHelpText('after', `\nWithout a TTY, or with --yes, nothing is asked; these must then be known:\n${REQUIRED_WITHOUT_TTY.map((r) => `  ${r.flag}  (${r.why})`).join('\n')}\n\nExit codes: 0 ok, 1 a step or deployment failed, 2 usage or bad input, 130 interrupted.`)
    .action(async (flags: RehearsalFlags) => {
      onDone({ exitCode: await deploy(flags) });
    });
}

async function deploy(flags: RehearsalFlags): Promise<ExitCode> {
  // A person at a terminal gets the wizard; --yes, --json, CI and pipes get the plain printers.
  const interactive = !flags.yes && !flags.json && process.stdin.isTTY === true && process.stdout.isTTY === true && !process.env.CI;
  // A rehearsal has its own front ends (its wizard, cli/local/command.ts); it shares only the flags with a real deploy.
  if (flags.local) return interactive ? (await import('./wizard.ts')).runRehearsalWizard(flags) : (await import('./local.ts')).runLocal(flags);
  const { ndjsonPrinter } = await import('../printers/ndjson.ts');
  const { linePrinter } = await import('../printers/line.ts');
  const print = flags.json ? ndjsonPrinter() : linePrinter();
  const fail = (e: HelloDeployError): ExitCode => {
    // Errors before the engine starts still end the stream with a result line, so --json consumers see one shape.
    print({ type: 'result', ok: false, error: e.toJSON() });
    return e.exitCode;
  };

  // Before the wizard too: --keep or --emulator without --local are mistakes on a terminal as much as in a script.
  const localOnly = (await import('../rehearsal/options.ts')).localOnlyFlagsError(flags);
  if (localOnly) return fail(localOnly);
  if (interactive) return (await import('./wizard.ts')).runWizard(flags);

  const cwd = process.cwd();
  const [{ projectDir }, git] = await Promise.all([import('../core/paths.ts'), import('../adapters/git.ts')]);
  const dir = projectDir(cwd);
  const [branch, sha] = await Promise.all([git.currentBranch(cwd), git.shortSha(dir)]);
  const baseImage = flags.baseImage ?? process.env.HELLO_DEPLOY_BASE_IMAGE;

  const { immutableTag, resolveDeployOptions } = await import('../deploy/options.ts');
  let options;
  try {
    options = await resolveDeployOptions(flags, {
      cwd,
      projectDir: dir,
      ...(branch ? { branch } : {}),
      imageTag: immutableTag(sha),
      buildArgs: baseImage ? { BASE_IMAGE: baseImage } : {},
      resolveRegion: async () => (await import('../adapters/aws/config.ts')).resolveRegion({
        ...(flags.profile ? { profile: flags.profile } : {}),
        ...(flags.endpointUrl ? { endpointUrl: flags.endpointUrl } : {}),
      }),
    });
  } catch (e) {
    if (e instanceof HelloDeployError) return fail(e);
    throw e;
  }
  if (!flags.ecosystem && !flags.json) process.stdout.write(`Ecosystem ${options.ecosystem} (from git branch ${branch}); pass --ecosystem to choose another.\n`);

  const [{ NonInteractiveHost }, { createDeployPorts }, { runDeploy }] = await Promise.all([
    import('../core/host.ts'),
    import('../adapters/deploy-ports.ts'),
    import('../deploy/run.ts'),
  ]);
  const host = new NonInteractiveHost(print);

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted); // a second Ctrl-C: the user really wants out
    controller.abort();
    process.stderr.write('\nStopping after the running steps… (Ctrl-C again to quit at once)\n');
  };
  process.on('SIGINT', onSigint);
  try {
    const ports = await createDeployPorts({
      ...(options.region ? { region: options.region } : {}),
      ...(flags.profile ? { profile: flags.profile } : {}),
      ...(flags.endpointUrl ? { endpointUrl: flags.endpointUrl } : {}),
    });
    try {
      const outcome = await runDeploy({ options, ports, state: { stacksTouched: [] } }, host, controller.signal);
      return outcome.ok ? EXIT.ok : (outcome.error?.exitCode ?? EXIT.failure);
    } finally {
      ports.close();
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
}
