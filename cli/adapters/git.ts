// Git facts the deploy needs: the branch (the default ecosystem) and the short SHA (the image tag).
import { execa } from 'execa';

export async function currentBranch(cwd: string): Promise<string | undefined> {
  // symbolic-ref names the branch even in a repository with no commits yet, and fails on a detached HEAD (no
  // branch to name an ecosystem after). The one branch reader: deploy, the wizards and generate-certs share it.
  const r = await execa('git', ['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd, reject: false, timeout: 10_000 });
  const branch = r.exitCode === 0 ? String(r.stdout).trim() : '';
  return branch === '' ? undefined : branch;
}

export async function shortSha(cwd: string): Promise<string | undefined> {
  const r = await execa('git', ['rev-parse', '--short=8', 'HEAD'], { cwd, reject: false, timeout: 10_000 });
  return r.exitCode === 0 ? String(r.stdout).trim() : undefined;
}

/** The repository's top folder (where .github/ goes), or undefined outside a git repository. */
export async function repositoryRoot(cwd: string): Promise<string | undefined> {
  const r = await execa('git', ['rev-parse', '--show-toplevel'], { cwd, reject: false, timeout: 10_000 });
  const root = r.exitCode === 0 ? String(r.stdout).trim() : '';
  return root === '' ? undefined : root;
}
