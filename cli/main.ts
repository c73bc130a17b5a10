// flags → command → exit code. Each command runs through the one skeleton (cli/commands/skeleton.ts), which
// owns printers, refusals and signals; this file only assembles the command line and sets the exit code.
import { Command, CommanderError } from 'commander';
import { EXIT, toHelloDeployError, type ExitCode } from './core/errors.ts';
import { addCommand, commanderExit, refusalText } from './commands/skeleton.ts';
import { generateCertsCommand } from './commands/generate-certs.ts';
import { deployCommand } from './commands/deploy.ts';
import { doctorCommand } from './commands/doctor.ts';
import { destroyCommand } from './commands/destroy.ts';
import { VERSION } from './core/version.ts';
import { escapeInvisible } from './domain/shown.ts';

export function buildProgram(onDone: (code: ExitCode) => void): Command {
  const program = new Command('hello-deploy')
    .description('From an empty AWS account to a live HTTPS URL: Flask on ECS Fargate behind an HTTPS-only ALB, one copy per git branch.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    // Commander quotes a refused value in its message ("argument '…' is invalid"): never raw to the terminal.
    // Set before the commands are added, which inherit it.
    .configureOutput({ outputError: (text, write) => write(escapeInvisible(text)) })
    .showHelpAfterError('(run with --help for usage)');
  addCommand(program, deployCommand, onDone);
  addCommand(program, generateCertsCommand, onDone);
  addCommand(program, doctorCommand, onDone);
  addCommand(program, destroyCommand, onDone);
  return program;
}

async function main(argv: string[]): Promise<number> {
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err, argv);
    // What no command reported itself (a bug, or a failure outside any run).
    const e = toHelloDeployError(err);
    process.stderr.write(refusalText(e));
    return e.exitCode;
  }
}

// `hello-deploy --help | head`, or a --json consumer that stops reading: a closed pipe is the reader's choice,
// not a crash to print a stack trace for.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // The terminal went away (a closed window, a dropped ssh session): writing to it fails with EIO, and SIGHUP
    // is on its way. Nothing can be shown any more, but the run must still wind down as SIGHUP asks (running steps
    // finish, a rehearsal tears down, exit 130) rather than die on its next frame.
    if (err.code === 'EIO') return;
    throw err;
  });
}

process.exitCode = await main(process.argv);
