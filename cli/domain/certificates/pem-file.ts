// Reads a file the user named as a certificate or key, safely: only a regular file (a symlink to one is fine), only
// up to a size cap, and never blocking. A FIFO given as --cert would otherwise hang the run forever, /dev/urandom
// would be read until memory runs out, and /dev/zero likewise. The type and size are checked before the file is
// opened, opened non-blocking (so even a FIFO swapped in meanwhile cannot block), checked again on the open handle,
// and read no further than the cap.
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** A PEM certificate with its chain: a leaf and a few intermediates are a few KiB; this leaves room for long chains. */
export const MAX_CERT_FILE_BYTES = 64 * 1024;

export interface PemFileProblem {
  kind: 'missing' | 'denied' | 'directory' | 'not-regular' | 'too-large' | 'unreadable';
  /** Ends a sentence that starts with the file's name: "is a named pipe (FIFO), not a regular file". */
  detail: string;
}

export class PemFileError extends Error {
  constructor(readonly problem: PemFileProblem) {
    super(problem.detail);
  }
}

function typeOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function check(s: Stats, maxBytes: number): void {
  if (s.isDirectory()) throw new PemFileError({ kind: 'directory', detail: 'is a directory' });
  if (!s.isFile()) throw new PemFileError({ kind: 'not-regular', detail: `is ${typeOf(s)}, not a regular file` });
  if (s.size > maxBytes) throw new PemFileError({ kind: 'too-large', detail: `is ${s.size} bytes, more than the ${maxBytes} a PEM file of this kind can be` });
}

function fromErrno(err: unknown): PemFileError {
  const code = (err as NodeJS.ErrnoException).code ?? 'an error';
  if (code === 'ENOENT' || code === 'ENOTDIR') return new PemFileError({ kind: 'missing', detail: 'does not exist' });
  if (code === 'EACCES' || code === 'EPERM') return new PemFileError({ kind: 'denied', detail: 'is not readable (permission denied)' });
  if (code === 'EISDIR') return new PemFileError({ kind: 'directory', detail: 'is a directory' });
  if (code === 'ELOOP') return new PemFileError({ kind: 'unreadable', detail: 'is a symbolic link loop' });
  return new PemFileError({ kind: 'unreadable', detail: `cannot be read (${code})` });
}

/** The text of a regular file of at most `maxBytes`; a PemFileError says what is wrong otherwise. */
export async function readRegularFile(file: string, maxBytes: number): Promise<string> {
  try {
    check(await stat(file), maxBytes);
  } catch (err) {
    throw err instanceof PemFileError ? err : fromErrno(err);
  }
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (err) {
    throw fromErrno(err);
  }
  try {
    check(await handle.stat(), maxBytes);
    const buf = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buf.length) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw new PemFileError({ kind: 'too-large', detail: `is more than the ${maxBytes} bytes a PEM file of this kind can be` });
    return buf.subarray(0, length).toString('utf8');
  } catch (err) {
    throw err instanceof PemFileError ? err : fromErrno(err);
  } finally {
    await handle.close();
  }
}
