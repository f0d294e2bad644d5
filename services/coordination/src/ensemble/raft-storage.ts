// Durable state of one ensemble member, in the layout of the storage layer (storage/README.md):
// Raft entries in the write-ahead log keyed by their index, snapshots of the data tree in the
// snapshot store keyed by the index they cover (with that entry's term and the voters), and
// the hard state (term, vote, commit) in a small file replaced atomically.
//
// The hard state is written only when the term or the vote changes (Raft Figure 2: currentTerm
// and votedFor must be durable before answering); the commit index in it may lag, and a
// restarted server learns the real one from the leader again.
import { ByteReader } from '../tree/byte-reader';
import { ByteWriter } from '../tree/byte-writer';
import type { Entry, EntryType, HardState, PersistedState, Snapshot } from '@ensemble/consensus';
import { DataDir, SnapshotStore, WriteAheadLog, readFileIfExists, writeFileAtomic, type AppendOptions, type LogTruncation, type WalSyncStats } from '../storage';

const HARD_STATE_FILE = 'raft-state';
/** A standalone server's marker: its log is keyed by zxid, not by Raft index. */
const STANDALONE_EPOCH_FILE = 'current-epoch';
const ENTRY_FORMAT_VERSION = 1;
const SNAPSHOT_FORMAT_VERSION = 1;
const ENTRY_TYPES: readonly EntryType[] = ['normal', 'noop', 'config'];

export interface RaftStorageOptions {
  fsync: boolean;
  /** See WalOptions.loopFsyncMaxMs. */
  loopFsyncMaxMs?: number;
  onSync?: (stats: WalSyncStats) => void;
}

export interface OpenedRaftStorage {
  storage: RaftStorage;
  state: PersistedState;
  /** What recovery had to cut or skip, for the log. */
  notes: { truncated: LogTruncation | null; gapAfter: number | null; snapshotsSkipped: number };
}

export class RaftStorage {
  private writtenTerm: number;
  private writtenVote: number;

  private constructor(
    private readonly dataDir: DataDir,
    readonly wal: WriteAheadLog,
    readonly snapshots: SnapshotStore,
    hardState: HardState,
    private readonly fsync: boolean,
  ) {
    this.writtenTerm = hardState.term;
    this.writtenVote = hardState.vote;
  }

  static async open(dataDir: DataDir, opts: RaftStorageOptions): Promise<OpenedRaftStorage> {
    const hardStateBytes = await readFileIfExists(dataDir.metadataPath(HARD_STATE_FILE));
    if (!hardStateBytes && (await readFileIfExists(dataDir.metadataPath(STANDALONE_EPOCH_FILE)))) {
      throw new Error(`${dataDir.root} holds a standalone server's data; an ensemble member needs its own data directory (remove it, or use another --data-dir)`);
    }
    const hardState = hardStateBytes ? decodeHardState(hardStateBytes) : { term: 0, vote: 0, commit: 0 };
    const opened = await WriteAheadLog.open(dataDir.logDir, { fsync: opts.fsync, loopFsyncMaxMs: opts.loopFsyncMaxMs, onSync: opts.onSync });
    const snapshots = new SnapshotStore(dataDir.snapshotDir, { fsync: opts.fsync });
    const loaded = await snapshots.loadLatest();
    const snapshot = loaded ? decodeSnapshot(loaded.data) : undefined;
    const first = (snapshot?.index ?? 0) + 1;
    const entries: Entry[] = [];
    let gapAfter: number | null = null;
    for (const rec of opened.records) {
      if (rec.key < first) continue; // covered by the snapshot
      if (rec.key !== first + entries.length) {
        gapAfter = first + entries.length - 1; // nothing after a gap can be trusted to follow
        break;
      }
      entries.push(decodeEntry(rec.key, rec.payload));
    }
    const lastIndex = first - 1 + entries.length;
    // A commit index past what survived (a lost tail after a gap) is re-learned from the leader.
    const commit = Math.min(hardState.commit, lastIndex);
    const storage = new RaftStorage(dataDir, opened.wal, snapshots, hardState, opts.fsync);
    const state: PersistedState = { hardState: { ...hardState, commit: Math.max(commit, snapshot?.index ?? 0) }, entries };
    if (snapshot) state.snapshot = snapshot;
    return { storage, state, notes: { truncated: opened.truncated, gapAfter, snapshotsSkipped: loaded?.skipped.length ?? 0 } };
  }

  /** Appends `entries`, first dropping a conflicting tail (Raft §5.3); resolves once durable. */
  appendEntries(entries: readonly Entry[], opts: AppendOptions = {}): Promise<void> {
    const firstIndex = entries[0].index;
    const lastKey = this.wal.lastKey;
    const work: Promise<void>[] = [];
    if (lastKey !== null && firstIndex <= lastKey) work.push(this.wal.truncateAfter(firstIndex - 1));
    work.push(this.wal.appendBatch(entries.map((e) => ({ key: e.index, payload: encodeEntry(e) })), opts));
    return Promise.all(work).then(() => undefined);
  }

