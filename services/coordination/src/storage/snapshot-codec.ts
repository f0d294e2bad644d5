/**
 * File format of a snapshot (pure: no I/O).
 *
 *   offset 0  4 bytes  magic "ENSN"
 *   offset 4  u32 LE   format version
 *   offset 8  u64 LE   zxid: the last transaction applied to the state in the snapshot
 *   offset 16 u64 LE   data length in bytes
 *   offset 24 u32 LE   CRC32 of the data
 *   offset 28 u32 LE   CRC32 of bytes [0, 28)
 *   offset 32 data
 */
import assert from 'node:assert';
import { crc32 } from 'node:zlib';
import { isValidKey } from './file-names';

export const SNAPSHOT_HEADER_BYTES = 32;
export const SNAPSHOT_FORMAT_VERSION = 1;
const MAGIC = Buffer.from('ENSN', 'latin1');
const TWO_POW_32 = 0x1_0000_0000;

export type SnapshotFaultReason =
  | 'short-header'
  | 'bad-magic'
  | 'unsupported-version'
  | 'header-crc-mismatch'
  | 'bad-zxid'
  | 'zxid-mismatch' // the header names another zxid than the file name
  | 'length-mismatch' // the file is shorter or longer than the header says: a torn write
  | 'data-crc-mismatch';

export type SnapshotDecodeResult =
  | { ok: true; zxid: number; data: Buffer }
  | { ok: false; reason: SnapshotFaultReason };

/** The header of a snapshot file whose data is `parts`, one after another. */
export function encodeSnapshotHeader(zxid: number, parts: readonly Uint8Array[]): Buffer {
  assert(isValidKey(zxid), `snapshot zxid must be a non-negative safe integer, got ${zxid}`);
  const header = Buffer.alloc(SNAPSHOT_HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(SNAPSHOT_FORMAT_VERSION, 4);
  writeUInt53(header, 8, zxid);
  writeUInt53(header, 16, parts.reduce((n, part) => n + part.length, 0));
  header.writeUInt32LE(parts.reduce((crc, part) => crc32(part, crc), 0), 24);
  header.writeUInt32LE(crc32(header.subarray(0, 28)), 28);
  return header;
}

/** Verifies a whole snapshot file; `expectedZxid` comes from its file name. */
export function decodeSnapshot(file: Buffer, expectedZxid: number): SnapshotDecodeResult {
  if (file.length < SNAPSHOT_HEADER_BYTES) return { ok: false, reason: 'short-header' };
  if (!file.subarray(0, 4).equals(MAGIC)) return { ok: false, reason: 'bad-magic' };
  if (crc32(file.subarray(0, 28)) !== file.readUInt32LE(28)) return { ok: false, reason: 'header-crc-mismatch' };
  if (file.readUInt32LE(4) !== SNAPSHOT_FORMAT_VERSION) return { ok: false, reason: 'unsupported-version' };
  const zxid = readUInt53(file, 8);
  if (zxid === null) return { ok: false, reason: 'bad-zxid' };
  if (zxid !== expectedZxid) return { ok: false, reason: 'zxid-mismatch' };
  if (readUInt53(file, 16) !== file.length - SNAPSHOT_HEADER_BYTES) return { ok: false, reason: 'length-mismatch' };
  const data = file.subarray(SNAPSHOT_HEADER_BYTES);
  if (crc32(data) !== file.readUInt32LE(24)) return { ok: false, reason: 'data-crc-mismatch' };
  return { ok: true, zxid, data };
}

function writeUInt53(buf: Buffer, offset: number, value: number): void {
  buf.writeUInt32LE(value % TWO_POW_32, offset);
  buf.writeUInt32LE(Math.floor(value / TWO_POW_32), offset + 4);
}

function readUInt53(buf: Buffer, offset: number): number | null {
  const value = buf.readUInt32LE(offset + 4) * TWO_POW_32 + buf.readUInt32LE(offset);
  return isValidKey(value) ? value : null;
}
