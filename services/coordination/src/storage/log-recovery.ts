/**
 * Start-up recovery of the write-ahead log: read every segment in key order, verify every
 * record, and cut the log at the first record that does not verify. A torn or corrupt tail is
 * detected and truncated, never silently applied (DESIGN.md §1 "Durability"); nothing after
 * the first bad record is trusted, because a later record that happens to verify may follow a
 * gap.
 */
import { open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, mkdirDurable } from './durable-fs';
import { parseLogSegmentName } from './file-names';
import { scanRecords, type LogRecord, type RecordFault, type RecordFaultReason } from './record-codec';

export interface SegmentInfo {
  name: string;
  firstKey: number;
  /** Key of the last record; null while the segment holds no record yet. */
  lastKey: number | null;
  sizeBytes: number;
  /**
   * Set when the file was preallocated: its size, all zeros after `sizeBytes`. Appends go into
   * the zeros, and the segment ends when they are used up.
   */
  preallocatedBytes?: number;
}

/** What recovery cut off the log. */
export interface LogTruncation {
  /** The segment in which the first bad record was found. */
  segment: string;
  /** Offset of the first bad record in that segment; the segment was cut to this length. */
  atOffset: number;
  /** Bytes removed: the rest of that segment plus every later segment. */
  droppedBytes: number;
  reason: RecordFaultReason;
  /** Segments deleted whole (the cut segment too when `atOffset` is 0). */
  removedSegments: string[];
}

export interface RecoveredLog {
  segments: SegmentInfo[];
  records: LogRecord[];
  truncated: LogTruncation | null;
}

export async function listSegmentNames(dir: string): Promise<string[]> {
  const keyed: Array<{ name: string; firstKey: number }> = [];
  for (const name of await readdir(dir)) {
    const firstKey = parseLogSegmentName(name);
    if (firstKey !== null) keyed.push({ name, firstKey });
  }
  keyed.sort((a, b) => a.firstKey - b.firstKey);
  return keyed.map((s) => s.name);
}

export async function recoverLog(dir: string, fsync: boolean): Promise<RecoveredLog> {
  await mkdirDurable(dir, fsync);
  const names = await listSegmentNames(dir);
  const segments: SegmentInfo[] = [];
  const records: LogRecord[] = [];
  for (let i = 0; i < names.length; i++) {
    const previousKey = segments.length > 0 ? segments[segments.length - 1].lastKey : null;
    const verified = await verifySegment(dir, names[i], previousKey);
    for (const record of verified.records) records.push(record);
    if (verified.fault === null) {
      segments.push(verified.info);
      continue;
    }
    if (i === names.length - 1 && verified.zeroTail && verified.records.length > 0) {
      // The newest segment was preallocated: zeros after its last record are room, not damage.
      segments.push({ ...verified.info, preallocatedBytes: verified.fileBytes });
      continue;
    }
    const truncated = await cutLog(dir, names.slice(i), verified, verified.fault, fsync);
    if (verified.info.sizeBytes > 0) segments.push(verified.info);
    return { segments, records, truncated };
  }
  return { segments, records, truncated: null };
}

interface VerifiedSegment {
  /** The segment as it is once cut to its good prefix. */
  info: SegmentInfo;
  records: LogRecord[];
  fault: RecordFault | null;
  fileBytes: number;
  /** Everything after the good prefix is zero bytes (preallocated or never written). */
  zeroTail: boolean;
}

async function verifySegment(dir: string, name: string, previousKey: number | null): Promise<VerifiedSegment> {
  const firstKey = parseLogSegmentName(name) as number;
  const bytes = await readFile(join(dir, name));
  const scan = scanRecords(bytes, previousKey);
  let fault = scan.fault;
  let records = scan.records;
  let validBytes = scan.validBytes;
  if (records.length > 0 && records[0].key !== firstKey) {
    fault = { offset: 0, reason: 'segment-name-mismatch' };
    records = [];
    validBytes = 0;
  } else if (records.length === 0 && fault === null) {
    // A crash between creating a segment and its first write leaves an empty file.
    fault = { offset: 0, reason: 'empty-segment' };
  }
  const lastKey = records.length > 0 ? records[records.length - 1].key : null;
  const zeroTail = fault?.reason === 'zero-filled' && isZeroFrom(bytes, validBytes);
  return { info: { name, firstKey, lastKey, sizeBytes: validBytes }, records, fault, fileBytes: bytes.length, zeroTail };
}

const ZERO_CHUNK = Buffer.alloc(64 * 1024);

function isZeroFrom(bytes: Buffer, start: number): boolean {
  for (let at = start; at < bytes.length; at += ZERO_CHUNK.length) {
    const end = Math.min(bytes.length, at + ZERO_CHUNK.length);
    if (!bytes.subarray(at, end).equals(ZERO_CHUNK.subarray(0, end - at))) return false;
  }
  return true;
}

/**
 * Removes every segment after the faulty one (newest first, so that a crash during recovery
 * still leaves a prefix of the log), then cuts the faulty one to its good prefix.
 */
async function cutLog(
  dir: string,
  fromFaulty: string[],
  verified: VerifiedSegment,
  fault: RecordFault,
  fsync: boolean,
): Promise<LogTruncation> {
  const faulty = verified.info;
  let droppedBytes = verified.fileBytes - faulty.sizeBytes;
  const removedSegments: string[] = [];
  for (const name of fromFaulty.slice(1).reverse()) {
    droppedBytes += (await stat(join(dir, name))).size;
    await rm(join(dir, name));
    removedSegments.unshift(name);
  }
  if (faulty.sizeBytes === 0) {
    await rm(join(dir, faulty.name));
    removedSegments.unshift(faulty.name);
  } else {
    await truncateFile(join(dir, faulty.name), faulty.sizeBytes, fsync);
  }
  if (fsync && removedSegments.length > 0) await fsyncDir(dir);
  return { segment: faulty.name, atOffset: fault.offset, droppedBytes, reason: fault.reason, removedSegments };
}

async function truncateFile(path: string, lengthBytes: number, fsync: boolean): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(lengthBytes);
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
}
