// `hello-deploy generate-certs`: flags in, one printed result out. The work lives in cli/certs; this file declares
// the flags and how the result reads, and the skeleton prints it: one JSON object with --json (an error too, as
// `{"ok":false,"error":…}`), or a few lines (an error on stderr).
import type { Command } from 'commander';
import { EXIT, toHelloDeployError, type ErrorShape, type ExitCode } from '../core/errors.ts';
import { DEFAULT_COMMON_NAME, DEFAULT_DAYS, DEFAULT_KEY_TYPE, DEFAULT_OUT_DIR, KEY_TYPES, MAX_DAYS } from '../domain/certificates/defaults.ts';
import type { GenerateCertsFlags } from '../certs/options.ts';
import type { GenerateCertsFailure, GenerateCertsResult } from '../certs/report.ts';
import { refusalText, runStreamed, type CommandSpec } from './skeleton.ts';

type Output = GenerateCertsResult | GenerateCertsFailure;

/** The action, apart from commander: `cwd` is where relative paths (and app/certs) are taken from. */
export function generateCerts(flags: GenerateCertsFlags, cwd = process.cwd()): Promise<ExitCode> {
  return runStreamed<GenerateCertsResult, Output>({
    json: flags.json === true,
    plain: async () => {
      const { formatHuman } = await import('../certs/report.ts');
      return (o) => void (o.ok ? process.stdout.write(formatHuman(o, cwd)) : process.stderr.write(refusalText(o.error)));
    },
    failure: generateCertsCommand.failure,
    // The whole job is one call, and any failure of it is the command's failure object (with --json, even one
    // that is not a HelloDeployError); there is nothing left to run but print the result.
    prepare: async () => {
      try {
        // Loaded on use: --help must not load the x509 library or the crypto behind it.
        const [{ runGenerateCerts }, { currentBranch }] = await Promise.all([import('../certs/run.ts'), import('../adapters/git.ts')]);
        return await runGenerateCerts(flags, { cwd, currentBranch, openStore: async (aws) => (await import('../adapters/aws/acm.ts')).createAcmStore(aws) });
      } catch (err) {
        throw toHelloDeployError(err);
      }
    },
    run: async (result, print) => {
      print(result);
      return EXIT.ok;
    },
  });
}

export const generateCertsCommand: CommandSpec<GenerateCertsFlags, Output> = {
  name: 'generate-certs',
  declare: (cmd: Command) => {
    cmd
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
      .addHelpText('after', '\nThe private key is written with mode 0600 and is never printed. ACM never renews imported certificates: rotate them.');
  },
  failure: (error: ErrorShape) => ({ ok: false, error }),
  action: (flags) => generateCerts(flags),
};
