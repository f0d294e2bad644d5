// Three voters: the leader and one follower are a majority, so the leader tells followers how far
// its own log is on disk (a 'persisted' message) and a follower that holds the same entries on its
// disk commits them itself, a round trip sooner than the leader's next word on the commit index.
import { bytes, TestCluster, ofType } from './harness';

describe('persisted notices (three voters)', () => {
  test('a follower commits an entry once both it and the leader hold it on disk, before the leader hears its answer', () => {
    const c = TestCluster.of(3, { broadcastCommit: false });
    c.elect(1);
    c.isolate(3);
    const r = c.node(1).propose(bytes('a'));
    if (!r.ok) throw new Error(r.code);
    c.process(1); // the leader's log write, its appends to n2
    c.process(1); // its notice that the write is on disk
    const toTwo = c.take((m) => m.to === 2);
    expect(toTwo.filter(ofType('persisted'))).toEqual([{ type: 'persisted', from: 1, to: 2, term: 1, index: r.index }]);

    for (const m of toTwo) c.node(2).step(m);
    // n2 has the entry in memory only: it is not on a majority of disks yet.
    expect(c.node(2).commitIndex).toBeLessThan(r.index);

    c.process(2); // n2's log write
    expect(c.node(2).commitIndex).toBe(r.index);
    c.process(2);
    expect(c.appliedData(2)).toEqual(['a']);
    expect(c.node(1).commitIndex).toBeLessThan(r.index); // n2's answer is still on its way
  });

  test('five voters: the leader and one follower are no majority, so no notice is sent', () => {
    const c = TestCluster.of(5, { broadcastCommit: false });
    c.elect(1);
    const sent: string[] = [];
    const r = c.node(1).propose(bytes('a'));
    if (!r.ok) throw new Error(r.code);
    for (let round = 0; round < 10; round++) {
      c.processAll();
      sent.push(...c.deliver().map((m) => m.type));
    }
    expect(sent).toContain('append');
    expect(sent).not.toContain('persisted');
    expect(c.node(1).commitIndex).toBe(r.index);
  });
});
