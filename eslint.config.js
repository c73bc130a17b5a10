// Lint is part of `npm test`. typescript-eslint's recommended rules, plus the one rule that keeps the
// architecture honest: the engine and the steps never reach for UI code or adapters directly.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    files: ['cli/engine/**', 'cli/steps/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/ui/**', '**/printers/**', 'ink', 'react'], message: 'The engine and steps never import UI code.' },
          { group: ['@aws-sdk/*', 'execa'], message: 'Steps talk to AWS and Docker through ports; adapters live in cli/aws and cli/docker.' },
        ],
      }],
    },
  },
  {
    files: ['cli/ui/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/aws/**', '**/docker/**', '@aws-sdk/*', 'execa'], message: 'The UI only consumes engine events.' }],
      }],
    },
  },
);
