/**
 * The write-ahead log: records (opaque payloads keyed by a strictly increasing number — a zxid
 * now, a Raft index later) appended to segment files, each record verified by a CRC32.
 *
 * Durability (DESIGN.md §1): an append resolves only after its bytes are written and
 * fdatasynced. Group commit: appends that arrive while a write + fdatasync is in flight (or in
 * the same tick as the first) wait together and go to disk as one buffer, one write and one
 * fdatasync. Records reach the disk in the order of the calls.
 *
 * Every disk step runs from one FIFO of operations (appends and control operations such as
 * truncation), so a `truncateAfter` called after an `append` sees that append on disk, and an
 * append called after a `truncateAfter` lands after the cut.
 *
 * Preallocation (with fsync on): the next segment is prepared in the background as a file of
 * zeros, fdatasynced, and the log moves into it when the active segment is full (or at once,
 * while the active segment is a plain growing file). Overwriting zeros that are already on disk
 * changes no file size or block map, so each fdatasync flushes data only: about half the latency
 * of an appending one here, and a far shorter tail (ZooKeeper and etcd preallocate for the same
 * reason). Spares start small and grow to the segment size, so a short-lived log stays small.
 *
 * Any I/O error is fatal: the log stops accepting writes (code WAL_FAILED). After a failed
 * fsync the page cache may no longer match the disk, so retrying is not safe; the server
 * restarts and recovery reads what really is on disk.
 */
import assert from 'node:assert';
import { fdatasyncSync } from 'node:fs';
import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fsyncDir, writeFully, writeFullySync } from './durable-fs';
import { isValidKey, logSegmentName, TEMP_SUFFIX } from './file-names';
import { recoverLog, type LogTruncation, type SegmentInfo } from './log-recovery';
import { encodeRecord, encodedRecordBytes, scanRecords, type LogRecord } from './record-codec';
import { StorageError } from './storage-error';
import { STORAGE_LIMITS } from './storage-limits';

export interface WalSyncStats {
  durationMs: number;
  records: number;
  bytes: number;
  /** Where the fdatasync ran: on the event loop's thread, in the thread pool, or none (fsync off). */
  fsyncThread: 'loop' | 'pool' | null;
}

export interface WalOptions {
  /** A new segment starts once the next write would pass this size. Default 64 MiB. */
  segmentMaxBytes?: number;
  /** fdatasync before an append resolves. Default true; off only for tests and benchmarks. */
  fsync?: boolean;
  /** Called after every group commit (one write + fdatasync). */
  onSync?: (stats: WalSyncStats) => void;
  /** Largest payload of one record. Default 16 MiB. */
  recordPayloadMaxBytes?: number;
  /** Most bytes in one group commit. Default 4 MiB. */
  batchMaxBytes?: number;
  /** Most bytes waiting for the disk before appends are refused (WAL_QUEUE_FULL). Default 256 MiB. */
  queuedMaxBytes?: number;
  /**
   * A group commit on an idle log (nothing queued behind it, and the disk idle for longer than
   * an fdatasync takes) is fdatasynced on the event loop's own thread while the recent
   * fdatasyncs averaged under this many milliseconds. Default 1; 0 never does.
   */
  loopFsyncMaxMs?: number;
  /** Monotonic milliseconds, for timing group commits. Default performance.now; tests pass their own. */
  clock?: () => number;
}

/** Counters since the log was opened, for metrics. */
export interface WalStats {
  /** fdatasync calls on segment data (directory fsyncs not counted). */
  fsyncsTotal: number;
  /** Of those, the ones made on the event loop's thread (group commits on an idle log, fast disk). */
  loopFsyncsTotal: number;
  /** Group commits: writes of one or more records. */
  batchesTotal: number;
  recordsTotal: number;
  bytesTotal: number;
  segmentCount: number;
}

export interface WalOpenResult {
  wal: WriteAheadLog;
  /** Every record that verified, in key order. */
  records: LogRecord[];
  /** What recovery cut off the log, or null when the log was intact. */
  truncated: LogTruncation | null;
}

