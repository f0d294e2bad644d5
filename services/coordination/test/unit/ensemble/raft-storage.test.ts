import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Entry } from '@ensemble/consensus';
import {
  RaftStorage, decodeEntry, decodeHardState, decodeSnapshot, encodeEntry, encodeHardState, encodeSnapshot,
} from '../../../src/ensemble/raft-storage';
import { DataDir } from '../../../src/storage';

const entry = (index: number, term: number, text = `e${index}`): Entry => ({ index, term, type: 'normal', data: Buffer.from(text) });

test('entry, snapshot and hard-state formats round-trip', () => {
  const e: Entry = { index: 12, term: 3, type: 'noop', data: Buffer.alloc(0) };
  expect(decodeEntry(12, encodeEntry(e))).toEqual(e);
  const s = { index: 99, term: 4, voters: [1, 2, 3], data: Buffer.from('tree') };
  expect(decodeSnapshot(Buffer.concat(encodeSnapshot(s)))).toEqual(s);
  expect(decodeHardState(encodeHardState({ term: 5, vote: 2, commit: 40 }))).toEqual({ term: 5, vote: 2, commit: 40 });
  expect(() => decodeHardState(Buffer.from('{"term":-1,"vote":0,"commit":0}'))).toThrow();
});

describe('on disk', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'raft-storage-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  async function reopen(): Promise<Awaited<ReturnType<typeof RaftStorage.open>>> {
    const dir = await DataDir.open(root);
    const opened = await RaftStorage.open(dir, { fsync: false });
    await opened.storage.close();
    await dir.release();
    return opened;
  }

  test('a conflicting tail is replaced (Raft §5.3) and the hard state survives a restart', async () => {
    const dir = await DataDir.open(root);
    const { storage } = await RaftStorage.open(dir, { fsync: false });
    await storage.appendEntries([entry(1, 1), entry(2, 1), entry(3, 1), entry(4, 1)]);
    await storage.appendEntries([entry(3, 2, 'new3')]);
    await storage.saveHardState({ term: 2, vote: 1, commit: 3 });
    await storage.close();
    await dir.release();
    const { state } = await reopen();
    expect(state.hardState).toEqual({ term: 2, vote: 1, commit: 3 });
    expect(state.entries.map((e) => [e.index, e.term, Buffer.from(e.data).toString()])).toEqual([[1, 1, 'e1'], [2, 1, 'e2'], [3, 2, 'new3']]);
  });

  test('a leader\'s snapshot replaces the log; entries continue after it', async () => {
    const dir = await DataDir.open(root);
    const { storage } = await RaftStorage.open(dir, { fsync: false });
    await storage.appendEntries([entry(1, 1), entry(2, 1), entry(3, 1)]);
    await storage.installSnapshot({ index: 10, term: 2, voters: [1, 2, 3], data: Buffer.from('state@10') });
    await storage.appendEntries([entry(11, 2)]);
    await storage.close();
    await dir.release();
    const { state } = await reopen();
    expect(state.snapshot?.index).toBe(10);
    expect(Buffer.from(state.snapshot!.data).toString()).toBe('state@10');
    expect(state.entries.map((e) => e.index)).toEqual([11]);
  });

  test('a commit index past the surviving log is capped', async () => {
    const dir = await DataDir.open(root);
    const { storage } = await RaftStorage.open(dir, { fsync: false });
    await storage.appendEntries([entry(1, 1), entry(2, 1)]);
    await storage.saveHardState({ term: 1, vote: 1, commit: 9 });
    await storage.close();
    await dir.release();
    const { state } = await reopen();
    expect(state.hardState.commit).toBe(2);
  });

  test('a standalone server\'s data directory is refused', async () => {
    fs.writeFileSync(path.join(root, 'current-epoch'), '3\n');
    const dir = await DataDir.open(root);
    await expect(RaftStorage.open(dir, { fsync: false })).rejects.toThrow(/standalone/);
    await dir.release();
  });
});
