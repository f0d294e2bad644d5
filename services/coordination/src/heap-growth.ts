// How far V8 lets the old generation grow past what the last full collection left before it
// starts the next one. Left to itself, V8 picks the factor from how fast it marks against how
// fast the program promotes: a server with a small heap marks fast, so V8 chose about 1.1 and
// ran a full collection every few hundred milliseconds under write load (3 servers, 16
// outstanding writes: 6–14 in 15 s per server), each a 2–9 ms pause on top of incremental
// marking steps of up to 8 ms — most of the write p99. Growing 300% (V8's own cap for large
// heaps) made them 2–3 in the same run; the price is memory: up to 4x the live heap.
import { setFlagsFromString } from 'node:v8';

/** Sets the growth for the rest of the process's life; 0 leaves it to V8's heuristic. */
export function setHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0) throw new RangeError(`heap growth must be a whole percent >= 0, not ${percent}`);
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
