import { appendFile, cp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { logSegmentName } from '../../../src/storage/file-names';
import { encodeRecord, RECORD_HEADER_BYTES } from '../../../src/storage/record-codec';
import { WriteAheadLog, type WalOptions, type WalSyncStats } from '../../../src/storage';
import { fsyncOnLoop } from '../../../src/storage/write-ahead-log';
import { payloadFor, SEGMENT_MAX_BYTES, seededRandom, useTempDir } from './storage-test-helpers';

const tempDir = useTempDir();
const FAST: WalOptions = { fsync: false };

async function writeLog(keys: number[], opts: WalOptions = FAST): Promise<WriteAheadLog> {
  const { wal } = await WriteAheadLog.open(tempDir(), opts);
  await wal.appendBatch(keys.map((key) => ({ key, payload: payloadFor(key) })));
  return wal;
}

async function writeClosedLog(keys: number[], opts: WalOptions = FAST): Promise<void> {
  await (await writeLog(keys, opts)).close();
}

async function reopen(opts: WalOptions = FAST) {
  const opened = await WriteAheadLog.open(tempDir(), opts);
  await opened.wal.close();
  return opened;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function recordBytes(key: number): number {
  return RECORD_HEADER_BYTES + payloadFor(key).length;
}

async function segmentFiles(): Promise<string[]> {
  return (await readdir(tempDir())).filter((n) => n.startsWith('log.')).sort();
}

describe('WriteAheadLog: append and recovery', () => {
  it('returns every appended record, in order, after a reopen', async () => {
    const { wal, records, truncated } = await WriteAheadLog.open(tempDir());
    expect(records).toEqual([]);
    expect(truncated).toBeNull();
    for (const key of [1, 2, 7, 2 ** 40, Number.MAX_SAFE_INTEGER]) await wal.append(key, payloadFor(key));
    expect(wal.lastKey).toBe(Number.MAX_SAFE_INTEGER);
    expect(wal.stats.fsyncsTotal).toBe(5);
    await wal.close();

    const again = await reopen();
    expect(again.truncated).toBeNull();
    expect(again.records.map((r) => r.key)).toEqual([1, 2, 7, 2 ** 40, Number.MAX_SAFE_INTEGER]);
    expect(again.records.map((r) => r.payload)).toEqual([1, 2, 7, 2 ** 40, Number.MAX_SAFE_INTEGER].map(payloadFor));
    expect(again.wal.lastKey).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rejects keys that do not increase, before anything reaches the disk', async () => {
    const wal = await writeLog([5]);
    await expect(wal.append(5, payloadFor(5))).rejects.toThrow(/log keys must increase: 5 after 5/);
    await expect(wal.append(3, payloadFor(3))).rejects.toThrow(/log keys must increase/);
    await expect(wal.appendBatch([{ key: 6, payload: Buffer.alloc(1) }, { key: 6, payload: Buffer.alloc(1) }])).rejects.toThrow(/log keys must increase/);
    await expect(wal.append(-1, Buffer.alloc(1))).rejects.toThrow(/non-negative safe integer/);
    await expect(wal.append(6.5, Buffer.alloc(1))).rejects.toThrow(/non-negative safe integer/);
    await wal.append(6, payloadFor(6));
    await wal.close();
    expect((await reopen()).records.map((r) => r.key)).toEqual([5, 6]);
  });

  it('refuses a record over the payload limit and appends past the queue limit, with codes', async () => {
    const { wal } = await WriteAheadLog.open(tempDir(), { fsync: false, recordPayloadMaxBytes: 10, queuedMaxBytes: 100 });
    await expect(wal.append(1, Buffer.alloc(11))).rejects.toMatchObject({ code: 'WAL_RECORD_TOO_LARGE' });
    const first = wal.append(1, Buffer.alloc(10)); // 26 bytes queued
    await expect(wal.appendBatch(range(2, 5).map((key) => ({ key, payload: Buffer.alloc(10) })))).rejects.toMatchObject({ code: 'WAL_QUEUE_FULL' });
    await first;
    await wal.append(2, Buffer.alloc(10));
    await wal.close();
    expect((await reopen()).records.map((r) => r.key)).toEqual([1, 2]);
  });

  it('stops accepting writes after an I/O error (fail-stop), with code WAL_FAILED', async () => {
    const { wal } = await WriteAheadLog.open(tempDir(), { fsync: false, segmentMaxBytes: SEGMENT_MAX_BYTES });
    await wal.append(1, payloadFor(1));
    await rm(tempDir(), { recursive: true }); // the next segment cannot be created
    const pending = wal.appendBatch(range(2, 12).map((key) => ({ key, payload: payloadFor(key) })));
    const queuedBehind = wal.append(13, payloadFor(13));
    await expect(pending).rejects.toMatchObject({ code: 'WAL_FAILED', cause: expect.objectContaining({ code: 'ENOENT' }) });
    await expect(queuedBehind).rejects.toMatchObject({ code: 'WAL_FAILED' });
    await expect(wal.append(14, payloadFor(14))).rejects.toMatchObject({ code: 'WAL_FAILED' });
    await expect(wal.truncateAfter(1)).rejects.toMatchObject({ code: 'WAL_FAILED' });
    await wal.close();
    expect(wal.lastDurableKey).toBe(10);
  });

  it('lets queued appends finish on close and refuses appends after it', async () => {
    const { wal } = await WriteAheadLog.open(tempDir(), FAST);
    const pending = range(1, 20).map((key) => wal.append(key, payloadFor(key)));
    const closed = wal.close();
    await expect(wal.append(21, payloadFor(21))).rejects.toMatchObject({ code: 'WAL_CLOSED' });
    await Promise.all([...pending, closed]);
    expect((await reopen()).records).toHaveLength(20);
  });
});

describe('WriteAheadLog: group commit', () => {
  it('writes appends made in the same tick with one write and one fdatasync', async () => {
    const syncs: WalSyncStats[] = [];
    const { wal } = await WriteAheadLog.open(tempDir(), { onSync: (s) => syncs.push(s) });
    await Promise.all(range(1, 200).map((key) => wal.append(key, payloadFor(key))));
    expect(wal.stats).toMatchObject({ fsyncsTotal: 1, batchesTotal: 1, recordsTotal: 200 });
    expect(syncs).toHaveLength(1);
    expect(syncs[0].records).toBe(200);
    expect(syncs[0].bytes).toBe(range(1, 200).reduce((sum, k) => sum + recordBytes(k), 0));
    await wal.close();
    expect((await reopen()).records.map((r) => r.key)).toEqual(range(1, 200));
  });

  it('groups the appends that arrive while a write + fdatasync is in flight', async () => {
    const syncs: WalSyncStats[] = [];
    // Every fdatasync on the thread pool, so that one is in flight while the event loop runs.
    const { wal } = await WriteAheadLog.open(tempDir(), { onSync: (s) => syncs.push(s), loopFsyncMaxMs: 0 });
    await wal.append(1, payloadFor(1));
    await wal.spareReady();
    await wal.append(2, payloadFor(2)); // moves into the preallocated segment: no roll is pending now
    const inFlight = wal.append(3, payloadFor(3));
    await new Promise<void>((resolve) => queueMicrotask(resolve)); // the drain has issued its write
    expect(wal.lastDurableKey).toBe(2);
    const later = range(4, 53).map((key) => wal.append(key, payloadFor(key)));
    await Promise.all([inFlight, ...later]);
    expect(syncs.map((s) => s.records)).toEqual([1, 1, 1, 50]);
    expect(syncs.map((s) => s.fsyncThread)).toEqual(['pool', 'pool', 'pool', 'pool']);
    expect(wal.stats.fsyncsTotal).toBe(4);
    await wal.close();
    expect((await reopen()).records.map((r) => r.key)).toEqual(range(1, 53));
  });

  it('fdatasyncs a write to an idle log on the event loop once the disk has proved fast; load or a slow disk keeps it off', async () => {
    // Time is the test's: it moves only where the test says the log sat idle, and "fast" is any
    // disk (under a minute), so the outcome does not depend on the machine or its load.
    let nowMs = 0;
    const clock = (): number => nowMs;
    const idleFor = (ms: number): void => void (nowMs += ms);
    const threads: WalSyncStats['fsyncThread'][] = [];
    const { wal } = await WriteAheadLog.open(tempDir(), { loopFsyncMaxMs: 60_000, batchMaxBytes: 64, clock, onSync: (s) => threads.push(s.fsyncThread) });
    await wal.append(1, payloadFor(1)); // measures the disk, on the thread pool
    await wal.spareReady();
    idleFor(1000);
    await wal.append(2, payloadFor(2)); // moves into the preallocated segment; the log was idle
    expect(wal.stats).toMatchObject({ fsyncsTotal: 2, loopFsyncsTotal: 1 });
    expect(threads).toEqual(['pool', 'loop']);
    // Back to back: each append arrives as soon as the last one is durable (the log is busy).
    await wal.append(3, payloadFor(3));
    await wal.append(4, payloadFor(4));
    expect(wal.stats).toMatchObject({ fsyncsTotal: 4, loopFsyncsTotal: 1 });
    // Idle in between: each goes on the loop.
    for (let key = 5; key <= 6; key++) {
      idleFor(1000);
      await wal.append(key, payloadFor(key));
    }
    expect(wal.stats).toMatchObject({ fsyncsTotal: 6, loopFsyncsTotal: 3 });
    // One batch over several 64-byte groups after a pause: each group has another queued behind it.
    idleFor(1000);
    await wal.appendBatch(range(7, 11).map((key) => ({ key, payload: payloadFor(key) })));
    expect(wal.stats.fsyncsTotal).toBeGreaterThan(7);
    expect(wal.stats.loopFsyncsTotal).toBe(3);
    await wal.close();
    expect((await reopen()).records.map((r) => r.key)).toEqual(range(1, 11));

    const slow = await WriteAheadLog.open(tempDir(), { loopFsyncMaxMs: 0, clock });
    for (let key = 12; key <= 14; key++) {
      idleFor(1000);
      await slow.wal.append(key, payloadFor(key));
    }
    expect(slow.wal.stats).toMatchObject({ fsyncsTotal: 3, loopFsyncsTotal: 0 });
    await slow.wal.close();
  });

  it('counts a log as loaded by how often its groups start, not by how soon after the last one became durable', () => {
    // A disk whose fdatasyncs take 0.2 ms; a write every 0.7 ms (one client, three servers).
    const group = { mayBlock: true, bytes: 200, queuedBehind: false, fsyncAverageMs: 0.2, loopFsyncMaxMs: 1 };
    // A follower behind the other one: its last fdatasync ended just now, but started 0.7 ms ago.
    expect(fsyncOnLoop({ ...group, sinceLastStartMs: 0.7 })).toBe(true);
    // Groups starting within two fdatasyncs of each other, or one queued behind: load.
    expect(fsyncOnLoop({ ...group, sinceLastStartMs: 0.3 })).toBe(false);
    expect(fsyncOnLoop({ ...group, sinceLastStartMs: 0.7, queuedBehind: true })).toBe(false);
    // A slow disk, a large group, or callers of the previous group still to be answered.
    expect(fsyncOnLoop({ ...group, sinceLastStartMs: 10, fsyncAverageMs: 1.5 })).toBe(false);
    expect(fsyncOnLoop({ ...group, sinceLastStartMs: 10, bytes: 1024 * 1024 })).toBe(false);
    expect(fsyncOnLoop({ ...group, sinceLastStartMs: 10, mayBlock: false })).toBe(false);
  });

  it('lets the immediates of this turn run before an fdatasync on the loop only when the append says writes are pending', async () => {
    let nowMs = 0;
    const clock = (): number => nowMs;
    const { wal } = await WriteAheadLog.open(tempDir(), { loopFsyncMaxMs: 60_000, clock });
    await wal.append(1, payloadFor(1)); // measures the disk, on the thread pool
    await wal.spareReady();
    nowMs += 1000;
    await wal.append(2, payloadFor(2)); // moves into the preallocated segment
    // Stands for a network write queued in this turn: node's HTTP/2 sends it in an immediate.
    const durableBeforeImmediate = async (key: number, sendsPending: boolean | undefined): Promise<boolean> => {
      nowMs += 1000;
      let immediateRan = false;
      setImmediate(() => {
        immediateRan = true;
      });
      const loopFsyncs = wal.stats.loopFsyncsTotal;
      await wal.appendBatch([{ key, payload: payloadFor(key) }], sendsPending === undefined ? undefined : { sendsPending });
      const durableFirst = !immediateRan;
      expect(wal.stats.loopFsyncsTotal).toBe(loopFsyncs + 1);
      await new Promise((resolve) => setImmediate(resolve));
      return durableFirst;
    };
    expect(await durableBeforeImmediate(3, false)).toBe(true);
    expect(await durableBeforeImmediate(4, true)).toBe(false);
    expect(await durableBeforeImmediate(5, undefined)).toBe(false); // the safe default
    expect(await durableBeforeImmediate(6, false)).toBe(true);
    await wal.close();
    expect((await reopen()).records.map((r) => r.key)).toEqual(range(1, 6));
  });

  it('resolves an append only after every earlier one, and keeps call order on disk', async () => {
    const threads = new Set<WalSyncStats['fsyncThread']>();
    const { wal } = await WriteAheadLog.open(tempDir(), { fsync: false, batchMaxBytes: 64, onSync: (s) => threads.add(s.fsyncThread) });
    const resolved: number[] = [];
    const calls: Array<Promise<void>> = [];
    for (let key = 1; key <= 30; key++) {
      const batch = key % 3 === 0 ? [{ key, payload: payloadFor(key) }] : [];
      calls.push((batch.length > 0 ? wal.appendBatch(batch) : wal.append(key, payloadFor(key))).then(() => void resolved.push(key)));
    }
    await Promise.all(calls);
    expect(resolved).toEqual(range(1, 30));
    expect(wal.stats.batchesTotal).toBeGreaterThan(1); // 64-byte groups split the tick's appends
    expect([...threads]).toEqual([null]); // fsync off: group commits without an fdatasync
    await wal.close();
    expect((await reopen()).records.map((r) => r.key)).toEqual(range(1, 30));
  });
});

describe('WriteAheadLog: segments', () => {
  it('rolls over to segments named by their first key and reads them all back', async () => {
    // Each record is 36 bytes: 10 fill a segment.
    await writeClosedLog(range(1, 45), { fsync: false, segmentMaxBytes: SEGMENT_MAX_BYTES });
    const names = await segmentFiles();
    expect(names).toEqual([1, 11, 21, 31, 41].map(logSegmentName));
    expect(names[1]).toBe('log.000000000000000b');
    for (const name of names) expect((await stat(join(tempDir(), name))).size).toBeLessThanOrEqual(SEGMENT_MAX_BYTES);
    const { records, wal, truncated } = await reopen({ fsync: false, segmentMaxBytes: SEGMENT_MAX_BYTES });
    expect(truncated).toBeNull();
    expect(records.map((r) => r.key)).toEqual(range(1, 45));
    expect(wal.stats.segmentCount).toBe(5);
  });

  it('continues the last segment after a reopen', async () => {
    await writeClosedLog(range(1, 5), { fsync: false, segmentMaxBytes: SEGMENT_MAX_BYTES });
    const { wal } = await WriteAheadLog.open(tempDir(), { fsync: false, segmentMaxBytes: SEGMENT_MAX_BYTES });
    await wal.appendBatch(range(6, 25).map((key) => ({ key, payload: payloadFor(key) })));
    await wal.close();
    expect(await segmentFiles()).toEqual([1, 11, 21].map(logSegmentName));
    expect((await reopen()).records.map((r) => r.key)).toEqual(range(1, 25));
  });

  it('puts a record larger than a segment in a segment of its own', async () => {
    const { wal } = await WriteAheadLog.open(tempDir(), { fsync: false, segmentMaxBytes: 64 });
    await wal.append(1, Buffer.alloc(10, 1));
    await wal.append(2, Buffer.alloc(200, 2));
    await wal.append(3, Buffer.alloc(10, 3));
    await wal.close();
    expect(await segmentFiles()).toEqual([1, 2, 3].map(logSegmentName));
    expect((await reopen()).records.map((r) => r.payload.length)).toEqual([10, 200, 10]);
  });
});

describe('WriteAheadLog: preallocation', () => {
  const DURABLE: WalOptions = { fsync: true };

  async function sizeOf(key: number, dir = tempDir()): Promise<number> {
    return (await stat(join(dir, logSegmentName(key)))).size;
  }

  it('moves into a zero-filled segment once it is ready, and leaves no zeros behind on close', async () => {
    const { wal } = await WriteAheadLog.open(tempDir(), DURABLE);
    await wal.appendBatch(range(1, 3).map((key) => ({ key, payload: payloadFor(key) })));
    expect(await wal.spareReady()).toBe(true);
    await wal.appendBatch(range(4, 6).map((key) => ({ key, payload: payloadFor(key) })));
    expect(wal.segmentNames).toEqual([1, 4].map(logSegmentName));
    expect(await sizeOf(4)).toBe(1024 * 1024); // appends overwrite the zeros; the size stays
    await wal.close();
    expect(await sizeOf(1)).toBe(range(1, 3).reduce((sum, k) => sum + recordBytes(k), 0));
    expect(await sizeOf(4)).toBe(range(4, 6).reduce((sum, k) => sum + recordBytes(k), 0));
    expect((await readdir(tempDir())).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const again = await reopen(DURABLE);
    expect(again.truncated).toBeNull();
    expect(again.records.map((r) => r.key)).toEqual(range(1, 6));
  });

  it('after a crash, the zeros of the newest segment are room, not damage, and appends go on into them', async () => {
    const { wal } = await WriteAheadLog.open(tempDir(), DURABLE);
    await wal.append(1, payloadFor(1));
    await wal.spareReady();
    await wal.appendBatch(range(2, 4).map((key) => ({ key, payload: payloadFor(key) })));
    // The files as a crash would leave them: copied while the log is open.
    const crashed = `${tempDir()}-crashed`;
    await cp(tempDir(), crashed, { recursive: true });
    await wal.close();

    const opened = await WriteAheadLog.open(crashed, DURABLE);
    expect(opened.truncated).toBeNull();
    expect(opened.records.map((r) => r.key)).toEqual(range(1, 4));
    await opened.wal.append(5, payloadFor(5));
    expect(await sizeOf(2, crashed)).toBe(1024 * 1024);
    await opened.wal.close();
    const reopened = await WriteAheadLog.open(crashed, FAST);
    expect(reopened.records.map((r) => r.key)).toEqual(range(1, 5));
    await reopened.wal.close();
    await rm(crashed, { recursive: true });
  });

  it('repairs a preallocated newest segment: a truncation cuts records and zeros alike', async () => {
    const { wal } = await WriteAheadLog.open(tempDir(), DURABLE);
    await wal.append(1, payloadFor(1));
    await wal.spareReady();
    await wal.appendBatch(range(2, 6).map((key) => ({ key, payload: payloadFor(key) })));
    await wal.truncateAfter(3);
    await wal.append(4, payloadFor(40));
    await wal.close();
    const again = await reopen(FAST);
    expect(again.truncated).toBeNull();
    expect(again.records.map((r) => r.key)).toEqual(range(1, 4));
    expect(again.records[3].payload).toEqual(payloadFor(40));
  });

  it('does not preallocate without fsync', async () => {
    const { wal } = await WriteAheadLog.open(tempDir(), FAST);
    await wal.append(1, payloadFor(1));
    expect(await wal.spareReady()).toBe(false);
    await wal.close();
  });
});

describe('WriteAheadLog: torn and corrupt logs are cut at the first bad record', () => {
  const SEGMENTED: WalOptions = { fsync: false, segmentMaxBytes: SEGMENT_MAX_BYTES };

  function offsetOf(keys: number[], key: number): number {
    return keys.filter((k) => k < key).reduce((sum, k) => sum + recordBytes(k), 0);
  }

  it('cuts a record torn in the middle and appends after it again', async () => {
    await writeClosedLog(range(1, 10));
    const file = join(tempDir(), logSegmentName(1));
    const fullBytes = (await stat(file)).size;
    await truncate(file, fullBytes - 5);

    const { records, truncated } = await reopen();
    expect(records.map((r) => r.key)).toEqual(range(1, 9));
    expect(truncated).toEqual({
      segment: logSegmentName(1),
      atOffset: offsetOf(range(1, 10), 10),
      droppedBytes: recordBytes(10) - 5,
      reason: 'short-payload',
      removedSegments: [],
    });
    expect((await stat(file)).size).toBe(offsetOf(range(1, 10), 10));

    const { wal } = await WriteAheadLog.open(tempDir(), FAST);
    expect(wal.lastKey).toBe(9);
    await wal.append(10, Buffer.from('again'));
    await wal.close();
    const final = await reopen();
    expect(final.truncated).toBeNull();
    expect(final.records.map((r) => r.key)).toEqual(range(1, 10));
    expect(final.records[9].payload.toString()).toBe('again');
  });

  it('cuts garbage appended after the last record', async () => {
    await writeClosedLog(range(1, 10));
    const file = join(tempDir(), logSegmentName(1));
    const goodBytes = (await stat(file)).size;
    const random = seededRandom(7);
    const garbage = Buffer.from(Array.from({ length: 37 }, () => Math.floor(random() * 256)));
    await appendFile(file, garbage);

    const { records, truncated } = await reopen();
    expect(records.map((r) => r.key)).toEqual(range(1, 10));
    expect(truncated).toMatchObject({ segment: logSegmentName(1), atOffset: goodBytes, droppedBytes: 37 });
    expect((await stat(file)).size).toBe(goodBytes);
  });

  it('drops everything from a flipped byte in a middle record on, later segments included', async () => {
    const keys = range(1, 45);
    await writeClosedLog(keys, SEGMENTED);
    const second = join(tempDir(), logSegmentName(11));
    const secondBytes = (await stat(second)).size;
    const bytes = await readFile(second);
    const at = offsetOf(range(11, 20), 14);
    bytes[at + RECORD_HEADER_BYTES + 2] ^= 0x20; // a payload byte of key 14
    await writeFile(second, bytes);
    const laterBytes = (await Promise.all([21, 31, 41].map((k) => stat(join(tempDir(), logSegmentName(k)))))).reduce((s, st) => s + st.size, 0);

    const { records, truncated, wal } = await reopen(SEGMENTED);
    expect(records.map((r) => r.key)).toEqual(range(1, 13));
    expect(truncated).toEqual({
      segment: logSegmentName(11),
      atOffset: at,
      droppedBytes: secondBytes - at + laterBytes,
      reason: 'crc-mismatch',
      removedSegments: [21, 31, 41].map(logSegmentName),
    });
    expect(await segmentFiles()).toEqual([1, 11].map(logSegmentName));
    expect(wal.lastKey).toBe(13);
  });

  it('keeps a zero-filled tail of the newest segment as room, and removes a zero-filled segment', async () => {
    await writeClosedLog(range(1, 15), SEGMENTED);
    await appendFile(join(tempDir(), logSegmentName(11)), Buffer.alloc(4096));
    const tail = await reopen(SEGMENTED);
    expect(tail.records.map((r) => r.key)).toEqual(range(1, 15));
    expect(tail.truncated).toBeNull();

    await writeFile(join(tempDir(), logSegmentName(16)), Buffer.alloc(1024));
    const whole = await reopen(SEGMENTED);
    expect(whole.records.map((r) => r.key)).toEqual(range(1, 15));
    expect(whole.truncated).toEqual({ segment: logSegmentName(16), atOffset: 0, droppedBytes: 1024, reason: 'zero-filled', removedSegments: [logSegmentName(16)] });
    expect(await segmentFiles()).toEqual([1, 11].map(logSegmentName));
  });

  it('removes an empty segment left by a crash right after its creation', async () => {
    await writeClosedLog(range(1, 5));
    await writeFile(join(tempDir(), logSegmentName(6)), Buffer.alloc(0));
    const { records, truncated } = await reopen();
    expect(records).toHaveLength(5);
    expect(truncated).toMatchObject({ segment: logSegmentName(6), atOffset: 0, droppedBytes: 0, reason: 'empty-segment' });
    expect(await segmentFiles()).toEqual([logSegmentName(1)]);
  });

  it('treats keys going backwards across segments as corruption', async () => {
    await writeClosedLog(range(1, 5));
    // A segment whose name sorts after log.1 but whose keys (3, 4) overlap it.
    await writeFile(join(tempDir(), logSegmentName(3)), Buffer.concat([encodeRecord(3, payloadFor(3)), encodeRecord(4, payloadFor(4))]));
    const { records, truncated } = await reopen();
    expect(records.map((r) => r.key)).toEqual(range(1, 5));
    expect(truncated).toMatchObject({ segment: logSegmentName(3), atOffset: 0, reason: 'key-order', removedSegments: [logSegmentName(3)] });
  });

  it('treats a segment whose first key differs from its name as corruption', async () => {
    await writeClosedLog(range(1, 5));
    await writeFile(join(tempDir(), logSegmentName(6)), encodeRecord(7, payloadFor(7)));
    const { records, truncated } = await reopen();
    expect(records).toHaveLength(5);
    expect(truncated).toMatchObject({ segment: logSegmentName(6), atOffset: 0, reason: 'segment-name-mismatch' });
  });
});

describe('WriteAheadLog: truncateAfter', () => {
  const SEGMENTED: WalOptions = { fsync: false, segmentMaxBytes: SEGMENT_MAX_BYTES };

  it('drops every later record durably, across segments, and appends after the cut', async () => {
    const wal = await writeLog(range(1, 45), SEGMENTED);
    await wal.truncateAfter(30); // exactly at a segment's end: later segments go, none is cut
    expect(await segmentFiles()).toEqual([1, 11, 21].map(logSegmentName));
    expect((await stat(join(tempDir(), logSegmentName(21)))).size).toBe(SEGMENT_MAX_BYTES);
    await wal.truncateAfter(17);
    expect(wal.lastKey).toBe(17);
    expect(await segmentFiles()).toEqual([1, 11].map(logSegmentName));
    await wal.append(18, Buffer.from('new-18'));
    await wal.close();
    const { records, truncated } = await reopen(SEGMENTED);
    expect(truncated).toBeNull();
    expect(records.map((r) => r.key)).toEqual(range(1, 18));
    expect(records[17].payload.toString()).toBe('new-18');
  });

  it('cuts to the greatest key not above the given one when that key is absent', async () => {
    const wal = await writeLog([2, 4, 6, 8, 10]);
    await wal.truncateAfter(7);
    expect(wal.lastKey).toBe(6);
    await wal.append(7, payloadFor(7));
    await wal.close();
    expect((await reopen()).records.map((r) => r.key)).toEqual([2, 4, 6, 7]);
  });

  it('can empty the log, after which any key may start it again', async () => {
    const wal = await writeLog(range(5, 30), SEGMENTED);
    await wal.truncateAfter(4);
    expect(wal.lastKey).toBeNull();
    expect(await segmentFiles()).toEqual([]);
    await wal.append(1, payloadFor(1));
    await wal.close();
    expect((await reopen()).records.map((r) => r.key)).toEqual([1]);
  });

  it('orders itself among appends by call order, without awaiting', async () => {
    const wal = await writeLog(range(1, 5));
    const calls = [wal.append(6, payloadFor(6)), wal.truncateAfter(3), wal.append(4, Buffer.from('new-4'))];
    await expect(wal.append(4, payloadFor(4))).rejects.toThrow(/log keys must increase/);
    await Promise.all(calls);
    await wal.close();
    const { records } = await reopen();
    expect(records.map((r) => r.key)).toEqual([1, 2, 3, 4]);
    expect(records[3].payload.toString()).toBe('new-4');
  });

  it('is a no-op at or beyond the last key', async () => {
    const wal = await writeLog(range(1, 3));
    await wal.truncateAfter(3);
    await wal.truncateAfter(100);
    expect(wal.lastKey).toBe(3);
    await wal.close();
    expect((await reopen()).records).toHaveLength(3);
  });
});

describe('WriteAheadLog: purgeBefore', () => {
  const SEGMENTED: WalOptions = { fsync: false, segmentMaxBytes: SEGMENT_MAX_BYTES };

  it('removes only whole segments all of whose keys are below the given one', async () => {
    const wal = await writeLog(range(1, 45), SEGMENTED); // segments 1-10, 11-20, 21-30, 31-40, 41-45
    expect(await wal.purgeBefore(25, 1)).toEqual([1, 11].map(logSegmentName));
    expect(await wal.purgeBefore(25, 1)).toEqual([]);
    await wal.append(46, payloadFor(46));
    await wal.close();
    const { records, truncated } = await reopen(SEGMENTED);
    expect(truncated).toBeNull();
    expect(records.map((r) => r.key)).toEqual(range(21, 46));
  });

  it('keeps the newest segments and never the active one, whatever the key', async () => {
    const wal = await writeLog(range(1, 45), SEGMENTED);
    expect(await wal.purgeBefore(1000)).toEqual([1, 11, 21].map(logSegmentName)); // keeps 2 by default
    expect(await wal.purgeBefore(1000, 1)).toEqual([logSegmentName(31)]);
    expect(await segmentFiles()).toEqual([logSegmentName(41)]);
    await wal.close();
    expect((await reopen(SEGMENTED)).records.map((r) => r.key)).toEqual(range(41, 45));
  });
});
