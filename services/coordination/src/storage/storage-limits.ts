/** Every size limit of the storage layer, in one place (STYLE.md "A limit on everything"). */
export const STORAGE_LIMITS = {
  /** A segment is closed and a new one started once the next write would pass this size. */
  segmentMaxBytesDefault: 64 * 1024 * 1024,
  /** Largest payload of one log record; the layer above enforces smaller request limits. */
  recordPayloadMaxBytesDefault: 16 * 1024 * 1024,
  /** Most bytes written by one write + fdatasync (one group commit). */
  batchMaxBytesDefault: 4 * 1024 * 1024,
  /** Most bytes queued behind the disk before appends are refused. */
  queuedMaxBytesDefault: 256 * 1024 * 1024,
  /** Largest snapshot written or read (a Node Buffer cannot be much larger). */
  snapshotMaxBytes: 1024 * 1024 * 1024,
} as const;