/** Group commits up to this size are written on the event loop's thread (see writeFullySync). */
const SYNC_WRITE_MAX_BYTES = 256 * 1024;
/** Weight of the newest fdatasync in the running average that decides where the next one runs. */
const FSYNC_AVERAGE_WEIGHT = 0.2;
/** The shortest fdatasync time the idle test assumes (see fsyncOnLoop). */
const IDLE_GAP_MIN_MS = 0.1;
/** The zero-filled next segment; not a segment name, so recovery never reads it. */
const SPARE_FILE_NAME = `spare-segment${TEMP_SUFFIX}`;
/** First spare size; each next spare is SPARE_GROWTH times larger, up to the segment size. */
const SPARE_BYTES_MIN = 1024 * 1024;
const SPARE_GROWTH = 4;
const SPARE_WRITE_CHUNK_BYTES = 1024 * 1024;

interface PendingRecord {
  key: number;
  bytes: Buffer;
}

/**
 * Whether a group commit's fdatasync runs on the event loop's thread. Handing the fdatasync of a
 * write to an idle log to the thread pool costs two thread wake-ups, which on a busy host is a
 * good part of a fast disk's latency (standalone, the watch fan-out's one write per round: p50
 * 0.49–0.52 -> 0.45–0.47 ms). Under load and on a slow disk it stays off the loop: the loop goes
 * on with reads, pings and the next group meanwhile (3 servers, 64 outstanding: 15% more
 * writes/s than with every fdatasync on the loop). Load is a group queued behind this one, or
 * groups that start within two fdatasyncs of each other. How soon a group starts after the last
 * one became durable says nothing: a follower that is behind the other one gets the leader's next
 * append just after its own fdatasync, and off the loop it stayed behind (3 servers,
 * 1 outstanding write: 1 in 8 of its fdatasyncs went to the pool, each ~0.2 ms slower).
 */
export function fsyncOnLoop(group: {
  /** False while the previous group's callers are still to be resolved (they must not wait). */
  mayBlock: boolean;
  bytes: number;
  queuedBehind: boolean;
  sinceLastStartMs: number;
  fsyncAverageMs: number;
  loopFsyncMaxMs: number;
}): boolean {
  const idle = !group.queuedBehind && group.sinceLastStartMs > 2 * Math.max(group.fsyncAverageMs, IDLE_GAP_MIN_MS);
  return group.mayBlock && group.bytes <= SYNC_WRITE_MAX_BYTES && idle && group.fsyncAverageMs < group.loopFsyncMaxMs;
}

/** Per-append options of the write-ahead log. */
export interface AppendOptions {
  /**
   * The caller queued network writes in this turn of the event loop that must leave before
   * the thread blocks (answers to clients, written once the turn's synchronous work is done;
   * node:http2 would send them only in an immediate), so an fdatasync made on the loop's thread
   * first yields one turn. False: nothing needs to leave first, and that turn would only delay
   * the fsync. Default true.
   */
  sendsPending?: boolean;
}

