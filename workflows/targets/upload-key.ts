/**
 * The object key of an upload: `raw/<branch>/<upload id>/<file name>`, e.g.
 * `raw/leeds/20240501T083000Z-3f9a2c/leeds day.csv`. The upload id (when the upload was made and a short
 * random part) keeps two uploads apart however their files are named, so neither replaces the other; the file
 * name is kept as the branch sent it (spaces, any script), because that is what the data team recognises in
 * `executions` and in the bucket. The `raw/` prefix and `.csv` suffix are what the EventBridge rule matches.
 */
import { randomBytes } from 'node:crypto';
import { RAW_PREFIX, UPLOAD_EXTENSION } from '../../tasks/file-in-flight/bucket-layout';

/** S3's limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/** A file name's limit on the file systems the local bucket lives on (S3 itself would allow more). */
const MAX_NAME_BYTES = 255;
const MAX_BRANCH_CHARS = 64;
/** The folder of an upload whose branch is neither given nor readable from its rows. */
export const UNKNOWN_BRANCH = 'upload';

/**
 * S3's "characters to avoid" (\ { } ^ % ` [ ] " < > ~ # |, control characters) and '/', which would start a
 * folder. Everything else S3 takes as it is, spaces and non-ASCII letters included.
 */
const AVOIDED = /[\\{}^%`[\]"<>~#|/]/g;
const isControl = (char: string): boolean => char < ' ' || (char >= '\u007f' && char <= '\u009f');

/** A branch name as a folder: `Isle of Wight` → `isle-of-wight`, accents dropped, letters of any script kept. */
export function branchSlug(branch: string): string {
  const slug = branch
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_BRANCH_CHARS)
    .replace(/-+$/, '');
  return slug === '' ? UNKNOWN_BRANCH : slug;
}

/**
 * A file's name as the last part of a key: avoided characters become `_`, a leading dot too (no hidden or
 * dot-segment names), and it ends in `.csv` (the rule takes any case, but one spelling reads better: `DAY.CSV` → `DAY.csv`,
 * `day.txt` → `day.txt.csv`), within the file-name byte limit.
 */
export function keyFileName(name: string): string {
  const cleaned = Array.from(name.replace(AVOIDED, '_'), (char) => (isControl(char) ? '_' : char)).join('').replace(/^\./, '_');
  const suffix = `.${UPLOAD_EXTENSION}`;
  const stem = cleaned.toLowerCase().endsWith(suffix) ? cleaned.slice(0, -suffix.length) : cleaned;
  return `${truncateUtf8(stem, MAX_NAME_BYTES - suffix.length)}${suffix}`;
}

/** `20240501T083000Z-3f9a2c`: sorts by time, reads as a time, and the random part tells same-second uploads apart. */
export function uploadIdOf(now: Date, random: string = randomBytes(3).toString('hex')): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${random}`;
}

/** The key for one upload; without an upload id, `raw/<branch>/<name>` (the demo's fixed, re-runnable keys). */
export function rawKeyFor(upload: { fileName: string; branch: string; uploadId?: string }): string {
  const parts = [RAW_PREFIX.slice(0, -1), branchSlug(upload.branch), ...(upload.uploadId === undefined ? [] : [upload.uploadId]), keyFileName(upload.fileName)];
  return parts.join('/');
}

/** The longest prefix of `text` within `bytes` UTF-8 bytes, never cutting a character in two. */
function truncateUtf8(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    used += Buffer.byteLength(char);
    if (used > bytes) break;
    out += char;
  }
  return out;
}
