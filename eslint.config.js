// Lint is part of `npm test`: typescript-eslint's recommended rules, plus the layer rules that keep the
// architecture honest (docs/architecture.md). Each layer may import only the layers below it; the table below is
// the whole policy, with zero exceptions. import-x resolves every import to a file, so a rule holds however deep
// the relative path is.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const PRODUCTS = ['deploy', 'rehearsal', 'certs', 'doctor', 'logs', 'status', 'rollback', 'alarm', 'destroy', 'ci'];
const ALL = ['core', 'domain', 'ports', 'steps', ...PRODUCTS, 'adapters', 'ui', 'printers', 'commands', 'main.ts'];
const dir = (d) => `./cli/${d}`;

/** Which layers each layer may import (besides itself). Everything else is forbidden. */
export const LAYERS = {
  core: [],
  domain: ['core'],
  ports: ['core', 'domain'],
  steps: ['core', 'domain', 'ports'],
  ...Object.fromEntries(PRODUCTS.map((p) => [p, ['core', 'domain', 'ports', 'steps']])),
  adapters: ['core', 'domain', 'ports'],
  ui: ['core', 'domain', 'ports', 'steps', ...PRODUCTS],
  printers: ['core', 'domain', ...PRODUCTS],
};

const zones = Object.entries(LAYERS).map(([layer, allowed]) => ({
  target: dir(layer),
  from: ALL.filter((l) => l !== layer && !allowed.includes(l)).map(dir),
  message: `cli/${layer} may import only ${allowed.length ? allowed.map((a) => `cli/${a}`).join(', ') : 'nothing else of ours'} (docs/architecture.md).`,
}));
// The two wizards share cli/ui/shared, never each other.
zones.push(
  { target: dir('ui/deploy'), from: [dir('ui/rehearsal')], message: 'ui/deploy and ui/rehearsal share ui/shared, never each other.' },
  { target: dir('ui/rehearsal'), from: [dir('ui/deploy')], message: 'ui/deploy and ui/rehearsal share ui/shared, never each other.' },
  { target: dir('ui/shared'), from: [dir('ui/deploy'), dir('ui/rehearsal')], message: 'ui/shared serves both wizards and imports neither.' },
);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.venv/**', '.venv-*/**', 'bench/results/**', 'app/**', 'coverage/**', '.hello-deploy/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', AbortController: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['cli/**/*.ts', 'cli/**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } } },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      // Folders must not import each other in circles (an import cycle through any number of files).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Products and the layers under them reach the outside world only through ports.
    files: ['cli/core/**', 'cli/domain/**', 'cli/ports/**', 'cli/steps/**', ...PRODUCTS.map((p) => `cli/${p}/**`), 'cli/ui/**', 'cli/printers/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@aws-sdk/*', 'execa'], message: 'Talk to AWS and Docker through cli/ports; the adapters live in cli/adapters.' }],
      }],
    },
  },
  {
    files: ['cli/core/**', 'cli/domain/**', 'cli/ports/**', 'cli/steps/**', ...PRODUCTS.map((p) => `cli/${p}/**`), 'cli/printers/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@aws-sdk/*', 'execa'], message: 'Talk to AWS and Docker through cli/ports; the adapters live in cli/adapters.' },
          { group: ['ink', 'react'], message: 'Only cli/ui renders; engines and printers stay UI-free.' },
        ],
      }],
    },
  },
);
