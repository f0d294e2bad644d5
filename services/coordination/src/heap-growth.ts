// A server's V8 heap: how far the old generation grows between full collections (set at
// startup, below) and the young generation's size (fixed when the process starts, so set by
// its node flags: SERVER_NODE_FLAGS).
//
// How far V8 lets the old generation grow past what the last full collection left before it
// starts the next one. Left to itself, V8 picks the factor from how fast it marks against how
// fast the program promotes: a server with a small heap marks fast, so V8 chose about 1.1 and
// ran a full collection every few hundred milliseconds under write load (3 servers, 16
// outstanding writes: 6–14 in 15 s per server), each a 2–9 ms pause on top of incremental
// marking steps of up to 8 ms — most of the write p99. Growing 300% (V8's own cap for large
// heaps) made them 2–3 in the same run; the price is memory: up to 4x the live heap.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Sets the growth for the rest of the process's life; 0 leaves it to V8's heuristic. */
export function setHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0) throw new RangeError(`heap growth must be a whole percent >= 0, not ${percent}`);
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * The node flags a server process starts with. The `coord-server` bin (dist/main.js) names them
 * in its shebang; whatever runs main.js with `node` itself passes them (npm start, the bench's
 * servers, the tests' servers). A test keeps the shebang and this list the same.
 *
 * --min-semi-space-size=16 pins the young generation at the size V8 gives it under load (16 MB
 * semi-spaces on 64-bit). Left to itself, V8 shrinks it to 1 MB at the first scavenge after a
 * quiet spell (an allocation rate under 1 MB/s) and grows it back only as much as objects
 * survive scavenges, which a server's per-request objects rarely do. After quiet spells of
 * 15-30 s, servers at 1 outstanding setData or getData scavenged 15-50 times a second, not
 * 1-2, and half a minute of load later the young generation was back to only ~3 MB; in a bench whose servers idle while ZooKeeper's take their
 * turn (one pair of runs, --rounds 3), setData at 1 outstanding went from x0.96 to x1.10 of
 * ZooKeeper's throughput, and its p99 from x2.00 to x0.55 of ZooKeeper's.
 */
const PINNED_SEMI_SPACE_MB = 16;
export const SERVER_NODE_FLAGS: readonly string[] = [`--min-semi-space-size=${PINNED_SEMI_SPACE_MB}`];

/** Whether this process's young generation is pinned as SERVER_NODE_FLAGS pins it. */
export function youngGenerationPinned(): boolean {
  const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return young !== undefined && young.space_size >= PINNED_SEMI_SPACE_MB * 1024 * 1024;
}