  /** Durable before any message of the same Ready is sent, when the term or vote changed. */
  needsHardStateWrite(hs: HardState): boolean {
    return hs.term !== this.writtenTerm || hs.vote !== this.writtenVote;
  }

  async saveHardState(hs: HardState): Promise<void> {
    this.writtenTerm = hs.term;
    this.writtenVote = hs.vote;
    await writeFileAtomic(this.dataDir.metadataPath(HARD_STATE_FILE), encodeHardState(hs), { fsync: this.fsync });
  }

  /**
   * A snapshot from the leader replaces the log (Raft §7). The log after its index is cut first:
   * a crash in between leaves a prefix of the old log, which is still a valid log to restart from.
   */
  async installSnapshot(snapshot: Snapshot): Promise<void> {
    const lastKey = this.wal.lastKey;
    if (lastKey !== null && lastKey > snapshot.index) await this.wal.truncateAfter(snapshot.index);
    await this.snapshots.save(snapshot.index, encodeSnapshot(snapshot));
  }

  /**
   * Saves a snapshot this server took itself, then keeps the newest `retain` snapshots and the
   * log they need (everything after the oldest one kept).
   */
  async saveSnapshot(snapshot: Snapshot, retain: number): Promise<{ purgedSegments: string[] }> {
    await this.snapshots.save(snapshot.index, encodeSnapshot(snapshot));
    return this.purge(retain);
  }

  async purge(retain: number): Promise<{ purgedSegments: string[] }> {
    const kept = await this.snapshots.purge(retain);
    if (kept.length === 0) return { purgedSegments: [] };
    const oldest = Math.min(...kept.map((s) => s.zxid));
    return { purgedSegments: await this.wal.purgeBefore(oldest + 1) };
  }

  async close(): Promise<void> {
    await this.wal.close();
  }
}

// ---- formats ----

export function encodeHardState(hs: HardState): Buffer {
  return Buffer.from(`${JSON.stringify({ term: hs.term, vote: hs.vote, commit: hs.commit })}\n`);
}

export function decodeHardState(bytes: Buffer): HardState {
  const parsed = JSON.parse(bytes.toString('utf8')) as Partial<HardState>;
  const ok = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!ok(parsed.term) || !ok(parsed.vote) || !ok(parsed.commit)) throw new Error(`corrupt ${HARD_STATE_FILE}: ${bytes.toString('utf8')}`);
  return { term: parsed.term, vote: parsed.vote, commit: parsed.commit };
}

/** A WAL record's payload: version, entry type, term, data (the index is the record's key). */
export function encodeEntry(e: Entry): Buffer {
  const w = new ByteWriter(16 + e.data.length);
  w.u8(ENTRY_FORMAT_VERSION);
  w.u8(ENTRY_TYPES.indexOf(e.type));
  w.varUint(e.term);
  w.raw(e.data);
  return w.finish();
}

export function decodeEntry(index: number, payload: Buffer): Entry {
  const r = new ByteReader(payload, `raft entry ${index}`);
  if (r.u8() !== ENTRY_FORMAT_VERSION) r.fail('unsupported entry format version');
  const type = ENTRY_TYPES[r.u8()];
  if (type === undefined) r.fail('unknown entry type');
  const term = r.varUint();
  return { index, term, type, data: r.raw(r.remaining) };
}

/**
 * A snapshot file's data, in two parts: version, index, term and voters, then the data tree's
 * own encoding as it is (copying a state of megabytes into one buffer would hold the event loop
 * for milliseconds).
 */
export function encodeSnapshot(s: Snapshot): [Buffer, Buffer] {
  const w = new ByteWriter(64);
  w.u8(SNAPSHOT_FORMAT_VERSION);
  w.varUint(s.index);
  w.varUint(s.term);
  w.varUint(s.voters.length);
  for (const v of s.voters) w.varUint(v);
  const data = Buffer.isBuffer(s.data) ? s.data : Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength);
  return [w.finish(), data];
}

export function decodeSnapshot(bytes: Buffer): Snapshot {
  const r = new ByteReader(bytes, 'raft snapshot');
  if (r.u8() !== SNAPSHOT_FORMAT_VERSION) r.fail('unsupported snapshot format version');
  const index = r.varUint();
  const term = r.varUint();
  const count = r.varUint();
  if (count > 15) r.fail(`implausible voter count ${count}`);
  const voters: number[] = [];
  for (let i = 0; i < count; i++) voters.push(r.varUint());
  return { index, term, voters, data: r.raw(r.remaining) };
}
