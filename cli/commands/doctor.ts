// `hello-deploy doctor`: the deploy's preflight as a read-only command. Its flags, its plain or NDJSON output, and
// the wiring of read-only adapters (the ports it is handed cannot create anything: cli/doctor/context.ts). Every
// flag is checked before any AWS call; the skeleton owns the printer, refusals, Ctrl-C and the exit code.
import type { ErrorShape } from '../core/errors.ts';
import type { DoctorFlags, DoctorOptions } from '../doctor/options.ts';
import type { DoctorEvent } from '../doctor/result.ts';
import type { DoctorPorts } from '../doctor/context.ts';
import { systemClock } from '../adapters/clock.ts';
import { exitCodeOf, runStreamed, type CommandSpec } from './skeleton.ts';

/** --domain's reads: Route 53 and the infra stack (its load balancer), loaded only when a domain is checked. */
async function domainPorts(aws: import('../ports/aws.ts').AwsOptions) {
  const [{ createDnsReads }, { createCloudFormationPorts }] = await Promise.all([import('../adapters/aws/route53-reads.ts'), import('../adapters/aws/cloudformation.ts')]);
  const cfn = createCloudFormationPorts(aws);
  return { dns: createDnsReads(aws), stacks: cfn.reads, close: () => cfn.destroy() };
}

export const doctorCommand: CommandSpec<DoctorFlags, DoctorEvent> = {
  name: 'doctor',
  declare: (cmd) => {
    cmd
      .description('Check, without changing anything, what a deploy would trip over: names taken, quotas full, a certificate the listener cannot use, an --image of another architecture, service-linked roles')
      .option('--ecosystem <name>', 'the ecosystem to check for; default: the current git branch, sanitized')
      .option('--region <region>', 'AWS region (default: as the AWS CLI resolves it)')
      .option('--profile <profile>', 'AWS profile from your shared config')
      .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator)')
      .option('--cert-arn <arn>', 'the ACM certificate a deploy would use')
      .option('--cert <file>', 'the PEM certificate a deploy would import (with --key); default: app/certs/cert.pem when present')
      .option('--key <file>', 'its PEM private key')
      .option('--image <uri>', 'the prebuilt image a deploy would run: its manifest must hold a platform the tasks can run')
      .option('--arch <arch>', 'CPU architecture of the Fargate tasks, for --image: x86_64 or arm64; default: this machine\'s')
      .option('--registry <host:port>', 'the registry that stands in for ECR on an emulator (read with the ECR token)')
      .option('--domain <name>', 'the domain a deploy would serve on: its Route 53 zone, and no record of it pointing elsewhere')
      .option('--replace-record', 'with --domain: accept a record of that name pointing elsewhere (the deploy replaces it)')
      .option('--json', 'print one JSON event per line (NDJSON); the last line is the result, with every check')
      .addHelpText('after', '\nRead only: doctor makes no stack, imports no certificate and creates no role.\nExit codes: 0 nothing in the way, 1 a problem (each with its fix), 2 usage or bad input.');
  },
  failure: (error: ErrorShape) => ({ type: 'result', ok: false, error }),
  action: (flags) =>
    runStreamed<DoctorOptions, DoctorEvent>({
      json: flags.json === true,
      plain: async () => {
        const [{ linePrinter }, { doctorLines }] = await Promise.all([import('../printers/line.ts'), import('../printers/doctor.ts')]);
        return linePrinter<DoctorEvent>(doctorLines);
      },
      failure: doctorCommand.failure,
      prepare: async () => {
        const cwd = process.cwd();
        const [{ projectDir }, git, { resolveDoctorOptions }] = await Promise.all([import('../core/paths.ts'), import('../adapters/git.ts'), import('../doctor/options.ts')]);
        const branch = await git.currentBranch(cwd);
        return resolveDoctorOptions(flags, {
          cwd,
          projectDir: projectDir(cwd),
          ...(branch ? { branch } : {}),
          resolveRegion: async (aws) => (await import('../adapters/aws/config.ts')).resolveRegion(aws),
        });
      },
      run: async (options, print, signal) => {
        const [{ NonInteractiveHost }, { createDeployPorts }, { runDoctor }] = await Promise.all([import('../core/host.ts'), import('../adapters/deploy-ports.ts'), import('../doctor/run.ts')]);
        const live = await createDeployPorts({ ...(options.region ? { region: options.region } : {}), ...(options.profile ? { profile: options.profile } : {}), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) });
        // The deploy's own lookups, narrowed to what reads: DoctorPorts has no port that creates anything.
        const aws = { ...(options.region ? { region: options.region } : {}), ...(options.profile ? { profile: options.profile } : {}), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) };
        const domainReads = options.domain ? await domainPorts(aws) : undefined;
        const ports: DoctorPorts = { identity: live.identity, roles: { exists: (name) => live.serviceRoles.exists(name) }, preflight: live.preflight, files: live.files, ...(domainReads ? { dns: domainReads.dns, stacks: domainReads.stacks } : {}) };
        try {
          return exitCodeOf(await runDoctor({ options, ports, state: {}, clock: systemClock }, new NonInteractiveHost<DoctorEvent>(print), signal));
        } finally {
          live.close();
          domainReads?.close();
        }
      },
      stopOn: { signals: ['SIGINT', 'SIGTERM', 'SIGHUP'], saying: (signal) => `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping… (Ctrl-C again to quit at once)\n` },
    }),
};