interface AppendOp {
  kind: 'append';
  records: PendingRecord[];
  sendsPending: boolean;
  /** Index of the first record not yet in a group commit. */
  nextIndex: number;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface ControlOp {
  kind: 'control';
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

type Op = AppendOp | ControlOp;

interface InflightGroup {
  group: GroupCommit;
  /** The ops whose last record is in this group, taken off the queue. */
  ops: Op[];
  segment: SegmentInfo;
  synced: Promise<void>;
  startedMs: number;
  onLoop: boolean;
}

interface GroupCommit {
  buffers: Buffer[];
  bytes: number;
  records: number;
  lastKey: number;
  /** Ops at the head of the queue whose every record is in this commit. */
  completedOps: number;
}

type WalState = 'open' | 'closing' | 'closed' | 'failed';

interface WalSettings {
  segmentMaxBytes: number;
  fsync: boolean;
  onSync: ((stats: WalSyncStats) => void) | null;
  recordPayloadMaxBytes: number;
  batchMaxBytes: number;
  queuedMaxBytes: number;
  loopFsyncMaxMs: number;
  clock: () => number;
}

export class WriteAheadLog {
  private readonly ops: Op[] = [];
  private draining = false;
  private drainScheduled = false;
  private state: WalState = 'open';
  private failure: StorageError | null = null;
  private closePromise: Promise<void> | null = null;
  private active: FileHandle | null = null;
  private acceptedLastKey: number | null;
  private durableLastKey: number | null;
  private queuedBytes = 0;
  private readonly counters = { fsyncsTotal: 0, loopFsyncsTotal: 0, batchesTotal: 0, recordsTotal: 0, bytesTotal: 0 };
  /** Running average of fdatasync latency; unknown (infinite) until the first one. */
  private fsyncAverageMs = Number.POSITIVE_INFINITY;
  /** When the last group commit started. */
  private lastStartedMs = Number.NEGATIVE_INFINITY;
  /** The next segment, zero-filled and durable, once ready. */
  private spare: { handle: FileHandle; bytes: number } | null = null;
  private sparePreparing: Promise<void> | null = null;
  private nextSpareBytes: number;

  private constructor(
    readonly dir: string,
    private readonly segments: SegmentInfo[],
    private readonly settings: WalSettings,
  ) {
    this.durableLastKey = segments.length > 0 ? segments[segments.length - 1].lastKey : null;
    this.acceptedLastKey = this.durableLastKey;
    this.nextSpareBytes = Math.min(SPARE_BYTES_MIN, settings.segmentMaxBytes);
  }

  /**
   * Opens (creating if needed) the log in `dir`, verifies every record and truncates the log
   * at the first record that does not verify.
   */
  static async open(dir: string, opts: WalOptions = {}): Promise<WalOpenResult> {
    const settings = resolveSettings(opts);
    const recovered = await recoverLog(dir, settings.fsync);
    await rm(join(dir, SPARE_FILE_NAME), { force: true });
    const wal = new WriteAheadLog(dir, recovered.segments, settings);
    await wal.openActiveSegment();
    wal.prepareSpare();
    return { wal, records: recovered.records, truncated: recovered.truncated };
  }

  /** The key every later append must exceed: the last key appended (durable or still queued). */
  get lastKey(): number | null {
    return this.acceptedLastKey;
  }

  /** The last key known to be on disk. */
  get lastDurableKey(): number | null {
    return this.durableLastKey;
  }

  get stats(): WalStats {
    return { ...this.counters, segmentCount: this.segments.length };
  }

  /** Resolves once the next segment's background preallocation (if one is running) has finished. */
  async spareReady(): Promise<boolean> {
    await this.sparePreparing;
    return this.spare !== null;
  }

  /** Names of the segment files, oldest first. */
  get segmentNames(): string[] {
    return this.segments.map((s) => s.name);
  }

  /** Resolves once the record is durable. Throws when `key` does not exceed `lastKey`. */
  async append(key: number, payload: Buffer): Promise<void> {
    return this.appendBatch([{ key, payload }]);
  }

  /** Appends `entries` in order; resolves once all of them are durable. */
  async appendBatch(entries: ReadonlyArray<{ key: number; payload: Buffer }>, opts: AppendOptions = {}): Promise<void> {
    this.assertWritable();
    if (entries.length === 0) return;
    const records = this.encodeInOrder(entries);
    const bytes = records.reduce((sum, r) => sum + r.bytes.length, 0);
    if (this.queuedBytes + bytes > this.settings.queuedMaxBytes) {
      throw new StorageError('WAL_QUEUE_FULL', `write-ahead log queue full: ${this.queuedBytes} bytes waiting, limit ${this.settings.queuedMaxBytes}`);
    }
    this.queuedBytes += bytes;
    this.acceptedLastKey = records[records.length - 1].key;
    await new Promise((resolve, reject) => {
      this.ops.push({ kind: 'append', records, sendsPending: opts.sendsPending ?? true, nextIndex: 0, resolve, reject });
      this.scheduleDrain();
    });
  }

  /**
   * Durably drops every record with a key greater than `key` (log repair: Raft §5.3 deletes a
   * conflicting suffix; ZooKeeper: TRUNC on a follower ahead of the new leader). Until it has
   * run, appends must still exceed min(lastKey, key); afterwards `lastKey` is the greatest
   * remaining key.
   */
  async truncateAfter(key: number): Promise<void> {
    assert(isValidKey(key), `truncateAfter: key must be a non-negative safe integer, got ${key}`);
    this.assertWritable();
    if (this.acceptedLastKey !== null && key < this.acceptedLastKey) this.acceptedLastKey = key;
    await this.enqueueControl(() => this.truncateNow(key));
  }

  /**
   * Removes whole segments all of whose records have keys below `key` (compaction after a
   * snapshot at `key - 1`), oldest first. Never removes the active segment nor any of the
   * newest `keepSegmentsMin` segments. Resolves to the names removed.
   */
  async purgeBefore(key: number, keepSegmentsMin = 2): Promise<string[]> {
    assert(isValidKey(key), `purgeBefore: key must be a non-negative safe integer, got ${key}`);
    assert(Number.isInteger(keepSegmentsMin) && keepSegmentsMin >= 1, `purgeBefore: keepSegmentsMin must be >= 1, got ${keepSegmentsMin}`);
    this.assertWritable();
    return (await this.enqueueControl(() => this.purgeNow(key, keepSegmentsMin))) as string[];
  }

  /** Waits for every queued append, then closes the active segment. */
  async close(): Promise<void> {
    if (this.closePromise !== null) return this.closePromise;
    if (this.state === 'failed') {
      this.closePromise = this.dropSpare().then(() => this.closeActive());
    } else {
      this.state = 'closing';
      this.closePromise = this.enqueueControl(async () => {
        await this.dropSpare();
        // A clean close leaves no zeros behind: the next open finds an ordinary log.
        await this.trimActive();
        await this.closeActive();
        this.state = 'closed';
      }).then(
        () => undefined,
        // The log failed before the close ran; the appends that were waiting already carry
        // that error, so closing only has to release the files.
        () => this.dropSpare().then(() => this.closeActive()),
      );
    }
    return this.closePromise;
  }

  private assertWritable(): void {
    if (this.state === 'failed') {
      throw new StorageError('WAL_FAILED', `write-ahead log in ${this.dir} failed earlier: ${this.failure?.message}`, { cause: this.failure });
    }
    if (this.state !== 'open') throw new StorageError('WAL_CLOSED', `write-ahead log in ${this.dir} is closed`);
  }

  private encodeInOrder(entries: ReadonlyArray<{ key: number; payload: Buffer }>): PendingRecord[] {
    let previous = this.acceptedLastKey;
    return entries.map(({ key, payload }) => {
      assert(isValidKey(key), `log key must be a non-negative safe integer, got ${key}`);
      assert(previous === null || key > previous, `log keys must increase: ${key} after ${previous}`);
      if (payload.length > this.settings.recordPayloadMaxBytes) {
        throw new StorageError('WAL_RECORD_TOO_LARGE', `log record of ${payload.length} bytes exceeds the limit of ${this.settings.recordPayloadMaxBytes}`);
      }
      previous = key;
      return { key, bytes: encodeRecord(key, payload) };
    });
  }

  private enqueueControl(run: () => Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.ops.push({ kind: 'control', run, resolve, reject });
      this.scheduleDrain();
    });
  }

