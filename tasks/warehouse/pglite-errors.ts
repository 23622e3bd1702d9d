/**
 * What PGlite threw, in words. Its Emscripten file system throws plain objects (`ErrnoError {errno: 54}`), which
 * `String()` turns into "[object Object]"; the errno numbers are Emscripten's, not the host's.
 */
import { inspect } from 'node:util';

const EMSCRIPTEN_ERRNO: Record<number, string> = {
  2: 'EACCES: permission denied', 10: 'EBUSY: resource busy', 20: 'EEXIST: file exists', 29: 'EIO: I/O error',
  31: 'EISDIR: is a directory', 44: 'ENOENT: no such file or directory', 51: 'ENOSPC: no space left on device',
  54: 'ENOTDIR: not a directory', 55: 'ENOTEMPTY: directory not empty', 63: 'EPERM: operation not permitted',
  69: 'EROFS: read-only file system',
};

export function describePgliteFailure(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause === undefined ? '' : ` (cause: ${describePgliteFailure(error.cause)})`;
    return `${error.name}: ${error.message}${cause}`;
  }
  if (typeof error === 'object' && error !== null) {
    const { name, errno, message } = error as { name?: unknown; errno?: unknown; message?: unknown };
    if (typeof errno === 'number') {
      const meaning = EMSCRIPTEN_ERRNO[errno] ?? `errno ${errno}`;
      return `${typeof name === 'string' ? name : 'file system error'} ${meaning}${typeof message === 'string' && message ? `: ${message}` : ''}`;
    }
    return inspect(error, { depth: 2, breakLength: Infinity });
  }
  return String(error);
}
