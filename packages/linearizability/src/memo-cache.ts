// Lowe's memoisation ("Testing for linearizability", 2017): a search configuration is fully
// described by the set of operations linearized so far and the model state(s) reached; once
// explored, reaching the same pair again by another order cannot lead anywhere new.

import type { Model } from './model';

const FULL_WORD = 0xffffffff;

/**
 * The set of linearized operations. Ids follow call order, so the set is mostly a run of
 * full words followed by a few partly set ones; the memo cache keeps only that partly set
 * window (`lowWord` to `highWord`), and the hash is a Zobrist hash kept up to date in O(1).
 */
export class Bitset {
  private readonly words: Uint32Array;
  private zobrist = 0;
  /** Every word below is full. */
  private lowWord = 0;
  /** Every word from here on is zero. */
  private highWord = 0;

  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  set(i: number): void {
    if (this.has(i)) return;
    const w = i >>> 5;
    this.words[w] |= 1 << (i & 31);
    this.zobrist = (this.zobrist ^ zobristKey(i)) >>> 0;
    this.highWord = Math.max(this.highWord, w + 1);
    while (this.lowWord < this.words.length && this.words[this.lowWord] === FULL_WORD) this.lowWord++;
  }

  clear(i: number): void {
    if (!this.has(i)) return;
    const w = i >>> 5;
    this.words[w] &= ~(1 << (i & 31));
    this.zobrist = (this.zobrist ^ zobristKey(i)) >>> 0;
    this.lowWord = Math.min(this.lowWord, w);
    while (this.highWord > 0 && this.words[this.highWord - 1] === 0) this.highWord--;
  }

  hash(): number {
    return this.zobrist;
  }

  /** The part that is neither all set nor all clear; with `lowWord`, it determines the set. */
  window(): { readonly lowWord: number; readonly words: Uint32Array } {
    return { lowWord: this.lowWord, words: this.words.slice(this.lowWord, Math.max(this.lowWord, this.highWord)) };
  }

  matches(window: { readonly lowWord: number; readonly words: Uint32Array }): boolean {
    if (window.lowWord !== this.lowWord || window.words.length !== Math.max(0, this.highWord - this.lowWord)) return false;
    for (let i = 0; i < window.words.length; i++) if (window.words[i] !== this.words[this.lowWord + i]) return false;
    return true;
  }
}

/** A fixed pseudo-random 32-bit key per operation (splitmix32 of its id). */
function zobristKey(i: number): number {
  let z = (i + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

interface CacheEntry<S> {
  readonly linearized: ReturnType<Bitset['window']>;
  readonly states: readonly S[];
}

export class MemoCache<S> {
  private readonly buckets = new Map<number, CacheEntry<S>[]>();
  private count = 0;

  constructor(private readonly model: Model<S, unknown, unknown>) {}

  get size(): number {
    return this.count;
  }

  /** Adds the configuration unless it is already there; false when it was (prune). */
  add(linearized: Bitset, states: readonly S[]): boolean {
    const key = (Math.imul(linearized.hash(), 31) + this.hashStates(states)) >>> 0;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) this.buckets.set(key, (bucket = []));
    if (bucket.some((e) => linearized.matches(e.linearized) && this.sameStates(e.states, states))) return false;
    bucket.push({ linearized: linearized.window(), states });
    this.count++;
    return true;
  }

  /** Order-independent, so a set of states hashes the same however it was reached. */
  private hashStates(states: readonly S[]): number {
    let h = 0;
    for (const s of states) h = (h + this.model.hash(s)) >>> 0;
    return h;
  }

  private sameStates(a: readonly S[], b: readonly S[]): boolean {
    return a.length === b.length && a.every((s) => b.some((t) => this.model.equal(s, t)));
  }
}