  /** Starts the drain on a microtask so that every append made in this tick joins the first group. */
  private scheduleDrain(): void {
    if (this.draining || this.drainScheduled) return;
    this.drainScheduled = true;
    queueMicrotask(() => void this.drain());
  }

  private async drain(): Promise<void> {
    this.drainScheduled = false;
    this.draining = true;
    let inflight: InflightGroup | null = null;
    try {
      while (inflight !== null || this.ops.length > 0) {
        if (inflight === null) {
          const head = this.ops[0];
          if (head.kind === 'control') {
            const value = await head.run();
            this.ops.shift();
            head.resolve(value);
            continue;
          }
          const first = head.records[head.nextIndex];
          await this.ensureRoomFor(first.key, first.bytes.length);
          inflight = this.startGroup(true);
        }
        await inflight.synced;
        const done: InflightGroup = inflight;
        // The next group's write and fdatasync start before the callers of this one run (their
        // promises only settle on the next microtask): the disk works while they apply and answer.
        inflight = this.nextGroupFits() ? this.startGroup(false) : null;
        this.completeGroup(done);
      }
    } catch (err) {
      this.fail(err, inflight?.ops ?? []);
    } finally {
      this.draining = false;
    }
  }

  /** Whether the head of the queue is an append that fits the active segment (no roll needed). */
  private nextGroupFits(): boolean {
    const head = this.ops[0];
    if (head === undefined || head.kind !== 'append') return false;
    const first = head.records[head.nextIndex];
    return !this.needsNewSegment(first.bytes.length);
  }

