// The entries of the in-memory log, kept without an object per entry: terms, types and payload
// positions in arrays of numbers, payloads copied into large append-only byte chunks.
//
// A log holds up to two snapshot intervals of entries (10^5 and more). As objects (an Entry and
// its buffer each) every one of them outlived the young generation: two scavenges copied it and
// every full collection marked it, which made most of a busy server's GC pauses. As bytes in a
// chunk they cost the collector nothing. Entry objects are made when asked for; their data are
// views into the chunks. A byte of a chunk is written once and never again (a truncated tail's
// space is not reused), so a view handed out stays valid however the log changes later.
// The numbers are kept in blocks of typed arrays, so that compaction after a snapshot drops whole
// blocks: slicing four arrays of 10^5 numbers took 1 ms, and up to 10 with the collection the
// new arrays set off, in one turn of a busy server.
import type { Entry, EntryType } from './types';

/** Bytes per chunk; a payload larger than LARGE_BYTES gets a chunk of its own size instead. */
const CHUNK_BYTES = 256 * 1024;
const LARGE_BYTES = CHUNK_BYTES / 8;
const EMPTY = new Uint8Array(0);
const TYPES: readonly EntryType[] = ['normal', 'noop', 'config'];

/** Entries per block of numbers (a power of two). */
const BLOCK_SHIFT = 12;
const BLOCK_ENTRIES = 1 << BLOCK_SHIFT;
const SLOT_MASK = BLOCK_ENTRIES - 1;

/** The numbers of BLOCK_ENTRIES consecutive entries. */
class Block {
  readonly terms = new Float64Array(BLOCK_ENTRIES);
  readonly types = new Uint8Array(BLOCK_ENTRIES);
  /** Where each payload starts: chunk sequence number * CHUNK_BYTES + offset in the chunk. */
  readonly starts = new Float64Array(BLOCK_ENTRIES);
  readonly lengths = new Uint32Array(BLOCK_ENTRIES);
}

export class EntryStore {
  /** Index of the first entry held. */
  private first: number;
  private count = 0;
  /** The first entry's position in blocks[0]. */
  private head = 0;
  private blocks: Block[] = [];
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
    return this.first + this.count - 1;
  }

  /** Bytes of payload storage held, chunks not yet given back included. */
  heldBytes(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  term(index: number): number | undefined {
    const p = this.position(index);
    return p < 0 ? undefined : this.blockAt(p).terms[p & SLOT_MASK];
  }

  dataLength(index: number): number | undefined {
    const p = this.position(index);
    return p < 0 ? undefined : this.blockAt(p).lengths[p & SLOT_MASK];
  }

  entry(index: number): Entry | undefined {
    const p = this.position(index);
    if (p < 0) return undefined;
    const block = this.blockAt(p);
    const slot = p & SLOT_MASK;
    return { term: block.terms[slot] as number, index, type: TYPES[block.types[slot] as number] as EntryType, data: this.data(block, slot) };
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
    const p = this.head + this.count++;
    if (p >>> BLOCK_SHIFT === this.blocks.length) this.blocks.push(new Block());
    const block = this.blockAt(p);
    const slot = p & SLOT_MASK;
    block.terms[slot] = entry.term;
    block.types[slot] = TYPES.indexOf(entry.type);
    block.starts[slot] = start;
    block.lengths[slot] = len;
  }

  /** Forgets the entries from `index` on. */
  truncateFrom(index: number): void {
    const keep = Math.max(0, index - this.first);
    if (keep >= this.count) return;
    this.count = keep;
    this.blocks.length = (this.head + keep + BLOCK_ENTRIES - 1) >>> BLOCK_SHIFT;
  }

  /** Forgets the entries before `index`, and the blocks and chunks only they used. */
  dropBefore(index: number): void {
    const drop = Math.min(Math.max(0, index - this.first), this.count);
    if (drop === 0) return;
    this.first += drop;
    this.count -= drop;
    this.head += drop;
    const unusedBlocks = this.count === 0 ? this.blocks.length : this.head >>> BLOCK_SHIFT;
    this.blocks.splice(0, unusedBlocks);
    this.head -= unusedBlocks << BLOCK_SHIFT;
    if (this.count === 0) this.head = 0;
    // The first chunk still needed is that of the first entry with a payload.
    let keepFrom = this.chunkBase + this.chunks.length - 1;
    for (let p = this.head; p < this.head + this.count; p++) {
      const block = this.blockAt(p);
      if ((block.lengths[p & SLOT_MASK] as number) > 0) {
        keepFrom = Math.floor((block.starts[p & SLOT_MASK] as number) / CHUNK_BYTES);
        break;
      }
    }
    const unused = Math.max(0, keepFrom - this.chunkBase);
    this.chunks.splice(0, unused);
    this.chunkBase += unused;
  }

  /** Forgets everything; the next entry will have index `firstIndex`. */
  reset(firstIndex: number): void {
    this.first = firstIndex;
    this.count = 0;
    this.head = 0;
    this.blocks = [];
    this.chunkBase += this.chunks.length;
    this.chunks = [];
    this.writeOffset = CHUNK_BYTES;
  }

  private data(block: Block, slot: number): Uint8Array {
    const len = block.lengths[slot] as number;
    if (len === 0) return EMPTY;
    const start = block.starts[slot] as number;
    const offset = start % CHUNK_BYTES;
    return this.chunkOf(start).subarray(offset, offset + len);
  }

  /** Where entry `index` is: block p >>> BLOCK_SHIFT, slot p & SLOT_MASK; -1 when it is not held. */
  private position(index: number): number {
    const k = index - this.first;
    return k >= 0 && k < this.count ? k + this.head : -1;
  }

  private blockAt(p: number): Block {
    return this.blocks[p >>> BLOCK_SHIFT] as Block;
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
