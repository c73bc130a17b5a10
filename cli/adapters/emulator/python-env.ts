// Finds the Python tools a rehearsal needs: moto_server (the emulator), cfn-lint, and — when there is no Docker
// engine to run the image — gunicorn with the app's requirements. In order: the project's .venv (made by
// `npm run setup`), a moto_server with the pinned moto and cfn-lint already on PATH, then a virtualenv hello-deploy creates once and caches
// under ~/.cache/hello-deploy, keyed by the hash of the pinned requirements.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { AbortError } from '../../core/errors.ts';
import type { PythonEnv, ProgressIO } from '../../ports/rehearsal.ts';
import { cacheRoot } from '../../core/paths.ts';

/** moto's behaviour (and the gaps the fidelity report measures) is that of 5.2.x. */
export const MOTO_SERIES = '5.2.';

export interface PythonEnvOptions {
  /** Folders whose .venv counts (the project folder, the installed package). */
  projectDirs: string[];
  /** The two pinned requirement files: localstack/requirements-moto.txt and app/requirements.txt. */
  requirements: string[];
  /** Also need gunicorn and the app's requirements (no Docker engine: the app runs from app/ directly). */
  needApp: boolean;
  /** May create the cache virtualenv (a minute and a PyPI download). */
  create: boolean;
  cacheRoot?: string;
  /** Where to make a throwaway virtualenv when there is no cache folder (no usable HOME): the rehearsal's folder. */
  scratchDir?: string;
  env?: NodeJS.ProcessEnv;
}

const STAMP = '.hello-deploy-complete';

export { cacheRoot };

export function requirementsHash(files: string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 16);
}

function tools(bin: string): Pick<PythonEnv, 'motoServer' | 'cfnLint' | 'gunicorn'> {
  const at = (n: string) => (existsSync(path.join(bin, n)) ? path.join(bin, n) : undefined);
  const out: Pick<PythonEnv, 'motoServer' | 'cfnLint' | 'gunicorn'> = {};
  const moto = at('moto_server');
  const lint = at('cfn-lint');
  const gunicorn = at('gunicorn');
  if (moto) out.motoServer = moto;
  if (lint) out.cfnLint = lint;
  if (gunicorn) out.gunicorn = gunicorn;
  return out;
}

/** The installed version of a distribution, asked of that interpreter; undefined when it is not installed. */
export async function distVersion(python: string, dist: string, env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  const r = await execa(python, ['-c', `import importlib.metadata as m; print(m.version(${JSON.stringify(dist)}))`], { reject: false, timeout: 30_000, env: env ?? process.env, extendEnv: false });
  return r.exitCode === 0 ? String(r.stdout).trim() : undefined;
}

async function appImportable(python: string, env?: NodeJS.ProcessEnv): Promise<boolean> {
  const r = await execa(python, ['-c', 'import flask, gunicorn, cryptography'], { reject: false, timeout: 30_000, env: env ?? process.env, extendEnv: false });
  return r.exitCode === 0;
}

