// Where the pair goes on disk, and how it gets there: the directory is checked before anything is generated, and
// each file is written to a temp name with its final mode and then moved into place, so a key is never readable
// by others even for a moment, and a crash never leaves half a key behind.
import { constants } from 'node:fs';
import { access, chmod, link, lstat, mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AbortError, UsageError } from '../../core/errors.ts';
import { shown } from '../shown.ts';
import { DEFAULT_OUT_DIR } from './defaults.ts';

export { DEFAULT_OUT_DIR };
export const KEY_FILE_MODE = 0o600;
export const CERT_FILE_MODE = 0o644;
export const DIR_MODE = 0o700;

export interface PairPaths {
  dir: string;
  certPath: string;
  keyPath: string;
}

export function pairPaths(outDir: string, cwd: string): PairPaths {
  const dir = path.resolve(cwd, outDir);
  return { dir, certPath: path.join(dir, 'cert.pem'), keyPath: path.join(dir, 'key.pem') };
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function notWritable(dir: string): UsageError {
  return new UsageError('OUT_DIR_NOT_WRITABLE', `Cannot write to --out ${shown(dir, 160)}.`, { hint: 'Choose a directory you can write to with --out <dir>.' });
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (err) {
    if (errno(err) === 'ENOENT') return false;
    throw err;
  }
}

/**
 * The folders the operating system owns: --out may not be one of them or lie inside one, except the temp folders
 * (/var/tmp and the system temp folder, os.tmpdir()). A key written there as root would sit among system files;
 * `--out /etc` is far more likely a slip than a plan. The root folder itself is refused too.
 */
const SYSTEM_FOLDERS = ['/etc', '/usr', '/bin', '/sbin', '/boot', '/dev', '/proc', '/sys', '/var'];
const inside = (dir: string, folder: string) => dir === folder || dir.startsWith(`${folder}/`);

export function isSystemFolder(dir: string): boolean {
  if (process.platform === 'win32') return false;
  const temp = tmpdir();
  if (inside(dir, '/var/tmp') || (temp !== '/' && inside(dir, temp))) return false;
  return dir === '/' || SYSTEM_FOLDERS.some((f) => inside(dir, f)) || /^\/lib[^/]*(\/|$)/.test(dir);
}

const usable = (message: string, hint: string) => new UsageError('OUT_DIR_INVALID', message, { hint });

/** Refuses a system folder (as named, and with symbolic links resolved) and a folder everyone may write to. */
async function checkOwnership(paths: PairPaths, existing: string): Promise<void> {
  const shownDir = shown(paths.dir, 160);
  const real = path.join(await realpath(existing), path.relative(existing, paths.dir));
  if (isSystemFolder(paths.dir) || isSystemFolder(real)) {
    throw usable(`--out ${shownDir}${real === paths.dir ? '' : ` (${shown(real, 160)})`} is a system folder; hello-deploy does not write keys among system files.`, `Choose a folder of your own, e.g. --out ${DEFAULT_OUT_DIR} (the default) or --out ~/certs.`);
  }
  // World-writable without the sticky bit: any user could delete or swap the key and certificate after we write them.
  const mode = (await stat(existing)).mode;
  if ((mode & 0o002) !== 0 && (mode & 0o1000) === 0) {
    const where = existing === paths.dir ? `--out ${shownDir} is` : `--out ${shownDir} would be made inside ${shown(existing, 160)}, which is`;
    throw usable(`${where} writable by every user (mode ${(mode & 0o7777).toString(8).padStart(4, '0')}, no sticky bit): anyone could replace the key.`, `Run \`chmod o-w ${existing}\` (or \`chmod +t\` for a shared folder), or choose another --out.`);
  }
}

/** Fails early (exit 2) when --out is unusable or would overwrite a pair without --force. Writes nothing. */
export async function checkOutDir(paths: PairPaths, opts: { force: boolean }): Promise<void> {
  const shownDir = shown(paths.dir, 160);
  if (/\p{Cc}/u.test(paths.dir)) throw usable(`--out ${shownDir} has control characters in its name.`, 'Give a folder name without control characters.');
  let probe = paths.dir;
  for (;;) {
    try {
      const s = await stat(probe);
      if (!s.isDirectory()) {
        throw usable(probe === paths.dir ? `--out ${shownDir} is a file, not a directory.` : `--out ${shownDir} cannot be created: ${shown(probe, 160)} is a file.`, 'Give a directory (it is created when missing).');
      }
      break;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const code = errno(err);
      if (code === 'ENOENT' && path.dirname(probe) !== probe) {
        probe = path.dirname(probe);
        continue;
      }
      if (code === 'EACCES') throw notWritable(probe);
      throw usable(`--out ${shownDir} cannot be used (${code ?? 'unknown error'}).`, 'Give another directory with --out <dir>.');
    }
  }
  await checkOwnership(paths, probe);
  try {
    await access(probe, constants.W_OK | constants.X_OK);
  } catch {
    throw notWritable(probe);
  }
  if (opts.force) {
    for (const p of [paths.certPath, paths.keyPath]) {
      if ((await exists(p)) && (await lstat(p)).isDirectory()) {
        throw usable(`${shown(p, 160)} is a directory; it cannot be replaced by a file.`, 'Remove it or choose another --out.');
      }
    }
    return;
  }
  const present = [];
  for (const p of [paths.certPath, paths.keyPath]) if (await exists(p)) present.push(shown(p, 160));
  if (present.length > 0) {
    throw new UsageError('CERTS_EXIST', `${present.join(' and ')} already exist${present.length === 1 ? 's' : ''}; not overwriting a certificate pair.`, {
      hint: 'Pass --force to replace the pair (the old key is gone for good), or choose another directory with --out <dir>.',
    });
  }
}

/** Writes `data` to a temp file created with `mode`, then moves it to `target` (no-clobber unless `replace`). */
async function writeFileAtomically(target: string, data: string, mode: number, replace: boolean): Promise<void> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // The umask can only narrow the create mode; chmod makes it exactly `mode` either way.
    await chmod(tmp, mode);
    if (replace) {
      await rename(tmp, target);
    } else {
      await link(tmp, target); // fails with EEXIST instead of replacing a file that appeared meanwhile
      await unlink(tmp);
    }
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await chmod(target, mode);
}