  /** Whether the next record (of `recordBytes`) must go to a new segment. */
  private needsNewSegment(recordBytes: number): boolean {
    const last = this.segments[this.segments.length - 1];
    if (last === undefined) return true;
    // A growing (not preallocated) segment gives way to a ready spare at once.
    if (last.preallocatedBytes === undefined && this.spare !== null && last.sizeBytes > 0) return true;
    return last.sizeBytes > 0 && last.sizeBytes + recordBytes > this.capacityOf(last);
  }

  private capacityOf(segment: SegmentInfo): number {
    return segment.preallocatedBytes ?? this.settings.segmentMaxBytes;
  }

  /**
   * One group commit: takes every queued record up to the batch and segment limits off the
   * queue, writes them and starts their fdatasync. The ops whose records are all in the group
   * leave the queue now; completeGroup resolves them once the fdatasync is done. `mayBlock` is
   * false while the previous group's callers are still to be resolved: they must not wait for
   * this group's fdatasync.
   */
  private startGroup(mayBlock: boolean): InflightGroup {
    const segment = this.segments[this.segments.length - 1];
    const group = this.takeGroup(segment.sizeBytes);
    const ops = this.ops.splice(0, group.completedOps);
    const position = segment.sizeBytes;
    segment.sizeBytes += group.bytes;
    const startedMs = this.settings.clock();
    const data = Buffer.concat(group.buffers, group.bytes);
    const active = this.active as FileHandle;
    const small = data.length <= SYNC_WRITE_MAX_BYTES;
    const onLoop = fsyncOnLoop({
      mayBlock,
      bytes: data.length,
      queuedBehind: this.ops.length > 0,
      sinceLastStartMs: startedMs - this.lastStartedMs,
      fsyncAverageMs: this.fsyncAverageMs,
      loopFsyncMaxMs: this.settings.loopFsyncMaxMs,
    });
    this.lastStartedMs = startedMs;
    // On the loop, it first lets the immediates already scheduled run when an append says writes
    // are pending, so that a leader's appends leave before the thread blocks.
    const yieldFirst = onLoop && ops.some((op) => op.kind === 'append' && op.sendsPending);
    const synced = (async () => {
      if (small) writeFullySync(active.fd, data, position);
      else await writeFully(active, data, position);
      if (this.settings.fsync) {
        if (yieldFirst) await new Promise<void>((resolve) => setImmediate(resolve));
        const fsyncStartedMs = this.settings.clock();
        if (onLoop) fdatasyncSync(active.fd);
        else await active.datasync();
        this.noteFsync(this.settings.clock() - fsyncStartedMs, onLoop);
      }
    })();
    // Failures surface where the group is awaited; this keeps an unawaited one from being unhandled.
    synced.catch(() => undefined);
    return { group, ops, segment, synced, startedMs, onLoop };
  }

  private noteFsync(durationMs: number, onLoop: boolean): void {
    this.counters.fsyncsTotal++;
    if (onLoop) this.counters.loopFsyncsTotal++;
    const last = this.fsyncAverageMs;
    this.fsyncAverageMs = Number.isFinite(last) ? last + FSYNC_AVERAGE_WEIGHT * (durationMs - last) : durationMs;
  }

  private completeGroup({ group, ops, segment, startedMs, onLoop }: InflightGroup): void {
    const durationMs = this.settings.clock() - startedMs;
    segment.lastKey = group.lastKey;
    this.durableLastKey = group.lastKey;
    this.queuedBytes -= group.bytes;
    this.counters.batchesTotal++;
    this.counters.recordsTotal += group.records;
    this.counters.bytesTotal += group.bytes;
    for (const op of ops) op.resolve(undefined);
    this.settings.onSync?.({ durationMs, records: group.records, bytes: group.bytes, fsyncThread: this.settings.fsync ? (onLoop ? 'loop' : 'pool') : null });
  }

