// The replicated log as one node sees it: a snapshot, the entries after it, and three marks —
// stable (persisted by the shell), committed, applied. Invariant:
//   snapshot.index <= applied <= committed <= lastIndex, and applied <= stable.
import { assert } from './assert';
import { EntryStore } from './entry-store';
import type { Entry, Snapshot } from './types';

const EMPTY = new Uint8Array(0);

export class RaftLog {
  private snapshot: Snapshot;
  /** The entries after the snapshot. */
  private entries: EntryStore;
  committed: number;
  applied: number;
  /** First index whose entry (in its current form) the shell has not yet persisted. */
  private unstableFrom: number;
  /** A snapshot received from the leader, not yet persisted and applied by the shell. */
  private pending: Snapshot | undefined;

  constructor(snapshot: Snapshot | undefined, entries: Entry[], commit: number, applied: number | undefined, voters: number[]) {
    this.snapshot = snapshot ?? { index: 0, term: 0, data: EMPTY, voters };
    const first = this.snapshot.index + 1;
    this.entries = new EntryStore(first);
    for (const e of entries) {
      if (e.index < first) continue;
      assert(e.index === this.entries.lastIndex() + 1, `persisted entries not contiguous at ${e.index}`);
      this.entries.push(e);
    }
    this.committed = Math.max(commit, this.snapshot.index);
    this.applied = applied ?? this.snapshot.index;
    this.unstableFrom = this.lastIndex() + 1;
    assert(this.committed <= this.lastIndex(), `commit ${this.committed} beyond persisted log ${this.lastIndex()}`);
    assert(this.applied >= this.snapshot.index && this.applied <= this.committed, `applied ${this.applied} out of range`);
  }

  firstIndex(): number {
    return this.snapshot.index + 1;
  }

  lastIndex(): number {
    return this.entries.lastIndex();
  }

  lastTerm(): number {
    return this.term(this.lastIndex()) as number;
  }

  /** The term of the entry at `index`, or undefined when compacted away or not yet there. */
  term(index: number): number | undefined {
    if (index === this.snapshot.index) return this.snapshot.term;
    return this.entries.term(index);
  }

  /** The entry at `index`, made anew on each call (its data is a view into the log's storage). */
  entry(index: number): Entry | undefined {
    return this.entries.entry(index);
  }

  /** Payload size of the entry at `index`, without making the entry. */
  dataLength(index: number): number | undefined {
    return this.entries.dataLength(index);
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  currentSnapshot(): Snapshot {
    return this.snapshot;
  }

  pendingSnapshot(): Snapshot | undefined {
    return this.pending;
  }

  stableIndex(): number {
    return this.unstableFrom - 1;
  }

  /** Entries from `lo` to the end, at most `maxCount` and `maxBytes` of payload (at least one). */
  slice(lo: number, maxCount: number, maxBytes: number): Entry[] {
    assert(lo > this.snapshot.index, `slice from compacted index ${lo}`);
    const last = this.lastIndex();
    let hi = lo - 1; // the last entry taken
    let bytes = 0;
    while (hi < last && hi - lo + 1 < maxCount) {
      bytes += this.entries.dataLength(hi + 1) as number;
      if (hi >= lo && bytes > maxBytes) break;
      hi++;
    }
    return this.entries.range(lo, hi);
  }

  /** Raft §5.4.1: a candidate's log is at least as up-to-date as ours. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const myTerm = this.lastTerm();
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.lastIndex());
  }

  /**
   * Raft §5.3 consistency check and append. Returns the index of the last new entry, or undefined
   * when our log has no entry at prevIndex with prevTerm.
   */
  maybeAppend(prevIndex: number, prevTerm: number, commit: number, entries: Entry[]): number | undefined {
    if (!this.matchTerm(prevIndex, prevTerm)) return undefined;
    const lastNew = prevIndex + entries.length;
    const conflict = this.findConflict(entries);
    if (conflict !== 0) {
      assert(conflict > this.committed, `entry ${conflict} conflicts with committed ${this.committed}`);
      this.append(entries.slice(conflict - (entries[0] as Entry).index));
    }
    this.commitTo(Math.min(commit, lastNew));
    return lastNew;
  }

  /** The first entry whose term differs from ours or that we do not have; 0 if none. */
  private findConflict(entries: Entry[]): number {
    for (const e of entries) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term`, with that term: where a log that has
   * `term` at some index may agree with ours (fast backtracking, Raft §5.3).
   */
  findConflictByTerm(index: number, term: number): [number, number] {
    let i = Math.min(index, this.lastIndex());
    for (;;) {
      const t = this.term(i);
      if (t === undefined) return [i, 0];
      if (t <= term) return [i, t];
      i--;
    }
  }

  /** Appends, replacing any entry at or after the first new index (Raft §5.3, step 3). */
  append(entries: Entry[]): void {
    if (entries.length === 0) return;
    const first = (entries[0] as Entry).index;
    assert(first > this.committed, `append at ${first} would overwrite committed ${this.committed}`);
    assert(first <= this.lastIndex() + 1, `append at ${first} leaves a gap after ${this.lastIndex()}`);
    this.entries.truncateFrom(first);
    for (const e of entries) this.entries.push(e);
    this.unstableFrom = Math.min(this.unstableFrom, first);
  }

  commitTo(index: number): void {
    if (index <= this.committed) return;
    assert(index <= this.lastIndex(), `commit ${index} beyond last index ${this.lastIndex()}`);
    this.committed = index;
  }

  /** Raft §5.4.2: only an entry of the current term is committed by counting replicas. */
  maybeCommit(index: number, term: number): boolean {
    if (index <= this.committed || this.term(index) !== term) return false;
    this.commitTo(index);
    return true;
  }

  appliedTo(index: number): void {
    if (index <= this.applied) return;
    assert(index <= this.committed, `applied ${index} beyond committed ${this.committed}`);
    this.applied = index;
  }

  /** Entries committed and not yet handed out for applying; none while a snapshot is pending. */
  nextCommitted(maxCount: number): Entry[] {
    if (this.pending !== undefined || this.committed <= this.applied) return [];
    return this.entries.range(this.applied + 1, Math.min(this.committed, this.applied + maxCount));
  }

  unstableEntries(): Entry[] {
    return this.entries.range(this.unstableFrom, this.lastIndex());
  }

  /** The shell persisted everything up to (index, term); ignored if that entry was replaced since. */
  stableTo(index: number, term: number): void {
    if (this.term(index) === term && index >= this.unstableFrom - 1 && this.pending === undefined) {
      this.unstableFrom = index + 1;
    }
  }

  stableSnapshotTo(index: number): void {
    if (this.pending !== undefined && this.pending.index === index) this.pending = undefined;
  }

  /** Installs a leader's snapshot, discarding the whole log (Raft §7). */
  restore(snapshot: Snapshot): void {
    assert(snapshot.index > this.committed, `restore of ${snapshot.index} behind commit ${this.committed}`);
    this.snapshot = snapshot;
    this.entries.reset(snapshot.index + 1);
    this.committed = snapshot.index;
    this.unstableFrom = snapshot.index + 1;
    this.pending = snapshot;
  }

  /** Drops entries up to `index`, which the shell's snapshot `data` now covers. */
  compact(index: number, data: Uint8Array, voters: number[]): void {
    assert(index > this.snapshot.index && index <= this.applied, `compact at ${index} out of range`);
    const term = this.term(index) as number;
    this.entries.dropBefore(index + 1);
    this.snapshot = { index, term, data, voters };
  }
}
