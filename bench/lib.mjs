// Small shared helpers for the benchmarks.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const NODE = process.execPath;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Wall time of one run of a command, in seconds; throws if it fails. */
export function timeOnce(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: 'ignore', ...opts });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return s;
}

/** A private virtualenv for bench-only tools (the AWS CLI), made on first use. */
export function benchVenvTool(name, pipSpec) {
  const venv = path.join(ROOT, '.venv-bench');
  const bin = path.join(venv, 'bin', name);
  if (!existsSync(bin)) {
    console.log(`installing ${pipSpec} into .venv-bench (bench only)…`);
    let r = spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('python3 -m venv failed');
    r = spawnSync(path.join(venv, 'bin', 'pip'), ['install', '-q', pipSpec], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`pip install ${pipSpec} failed`);
  }
  return bin;
}
