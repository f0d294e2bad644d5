/**
 * File names of the data directory. Log segments and snapshots are named by a key in
 * zero-padded hex so that name order equals key order.
 * ZooKeeper: `log.<zxid>` is named by the first zxid it holds, `snapshot.<zxid>` by the last
 * zxid applied to the tree it contains.
 */
const KEY_HEX_DIGITS = 16;
const LOG_PATTERN = /^log\.([0-9a-f]{16})$/;
const SNAPSHOT_PATTERN = /^snapshot\.([0-9a-f]{16})$/;

export const LOCK_FILE_NAME = 'LOCK';
export const TEMP_SUFFIX = '.tmp';

export function isValidKey(key: number): boolean {
  return Number.isSafeInteger(key) && key >= 0;
}

export function formatKeyHex(key: number): string {
  return key.toString(16).padStart(KEY_HEX_DIGITS, '0');
}

export function logSegmentName(firstKey: number): string {
  return `log.${formatKeyHex(firstKey)}`;
}

export function snapshotName(zxid: number): string {
  return `snapshot.${formatKeyHex(zxid)}`;
}

/** The first key of a log segment, or null when `name` is not a segment file. */
export function parseLogSegmentName(name: string): number | null {
  return parseKeyName(LOG_PATTERN, name);
}

/** The zxid of a snapshot file, or null when `name` is not a (complete) snapshot file. */
export function parseSnapshotName(name: string): number | null {
  return parseKeyName(SNAPSHOT_PATTERN, name);
}

function parseKeyName(pattern: RegExp, name: string): number | null {
  const match = pattern.exec(name);
  if (match === null) return null;
  const key = Number.parseInt(match[1], 16);
  return isValidKey(key) ? key : null;
}