  /** Takes records from the head of the queue; the first is taken whatever its size. */
  private takeGroup(segmentBytes: number): GroupCommit {
    const group: GroupCommit = { buffers: [], bytes: 0, records: 0, lastKey: -1, completedOps: 0 };
    const roomBytes = Math.min(this.settings.batchMaxBytes, this.capacityOf(this.segments[this.segments.length - 1]) - segmentBytes);
    for (const op of this.ops) {
      if (op.kind !== 'append') break;
      while (op.nextIndex < op.records.length) {
        const record = op.records[op.nextIndex];
        if (group.records > 0 && group.bytes + record.bytes.length > roomBytes) return group;
        group.buffers.push(record.bytes);
        group.bytes += record.bytes.length;
        group.records++;
        group.lastKey = record.key;
        op.nextIndex++;
      }
      group.completedOps++;
    }
    return group;
  }

  /** Starts a new segment when there is none or the next record would overflow the active one. */
  private async ensureRoomFor(key: number, recordBytes: number): Promise<void> {
    if (!this.needsNewSegment(recordBytes)) return;
    const name = logSegmentName(key);
    // A finished segment keeps no zeros: only the newest segment may end in preallocated room.
    await this.trimActive();
    const spare = this.spare;
    let handle: FileHandle;
    if (spare !== null) {
      this.spare = null;
      await rename(join(this.dir, SPARE_FILE_NAME), join(this.dir, name));
      handle = spare.handle;
    } else {
      handle = await open(join(this.dir, name), 'wx');
    }
    if (this.settings.fsync) await fsyncDir(this.dir);
    await this.closeActive();
    this.active = handle;
    this.segments.push({ name, firstKey: key, lastKey: null, sizeBytes: 0, preallocatedBytes: spare?.bytes });
    this.prepareSpare();
  }

  /** Cuts the zeros after the active segment's last record, if it was preallocated. */
  private async trimActive(): Promise<void> {
    const last = this.segments[this.segments.length - 1];
    if (last === undefined || last.preallocatedBytes === undefined || this.active === null) return;
    await this.active.truncate(last.sizeBytes);
    if (this.settings.fsync) await this.active.sync();
    last.preallocatedBytes = undefined;
  }

  /** Starts zero-filling the next segment in the background (fsync on only: it buys nothing without). */
  private prepareSpare(): void {
    if (!this.settings.fsync || this.spare !== null || this.sparePreparing !== null || this.state !== 'open') return;
    const bytes = this.nextSpareBytes;
    this.nextSpareBytes = Math.min(bytes * SPARE_GROWTH, this.settings.segmentMaxBytes);
    this.sparePreparing = (async () => {
      const handle = await open(join(this.dir, SPARE_FILE_NAME), 'w');
      try {
        const zeros = Buffer.alloc(Math.min(SPARE_WRITE_CHUNK_BYTES, bytes));
        // Flushed chunk by chunk: a whole segment of dirty zeros flushed at once held the disk
        // (and, on ext4, any journal commit of the log) for the time of writing all of it.
        for (let at = 0; at < bytes; at += zeros.length) {
          await writeFully(handle, zeros.subarray(0, Math.min(zeros.length, bytes - at)), at);
          await handle.datasync();
        }
      } catch (err) {
        await handle.close();
        throw err;
      }
      if (this.state !== 'open') {
        await handle.close();
        return;
      }
      this.spare = { handle, bytes };
    })().then(
      () => {
        this.sparePreparing = null;
      },
      // A spare is an optimisation: without one the log appends to plain files, as it always can.
      () => {
        this.sparePreparing = null;
      },
    );
  }

  private async dropSpare(): Promise<void> {
    await this.sparePreparing;
    const spare = this.spare;
    this.spare = null;
    if (spare !== null) await spare.handle.close();
    await rm(join(this.dir, SPARE_FILE_NAME), { force: true });
  }

  private async truncateNow(key: number): Promise<void> {
    if (this.durableLastKey === null || key >= this.durableLastKey) return this.settleAcceptedKey();
    const keep = this.segments.filter((s) => s.firstKey <= key).length;
    const doomed = this.segments.splice(keep);
    if (doomed.length > 0) {
      await this.closeActive();
      // Newest first: a crash part-way still leaves a prefix of the log.
      for (const segment of doomed.reverse()) await rm(join(this.dir, segment.name));
      if (this.settings.fsync) await fsyncDir(this.dir);
      await this.openActiveSegment();
    }
    const last = this.segments[this.segments.length - 1];
    if (last !== undefined && last.lastKey !== null && last.lastKey > key) await this.cutActiveSegment(last, key);
    this.durableLastKey = last === undefined ? null : last.lastKey;
    this.settleAcceptedKey();
  }

