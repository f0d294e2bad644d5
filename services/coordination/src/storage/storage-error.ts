/**
 * Errors the storage layer reports to its caller. Callers test `err.code`, never `instanceof`
 * (STYLE.md "Errors"). Broken invariants (e.g. a key that does not increase) are assertions instead.
 */
export type StorageErrorCode =
  | 'WAL_CLOSED'
  | 'WAL_FAILED'
  | 'WAL_RECORD_TOO_LARGE'
  | 'WAL_QUEUE_FULL'
  | 'SNAPSHOT_TOO_LARGE'
  | 'DATA_DIR_LOCKED';

export class StorageError extends Error {
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}
