/** The file-level verdict: a file no row decodes from, or one mostly rejected, is not a cafe export. */
import { left, right, type Either } from 'fp-ts/Either';
import { NotCafeExportError } from './errors';

/** Above this share of rejected rows a file is judged not to be a cafe export. */
export const DEFAULT_MAX_REJECTED_SHARE = 0.5;

export interface RowCounts {
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
}

export function fileVerdict(counts: RowCounts, maxRejectedShare: number = DEFAULT_MAX_REJECTED_SHARE): Either<NotCafeExportError, void> {
  if (counts.rowsOut === 0) {
    return left(new NotCafeExportError(`not a cafe export: none of ${counts.rowsIn} rows decoded`));
  }
  if (counts.rowsIn > 0 && counts.rowsRejected / counts.rowsIn > maxRejectedShare) {
    const share = Math.round((counts.rowsRejected / counts.rowsIn) * 100);
    return left(
      new NotCafeExportError(`not a cafe export: ${counts.rowsRejected} of ${counts.rowsIn} rows rejected (${share}% > ${maxRejectedShare * 100}%)`),
    );
  }
  return right(undefined);
}
