/**
 * What `run` uploads, decided before anything runs: each file's key (upload-key.ts), with the branch folder
 * from `--branch` or else from the file's own rows. One upload id for the whole command, so its files sit
 * together in one folder per branch; a second, different file of the same name gets an id of its own. The same
 * file named twice (by any path) lands on the same key, so the command can refuse it.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { branchOfHead } from '../../tasks/domain/branch-of-head';
import { rawKeyFor, uploadIdOf, UNKNOWN_BRANCH } from './upload-key';

export interface Upload {
  /** The local file, as the user named it. */
  file: string;
  key: string;
}

/** Enough of the head for the first rows of any layout (a few dozen sales). */
const BRANCH_HEAD_BYTES = 64 * 1024;

export async function planUploads(files: readonly string[], options: { branch?: string; now?: Date } = {}): Promise<Upload[]> {
  const now = options.now ?? new Date();
  const commandId = uploadIdOf(now);
  /** Which real file each key was given to, and the key each real file got. */
  const fileOfKey = new Map<string, string>();
  const keyOfFile = new Map<string, string>();
  const uploads: Upload[] = [];
  for (const file of files) {
    const real = await fs.realpath(file);
    let key = keyOfFile.get(real);
    if (key === undefined) {
      const branch = options.branch ?? (await branchOfFile(file)) ?? UNKNOWN_BRANCH;
      const keyWith = (uploadId: string) => rawKeyFor({ fileName: path.basename(file), branch, uploadId });
      key = keyWith(commandId);
      while (fileOfKey.has(key)) key = keyWith(uploadIdOf(now, randomBytes(3).toString('hex')));
      fileOfKey.set(key, real);
      keyOfFile.set(real, key);
    }
    uploads.push({ file, key });
  }
  return uploads;
}

/** The files sharing a key, per shared key: what `run` must refuse (the second would replace the first). */
export function sharedKeys(uploads: readonly Upload[]): { key: string; files: string[] }[] {
  const byKey = new Map<string, string[]>();
  for (const { file, key } of uploads) byKey.set(key, [...(byKey.get(key) ?? []), file]);
  return [...byKey].filter(([, named]) => named.length > 1).map(([key, named]) => ({ key, files: named }));
}

/** The branch named by the file's first rows, or null when they do not say (or disagree). */
export async function branchOfFile(file: string): Promise<string | null> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(BRANCH_HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return branchOfHead(buffer.subarray(0, bytesRead).toString('utf8'), bytesRead < buffer.length);
  } finally {
    await handle.close();
  }
}

/** An upload at the fixed key `raw/<branch>/<name>`: the demo's samples, re-run onto the same keys on purpose. */
export function fixedUpload(file: string, branch: string): Upload {
  return { file, key: rawKeyFor({ fileName: path.basename(file), branch }) };
}
