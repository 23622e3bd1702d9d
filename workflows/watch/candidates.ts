/** Which objects under the local bucket's `raw/` watch may take as uploads: the trigger's rule, less copies in progress. */
import { isUploadKey } from '../../tasks/file-in-flight/bucket-layout';

/**
 * Names a copy in progress goes by (`*.part`, `*.tmp`, editors' `*~`, and dot-files such as rsync's
 * `.name.XXXXXX`, anywhere in the path): the whole file arrives later under its real name.
 */
export function isTemporaryName(key: string): boolean {
  const name = key.slice(key.lastIndexOf('/') + 1).toLowerCase();
  return key.split('/').some((segment) => segment.startsWith('.')) || name.endsWith('.part') || name.endsWith('.tmp') || name.endsWith('~');
}

export const isCandidate = (key: string): boolean => isUploadKey(key) && !isTemporaryName(key);
