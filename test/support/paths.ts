import path from 'node:path';
import { existsSync } from 'node:fs';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const VENV_BIN = path.join(ROOT, '.venv', 'bin');
export const BASE_IMAGE = 'hello-deploy/python-base:trixie';

/** The virtualenv is made by `npm run setup` (scripts/setup.mjs); tests need it and say so plainly. */
export function venvTool(name: string): string {
  const p = path.join(VENV_BIN, name);
  if (!existsSync(p)) throw new Error(`${p} is missing: run \`npm run setup\` first`);
  return p;
}
