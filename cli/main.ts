// flags → command → exit code. Each command runs through the one skeleton (cli/commands/skeleton.ts), which
// owns printers, refusals and signals; the command line is assembled in cli/commands/program.ts. This file only
// runs it and sets the exit code.
import { runCommandLine } from './commands/program.ts';

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

process.exitCode = await runCommandLine(process.argv);
