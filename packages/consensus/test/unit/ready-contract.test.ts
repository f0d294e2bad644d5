// The contract between the core and its shell (etcd-io/raft rawnode.go): one Ready at a time;
// whatever a message depends on is in the same Ready's durable part, so "persist, then send"
// is always possible; committed entries are handed out once, in order.
import { RaftNode, type Message } from '@ensemble/consensus';
import { TestCluster, bytes, entry, ofType } from './harness';

function roundTrip(m: Message): Message {
  const json = JSON.stringify(m, (_key, value: unknown) => (value instanceof Uint8Array ? { bytes: [...value] } : value));
  return JSON.parse(json, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && 'bytes' in value) return new Uint8Array((value as { bytes: number[] }).bytes);
    return value;
  }) as Message;
}

describe('Ready / advance contract', () => {
  test('a node with nothing to do has no Ready', () => {
    const node = new RaftNode({ id: 1, peers: [1, 2, 3], random: () => 0, storage: { hardState: { term: 0, vote: 0, commit: 0 }, entries: [] } });
    expect(node.ready()).toBeNull();
  });

  test('a second ready() before advance() and advancing a foreign Ready are bugs', () => {
    const c = TestCluster.of(3);
    c.tick(1, 10);
    const node = c.node(1);
    const rd = node.ready();
    expect(rd).not.toBeNull();
    expect(() => node.ready()).toThrow(/before advance/);
    expect(() => node.advance({ ...(rd as NonNullable<typeof rd>) })).toThrow(/not the outstanding/);
    node.advance(rd as NonNullable<typeof rd>);
  });

  test('an acknowledgement travels in the same Ready as the entries it acknowledges', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.node(1).propose(bytes('a'));
    c.process(1);
    c.deliver();
    const rd = c.process(2);
    expect(rd?.entries.map((e) => e.index)).toEqual([2]);
    expect(rd?.messages.find(ofType('appendResponse'))).toMatchObject({ reject: false, index: 2 });
    expect(rd?.mustSync).toBe(true);
  });

  test('entries replaced while their Ready was being persisted are handed out again', () => {
    const c = TestCluster.of(3);
    const node = c.node(3);
    node.step({ type: 'append', from: 1, to: 3, term: 1, prevIndex: 0, prevTerm: 0, entries: [entry(1, 1, 'old')], commit: 0 });
    const writing = node.ready() as NonNullable<ReturnType<typeof node.ready>>;
    expect(writing.entries).toEqual([entry(1, 1, 'old')]);
    // While that write is in flight, a leader of term 2 overwrites the entry.
    node.step({ type: 'append', from: 2, to: 3, term: 2, prevIndex: 0, prevTerm: 0, entries: [entry(1, 2, 'new')], commit: 0 });
    node.advance(writing);
    const next = node.ready();
    expect(next?.entries).toEqual([entry(1, 2, 'new')]);
    expect(next?.messages.find(ofType('appendResponse'))).toMatchObject({ to: 2, index: 1, reject: false });
  });

  test('mustSync is set for a new term, a vote or new entries, not for a commit index alone', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.node(1).propose(bytes('a'));
    c.process(1);
    c.deliver();
    c.process(2);
    c.deliver();
    c.process(1);
    c.deliver(); // n2 learns the new commit index
    const rd = c.process(2);
    expect(rd?.hardState?.commit).toBe(2);
    expect(rd?.entries).toEqual([]);
    expect(rd?.mustSync).toBe(false);
  });

  test('softState reports role and leader changes once', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    const roles = (c.readies.get(1) ?? []).flatMap((rd) => (rd.softState ? [`${rd.softState.role}/${rd.softState.leaderId}`] : []));
    expect(roles).toEqual(['pre-candidate/0', 'candidate/0', 'leader/1']);
    const followers = (c.readies.get(2) ?? []).flatMap((rd) => (rd.softState ? [`${rd.softState.role}/${rd.softState.leaderId}`] : []));
    expect(followers).toEqual(['follower/1']);
  });

  test('committed entries are handed out once each, in order, at most maxCommittedPerReady at a time', () => {
    const c = TestCluster.of(3, { maxCommittedPerReady: 2 });
    c.elect(1);
    for (const v of ['a', 'b', 'c', 'd', 'e']) c.node(1).propose(bytes(v));
    c.settle();
    c.tickAll(2);
    const batches = (c.readies.get(2) ?? []).map((rd) => rd.committed.length).filter((n) => n > 0);
    expect(Math.max(...batches)).toBeLessThanOrEqual(2);
    for (const id of [1, 2, 3]) {
      const indexes = c.applied.get(id)?.map((e) => e.index);
      expect(indexes).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  test('messages are plain data: they survive serialization unchanged', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.node(1).propose(bytes('payload'));
    c.node(1).readIndex('r');
    c.process(1);
    const sent = c.queue.slice();
    expect(sent.length).toBeGreaterThan(0);
    c.queue = sent.map(roundTrip);
    expect(c.queue).toEqual(sent);
    c.settle();
    expect(c.appliedData(2)).toEqual(['payload']);
  });
});

describe('heartbeats while a Ready is being persisted', () => {
  test('takeHeartbeats hands out the heartbeats of the durable term only, and leaves everything else for the next Ready', () => {
    const c = TestCluster.of(3, { broadcastCommit: false });
    c.elect(1);
    const leader = c.node(1);
    const r = leader.propose(bytes('a'));
    if (!r.ok) throw new Error(r.code);
    leader.tick(); // heartbeat round
    expect(leader.takeHeartbeats(leader.term - 1)).toEqual([]); // a term not yet on disk: nothing leaves early
    const early = leader.takeHeartbeats(leader.term);
    expect(early.map((m) => `${m.type}>${m.to}`)).toEqual(['heartbeat>2', 'heartbeat>3']);
    const rd = leader.ready();
    expect(rd?.messages.map((m) => m.type)).toEqual(['append', 'append']);
    expect(rd?.messages.some((m) => m.type === 'heartbeat')).toBe(false);
  });
});
