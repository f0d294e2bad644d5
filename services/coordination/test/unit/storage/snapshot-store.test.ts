import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SnapshotStore, type CorruptSnapshot } from '../../../src/storage';
import { SNAPSHOT_HEADER_BYTES } from '../../../src/storage/snapshot-codec';
import { seededRandom, useTempDir } from './storage-test-helpers';

const tempDir = useTempDir();

function stateAt(zxid: number, sizeBytes = 1000): Buffer {
  const random = seededRandom(zxid);
  return Buffer.from(Array.from({ length: sizeBytes }, () => Math.floor(random() * 256)));
}

async function flipByte(path: string, offset: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[offset] ^= 0x04;
  await writeFile(path, bytes);
}

describe('SnapshotStore', () => {
  it('saves atomically under snapshot.<zxid hex> and loads the newest', async () => {
    const store = new SnapshotStore(join(tempDir(), 'snapshots'));
    expect(await store.loadLatest()).toBeNull();
    expect(await store.list()).toEqual([]);
    const first = await store.save(0x1_0000_0005, stateAt(1));
    await store.save(0x2_0000_0001, stateAt(2));
    expect(first).toBe(join(tempDir(), 'snapshots', 'snapshot.0000000100000005'));
    expect(await readdir(join(tempDir(), 'snapshots'))).toEqual(['snapshot.0000000100000005', 'snapshot.0000000200000001']);
    expect((await store.list()).map((s) => s.zxid)).toEqual([0x1_0000_0005, 0x2_0000_0001]);
    const latest = await store.loadLatest();
    expect(latest).toMatchObject({ zxid: 0x2_0000_0001, skipped: [] });
    expect(latest?.data.equals(stateAt(2))).toBe(true);
  });

  it('saves data given in parts as the one snapshot they make, checksummed whole', async () => {
    const store = new SnapshotStore(join(tempDir(), 'parts'));
    const whole = Buffer.concat([Buffer.from('header:'), stateAt(7), Buffer.alloc(0), stateAt(8)]);
    const path = await store.save(9, [whole.subarray(0, 7), whole.subarray(7, 20), Buffer.alloc(0), whole.subarray(20)]);
    expect((await store.loadLatest())?.data.equals(whole)).toBe(true);
    // Bytes are checked across the parts' boundaries: a flip in the second part is caught.
    await flipByte(path, SNAPSHOT_HEADER_BYTES + 10);
    expect(await store.loadLatest()).toBeNull();
  });

  it('falls back to the previous snapshot when the newest is corrupt, and reports it', async () => {
    const reported: CorruptSnapshot[] = [];
    const store = new SnapshotStore(tempDir(), { fsync: false, onCorrupt: (c) => reported.push(c) });
    await store.save(10, stateAt(10));
    await store.save(20, stateAt(20));
    const newest = await store.save(30, stateAt(30));
    await flipByte(newest, SNAPSHOT_HEADER_BYTES + 500);

    const latest = await store.loadLatest();
    expect(latest?.zxid).toBe(20);
    expect(latest?.data.equals(stateAt(20))).toBe(true);
    expect(latest?.skipped).toEqual([{ zxid: 30, path: newest, reason: 'data-crc-mismatch' }]);
    expect(reported).toEqual(latest?.skipped);
  });

  it('detects a torn snapshot, a damaged header and a file renamed to another zxid', async () => {
    const store = new SnapshotStore(tempDir(), { fsync: false });
    const torn = await store.save(1, stateAt(1));
    await truncate(torn, SNAPSHOT_HEADER_BYTES + 10);
    const header = await store.save(2, stateAt(2));
    await flipByte(header, 9);
    await writeFile(join(tempDir(), 'snapshot.0000000000000003'), await readFile(await store.save(4, stateAt(4))));
    await flipByte(join(tempDir(), 'snapshot.0000000000000004'), 0);

    const reported: CorruptSnapshot[] = [];
    const checking = new SnapshotStore(tempDir(), { onCorrupt: (c) => reported.push(c) });
    expect(await checking.loadLatest()).toBeNull();
    expect(reported.map((c) => [c.zxid, c.reason])).toEqual([
      [4, 'bad-magic'],
      [3, 'zxid-mismatch'],
      [2, 'header-crc-mismatch'],
      [1, 'length-mismatch'],
    ]);
  });

  it('ignores a temporary file left by a crashed save and removes it on purge', async () => {
    const store = new SnapshotStore(tempDir(), { fsync: false });
    await store.save(5, stateAt(5));
    const leftover = join(tempDir(), 'snapshot.0000000000000009.4242-0.tmp');
    await writeFile(leftover, stateAt(9).subarray(0, 100));
    expect((await store.list()).map((s) => s.zxid)).toEqual([5]);
    expect((await store.loadLatest())?.zxid).toBe(5);
    await store.purge(3);
    expect(await readdir(tempDir())).toEqual(['snapshot.0000000000000005']);
  });

  it('keeps the newest N snapshots on purge', async () => {
    const store = new SnapshotStore(tempDir(), { fsync: false });
    for (const zxid of [3, 1, 4, 15, 9]) await store.save(zxid, stateAt(zxid, 10));
    const kept = await store.purge(2);
    expect(kept.map((s) => s.zxid)).toEqual([9, 15]);
    expect((await store.list()).map((s) => s.zxid)).toEqual([9, 15]);
    expect((await store.purge(5)).map((s) => s.zxid)).toEqual([9, 15]);
    await expect(store.purge(0)).rejects.toThrow(/at least one/);
  });

  it('replaces a snapshot saved twice at the same zxid', async () => {
    const store = new SnapshotStore(tempDir(), { fsync: false });
    await store.save(7, stateAt(1));
    await store.save(7, stateAt(2));
    expect((await store.loadLatest())?.data.equals(stateAt(2))).toBe(true);
    expect(await readdir(tempDir())).toEqual(['snapshot.0000000000000007']);
  });
});