/** The interpreter behind a console script: its #! line, or a python beside it (pyenv shims, venvs). */
export function interpreterOf(script: string): string | undefined {
  try {
    const first = readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
    const m = /^#!\s*(\S*python[\d.]*)\s*$/.exec(first);
    if (m?.[1] && existsSync(m[1])) return m[1];
  } catch {
    // unreadable: fall through to a sibling interpreter
  }
  for (const name of ['python3', 'python']) {
    const p = path.join(path.dirname(script), name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  return undefined;
}

/** `name==version` pins (extras dropped, names lowercased) from the requirement files. */
function pins(files: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    for (const line of (existsSync(f) ? readFileSync(f, 'utf8') : '').split('\n')) {
      const m = /^\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*==\s*([^\s;#]+)/.exec(line);
      if (m) out.set(m[1]!.toLowerCase(), m[2]!);
    }
  }
  return out;
}

/** What a candidate offers, or why it does not fit. */
async function examine(bin: string, source: PythonEnv['source'], opts: PythonEnvOptions): Promise<PythonEnv | string> {
  const found = tools(bin);
  if (!found.motoServer) return `${bin}: no moto_server`;
  const python = interpreterOf(found.motoServer);
  if (!python) return `${found.motoServer}: cannot tell which Python runs it`;
  const version = await distVersion(python, 'moto', opts.env);
  if (!version?.startsWith(MOTO_SERIES)) return `${found.motoServer}: moto ${version ?? '(unknown version)'}, not ${MOTO_SERIES}x`;
  // Exactly the pinned moto and cfn-lint, not just the series: moto's ValidateTemplate runs the cfn-lint of its
  // own interpreter, and an older one (measured: the 1.51 beside a system moto 5.2.1) rejects these templates.
  for (const [dist, pinned] of pins(opts.requirements)) {
    if (dist !== 'moto' && dist !== 'cfn-lint') continue;
    const have = dist === 'moto' ? version : await distVersion(python, dist, opts.env);
    if (have !== pinned) return `${found.motoServer}: ${dist} ${have ?? '(not installed)'}, not the pinned ${pinned}`;
  }
  if (opts.needApp && !(found.gunicorn && (await appImportable(python, opts.env)))) return `${bin}: no gunicorn/Flask/cryptography for the app`;
  return { source, bin, python, motoVersion: version, ...found };
}

export interface Resolution {
  env?: PythonEnv;
  /** Why each candidate was passed over (for the message when none fits). */
  passedOver: string[];
  /** Where the cache virtualenv is (or would be); undefined when there is no usable cache folder. */
  cacheDir: string | undefined;
}

/** Looks without creating anything. */
export async function findPythonEnv(opts: PythonEnvOptions): Promise<Resolution> {
  const env = opts.env ?? process.env;
  const passedOver: string[] = [];
  const root = opts.cacheRoot ?? cacheRoot(env);
  const cacheDir = root === undefined ? undefined : path.join(root, `venv-${requirementsHash(opts.requirements)}`);
  const seen = new Set<string>();
  for (const dir of opts.projectDirs) {
    const bin = path.join(dir, '.venv', 'bin');
    if (seen.has(bin) || !existsSync(bin)) continue;
    seen.add(bin);
    const r = await examine(bin, 'project-venv', opts);
    if (typeof r !== 'string') return { env: r, passedOver, cacheDir };
    passedOver.push(r);
  }
  const onPathMoto = onPath('moto_server', env);
  if (onPathMoto && !seen.has(path.dirname(onPathMoto))) {
    const r = await examine(path.dirname(onPathMoto), 'path', opts);
    if (typeof r !== 'string') return { env: r, passedOver, cacheDir };
    passedOver.push(r);
  }
  if (cacheDir !== undefined && existsSync(path.join(cacheDir, STAMP))) {
    const r = await examine(path.join(cacheDir, 'bin'), 'cache-venv', opts);
    if (typeof r !== 'string') return { env: r, passedOver, cacheDir };
    passedOver.push(r);
  }
  return { passedOver, cacheDir };
}

export async function resolvePythonEnv(opts: PythonEnvOptions, io: ProgressIO): Promise<PythonEnv> {
  const found = await findPythonEnv(opts);
  if (found.env) return found.env;
  if (!opts.create) {
    throw new AbortError('PYTHON_ENV_MISSING', `No moto_server ${MOTO_SERIES}x${opts.needApp ? ' with the app requirements' : ''} was found (${found.passedOver.join('; ') || 'none on PATH'}).`, {
      hint: 'Run `npm run setup` in the project, or let hello-deploy create its cached virtualenv.',
    });
  }
  let dir = found.cacheDir;
  if (dir === undefined) {
    // No usable home folder to cache in: a virtualenv for this run only, inside the rehearsal's own folder.
    if (opts.scratchDir === undefined) throw new AbortError('PYTHON_ENV_MISSING', 'No moto_server was found, and there is no usable home folder (HOME) to cache a virtualenv in.', { hint: 'Set HOME to an existing folder, or run `npm run setup` in the project.' });
    dir = path.join(opts.scratchDir, 'python-venv');
    io.progress(`no usable home folder (HOME) to cache a virtualenv in: making one for this run only in ${dir}`);
  }
  await createCacheVenv(dir, opts, io);
  const r = await examine(path.join(dir, 'bin'), 'cache-venv', opts);
  if (typeof r === 'string') throw new AbortError('PYTHON_ENV_BROKEN', `The virtualenv ${dir} was created but does not work: ${r}.`, { hint: `Remove ${dir} and run again.` });
  return r;
}

/** python3 -m venv + pip install of the pinned requirements; a stamp file marks it complete. */
async function createCacheVenv(dir: string, opts: PythonEnvOptions, io: ProgressIO): Promise<void> {
  const env = opts.env ?? process.env;
  const python = onPath('python3', env) ?? onPath('python', env);
  if (!python) {
    throw new AbortError('PYTHON_MISSING', 'moto needs Python 3 (3.9 or later, with venv) and none is on PATH.', {
      hint: 'Install Python 3 (e.g. apt-get install python3-venv), or run your own emulator and pass --emulator endpoint --endpoint-url <url>.',
    });
  }
  // A half-made folder from an interrupted run is not trusted: start it over.
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.dirname(dir), { recursive: true });
  io.progress(`creating a virtualenv for moto and the app in ${dir} (first run only; about a minute)`);
  const run = async (file: string, args: string[]) => {
    const sub = execa(file, args, { all: true, reject: false, buffer: false, env, extendEnv: false, cancelSignal: io.signal, stdin: 'ignore' });
    for await (const line of sub.iterable({ from: 'all' })) io.log(String(line));
    const r = await sub;
    if (r.failed) {
      await rm(dir, { recursive: true, force: true });
      if (io.signal.aborted) throw new AbortError('INTERRUPTED_SETUP', 'Interrupted while creating the virtualenv; nothing was kept.');
      throw new AbortError('PYTHON_ENV_FAILED', `${path.basename(file)} ${args.slice(0, 3).join(' ')} failed (exit ${r.exitCode ?? '?'}).`, {
        hint: 'Read the pip output above (a network problem reaching PyPI is the usual cause), or run `npm run setup` in the project.',
      });
    }
  };
  await run(python, ['-m', 'venv', dir]);
  io.progress('installing moto[server], cfn-lint and the app requirements (pinned)');
  await run(path.join(dir, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off', ...opts.requirements.flatMap((f) => ['-r', f])]);
  await writeFile(path.join(dir, STAMP), `${new Date().toISOString()}\n`);
  io.progress('virtualenv ready (cached for the next rehearsal)');
}
