/**
 * Named errors. Each class's `name` is the exact string the state machine's Retry/Catch `ErrorEquals`
 * matches (a Lambda reports `errorType` = the error's name); a test holds this list and the ASL equal.
 * `retryable` says whether the ASL retries it: transient errors are retried with backoff, data errors
 * fail fast into the dead-letter queue.
 */
export abstract class CafeEtlError extends Error {
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.errorName;
  }
  static readonly errorName: string;
}

/** An event, environment or manifest did not decode: a bug or a hand-made input, never retried. */
export class InvalidInputError extends CafeEtlError {
  static override readonly errorName = 'CafeEtl.InvalidInput';
  readonly retryable = false;
}

/** The file is not a cafe export: no row decodes, or too large a share of rows is rejected. */
export class NotCafeExportError extends CafeEtlError {
  static override readonly errorName = 'CafeEtl.NotCafeExport';
  readonly retryable = false;
}

/** The object store could not be reached or throttled us. */
export class StorageUnavailableError extends CafeEtlError {
  static override readonly errorName = 'CafeEtl.StorageUnavailable';
  readonly retryable = true;
}

/** The warehouse could not be reached, or refused a connection (down, restarting, throttling). */
export class WarehouseUnavailableError extends CafeEtlError {
  static override readonly errorName = 'CafeEtl.WarehouseUnavailable';
  readonly retryable = true;
}

/** The warehouse ran a statement and it failed (bad SQL, constraint, permissions): retrying will not help. */
export class WarehouseStatementError extends CafeEtlError {
  static override readonly errorName = 'CafeEtl.WarehouseStatementFailed';
  readonly retryable = false;
}

/** A staged object the manifest names is missing: the staging prefix expired or was tampered with. */
export class StagingMissingError extends CafeEtlError {
  static override readonly errorName = 'CafeEtl.StagingMissing';
  readonly retryable = false;
}

/**
 * Plan recognised the content as already loaded under another key, but by Load the warehouse no longer holds that
 * load (it was replaced): nothing was extracted, so the file must be uploaded again to load it.
 */
export class DuplicateGoneError extends CafeEtlError {
  static override readonly errorName = 'CafeEtl.DuplicateGone';
  readonly retryable = false;
}

export const ERROR_CLASSES = [
  InvalidInputError,
  NotCafeExportError,
  StorageUnavailableError,
  WarehouseUnavailableError,
  WarehouseStatementError,
  StagingMissingError,
  DuplicateGoneError,
] as const;

export const RETRYABLE_ERROR_NAMES = ERROR_CLASSES.filter((c) => new c('').retryable).map((c) => c.errorName);
export const FATAL_ERROR_NAMES = ERROR_CLASSES.filter((c) => !new c('').retryable).map((c) => c.errorName);
