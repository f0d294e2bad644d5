// The entries of the in-memory log, kept without an object per entry: terms, types and payload
// positions in arrays of numbers, payloads copied into large append-only byte chunks.
//
// A log holds up to two snapshot intervals of entries (10^5 and more). As objects (an Entry and
// its buffer each) every one of them outlived the young generation: two scavenges copied it and
// every full collection marked it, which made most of a busy server's GC pauses. As bytes in a
// chunk they cost the collector nothing. Entry objects are made when asked for; their data are
// views into the chunks. A byte of a chunk is written once and never again (a truncated tail's
// space is not reused), so a view handed out stays valid however the log changes later.
import type { Entry, EntryType } from './types';

/** Bytes per chunk; a payload larger than LARGE_BYTES gets a chunk of its own size instead. */
const CHUNK_BYTES = 256 * 1024;
const LARGE_BYTES = CHUNK_BYTES / 8;
const EMPTY = new Uint8Array(0);
const TYPES: readonly EntryType[] = ['normal', 'noop', 'config'];

export class EntryStore {
  /** Index of the entry at position 0 of the arrays below. */
  private first: number;
  private terms: number[] = [];
  private types: number[] = [];
  /** Where each payload starts: chunk sequence number * CHUNK_BYTES + offset in the chunk. */
  private starts: number[] = [];
  private lengths: number[] = [];
  /** chunks[k] has sequence number chunkBase + k; the last one is being written. */
  private chunks: Uint8Array[] = [];
  private chunkBase = 0;
  /** Next free byte of the last chunk; CHUNK_BYTES when the next payload needs a new chunk. */
  private writeOffset = CHUNK_BYTES;

  constructor(firstIndex: number) {
    this.first = firstIndex;
  }

  /** Index of the last entry (firstIndex - 1 when empty). */
  lastIndex(): number {
    return this.first + this.terms.length - 1;
  }

  /** Bytes of payload storage held, chunks not yet given back included. */
  heldBytes(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  term(index: number): number | undefined {
    return this.terms[index - this.first];
  }

  dataLength(index: number): number | undefined {
    return this.lengths[index - this.first];
  }

  entry(index: number): Entry | undefined {
    const k = index - this.first;
    if (k < 0 || k >= this.terms.length) return undefined;
    return { term: this.terms[k] as number, index, type: TYPES[this.types[k] as number] as EntryType, data: this.data(k) };
  }

  /** Entries from `lo` through `hi` (inclusive, clamped to what is held). */
  range(lo: number, hi: number): Entry[] {
    const out: Entry[] = [];
    for (let i = Math.max(lo, this.first), end = Math.min(hi, this.lastIndex()); i <= end; i++) out.push(this.entry(i) as Entry);
    return out;
  }

  /** Appends `entry` (its index must be lastIndex() + 1), copying its data. */
  push(entry: Entry): void {
    const len = entry.data.length;
    let start = 0;
    if (len > 0) {
      if (len > LARGE_BYTES) {
        start = this.newChunk(len);
        this.writeOffset = CHUNK_BYTES; // what follows starts a chunk of its own
      } else {
        if (this.writeOffset + len > CHUNK_BYTES) {
          this.newChunk(CHUNK_BYTES);
          this.writeOffset = 0;
        }
        start = (this.chunkBase + this.chunks.length - 1) * CHUNK_BYTES + this.writeOffset;
        this.writeOffset += len;
      }
      this.chunkOf(start).set(entry.data, start % CHUNK_BYTES);
    }
    this.terms.push(entry.term);
    this.types.push(TYPES.indexOf(entry.type));
    this.starts.push(start);
    this.lengths.push(len);
  }

  /** Forgets the entries from `index` on. */
  truncateFrom(index: number): void {
    const keep = Math.max(0, index - this.first);
    if (keep >= this.terms.length) return;
    this.terms.length = keep;
    this.types.length = keep;
    this.starts.length = keep;
    this.lengths.length = keep;
  }

  /** Forgets the entries before `index`, and the chunks only they used. */
  dropBefore(index: number): void {
    const drop = Math.min(Math.max(0, index - this.first), this.terms.length);
    if (drop === 0) return;
    this.terms = this.terms.slice(drop);
    this.types = this.types.slice(drop);
    this.starts = this.starts.slice(drop);
    this.lengths = this.lengths.slice(drop);
    this.first += drop;
    const k = this.lengths.findIndex((len) => len > 0);
    const keepFrom = k < 0 ? this.chunkBase + this.chunks.length - 1 : Math.floor((this.starts[k] as number) / CHUNK_BYTES);
    const unused = Math.max(0, keepFrom - this.chunkBase);
    this.chunks.splice(0, unused);
    this.chunkBase += unused;
  }

  /** Forgets everything; the next entry will have index `firstIndex`. */
  reset(firstIndex: number): void {
    this.first = firstIndex;
    this.terms = [];
    this.types = [];
    this.starts = [];
    this.lengths = [];
    this.chunkBase += this.chunks.length;
    this.chunks = [];
    this.writeOffset = CHUNK_BYTES;
  }

  private data(k: number): Uint8Array {
    const len = this.lengths[k] as number;
    if (len === 0) return EMPTY;
    const start = this.starts[k] as number;
    const offset = start % CHUNK_BYTES;
    return this.chunkOf(start).subarray(offset, offset + len);
  }

  private chunkOf(start: number): Uint8Array {
    return this.chunks[Math.floor(start / CHUNK_BYTES) - this.chunkBase] as Uint8Array;
  }

  /** Adds a chunk of `bytes` and returns where it starts. */
  private newChunk(bytes: number): number {
    this.chunks.push(new Uint8Array(bytes));
    return (this.chunkBase + this.chunks.length - 1) * CHUNK_BYTES;
  }
}
