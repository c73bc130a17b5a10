// Where the deployable project lives: the current folder when it holds the templates and Dockerfile (a clone of
// this repository, or a user's copy), else the installed package, which ships them (npx hello-deploy).
import { existsSync, readFileSync } from 'node:fs';
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

/** hello-deploy's cache folder (cached virtualenv, lint reports): $XDG_CACHE_HOME/hello-deploy or ~/.cache/hello-deploy. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'hello-deploy');
}
