// Git facts the commands need: the branch (the default ecosystem), the short SHA (the image tag), and the remote's
// branches (what `destroy --stale` compares the ecosystems' recorded branches with).
import { execa } from 'execa';
import { AbortError } from '../core/errors.ts';
import { shown } from '../domain/shown.ts';

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

/** How long `git ls-remote` may take: one round trip to the remote, generous for a slow network, never forever. */
export const LS_REMOTE_TIMEOUT_MS = 30_000;

/**
 * The branch names the remote has now (`git ls-remote --heads`), for `destroy --stale`. Bounded, never prompts for
 * credentials (GIT_TERMINAL_PROMPT=0: a CI job or a script has no one to answer), and `--` keeps a remote that
 * begins with a dash from being read as an option. Throws AbortError GIT_REMOTE_FAILED with git's own words.
 */
export async function remoteHeads(cwd: string, remote: string, signal?: AbortSignal): Promise<string[]> {
  const r = await execa('git', ['ls-remote', '--heads', '--', remote], {
    cwd,
    reject: false,
    timeout: LS_REMOTE_TIMEOUT_MS,
    env: { GIT_TERMINAL_PROMPT: '0' },
    stdin: 'ignore',
    ...(signal ? { cancelSignal: signal } : {}),
  });
  if (r.exitCode !== 0) {
    const why = r.timedOut ? `it did not answer within ${LS_REMOTE_TIMEOUT_MS / 1000}s` : String(r.stderr ?? '').trim().split('\n')[0] || `git exited ${r.exitCode ?? 'on a signal'}`;
    throw new AbortError('GIT_REMOTE_FAILED', `Could not list the branches of git remote ${shown(remote)}: ${shown(why)}.`, {
      hint: 'Check the remote (`git remote -v`) and your access to it; pass --remote <name|url> for another. Nothing was sent to AWS and nothing was deleted.',
    });
  }
  const prefix = 'refs/heads/';
  return String(r.stdout)
    .split('\n')
    .map((l) => l.split('\t')[1]?.trim() ?? '')
    .filter((ref) => ref.startsWith(prefix))
    .map((ref) => ref.slice(prefix.length));
}

/** The repository's top folder (where .github/ goes), or undefined outside a git repository. */
export async function repositoryRoot(cwd: string): Promise<string | undefined> {
  const r = await execa('git', ['rev-parse', '--show-toplevel'], { cwd, reject: false, timeout: 10_000 });
  const root = r.exitCode === 0 ? String(r.stdout).trim() : '';
  return root === '' ? undefined : root;
}

/** The URL of a remote (default origin), or undefined when there is none. */
export async function remoteUrl(cwd: string, remote = 'origin'): Promise<string | undefined> {
  const r = await execa('git', ['remote', 'get-url', '--', remote], { cwd, reject: false, timeout: 10_000, stdin: 'ignore' });
  const url = r.exitCode === 0 ? String(r.stdout).trim() : '';
  return url === '' ? undefined : url;
}

/**
 * The branches a remote had at the last fetch (its remote-tracking refs), for `status --all`'s "no branch any
 * more": read locally, no network and no credentials; undefined outside a repository or when it has none.
 */
export async function fetchedRemoteBranches(cwd: string, remote = 'origin'): Promise<string[] | undefined> {
  const r = await execa('git', ['for-each-ref', '--format=%(refname)', `refs/remotes/${remote}/`], { cwd, reject: false, timeout: 10_000, stdin: 'ignore' });
  const prefix = `refs/remotes/${remote}/`;
  const names = r.exitCode === 0 ? String(r.stdout).split('\n').map((l) => l.trim()).filter((l) => l.startsWith(prefix) && l !== `${prefix}HEAD`).map((l) => l.slice(prefix.length)) : [];
  return names.length ? names : undefined;
}