function writeError(err: unknown, paths: PairPaths): Error {
  const code = errno(err);
  if (code === 'EEXIST') {
    return new UsageError('CERTS_EXIST', `A certificate pair appeared in ${shown(paths.dir, 160)} while writing; not overwriting it.`, { hint: 'Pass --force to replace it.' });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return notWritable(paths.dir);
  return new AbortError('WRITE_FAILED', `Writing the pair to ${shown(paths.dir, 160)} failed (${code ?? String(err)}).`, { hint: 'Check the disk and the directory, then try again.' });
}

/** Writes key.pem (0600) and cert.pem (0644) into paths.dir, creating it (0700) when missing. */
export async function writePair(paths: PairPaths, pair: { certificatePem: string; privateKeyPem: string }, opts: { force: boolean }): Promise<void> {
  let keyWritten = false;
  try {
    await mkdir(paths.dir, { recursive: true, mode: DIR_MODE });
    await writeFileAtomically(paths.keyPath, pair.privateKeyPem, KEY_FILE_MODE, opts.force);
    keyWritten = true;
    await writeFileAtomically(paths.certPath, pair.certificatePem, CERT_FILE_MODE, opts.force);
  } catch (err) {
    // A key without its certificate is useless and would block the next run; without --force it was ours to remove.
    if (keyWritten && !opts.force) await unlink(paths.keyPath).catch(() => undefined);
    throw writeError(err, paths);
  }
}
