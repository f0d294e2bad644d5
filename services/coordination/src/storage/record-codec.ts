/**
 * On-disk format of one write-ahead-log record (pure: no I/O).
 *
 *   offset 0  u32 LE  CRC32 of bytes [4, end): length, key and payload
 *   offset 4  u32 LE  payload length in bytes
 *   offset 8  u64 LE  key (a zxid or a Raft index; a safe integer, written as lo/hi u32)
 *   offset 16 payload
 *
 * The CRC covers the length as well, so a flipped length bit is caught even when the wrong
 * span happens to fit in the file.
 */
import assert from 'node:assert';
import { crc32 } from 'node:zlib';
import { isValidKey } from './file-names';

export const RECORD_HEADER_BYTES = 16;
const TWO_POW_32 = 0x1_0000_0000;
/** The high word of a safe integer never exceeds 2^21 - 1. */
const KEY_HIGH_WORD_MAX = 0x1f_ffff;

export interface LogRecord {
  key: number;
  payload: Buffer;
}

/** Why a scan stopped before the end of the bytes it was given. */
export type RecordFaultReason =
  | 'short-header' // fewer than RECORD_HEADER_BYTES bytes left: a torn write
  | 'zero-filled' // an all-zero header: preallocated or never-written space
  | 'short-payload' // the length points past the end of the file: a torn write
  | 'crc-mismatch' // bytes changed after they were written, or a torn write
  | 'bad-key' // the key is not a safe non-negative integer
  | 'key-order' // the key does not increase over the previous record
  | 'segment-name-mismatch' // the first key differs from the key in the segment's name
  | 'empty-segment'; // a segment without a single record

export interface RecordFault {
  offset: number;
  reason: RecordFaultReason;
}

export interface ScanResult {
  records: LogRecord[];
  /** Bytes from the start of the buffer up to the end of the last good record. */
  validBytes: number;
  fault: RecordFault | null;
}

export function encodedRecordBytes(payloadBytes: number): number {
  return RECORD_HEADER_BYTES + payloadBytes;
}

export function encodeRecord(key: number, payload: Buffer): Buffer {
  assert(isValidKey(key), `log key must be a non-negative safe integer, got ${key}`);
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  record.writeUInt32LE(payload.length, 4);
  record.writeUInt32LE(key % TWO_POW_32, 8);
  record.writeUInt32LE(Math.floor(key / TWO_POW_32), 12);
  payload.copy(record, RECORD_HEADER_BYTES);
  record.writeUInt32LE(crc32(record.subarray(4)), 0);
  return record;
}

/**
 * Decodes records from the start of `bytes` until the end or the first record that does not
 * verify. Keys must increase strictly, also over `previousKey` (the last key before this buffer).
 * Payloads are views into `bytes`, not copies.
 */
export function scanRecords(bytes: Buffer, previousKey: number | null): ScanResult {
  const records: LogRecord[] = [];
  let offset = 0;
  let lastKey = previousKey;
  while (offset < bytes.length) {
    const decoded = decodeRecordAt(bytes, offset);
    if (!decoded.ok) return { records, validBytes: offset, fault: { offset, reason: decoded.reason } };
    if (lastKey !== null && decoded.record.key <= lastKey) {
      return { records, validBytes: offset, fault: { offset, reason: 'key-order' } };
    }
    records.push(decoded.record);
    lastKey = decoded.record.key;
    offset = decoded.nextOffset;
  }
  return { records, validBytes: offset, fault: null };
}

type DecodeResult =
  | { ok: true; record: LogRecord; nextOffset: number }
  | { ok: false; reason: RecordFaultReason };

function decodeRecordAt(bytes: Buffer, offset: number): DecodeResult {
  const remaining = bytes.length - offset;
  const headerEnd = offset + Math.min(remaining, RECORD_HEADER_BYTES);
  if (isAllZero(bytes, offset, headerEnd)) return { ok: false, reason: 'zero-filled' };
  if (remaining < RECORD_HEADER_BYTES) return { ok: false, reason: 'short-header' };
  const payloadBytes = bytes.readUInt32LE(offset + 4);
  if (payloadBytes > remaining - RECORD_HEADER_BYTES) return { ok: false, reason: 'short-payload' };
  const end = offset + RECORD_HEADER_BYTES + payloadBytes;
  if (crc32(bytes.subarray(offset + 4, end)) !== bytes.readUInt32LE(offset)) {
    return { ok: false, reason: 'crc-mismatch' };
  }
  const keyHigh = bytes.readUInt32LE(offset + 12);
  if (keyHigh > KEY_HIGH_WORD_MAX) return { ok: false, reason: 'bad-key' };
  const key = keyHigh * TWO_POW_32 + bytes.readUInt32LE(offset + 8);
  const payload = bytes.subarray(offset + RECORD_HEADER_BYTES, end);
  return { ok: true, record: { key, payload }, nextOffset: end };
}

function isAllZero(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}
