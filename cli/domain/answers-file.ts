// Where a deploy's saved answers live: `.hello-deploy/<ecosystem>.json`. In the domain because both the deploy
// (which writes it) and destroy (which removes it last) need the same path, and products never import each other.
import path from 'node:path';
import { validateEcosystem } from './ecosystem.ts';

export const ANSWERS_DIR = '.hello-deploy';

export function answersFile(cwd: string, ecosystem: string): string {
  // validateEcosystem keeps the name to [a-z0-9-]: it cannot climb out of the folder.
  return path.join(cwd, ANSWERS_DIR, `${validateEcosystem(ecosystem)}.json`);
}
