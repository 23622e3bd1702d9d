/**
 * Whole-file writes: the content goes to a temporary file beside the target, which is then renamed into place, so a
 * reader (another process included) sees the old file or the new one, never half of one. rename() within one
 * directory is atomic on POSIX file systems. Temporary files end in TEMP_SUFFIX, which every lister here skips.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';

export const TEMP_SUFFIX = '.partial';

/** A fresh temporary name beside `target`: unique per process and call, so concurrent writers never share one. */
export const tempPathBeside = (target: string): string => `${target}.${process.pid}.${randomUUID()}${TEMP_SUFFIX}`;

async function intoPlace(target: string, fill: (temp: string) => Promise<void>): Promise<void> {
  await fsp.mkdir(path.dirname(target), { recursive: true });
  const temp = tempPathBeside(target);
  try {
    await fill(temp);
    await fsp.rename(temp, target);
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw error;
  }
}

export function writeFileAtomic(target: string, body: string | Uint8Array): Promise<void> {
  return intoPlace(target, (temp) => fsp.writeFile(temp, body, { flag: 'wx' }));
}

/** Copies `source` in as `target`, without holding it in memory (an upload can be larger than a Buffer). */
export function copyFileAtomic(source: string, target: string): Promise<void> {
  return intoPlace(target, (temp) => fsp.copyFile(source, temp, fs.constants.COPYFILE_EXCL));
}

/** The content written to a fresh temporary file beside `target` (for callers that link it into place). */
export function writeTempBesideSync(target: string, body: string): string {
  const temp = tempPathBeside(target);
  fs.writeFileSync(temp, body, { flag: 'wx' });
  return temp;
}

export function writeFileAtomicSync(target: string, body: string): void {
  const temp = writeTempBesideSync(target, body);
  try {
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
