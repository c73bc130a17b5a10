// Reading the two templates, shared by the prerequisite check and the validate step (which run side by side).
import { AbortError } from '../core/errors.ts';
import type { FileCheck } from '../ports/deploy.ts';

export async function readTemplate(files: FileCheck, path: string): Promise<string> {
  if (!(await files.readable(path))) {
    throw new AbortError('TEMPLATE_MISSING', `Template ${path} is missing or unreadable.`, { hint: 'Run hello-deploy from the project folder, or reinstall the package.' });
  }
  return files.read(path);
}
