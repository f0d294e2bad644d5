// A simulated disk: writes are buffered until fsync; a crash keeps what was synced plus, when the
// crash tears a write, a prefix of the buffered records (what a WAL keeps after its CRC check
// truncates a torn tail). The core is restarted from exactly that.
import type { Entry, HardState, PersistedState, Ready, Snapshot } from '../types';

type DiskRecord =
  | { kind: 'snapshot'; snapshot: Snapshot }
  | { kind: 'entry'; entry: Entry }
  | { kind: 'hardState'; hardState: HardState };

export class SimDisk {
  private hardState: HardState = { term: 0, vote: 0, commit: 0 };
  private snapshot: Snapshot | undefined;
  /** Entries after the snapshot, contiguous. */
  private entries: Entry[] = [];
  private buffered: DiskRecord[] = [];

  /** The order a WAL writes one Ready: snapshot, entries, then the hard state. */
  write(rd: Ready): void {
    if (rd.snapshot !== undefined) this.buffered.push({ kind: 'snapshot', snapshot: rd.snapshot });
    for (const entry of rd.entries) this.buffered.push({ kind: 'entry', entry });
    if (rd.hardState !== undefined) this.buffered.push({ kind: 'hardState', hardState: { ...rd.hardState } });
  }

  /** The term of the hard state that survives a crash. */
  get durableTerm(): number {
    return this.hardState.term;
  }

  bufferedRecords(): number {
    return this.buffered.length;
  }

  fsync(): void {
    for (const record of this.buffered) this.apply(record);
    this.buffered = [];
  }

  /** Loses the buffered records except the first `keep` (0 unless the crash tore a write). */
  crash(keep: number): void {
    for (const record of this.buffered.slice(0, keep)) this.apply(record);
    this.buffered = [];
  }

  private apply(record: DiskRecord): void {
    if (record.kind === 'hardState') {
      this.hardState = record.hardState;
    } else if (record.kind === 'snapshot') {
      this.snapshot = record.snapshot;
      this.entries = [];
    } else {
      const first = (this.snapshot?.index ?? 0) + 1;
      const keep = record.entry.index - first;
      if (keep < 0 || keep > this.entries.length) throw new Error(`disk: entry ${record.entry.index} does not follow the log`);
      this.entries.length = keep;
      this.entries.push(record.entry);
    }
  }

  /** The shell's own snapshot, written atomically (temp file + rename) and synced. */
  saveSnapshot(snapshot: Snapshot): void {
    const drop = snapshot.index - (this.snapshot?.index ?? 0);
    if (drop <= 0 || drop > this.entries.length) throw new Error(`disk: snapshot at ${snapshot.index} not in the synced log`);
    this.entries = this.entries.slice(drop);
    this.snapshot = snapshot;
  }

  load(): PersistedState {
    const state: PersistedState = { hardState: { ...this.hardState }, entries: this.entries.slice() };
    if (this.snapshot !== undefined) state.snapshot = this.snapshot;
    return state;
  }
}
