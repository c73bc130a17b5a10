// Bundles cli/main.ts into dist/ with code splitting, so `--help` loads only the argument parser and the
// heavy parts (Ink, React, the AWS SDK) are loaded lazily through dynamic import() when a command needs them.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['cli/main.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Dependencies stay in node_modules, except the argument parser: it is on the path of every start-up,
  // and inlining it saves a module-resolution walk on each `hello-deploy --help`.
  external: Object.keys(pkg.dependencies).filter((d) => d !== 'commander'),
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
});
