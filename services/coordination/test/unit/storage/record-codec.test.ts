import { crc32 } from 'node:zlib';
import { encodeRecord, RECORD_HEADER_BYTES, scanRecords } from '../../../src/storage/record-codec';

function concat(...records: Buffer[]): Buffer {
  return Buffer.concat(records);
}

describe('record codec', () => {
  it('round-trips keys up to 2^53 - 1 and empty payloads', () => {
    const keys = [0, 1, 0xffff_ffff, 0x1_0000_0000, Number.MAX_SAFE_INTEGER];
    const bytes = concat(...keys.map((k) => encodeRecord(k, k === 0 ? Buffer.alloc(0) : Buffer.from(`p${k}`))));
    const scan = scanRecords(bytes, null);
    expect(scan.fault).toBeNull();
    expect(scan.validBytes).toBe(bytes.length);
    expect(scan.records.map((r) => r.key)).toEqual(keys);
    expect(scan.records[0].payload.length).toBe(0);
    expect(scan.records[4].payload.toString()).toBe(`p${Number.MAX_SAFE_INTEGER}`);
  });

  it('stops at a torn header, a torn payload and a flipped bit, keeping the good prefix', () => {
    const good = encodeRecord(1, Buffer.from('first'));
    const second = encodeRecord(2, Buffer.from('second'));
    expect(scanRecords(concat(good, second.subarray(0, 7)), null).fault).toEqual({ offset: good.length, reason: 'short-header' });
    expect(scanRecords(concat(good, second.subarray(0, RECORD_HEADER_BYTES + 2)), null).fault).toEqual({ offset: good.length, reason: 'short-payload' });
    const flipped = Buffer.from(second);
    flipped[RECORD_HEADER_BYTES + 1] ^= 0x01;
    const scan = scanRecords(concat(good, flipped), null);
    expect(scan.fault).toEqual({ offset: good.length, reason: 'crc-mismatch' });
    expect(scan.records.map((r) => r.key)).toEqual([1]);
    expect(scan.validBytes).toBe(good.length);
  });

  it('detects a zero-filled (preallocated) region, even a short one', () => {
    const good = encodeRecord(1, Buffer.from('x'));
    expect(scanRecords(concat(good, Buffer.alloc(4096)), null).fault).toEqual({ offset: good.length, reason: 'zero-filled' });
    expect(scanRecords(concat(good, Buffer.alloc(5)), null).fault).toEqual({ offset: good.length, reason: 'zero-filled' });
  });

  it('rejects keys that do not increase, also against the previous segment', () => {
    expect(scanRecords(concat(encodeRecord(5, Buffer.from('a')), encodeRecord(5, Buffer.from('b'))), null).fault?.reason).toBe('key-order');
    expect(scanRecords(encodeRecord(5, Buffer.from('a')), 7).fault).toEqual({ offset: 0, reason: 'key-order' });
  });

  it('rejects a CRC-valid record whose key is not a safe integer', () => {
    const record = encodeRecord(1, Buffer.from('a'));
    record.writeUInt32LE(0xffff_ffff, 12); // high word beyond 2^53
    record.writeUInt32LE(crc32(record.subarray(4)), 0);
    expect(scanRecords(record, null).fault).toEqual({ offset: 0, reason: 'bad-key' });
  });

  it('asserts on keys that cannot be stored', () => {
    expect(() => encodeRecord(-1, Buffer.alloc(0))).toThrow(/non-negative safe integer/);
    expect(() => encodeRecord(1.5, Buffer.alloc(0))).toThrow(/non-negative safe integer/);
    expect(() => encodeRecord(2 ** 53, Buffer.alloc(0))).toThrow(/non-negative safe integer/);
  });
});
