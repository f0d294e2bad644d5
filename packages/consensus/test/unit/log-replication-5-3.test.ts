// Raft §5.3 Log replication: AppendEntries, the consistency check, overwriting conflicting
// tails, fast backtracking, and the leader's flow control (probe / replicate, inflight window).
import { type Entry, type Message, type PersistedState } from '@ensemble/consensus';
import { bytes, entries, entry, TestCluster, ofType, text } from './harness';

function stored(terms: number[], term: number, commit: number): Partial<PersistedState> {
  return { hardState: { term, vote: 0, commit }, entries: entries(...terms) };
}

function terms(log: Entry[]): number[] {
  return log.map((e) => e.term);
}

describe('Raft §5.3 log replication', () => {
  test('a proposal is replicated, committed once a majority persisted it, and applied in order everywhere', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    const a = c.node(1).propose(bytes('a'));
    const b = c.node(1).propose(bytes('b'));
    expect(a).toEqual({ ok: true, index: 2, term: 1 }); // index 1 is the leader's noop
    expect(b).toEqual({ ok: true, index: 3, term: 1 });
    c.settle();
    c.tickAll(1); // a heartbeat carries the final commit index to the followers
    for (const id of [1, 2, 3]) {
      expect(c.appliedData(id)).toEqual(['a', 'b']);
      expect(c.node(id).commitIndex).toBe(3);
    }
  });

  test('a follower refuses proposals and names the leader', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    expect(c.node(2).propose(bytes('x'))).toEqual({ ok: false, code: 'NOT_LEADER', leaderHint: 1 });
  });

  test('nothing commits without a majority; it commits as soon as one follower is back', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.isolate(2);
    c.isolate(3);
    c.node(1).propose(bytes('x'));
    c.settle();
    c.tickAll(3);
    expect(c.node(1).commitIndex).toBe(1);
    expect(c.appliedData(1)).toEqual([]);
    c.heal();
    c.isolate(3);
    c.tickAll(3);
    expect(c.node(1).commitIndex).toBe(2);
    expect(c.appliedData(1)).toEqual(['x']);
    expect(c.appliedData(2)).toEqual(['x']);
    expect(c.appliedData(3)).toEqual([]);
  });

  test('with five voters the commit index is what the third-highest replica holds, whatever order they got there in', () => {
    const c = TestCluster.of(5);
    c.elect(1);
    c.isolate(5);
    c.node(1).propose(bytes('a')); // on 1-4
    c.settle();
    c.heal();
    c.isolate(2);
    c.isolate(3);
    c.isolate(4);
    c.node(1).propose(bytes('b')); // on 1 and 5 only: not a majority
    c.settle();
    c.tickAll(3);
    expect(c.node(1).commitIndex).toBe(2);
    c.heal();
    c.isolate(2);
    c.isolate(4);
    c.tickAll(3); // 3 catches up: 1, 3 and 5 hold b
    expect(c.node(1).commitIndex).toBe(3);
    expect(c.appliedData(1)).toEqual(['a', 'b']);
    expect(c.appliedData(2)).toEqual(['a']);
  });

  test("the leader's own entries count toward a majority only once persisted (single node)", () => {
    const c = TestCluster.of(1);
    c.elect(1);
    const node = c.node(1);
    node.propose(bytes('a'));
    const first = node.ready();
    expect(first?.entries.map((e) => text(e.data))).toEqual(['a']);
    expect(first?.committed).toEqual([]);
    node.advance(first as NonNullable<typeof first>);
    const second = node.ready();
    expect(second?.committed.map((e) => text(e.data))).toEqual(['a']);
  });

  test('a follower overwrites its conflicting uncommitted tail from the first conflicting index', () => {
    const initial = new Map([
      [1, stored([1, 1, 3], 3, 2)],
      [2, stored([1, 1, 2, 2], 2, 2)],
      [3, stored([1, 1, 3], 3, 2)],
    ]);
    const c = new TestCluster([1, 2, 3], {}, initial);
    c.elect(1);
    c.tickAll(1);
    const overwrite = (c.readies.get(2) ?? []).find((rd) => rd.entries.length > 0);
    expect(overwrite?.entries[0]?.index).toBe(3); // the shell truncates from here, then appends
    expect(terms(c.disks.get(2)?.log ?? [])).toEqual([1, 1, 3, 4]);
    expect(c.node(2).commitIndex).toBe(4);
  });

  test('a follower with a long divergent tail is repaired in a round trip per term, not per entry', () => {
    const leaderLog = [1, ...Array<number>(20).fill(3)];
    const divergent = [1, ...Array<number>(40).fill(2)];
    const initial = new Map([[1, stored(leaderLog, 3, 1)], [2, stored(divergent, 2, 1)], [3, stored(leaderLog, 3, 1)]]);
    const c = new TestCluster([1, 2, 3], { maxEntriesPerMsg: 100 }, initial);
    let rejections = 0;
    c.tick(1, 10);
    c.settle((m) => {
      if (m.type === 'appendResponse' && m.reject && m.from === 2) rejections++;
      return true;
    });
    c.tickAll(1);
    expect(c.node(1).role).toBe('leader');
    expect(rejections).toBeGreaterThanOrEqual(1);
    expect(rejections).toBeLessThanOrEqual(2);
    expect(terms(c.disks.get(2)?.log ?? [])).toEqual([...leaderLog, 4]);
  });

  test('in replicate state the leader pipelines up to maxInflightMsgs appends, then waits for acknowledgements', () => {
    const c = TestCluster.of(3, { maxInflightMsgs: 3, maxEntriesPerMsg: 1 });
    c.elect(1);
    expect(c.node(1).status().progress.get(2)?.state).toBe('replicate');
    for (let k = 0; k < 10; k++) c.node(1).propose(bytes(`v${k}`));
    c.process(1);
    const toTwo = c.queue.filter((m): m is Extract<Message, { type: 'append' }> => m.type === 'append' && m.to === 2);
    expect(toTwo.map((m) => m.entries.map((e) => e.index))).toEqual([[2], [3], [4]]);
    c.settle();
    expect(c.appliedData(1)).toHaveLength(10);
  });

  test('appends respect maxEntriesPerMsg and maxSizePerMsg, but always carry at least one entry', () => {
    const c = TestCluster.of(2, { maxEntriesPerMsg: 4, maxSizePerMsg: 10, maxInflightMsgs: 100 });
    c.elect(1);
    for (let k = 0; k < 6; k++) c.node(1).propose(bytes('12345')); // 5 bytes each
    c.node(1).propose(bytes('x'.repeat(30))); // bigger than a whole message
    c.process(1);
    const sizes = c.queue.filter(ofType('append')).map((m) => m.entries.length);
    expect(sizes).toEqual([2, 2, 2, 1]);
  });

  test('a heartbeat never tells a follower to commit past what it is known to hold', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.isolate(3);
    c.node(1).propose(bytes('a'));
    c.settle();
    c.heal();
    c.tick(1);
    c.process(1);
    const beats = c.queue.filter(ofType('heartbeat'));
    expect(beats.find((m) => m.to === 2)?.commit).toBe(2);
    expect(beats.find((m) => m.to === 3)?.commit).toBe(1);
  });

  test('lost appends are recovered: a heartbeat answer makes the leader probe again', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.node(1).propose(bytes('a'));
    c.process(1);
    c.settle((m) => m.to !== 3); // everything to n3 is lost for a while
    expect(c.appliedData(3)).toEqual([]);
    expect(c.appliedData(1)).toEqual(['a']);
    c.tickAll(2);
    expect(c.appliedData(3)).toEqual(['a']);
  });

  test('a duplicated, delayed append changes nothing', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.node(1).propose(bytes('a'));
    c.process(1);
    const old = c.queue.filter((m) => m.type === 'append' && m.to === 2);
    c.settle();
    c.node(1).propose(bytes('b'));
    c.settle();
    for (const m of old) c.node(2).step(m);
    c.settle();
    expect(terms(c.disks.get(2)?.log ?? [])).toEqual([1, 1, 1]);
    expect(c.disks.get(2)?.log.map((e) => e.type === 'normal' ? text(e.data) : e.type)).toEqual(['noop', 'a', 'b']);
  });

  test('a follower commits only as far as the leader vouched for its log, never into a stale tail', () => {
    // n2 holds 3 and 4 from a term-2 leader that never committed them; the term-3 leader has
    // committed 4 entries of its own but so far sent only entry 2.
    const c = new TestCluster([1, 2, 3], {}, new Map([[2, stored([1, 1, 2, 2], 2, 1)]]));
    c.node(2).step({ type: 'append', from: 1, to: 2, term: 3, prevIndex: 1, prevTerm: 1, entries: [entry(2, 1, 'e2')], commit: 4 });
    expect(c.node(2).commitIndex).toBe(2);
    expect(c.process(2)?.committed.map((e) => e.index)).toEqual([1, 2]);
  });

  test('an append before the commit index is answered with the commit index and changes nothing', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.node(1).propose(bytes('a'));
    c.settle();
    c.tickAll(1);
    const before = c.disks.get(2)?.log.slice();
    c.node(2).step({ type: 'append', from: 1, to: 2, term: 1, prevIndex: 0, prevTerm: 0, entries: [entry(1, 1, 'other')], commit: 0 });
    const rd = c.process(2);
    expect(rd?.messages).toEqual([{ type: 'appendResponse', from: 2, to: 1, term: 1, reject: false, index: 2, rejectHint: 0, rejectHintTerm: 0 }]);
    expect(c.disks.get(2)?.log).toEqual(before);
  });
});
