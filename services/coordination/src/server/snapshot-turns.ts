// Writing a snapshot without stopping the server: the tree is written a slice per turn of the
// event loop while requests and transactions go on being served (a 10^6-node tree takes
// seconds to serialize; in one piece that would stall heartbeats long enough to expire sessions
// and, in an ensemble, to lose the leader). A slice is bounded by time, not by a count of nodes:
// every write in flight on this server waits for it, and at one write in flight a write takes
// about a millisecond.
import { performance } from 'node:perf_hooks';
import type { SnapshotWriter } from '../tree';

export interface SnapshotTurnOptions {
  /** Nodes written between two looks at the clock. */
  nodesPerStep?: number;
  /** A turn ends once its steps have taken this long (0: one step per turn). */
  turnMs?: number;
  clock?: () => number;
}

const SNAPSHOT_TURN_DEFAULTS = { nodesPerStep: 64, turnMs: 1 } as const;

export async function writeSnapshotInTurns(writer: SnapshotWriter, opts: SnapshotTurnOptions = {}): Promise<Buffer> {
  const nodesPerStep = opts.nodesPerStep ?? SNAPSHOT_TURN_DEFAULTS.nodesPerStep;
  const turnMs = opts.turnMs ?? SNAPSHOT_TURN_DEFAULTS.turnMs;
  const clock = opts.clock ?? (() => performance.now());
  try {
    for (;;) {
      const startedMs = clock();
      let done: Buffer | null;
      do done = writer.step(nodesPerStep);
      while (done === null && clock() - startedMs < turnMs);
      if (done !== null) return done;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } catch (err) {
    writer.abandon(); // or the tree would refuse every later snapshot
    throw err;
  }
}
