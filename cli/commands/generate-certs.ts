import type { Command } from 'commander';

// Placeholder: issue 3 fills this in.
export function registerGenerateCerts(program: Command): void {
  program.command('generate-certs').description('Make a self-signed certificate pair (not built yet)').action(() => {
    throw new Error('generate-certs is not built yet');
  });
}
