/** The core's public API (see CORE_API.md): what the task handlers call. */
export { planFile, HEAD_BYTES, type ChunkRange, type FilePlan } from './plan';
export { detectLayout, isHeaderRow } from './detect';
export { LayoutCodec, type Layout, type LayoutKind } from './layout';
export { extractChunk, MIN_ROWS_FOR_CHUNK_VERDICT, type ExtractContext, type ExtractResult } from './extract';
export { cleanToCsv, cleanFromCsv } from './clean-csv';
export { toStarRows, type StarRows } from './transform';
export { starToCsv, type StarRowOf } from './star-csv';
export { toStarCsv, type StarCsv } from './star-csv-writer';
export { fileIdOf, transactionIdOf, productIdOf, branchIdOf } from './ids';
export { fileVerdict, DEFAULT_MAX_REJECTED_SHARE, type RowCounts } from './verdict';
export {
  CleanTransactionCodec,
  REJECT_REASONS,
  type CleanItem,
  type CleanTransaction,
  type RejectedRow,
  type RejectReason,
} from './transaction';
export { formatPence, parsePence } from './money';
export * from './star';
export * from './errors';
