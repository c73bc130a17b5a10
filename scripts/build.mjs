// Bundles cli/main.ts into dist/ with code splitting, so `--help` loads only the argument parser and the
// heavy parts (Ink, React, the AWS SDK) are loaded lazily through dynamic import() when a command needs them.
import { build } from 'esbuild';

await build({
  entryPoints: ['cli/main.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
});
