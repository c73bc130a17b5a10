// The per-user cache a rehearsal keeps between runs: the local registry's blobs (so a warm push uploads only the
// layers that changed) and the template validation verdicts (so unchanged templates are not validated again).
// It follows the XDG base directory spec: $XDG_CACHE_HOME/hello-deploy, else ~/.cache/hello-deploy. Everything in
// it can be deleted at any time (`rm -rf ~/.cache/hello-deploy`); the next rehearsal is then a cold one.
import { homedir } from 'node:os';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PythonEnv, ValidationCache, ValidationVerdict } from '../../ports/rehearsal.ts';

export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  // The spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.cache'), 'hello-deploy');
}

/** Verdicts by key in one small JSON file; the newest 50 are kept, so it never grows. */
export function fileValidationCache(dir: string): ValidationCache {
  const file = path.join(dir, 'validations.json');
  const load = async (): Promise<Record<string, ValidationVerdict>> => {
    try {
      const data = JSON.parse(await readFile(file, 'utf8')) as unknown;
      return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, ValidationVerdict>) : {};
    } catch {
      return {}; // missing or unreadable: nothing cached, so everything is validated
    }
  };
  return {
    validators: validatorVersions,
    async get(key) {
      const v = (await load())[key];
      return v && typeof v.summary === 'string' && Array.isArray(v.warnings) ? v : undefined;
    },
    async put(key, verdict) {
      const all = { ...(await load()), [key]: verdict };
      const newest = Object.entries(all).sort(([, a], [, b]) => b.at.localeCompare(a.at)).slice(0, 50);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // Written aside then renamed: a rehearsal running beside this one reads the old file or the new, never half.
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(Object.fromEntries(newest), null, 1)}\n`, { mode: 0o600 });
      await rename(tmp, file);
    },
  };
}

/**
 * "cfn-lint 1.58.0, moto 5.2.5": the installed distributions (their .dist-info folders) in the environment the
 * tools run from, since moto's ValidateTemplate runs the cfn-lint installed beside it. Undefined when either cannot
 * be read: the verdict then is not cached at all.
 */
async function validatorVersions(python: PythonEnv | undefined): Promise<string | undefined> {
  if (!python) return undefined;
  const lib = path.join(python.bin, '..', 'lib');
  const found = new Map<string, string>();
  for (const py of await readdir(lib).catch(() => [] as string[])) {
    for (const entry of await readdir(path.join(lib, py, 'site-packages')).catch(() => [] as string[])) {
      const m = /^(cfn_lint|moto)-(.+)\.dist-info$/.exec(entry);
      if (m) found.set(m[1]!, m[2]!);
    }
  }
  const lint = found.get('cfn_lint');
  const moto = found.get('moto');
  return lint && moto ? `cfn-lint ${lint}, moto ${moto}` : undefined;
}