  /** With no append queued behind, the next append only has to exceed what is on disk. */
  private settleAcceptedKey(): void {
    if (!this.ops.some((op) => op.kind === 'append')) this.acceptedLastKey = this.durableLastKey;
  }

  private async cutActiveSegment(segment: SegmentInfo, key: number): Promise<void> {
    const scan = scanRecords(await readFile(join(this.dir, segment.name)), null);
    const endsWell = scan.fault === null || (segment.preallocatedBytes !== undefined && scan.fault.reason === 'zero-filled');
    assert(endsWell && scan.validBytes === segment.sizeBytes, `segment ${segment.name} changed under the log`);
    let cutBytes = 0;
    let lastKey: number | null = null;
    for (const record of scan.records) {
      if (record.key > key) break;
      cutBytes += encodedRecordBytes(record.payload.length);
      lastKey = record.key;
    }
    assert(lastKey !== null, `segment ${segment.name} starts at ${segment.firstKey} <= ${key} but holds no such record`);
    const handle = this.active as FileHandle;
    await handle.truncate(cutBytes);
    if (this.settings.fsync) await handle.sync();
    segment.sizeBytes = cutBytes;
    segment.lastKey = lastKey;
    segment.preallocatedBytes = undefined;
  }

  private async purgeNow(key: number, keepSegmentsMin: number): Promise<string[]> {
    const purgeableMax = Math.max(0, this.segments.length - Math.max(1, keepSegmentsMin));
    let count = 0;
    while (count < purgeableMax) {
      const lastKey = this.segments[count].lastKey;
      if (lastKey === null || lastKey >= key) break;
      count++;
    }
    const removed = this.segments.slice(0, count).map((s) => s.name);
    // Oldest first: a crash part-way still leaves a contiguous log.
    for (const name of removed) await rm(join(this.dir, name));
    if (removed.length > 0 && this.settings.fsync) await fsyncDir(this.dir);
    this.segments.splice(0, count);
    return removed;
  }

  private async openActiveSegment(): Promise<void> {
    const last = this.segments[this.segments.length - 1];
    if (last !== undefined) this.active = await open(join(this.dir, last.name), 'r+');
  }

  private async closeActive(): Promise<void> {
    const handle = this.active;
    this.active = null;
    if (handle !== null) await handle.close();
  }

  /** Fails the log, and every append not yet durable: those still queued and `taken` (in flight). */
  private fail(err: unknown, taken: Op[]): void {
    const message = typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
    this.failure = new StorageError('WAL_FAILED', `write-ahead log in ${this.dir} failed: ${message}`, { cause: err });
    this.state = 'failed';
    for (const op of [...taken, ...this.ops.splice(0)]) op.reject(this.failure);
  }
}

function resolveSettings(opts: WalOptions): WalSettings {
  const settings: WalSettings = {
    segmentMaxBytes: opts.segmentMaxBytes ?? STORAGE_LIMITS.segmentMaxBytesDefault,
    fsync: opts.fsync ?? true,
    onSync: opts.onSync ?? null,
    recordPayloadMaxBytes: opts.recordPayloadMaxBytes ?? STORAGE_LIMITS.recordPayloadMaxBytesDefault,
    batchMaxBytes: opts.batchMaxBytes ?? STORAGE_LIMITS.batchMaxBytesDefault,
    queuedMaxBytes: opts.queuedMaxBytes ?? STORAGE_LIMITS.queuedMaxBytesDefault,
    loopFsyncMaxMs: opts.loopFsyncMaxMs ?? 1,
    clock: opts.clock ?? (() => performance.now()),
  };
  assert(Number.isFinite(settings.loopFsyncMaxMs) && settings.loopFsyncMaxMs >= 0, `WAL option loopFsyncMaxMs must be a number >= 0, got ${settings.loopFsyncMaxMs}`);
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value === 'number' && name !== 'loopFsyncMaxMs') assert(Number.isSafeInteger(value) && value > 0, `WAL option ${name} must be a positive integer, got ${value}`);
  }
  return settings;
}
