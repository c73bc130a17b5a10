// flags → host/printer → run. The only place that sets the exit code.
import { Command, CommanderError } from 'commander';
import { EXIT, toHelloDeployError, type ExitCode } from './core/errors.ts';
import { registerGenerateCerts } from './commands/generate-certs.ts';
import { registerDeploy } from './commands/deploy.ts';
import { VERSION } from './core/version.ts';
import { escapeInvisible } from './domain/shown.ts';

export function buildProgram(onDone: (r: { exitCode: ExitCode }) => void): Command {
  const program = new Command('hello-deploy')
    .description('From an empty AWS account to a live HTTPS URL: Flask on ECS Fargate behind an HTTPS-only ALB, one copy per git branch.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    // Commander quotes a refused value in its message ("argument '…' is invalid"): never raw to the terminal.
    // Set before the commands are added, which inherit it.
    .configureOutput({ outputError: (text, write) => write(escapeInvisible(text)) })
    .showHelpAfterError('(run with --help for usage)');
  registerDeploy(program, onDone);
  registerGenerateCerts(program);
  // Remember which command commander was parsing when it gave up, so a --json caller gets that command's shape.
  for (const sub of program.commands) {
    sub.exitOverride((err) => {
      throw Object.assign(err, { commandName: sub.name() });
    });
  }
  return program;
}

/**
 * With --json, a flag commander rejects (unknown option, bad choice, missing value) still ends stdout with one
 * JSON object in the shape that command's callers parse: deploy's closing `result` event, or generate-certs'
 * single object. Commander has already written its human message to stderr.
 */
function usageJson(err: CommanderError & { commandName?: string }, argv: string[]): string | undefined {
  const args = argv.slice(2);
  const end = args.indexOf('--');
  if (!(end === -1 ? args : args.slice(0, end)).includes('--json')) return undefined;
  const command = err.commandName ?? 'deploy';
  const error = {
    code: 'BAD_FLAGS',
    message: err.message.replace(/^error: /, ''),
    hint: `Nothing was sent to AWS. \`hello-deploy ${command} --help\` lists the flags.`,
  };
  return `${JSON.stringify(command === 'deploy' ? { type: 'result', ok: false, error } : { ok: false, error })}\n`;
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
      if (err.exitCode === 0) return EXIT.ok;
      const json = usageJson(err, argv);
      if (json) process.stdout.write(json);
      return EXIT.usage;
    }
    const e = toHelloDeployError(err);
    if (!(err as { reported?: boolean }).reported) process.stderr.write(`✘ ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
    return e.exitCode;
  }
}

// `hello-deploy --help | head`, or a --json consumer that stops reading: a closed pipe is the reader's choice,
// not a crash to print a stack trace for.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await main(process.argv);
