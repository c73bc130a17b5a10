// Bundles cli/main.ts into dist/ with code splitting, so `--help` loads only the argument parser and the
// heavy parts (Ink, React, the AWS SDK) are loaded lazily through dynamic import() when a command needs them.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Node's ESM wrapper of a built-in module reads every export up front, which fires the lazy getters of
// `node:process` (process.report, process.finalization, …) and `node:util` (parseArgs, styleText, diff, …) and
// loads a dozen internal modules; `node:child_process` pulls in net, dgram and the streams. The start-up path
// (commander and our own command files) touches none of them before `--help` prints, so those imports are
// bound to the already-loaded `process` global or fetched on first use with process.getBuiltinModule, which
// skips the ESM wrapper. Measured with `node --cpu-prof dist/main.js --help`: about a fifth of start-up.
const LAZY = new Set(['node:child_process', 'node:fs', 'node:process', 'node:util', 'child_process', 'fs', 'process', 'util']);
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?(child_process|fs|process|util)$/ }, (args) =>
      // Only commander's imports: it is the one dependency on the start-up path, and a lazy stand-in must not
      // change what any other module gets (a namespace import would lose the non-function exports).
      LAZY.has(args.path) && /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, ({ path: name }) => {
      if (name === 'process') return { contents: 'export default globalThis.process;', loader: 'js' };
      // Named exports are functions that load the module on their first call; the default export is a proxy.
      const real = process.getBuiltinModule(`node:${name}`);
      const fns = Object.keys(real).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && typeof Object.getOwnPropertyDescriptor(real, k)?.value === 'function');
      const contents = [
        `const load = () => process.getBuiltinModule('node:${name}');`,
        'export default new Proxy({}, { get: (_t, k) => load()[k], has: (_t, k) => k in load() });',
        ...fns.map((k) => `export function ${k}(...a) { return load().${k}(...a); }`),
      ].join('\n');
      return { contents, loader: 'js' };
    });
  },
};

const BUNDLED = (dep) => dep === 'commander' || dep === 'execa' || dep.startsWith('@aws-sdk/');

const result = await build({
  entryPoints: ['cli/main.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Dependencies stay in node_modules, except the ones on the path of every deploy: the argument parser (every
  // start-up), and the AWS SDK and execa, which are loaded before the first AWS call. From node_modules
  // the SDK costs a module-resolution walk per file and, being CommonJS, a cjs-module-lexer pass over each file;
  // as ESM chunks here they load with the compile cache (about 80 ms less before the first request).
  external: Object.keys(pkg.dependencies).filter((d) => !BUNDLED(d)),
  // The SDK's packages ship ESM beside CommonJS ("module"); prefer it, so the chunks need no require() shim.
  mainFields: ['module', 'main'],
  plugins: [lazyBuiltins],
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
  metafile: true,
});

// esbuild never deletes old chunks; without this dist/ keeps every hashed chunk of every earlier build. Removed
// only after the new build is written, so dist/ is never empty half-way.
const fresh = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(f)));
for (const f of readdirSync('dist')) if (!fresh.has(path.resolve('dist', f))) rmSync(path.join('dist', f));
