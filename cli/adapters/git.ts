// Git facts the deploy needs: the branch (the default ecosystem) and the short SHA (the image tag).
import { execa } from 'execa';

export async function currentBranch(cwd: string): Promise<string | undefined> {
  const r = await execa('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd, reject: false });
  const branch = r.exitCode === 0 ? String(r.stdout).trim() : '';
  // A detached HEAD says "HEAD"; a fresh repository with no commit fails: neither names an ecosystem.
  return branch && branch !== 'HEAD' ? branch : undefined;
}

export async function shortSha(cwd: string): Promise<string | undefined> {
  const r = await execa('git', ['rev-parse', '--short=8', 'HEAD'], { cwd, reject: false });
  return r.exitCode === 0 ? String(r.stdout).trim() : undefined;
}
