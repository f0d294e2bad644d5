// Raft thesis §9.6 Pre-vote: a node asks whether it could win before it raises its term, so a
// node cut off from the cluster does not come back with a high term and depose a healthy leader.
import { TestCluster, ofType } from './harness';

describe('pre-vote (Raft thesis §9.6)', () => {
  test('a partitioned node does not raise its term, and its return does not depose the leader', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.isolate(3);
    for (let t = 0; t < 100; t++) {
      c.tick(3);
      c.processAll();
      c.take((m) => m.from === 3); // nothing it says gets through
    }
    expect(c.node(3).term).toBe(1);
    expect(c.node(3).role).toBe('pre-candidate');
    expect(c.disks.get(3)?.hardState.term).toBe(1);

    c.heal();
    c.tickAll(30);
    expect(c.node(1).role).toBe('leader');
    expect([1, 2, 3].map((id) => c.node(id).term)).toEqual([1, 1, 1]);
    expect(c.node(3).leaderId).toBe(1);
  });

  test('without pre-vote the same partition costs the cluster its leader (what pre-vote prevents)', () => {
    const c = TestCluster.of(3, { preVote: false });
    c.elect(1);
    c.isolate(3);
    for (let t = 0; t < 100; t++) {
      c.tick(3);
      c.processAll();
      c.take((m) => m.from === 3);
    }
    expect(c.node(3).term).toBeGreaterThan(5);
    c.heal();
    c.tickAll(30);
    expect(c.node(1).term).toBeGreaterThan(5); // n1 was deposed by the higher term
  });

  test('a pre-vote request changes neither the term nor the vote of the node asked', () => {
    const c = TestCluster.of(3);
    c.node(2).step({ type: 'preVote', from: 1, to: 2, term: 5, lastIndex: 0, lastTerm: 0, transfer: false });
    const rd = c.process(2);
    expect(rd?.hardState).toBeUndefined();
    expect(rd?.messages).toEqual([{ type: 'preVoteResponse', from: 2, to: 1, term: 5, reject: false }]);
    expect(c.node(2).status()).toMatchObject({ term: 0, vote: 0 });
  });

  test('a pre-vote follows the election restriction: a less up-to-date log is refused', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.crash(2); // forget the leader, so only the log decides
    c.start(2);
    c.node(2).step({ type: 'preVote', from: 3, to: 2, term: 2, lastIndex: 0, lastTerm: 0, transfer: false });
    expect(c.process(2)?.messages.filter(ofType('preVoteResponse')).map((m) => [m.reject, m.term])).toEqual([[true, 1]]);
  });

  test('a pre-candidate that loses goes back to follower and keeps its term', () => {
    const c = TestCluster.of(3);
    c.tick(1, 10);
    c.process(1);
    c.take(() => true);
    c.node(1).step({ type: 'preVoteResponse', from: 2, to: 1, term: 0, reject: true });
    c.node(1).step({ type: 'preVoteResponse', from: 3, to: 1, term: 0, reject: true });
    expect(c.node(1).status()).toMatchObject({ role: 'follower', term: 0 });
  });

  test('a rejection from a node at a higher term moves the pre-candidate to that term', () => {
    const c = TestCluster.of(3);
    c.tick(1, 10);
    c.node(1).step({ type: 'preVoteResponse', from: 2, to: 1, term: 4, reject: true });
    expect(c.node(1).status()).toMatchObject({ role: 'follower', term: 4 });
  });

  test('a stale grant from an earlier pre-vote round is not counted', () => {
    const c = TestCluster.of(3);
    c.tick(1, 10); // pre-candidate asking for term 1
    c.node(1).step({ type: 'preVoteResponse', from: 2, to: 1, term: 0, reject: false });
    expect(c.node(1).role).toBe('pre-candidate');
    c.node(1).step({ type: 'preVoteResponse', from: 2, to: 1, term: 1, reject: false });
    expect(c.node(1).status()).toMatchObject({ role: 'candidate', term: 1 });
  });
});
