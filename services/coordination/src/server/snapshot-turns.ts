// Writing a snapshot without stopping the server: the tree is written a slice of nodes per turn
// of the event loop while requests and transactions go on being served (a 10^6-node tree takes
// seconds to serialize; in one piece that would stall heartbeats long enough to expire sessions
// and, in an ensemble, to lose the leader).
import type { SnapshotWriter } from '../tree';

/** Nodes written per turn: a few milliseconds of work. */
export const SNAPSHOT_NODES_PER_TURN = 2000;

export async function writeSnapshotInTurns(writer: SnapshotWriter, nodesPerTurn = SNAPSHOT_NODES_PER_TURN): Promise<Buffer> {
  try {
    for (;;) {
      const done = writer.step(nodesPerTurn);
      if (done !== null) return done;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } catch (err) {
    writer.abandon(); // or the tree would refuse every later snapshot
    throw err;
  }
}
