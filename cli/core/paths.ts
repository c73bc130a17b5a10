// Where the deployable project lives: the current folder when it holds the templates and Dockerfile (a clone of
// this repository, or a user's copy), else the installed package, which ships them (npx hello-deploy).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export function packageRoot(from = import.meta.dirname): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'hello-deploy') return dir;
      } catch {
        // an unreadable package.json is not ours; keep looking upward
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(from, '..');
    dir = up;
  }
}

export function projectDir(cwd: string): string {
  const here = (f: string) => existsSync(path.join(cwd, f));
  return here('infra/hello-world-infra.yaml') && here('Dockerfile') ? cwd : packageRoot();
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * hello-deploy's cache folder (cached virtualenv, lint reports): $XDG_CACHE_HOME/hello-deploy or
 * ~/.cache/hello-deploy. Undefined when neither XDG_CACHE_HOME nor the home folder is an existing directory (HOME
 * unset, or /nonexistent as for system users): hello-deploy never creates a chain of folders outside one that exists,
 * so its callers then go without a cache.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg) && isDir(xdg)) return path.join(xdg, 'hello-deploy');
  const home = env.HOME ?? homedir();
  return home && path.isAbsolute(home) && isDir(home) ? path.join(home, '.cache', 'hello-deploy') : undefined;
}
