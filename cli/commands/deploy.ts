// `hello-deploy deploy` (the default command): its flags, and which front end runs it — the wizard on a terminal,
// the plain or NDJSON printer otherwise, and the rehearsal (cli/commands/local.ts) with --local. Validation comes
// before any AWS call; the skeleton (skeleton.ts) owns the printer, refusals, Ctrl-C and the exit code.
import { Option } from 'commander';
import type { ErrorShape } from '../core/errors.ts';
import { REQUIRED_WITHOUT_TTY } from '../deploy/required.ts';
import type { DeployEvent, DeployResult } from '../deploy/result.ts';
import type { resolveDeployOptions } from '../deploy/options.ts';
import type { RehearsalFlags } from '../rehearsal/options.ts';
import { shown } from '../domain/shown.ts';
import { systemClock } from '../adapters/clock.ts';
import { exitCodeOf, runStreamed, type CommandSpec, type StreamedRun } from './skeleton.ts';

type DeployOptions = Awaited<ReturnType<typeof resolveDeployOptions>>;

export const deployCommand: CommandSpec<RehearsalFlags, DeployResult> = {
  name: 'deploy',
  isDefault: true,
  declare: (cmd) => {
    cmd
      .description('Deploy the app: ECR stack, image build and push, then the HTTPS-only Fargate service stack')
      .option('-y, --yes', 'never prompt: take every default answer (for scripts and CI)')
      .option('--json', 'print one JSON event per line (NDJSON); the last line is the result')
      .option('--ecosystem <name>', 'names every resource; default: the current git branch, sanitized')
      .option('--email <addr>', 'where the alarm is sent when scaling cannot keep up (SNS e-mail subscription)')
      .option('--region <region>', 'AWS region (default: as the AWS CLI resolves it)')
      .option('--profile <profile>', 'AWS profile from your shared config')
      .option('--cert-arn <arn>', 'an ACM certificate ARN for the HTTPS listener')
      .option('--cert <file>', 'a PEM certificate to import into ACM (with --key)')
      .option('--key <file>', 'its PEM private key')
      .option('--domain <name>', 'serve on this host name with a trusted ACM certificate that renews itself (DNS validation; an alias record when a Route 53 zone holds the name); replaces --cert-arn/--cert/--key')
      .option('--replace-record', 'with --domain: delete a record of that name that points elsewhere, right before the stack creates its alias (refused otherwise)')
      .option('--domain-wait <duration>', 'with --domain: the longest wait for the certificate\'s DNS validation, e.g. 5m (default 10m)')
      .option('--image <uri>', 'deploy this prebuilt image (a tag is resolved to its digest); skips login, build, tag and push')
      .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator)')
      .option('--registry <host:port>', 'push to this registry instead of the ECR endpoint (for emulators)')
      .addOption(new Option('--deploy-method <method>', 'how stacks are deployed (default: change-set; direct with --endpoint-url)').choices(['change-set', 'direct']))
      .option('--timeout <duration>', 'the longest wait for each stack\'s create or update, e.g. 90s, 10m, 1h (default: ECR stack 10m, infra stack 30m)')
      .option('--no-cancel', 'when the rollout fails, leave the stack update to the ECS circuit breaker instead of cancelling it')
      .option('--take-over', 'deploy even when the ecosystem\'s stacks were deployed from another git branch')
      .option('--base-image <image>', 'build FROM this image (the Dockerfile\'s BASE_IMAGE build argument)')
      .option('--traffic <req/s>', 'price the load balancer\'s capacity units and the logs for this many requests a second (default: idle)')
      .option('--live-prices', 'read prices from the AWS Price List API (cached for a week) instead of the bundled table')
      .option('--arch <arch>', 'CPU architecture of the Fargate tasks and the image: x86_64 or arm64 (arm64 costs about 20% less); default: this machine\'s')
      .option('--local', 'rehearse the whole deployment on this machine against an AWS emulator: no AWS account, nothing sent to AWS')
      .addOption(new Option('--emulator <engine>', 'with --local: moto (embedded moto with hello-deploy\'s extensions, default), moto-plain (moto_server as released), localstack (needs LOCALSTACK_AUTH_TOKEN and Docker), endpoint (--endpoint-url)').choices(['moto', 'moto-plain', 'localstack', 'endpoint']))
      .option('--keep', 'with --local: leave the emulator, registry and app running, and print how to stop them')
      .option('--localstack-image <image>', 'with --emulator localstack: the LocalStack image to run')
      .addHelpText('after', `\nWithout a TTY, or with --yes, nothing is asked; these must then be known:\n${REQUIRED_WITHOUT_TTY.map((r) => `  ${r.flag}  (${r.why})`).join('\n')}\n\nExit codes: 0 ok, 1 a step or deployment failed, 2 usage or bad input, 130 interrupted.`);
  },
  // Also for errors before the engine starts: --json consumers always see the stream end with a result line.
  failure: (error: ErrorShape) => ({ type: 'result', ok: false, error }),
  action: async (flags) => {
    // A person at a terminal gets the wizard; --yes, --json, CI and pipes get the plain printers.
    // TERM=dumb cannot address the cursor the wizard redraws with: it gets the plain lines, as a pipe does.
    const interactive = !flags.yes && !flags.json && process.stdin.isTTY === true && process.stdout.isTTY === true && !process.env.CI && process.env.TERM !== 'dumb';
    // A rehearsal has its own front ends; it shares only the flags with a real deploy.
    if (flags.local) return interactive ? (await import('./rehearsal-wizard.ts')).runRehearsalWizard(flags) : (await import('./local.ts')).runLocal(flags);
    const localOnly = async () => {
      // Before the wizard too: --keep or --emulator without --local are mistakes on a terminal as much as in a script.
      const refused = (await import('../rehearsal/options.ts')).localOnlyFlagsError(flags);
      if (refused) throw refused;
    };
    if (interactive) return runStreamed({ ...output(flags), prepare: localOnly, run: async () => (await import('./wizard.ts')).runWizard(flags) });
    return runStreamed({
      ...output(flags),
      prepare: async () => {
        await localOnly();
        return resolve(flags);
      },
      run: runYes(),
      // CI cancellations send SIGTERM and a closed terminal SIGHUP: each stops like Ctrl-C (exit 130, stacks named).
      stopOn: { signals: ['SIGINT', 'SIGTERM', 'SIGHUP'], saying: (signal) => `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after the running steps… (Ctrl-C again to quit at once)\n` },
    });
  },
};

