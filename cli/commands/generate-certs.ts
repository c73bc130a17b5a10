// `hello-deploy generate-certs`: flags in, one printed result out. The work lives in cli/certs; this file only
// declares the flags and prints. Errors are thrown typed for main.ts to turn into the exit code; with --json the
// error object is printed here and a ReportedError (reported = true) tells main.ts not to print it again.
import type { Command } from 'commander';
import { toHelloDeployError } from '../core/errors.ts';
import { DEFAULT_COMMON_NAME, DEFAULT_DAYS, DEFAULT_KEY_TYPE, DEFAULT_OUT_DIR, KEY_TYPES, MAX_DAYS } from '../domain/certificates/defaults.ts';
import type { GenerateCertsFlags } from '../certs/options.ts';
import { ReportedError, failureOf, formatHuman, formatJson } from '../certs/report.ts';

export interface CommandIo {
  cwd: string;
  write(text: string): void;
}

const stdoutIo = (): CommandIo => ({ cwd: process.cwd(), write: (text) => void process.stdout.write(text) });

/** The action, separate from commander so tests can run it in-process with their own cwd and output. */
export async function generateCertsAction(flags: GenerateCertsFlags, io: CommandIo = stdoutIo()): Promise<void> {
  const json = flags.json === true;
  try {
    // Loaded on use: --help must not load the x509 library or the crypto behind it.
    const [{ runGenerateCerts }, { currentBranch }] = await Promise.all([import('../certs/run.ts'), import('../adapters/git.ts')]);
    const result = await runGenerateCerts(flags, { cwd: io.cwd, currentBranch, openStore: async (aws) => (await import('../adapters/aws/acm.ts')).createAcmStore(aws) });
    io.write(json ? formatJson(result) : formatHuman(result, io.cwd));
  } catch (err) {
    if (!json) throw err;
    const e = toHelloDeployError(err);
    io.write(formatJson(failureOf(e)));
    throw new ReportedError(e);
  }
}

export function registerGenerateCerts(program: Command): void {
  program
    .command('generate-certs')
    .description('Make a self-signed TLS certificate and key for the app (and optionally import or rotate it in ACM)')
    .option('--out <dir>', 'directory for cert.pem and key.pem (created 0700 when missing)', DEFAULT_OUT_DIR)
    .option('--common-name <name>', `certificate common name, also put in subjectAltName (default: the first --san, else ${DEFAULT_COMMON_NAME} with localhost and 127.0.0.1)`)
    .option('--san <names...>', 'extra subjectAltNames: DNS names or IP addresses (repeatable, or comma-separated)')
    .option('--days <n>', `validity in days, 1-${MAX_DAYS}`, String(DEFAULT_DAYS))
    .option('--key-type <type>', `${KEY_TYPES.join(' | ')}`, DEFAULT_KEY_TYPE)
    .option('--force', 'replace an existing cert.pem/key.pem pair')
    .option('--import-acm', 'import the pair into ACM, tagged Ecosystem=<ecosystem> and ManagedBy=hello-deploy, and print its ARN')
    .option('--rotate <certificate-arn>', 're-import the new pair into this existing ACM certificate (same ARN: listeners keep working)')
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile\'s region; --rotate uses the ARN\'s)')
    .option('--profile <profile>', 'AWS profile from ~/.aws/config')
    .option('--endpoint-url <url>', 'send AWS calls to this endpoint (an emulator such as moto)')
    .option('--ecosystem <name>', 'ecosystem for the ACM tag (default: the sanitized git branch)')
    .option('--json', 'print exactly one JSON object (never the key)')
    .addHelpText('after', '\nThe private key is written with mode 0600 and is never printed. ACM never renews imported certificates: rotate them.')
    .action(async (flags: GenerateCertsFlags) => {
      await generateCertsAction(flags);
    });
}
