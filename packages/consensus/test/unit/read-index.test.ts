// Raft thesis §6.4 linearizable reads without writing to the log (etcd ReadIndex): the leader
// records its commit index, confirms it still leads with a heartbeat round a majority answers,
// and only then hands out the read point.
import { TestCluster, bytes, ofType } from './harness';

function committedCluster(): TestCluster {
  const c = TestCluster.of(3);
  c.elect(1);
  c.node(1).propose(bytes('a'));
  c.settle();
  c.tickAll(1);
  return c;
}

describe('read index (Raft thesis §6.4)', () => {
  test('the leader answers once a majority answered a heartbeat sent after the request', () => {
    const c = committedCluster();
    expect(c.node(1).readIndex('r1')).toEqual({ ok: true });
    const rd = c.process(1);
    expect(rd?.readStates).toEqual([]);
    const beats = rd?.messages.filter(ofType('heartbeat')) ?? [];
    expect(beats.map((m) => [m.to, m.readSeq])).toEqual([[2, 1], [3, 1]]);

    c.deliver((m) => m.to === 2); // only n2 hears it: n1 + n2 are a majority
    c.processAll();
    c.deliver();
    expect(c.process(1)?.readStates).toEqual([{ ctx: 'r1', index: 2 }]);
  });

  test('an answer to an older heartbeat round does not confirm a newer read', () => {
    const c = committedCluster();
    c.node(1).readIndex('r1');
    c.process(1);
    const firstRound = c.take(() => true);
    c.node(1).readIndex('r2');
    c.process(1);
    c.take(() => true); // the second round is lost
    for (const m of firstRound) c.node(m.to).step(m);
    c.processAll();
    c.deliver();
    expect(c.process(1)?.readStates).toEqual([{ ctx: 'r1', index: 2 }]);
  });

  test('a leader cut off from the majority never answers, and its pending reads die with its leadership', () => {
    const c = committedCluster();
    c.isolate(1);
    c.node(1).readIndex('r1');
    for (let t = 0; t < 30; t++) {
      c.tick(1);
      c.settle();
    }
    expect(c.node(1).role).not.toBe('leader');
    c.heal();
    c.tickAll(30);
    expect(c.readStates.get(1)).toEqual([]);
  });

  test('a new leader holds reads until an entry of its own term is committed', () => {
    const c = TestCluster.of(3);
    c.tick(1, 10);
    for (let round = 0; round < 10 && c.node(1).role !== 'leader'; round++) {
      c.processAll();
      c.deliver((m) => m.type !== 'append');
    }
    expect(c.node(1).role).toBe('leader');
    expect(c.node(1).commitIndex).toBe(0);
    c.node(1).readIndex('early');
    c.processAll();
    expect(c.queue.filter(ofType('heartbeat'))).toEqual([]); // not even asked yet
    c.settle();
    expect(c.readStates.get(1)).toEqual([{ ctx: 'early', index: 1 }]); // index 1: the leader's noop
  });

  test("a follower's read is forwarded to the leader and answered back to the follower", () => {
    const c = committedCluster();
    expect(c.node(2).readIndex('f1')).toEqual({ ok: true });
    expect(c.process(2)?.messages).toEqual([{ type: 'readIndex', from: 2, to: 1, term: 1, ctx: 'f1' }]);
    c.settle();
    expect(c.readStates.get(2)).toEqual([{ ctx: 'f1', index: 2 }]);
    expect(c.readStates.get(1)).toEqual([]);
  });

  test('a single-node cluster answers at once', () => {
    const c = TestCluster.of(1);
    c.elect(1);
    c.node(1).readIndex('solo');
    expect(c.process(1)?.readStates).toEqual([{ ctx: 'solo', index: 1 }]);
  });

  test('refusals: no known leader, too many pending reads, oversized context', () => {
    const fresh = TestCluster.of(3);
    expect(fresh.node(2).readIndex('x')).toEqual({ ok: false, code: 'NOT_LEADER', leaderHint: 0 });

    const c = TestCluster.of(3, { maxPendingReads: 2 });
    c.elect(1);
    c.isolate(1);
    expect(c.node(1).readIndex('a').ok).toBe(true);
    expect(c.node(1).readIndex('b').ok).toBe(true);
    expect(c.node(1).readIndex('c')).toEqual({ ok: false, code: 'READ_LIMIT' });
    expect(c.node(1).readIndex('x'.repeat(300))).toEqual({ ok: false, code: 'CTX_TOO_LARGE' });
  });
});