function output(flags: RehearsalFlags): Pick<StreamedRun<unknown, DeployEvent>, 'json' | 'plain' | 'failure'> {
  return {
    json: flags.json === true,
    plain: async () => {
      const [{ linePrinter }, { deployLines, deployPlanDetails }] = await Promise.all([import('../printers/line.ts'), import('../printers/deploy.ts')]);
      return linePrinter<DeployEvent>(deployLines, undefined, undefined, deployPlanDetails);
    },
    failure: deployCommand.failure,
  };
}

async function resolve(flags: RehearsalFlags): Promise<DeployOptions> {
  const cwd = process.cwd();
  const [{ projectDir }, git] = await Promise.all([import('../core/paths.ts'), import('../adapters/git.ts')]);
  const dir = projectDir(cwd);
  const [branch, sha] = await Promise.all([git.currentBranch(cwd), git.shortSha(dir)]);
  const baseImage = flags.baseImage ?? process.env.HELLO_DEPLOY_BASE_IMAGE;

  const { immutableTag, resolveDeployOptions } = await import('../deploy/options.ts');
  const options = await resolveDeployOptions(flags, {
    cwd,
    projectDir: dir,
    ...(branch ? { branch } : {}),
    imageTag: immutableTag(sha),
    buildArgs: baseImage ? { BASE_IMAGE: baseImage } : {},
    resolveRegion: async (aws) => (await import('../adapters/aws/config.ts')).resolveRegion(aws),
  });
  if (!flags.ecosystem && !flags.json) process.stdout.write(`Ecosystem ${options.ecosystem} (from git branch ${shown(branch ?? '')}, which owns it); pass --ecosystem to choose another.\n`);
  return options;
}

function runYes(): StreamedRun<DeployOptions, DeployEvent>['run'] {
  return async (options, print, signal) => {
    const [{ NonInteractiveHost }, { createDeployPorts }, { runDeploy }] = await Promise.all([
      import('../core/host.ts'),
      import('../adapters/deploy-ports.ts'),
      import('../deploy/run.ts'),
    ]);
    const ports = await createDeployPorts({
      ...(options.region ? { region: options.region } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    });
    // What it will cost: in the plan event, and in the job summary.
    const pricing = await (await import('./pricing.ts')).loadPricing({ projectDir: options.projectDir, region: options.region ?? 'us-east-1', ...(options.livePrices ? { live: true } : {}), ...(options.trafficRps !== undefined ? { trafficRps: options.trafficRps } : {}), ...(options.profile ? { profile: options.profile } : {}), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}), signal });
    const cost = pricing ? (await import('../deploy/cost.ts')).deployCost(options, pricing, new Date()) : undefined;
    // In GitHub Actions the job summary gets the result (URL, digest, stacks, cost): hello-deploy writes it, so a
    // workflow needs no shell step to parse --json.
    let result: DeployResult | undefined;
    const keep = (e: DeployEvent) => {
      if (e.type === 'result') result = e;
      print(e);
    };
    try {
      return exitCodeOf(await runDeploy({ options, ports, state: { stacksTouched: [] }, clock: systemClock }, new NonInteractiveHost<DeployEvent>(keep), signal, cost ? { cost } : {}));
    } finally {
      ports.close();
      if (result) await (await import('./step-summary.ts')).appendStepSummary(result, { ...options, ...(cost ? { cost } : {}) });
    }
  };
}
