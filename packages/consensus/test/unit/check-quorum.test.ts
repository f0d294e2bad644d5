// Raft thesis §6.2 check-quorum and the leader lease it gives followers (§4.2.3): a leader that
// cannot hear a majority for an election timeout steps down; a follower that hears its leader
// does not help anyone depose it.
import { TestCluster, ofType } from './harness';

describe('check-quorum (Raft thesis §6.2)', () => {
  test('a leader that hears from no majority for an election timeout steps down, keeping its term', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.isolate(1);
    let stepDownTick = -1;
    for (let t = 1; t <= 40 && stepDownTick < 0; t++) {
      c.tick(1);
      if (c.node(1).role !== 'leader') stepDownTick = t;
    }
    expect(stepDownTick).toBeGreaterThan(0);
    expect(stepDownTick).toBeLessThanOrEqual(20); // within two election timeouts
    expect(c.node(1).status()).toMatchObject({ role: 'follower', term: 1, leaderId: 0 });
    expect(c.node(1).propose(new Uint8Array([1]))).toEqual({ ok: false, code: 'NOT_LEADER', leaderHint: 0 });
  });

  test('a leader that hears from a majority stays leader', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.isolate(3);
    c.tickAll(100);
    expect(c.node(1).role).toBe('leader');
    expect(c.node(1).term).toBe(1);
  });

  test('without check-quorum an isolated leader believes it leads forever', () => {
    const c = TestCluster.of(3, { checkQuorum: false });
    c.elect(1);
    c.isolate(1);
    c.tick(1, 100);
    expect(c.node(1).role).toBe('leader');
  });

  test('a follower that heard from its leader within the election timeout ignores higher-term votes', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.node(2).step({ type: 'vote', from: 3, to: 2, term: 9, lastIndex: 5, lastTerm: 5, transfer: false });
    expect(c.process(2)).toBeNull(); // no answer, no new term
    expect(c.node(2).term).toBe(1);
    // Once the lease has run out (no heartbeat for an election timeout) it answers again.
    c.tick(2, 10);
    c.node(2).step({ type: 'vote', from: 3, to: 2, term: 9, lastIndex: 5, lastTerm: 5, transfer: false });
    expect(c.process(2)?.messages.filter(ofType('voteResponse')).map((m) => m.reject)).toEqual([false]);
    expect(c.node(2).term).toBe(9);
  });

  test('a deposed leader that still believes it leads steps down at the first answer to its heartbeat', () => {
    const c = TestCluster.staggered(3);
    expect(c.tickUntilLeader()).toBe(1);
    c.isolate(1);
    for (let t = 0; t < 50 && c.node(2).role !== 'leader'; t++) {
      c.tick(2); // n1 is not ticked: it has not noticed anything yet
      c.tick(3);
      c.settle();
    }
    expect(c.node(2).role).toBe('leader');
    const newTerm = c.node(2).term;
    expect(c.node(1).status()).toMatchObject({ role: 'leader', term: 1 });
    c.heal();
    c.tick(1); // a heartbeat at the stale term; the answers carry the new term
    c.settle();
    expect(c.node(1).status()).toMatchObject({ role: 'follower', term: newTerm });
    c.tick(2);
    c.settle();
    expect(c.node(1).leaderId).toBe(2);
    expect(c.node(2).role).toBe('leader');
  });
});
