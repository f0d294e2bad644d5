// Raft §5.4 Safety: the election restriction (§5.4.1), committing entries from previous terms
// (§5.4.2, Figure 8), and what follows from them — leader completeness, state machine safety.
import { type Message, type PersistedState } from '@ensemble/consensus';
import { bytes, entries, TestCluster, ofType, text } from './harness';

function stored(terms: number[], term: number, commit: number): Partial<PersistedState> {
  return { hardState: { term, vote: 0, commit }, entries: entries(...terms) };
}

describe('Raft §5.4.1 election restriction', () => {
  test('a vote goes only to a candidate whose log is at least as up-to-date (last term, then length)', () => {
    const c = new TestCluster([1, 2, 3], {}, new Map([[1, stored([1, 1, 2], 2, 0)]]));
    const ask = (term: number, lastIndex: number, lastTerm: number): boolean | undefined => {
      c.node(1).step({ type: 'vote', from: 2, to: 1, term, lastIndex, lastTerm, transfer: false });
      const answer = c.process(1)?.messages.find(ofType('voteResponse'));
      return answer === undefined ? undefined : !answer.reject;
    };
    expect(ask(3, 9, 1)).toBe(false); // longer, but an older last term
    expect(ask(4, 2, 2)).toBe(false); // same last term, shorter
    expect(ask(5, 3, 2)).toBe(true); // same last term, as long
    expect(ask(6, 1, 3)).toBe(true); // newer last term wins even if shorter
  });

  test('a node that lacks a committed entry never becomes leader (leader completeness)', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.isolate(3);
    c.node(1).propose(bytes('a'));
    c.settle();
    expect(c.appliedData(2)).toEqual(['a']);
    c.crash(1);
    c.heal();
    c.isolate(1);
    c.crash(2);
    c.crash(3);
    c.start(2, { random: () => 0.99 }); // n3 times out first, again and again
    c.start(3, { random: () => 0 });
    for (let t = 0; t < 60; t++) {
      c.tickAll(1);
      expect(c.node(3).role).not.toBe('leader');
    }
    expect(c.node(2).role).toBe('leader');
    expect(c.appliedData(3)).toEqual(['a']);
  });
});

describe('Raft §5.4.2 committing entries from previous terms (Figure 8)', () => {
  test('a leader never commits an older-term entry by counting replicas, only through an entry of its own term', () => {
    // n1 holds an entry from term 2 that no one else has; it is elected again in term 3.
    const initial = new Map([[1, stored([1, 2], 2, 1)], [2, stored([1], 2, 1)], [3, stored([1], 2, 1)]]);
    const c = new TestCluster([1, 2, 3], { maxEntriesPerMsg: 1 }, initial);
    const toTwoOnly = (m: Message): boolean => m.to !== 3 && m.from !== 3;
    c.tick(1, 10);
    for (let round = 0; round < 10 && c.node(1).role !== 'leader'; round++) {
      c.processAll();
      c.deliver(toTwoOnly);
    }
    expect(c.node(1).status()).toMatchObject({ role: 'leader', term: 3, lastIndex: 3 }); // 3: its noop

    for (let round = 0; round < 10 && (c.disks.get(2)?.log.length ?? 0) < 2; round++) {
      c.deliver(toTwoOnly);
      c.processAll();
    }
    // n2 now holds the term-2 entry, so it is on a majority (n1, n2); n2's acknowledgement is on
    // its way. It must not count: a candidate whose last entry is of term 2 or later could still
    // be elected without it, and overwrite it.
    expect(c.disks.get(2)?.log.map((e) => e.term)).toEqual([1, 2]);
    c.deliver(toTwoOnly);
    c.processAll();
    const held = c.take((m) => m.type === 'append' && m.to === 2 && m.entries.some((e) => e.term === 3));
    expect(held).toHaveLength(1);
    expect(c.node(1).status().progress.get(2)?.match).toBe(2);
    expect(c.node(1).commitIndex).toBe(1);
    // Nor does n2 commit it when told that n1's log is on disk up to the noop (three voters:
    // the two of them are a majority): the entry n2 holds there is of term 2, not 3.
    c.node(2).step({ type: 'persisted', from: 1, to: 2, term: 3, index: 3 });
    expect(c.node(2).commitIndex).toBe(1);

    c.queue.push(...held); // the noop of term 3 arrives: now both commit together
    c.settle(toTwoOnly);
    expect(c.node(1).commitIndex).toBe(3);
    expect(c.applied.get(1)?.map((e) => (e.type === 'normal' ? text(e.data) : e.type))).toEqual(['e1', 'e2', 'noop']);
  });
});

describe('Raft §5.4.3 state machine safety', () => {
  test('every node applies the same entries in the same order, across leader changes', () => {
    const c = TestCluster.staggered(5);
    expect(c.tickUntilLeader()).toBe(1);
    c.node(1).propose(bytes('a'));
    c.settle();
    c.crash(1);
    expect(c.tickUntilLeader()).toBe(2);
    c.node(2).propose(bytes('b'));
    c.settle();
    c.start(1);
    c.tickAll(3);
    for (const id of [1, 2, 3, 4, 5]) {
      const log = c.applied.get(id)?.map((e) => `${e.index}/${e.term}/${e.type === 'normal' ? text(e.data) : e.type}`);
      expect(log).toEqual(['1/1/noop', '2/1/a', '3/2/noop', '4/2/b']);
    }
  });
});
