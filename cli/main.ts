// flags → host/printer → run. The only place that sets the exit code.
import { Command, CommanderError } from 'commander';
import { EXIT, toHelloDeployError, type ExitCode } from './engine/errors.ts';
import { registerGenerateCerts } from './commands/generate-certs.ts';
import { registerDeploy } from './commands/deploy.ts';
import { VERSION } from './version.ts';

export function buildProgram(onDone: (r: { exitCode: ExitCode }) => void): Command {
  const program = new Command('hello-deploy')
    .description('From an empty AWS account to a live HTTPS URL: Flask on ECS Fargate behind an HTTPS-only ALB, one copy per git branch.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerDeploy(program, onDone);
  registerGenerateCerts(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram((r) => {
    exitCode = r.exitCode;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version arrive here as "errors" with exit code 0; commander has printed its message.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const e = toHelloDeployError(err);
    if (!(err as { reported?: boolean }).reported) process.stderr.write(`✘ ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
    return e.exitCode;
  }
}

process.exitCode = await main(process.argv);
