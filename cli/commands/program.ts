// The command line: every command registered, and one run of it from argv to an exit code. main.ts runs it once
// for the process; the deploy wizard runs it again for the lifecycle command a person opens from its result
// screen (status, logs, destroy), in the same terminal, after the wizard has let go of it.
import { Command, CommanderError } from 'commander';
import { EXIT, toHelloDeployError, type ExitCode } from '../core/errors.ts';
import { addCommand, commanderExit, refusalText } from './skeleton.ts';
import { generateCertsCommand } from './generate-certs.ts';
import { deployCommand } from './deploy.ts';
import { doctorCommand } from './doctor.ts';
import { logsCommand } from './logs.ts';
import { statusCommand } from './status.ts';
import { rollbackCommand } from './rollback.ts';
import { alarmTestCommand } from './alarm.ts';
import { destroyCommand } from './destroy.ts';
import { ciInitCommand } from './ci.ts';
import { VERSION } from '../core/version.ts';
import { escapeInvisible } from '../domain/shown.ts';

export function buildProgram(onDone: (code: ExitCode) => void): Command {
  const program = new Command('hello-deploy')
    .description('From an empty AWS account to a live HTTPS URL: Flask on ECS Fargate behind an HTTPS-only ALB, one copy per git branch.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    // The program's own options (-v, --help) only before the command: otherwise commander reads them anywhere, so a
    // value such as `--to -v1` or `--ecosystem -v1` printed the version and exited 0 instead of being refused.
    .enablePositionalOptions()
    // Commander quotes a refused value in its message ("argument '…' is invalid"): never raw to the terminal.
    // Set before the commands are added, which inherit it.
    .configureOutput({ outputError: (text, write) => write(escapeInvisible(text)) })
    .showHelpAfterError('(run with --help for usage)');
  addCommand(program, deployCommand, onDone);
  addCommand(program, generateCertsCommand, onDone);
  addCommand(program, doctorCommand, onDone);
  addCommand(program, logsCommand, onDone);
  addCommand(program, statusCommand, onDone);
  addCommand(program, rollbackCommand, onDone);
  addCommand(program.command('alarm').description('The CPU alarm: `alarm test` sends a test alarm e-mail'), alarmTestCommand, onDone);
  addCommand(program, destroyCommand, onDone);
  addCommand(program.command('ci').description('CI/CD: `ci init` writes the workflow that deploys every branch as its own ecosystem'), ciInitCommand, onDone);
  return program;
}

/** One run of the command line (`argv` as process.argv: node, script, then the arguments): its exit code. */
export async function runCommandLine(argv: string[]): Promise<ExitCode> {
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
