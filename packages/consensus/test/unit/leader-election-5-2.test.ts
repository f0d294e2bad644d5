// Raft §5.2 Leader election: timeouts, one vote per term, majorities, and what candidates do
// when they hear from a leader or lose.
import { RaftNode, type Message, type VoteMessage } from '@ensemble/consensus';
import { MemoryDisk, TestCluster, ofType } from './harness';

function voteRequest(from: number, to: number, term: number, lastIndex = 0, lastTerm = 0): VoteMessage {
  return { type: 'vote', from, to, term, lastIndex, lastTerm, transfer: false };
}

function summary(messages: Message[]): Array<[string, number, number]> {
  return messages.map((m) => [m.type, m.to, m.term]);
}

describe('Raft §5.2 leader election', () => {
  test('a follower that hears from no leader for an election timeout runs a pre-vote, then an election, and wins', () => {
    const c = TestCluster.of(3);
    c.tick(1, 9);
    expect(c.process(1)).toBeNull();

    c.tick(1);
    const pre = c.process(1);
    expect(pre?.softState?.role).toBe('pre-candidate');
    expect(summary(pre?.messages ?? [])).toEqual([['preVote', 2, 1], ['preVote', 3, 1]]);
    expect(pre?.hardState).toBeUndefined(); // a dry run changes nothing durable

    c.deliver();
    c.processAll();
    c.deliver(); // the grants arrive: a majority, so the real election starts
    const election = c.process(1);
    expect(election?.hardState).toEqual({ term: 1, vote: 1, commit: 0 });
    expect(summary(election?.messages.filter(ofType('vote')) ?? [])).toEqual([['vote', 2, 1], ['vote', 3, 1]]);

    c.settle();
    expect(c.node(1).role).toBe('leader');
    expect(c.node(2).leaderId).toBe(1);
    expect(c.node(3).leaderId).toBe(1);
    expect([1, 2, 3].map((id) => c.node(id).term)).toEqual([1, 1, 1]);
  });

  test('election timeouts are randomized in [electionTicks, 2 * electionTicks)', () => {
    const early = new TestCluster([1, 2, 3], { random: () => 0 });
    early.tick(1, 10);
    expect(early.node(1).role).toBe('pre-candidate');

    const late = new TestCluster([1, 2, 3], { random: () => 0.999 });
    late.tick(1, 18);
    expect(late.node(1).role).toBe('follower');
    late.tick(1);
    expect(late.node(1).role).toBe('pre-candidate');
  });

  test('a voter grants at most one vote per term, first come first served', () => {
    const c = TestCluster.of(3);
    c.node(2).step(voteRequest(1, 2, 1));
    c.node(2).step(voteRequest(3, 2, 1));
    const rd = c.process(2);
    const answers = (rd?.messages ?? []).filter(ofType('voteResponse')).map((m) => [m.to, m.reject]);
    expect(answers).toEqual([[1, false], [3, true]]);
    // The same candidate asking again (a retransmission) is granted again.
    c.node(2).step(voteRequest(1, 2, 1));
    expect(c.process(2)?.messages.filter(ofType('voteResponse')).map((m) => m.reject)).toEqual([false]);
  });

  test('the vote is persisted in the Ready that carries the grant, and survives a restart', () => {
    const c = TestCluster.of(3);
    c.node(2).step(voteRequest(1, 2, 4));
    const rd = c.process(2);
    expect(rd?.hardState).toEqual({ term: 4, vote: 1, commit: 0 });
    expect(rd?.mustSync).toBe(true);
    expect(rd?.messages.filter(ofType('voteResponse')).map((m) => m.reject)).toEqual([false]);

    c.crash(2);
    const restarted = c.start(2);
    restarted.step(voteRequest(3, 2, 4));
    expect(c.process(2)?.messages.filter(ofType('voteResponse')).map((m) => m.reject)).toEqual([true]);
  });

  test('a candidate that hears from a leader of its own term becomes its follower', () => {
    const c = TestCluster.of(3, { preVote: false });
    c.tick(1, 10);
    expect(c.node(1).role).toBe('candidate');
    c.node(1).step({ type: 'heartbeat', from: 2, to: 1, term: 1, commit: 0, readSeq: 0 });
    expect(c.node(1).role).toBe('follower');
    expect(c.node(1).leaderId).toBe(2);
  });

  test('a candidate rejected by a majority returns to follower without waiting for a timeout', () => {
    const c = TestCluster.of(3, { preVote: false });
    c.tick(1, 10);
    c.process(1);
    c.take(() => true);
    c.node(1).step({ type: 'voteResponse', from: 2, to: 1, term: 1, reject: true });
    expect(c.node(1).role).toBe('candidate');
    c.node(1).step({ type: 'voteResponse', from: 3, to: 1, term: 1, reject: true });
    expect(c.node(1).role).toBe('follower');
    expect(c.node(1).term).toBe(1);
  });

  test('two candidates in one term: at most one of them wins (election safety)', () => {
    const c = TestCluster.of(3, { preVote: false });
    c.tick(1, 10);
    c.tick(2, 10);
    c.settle();
    const leaders = [1, 2, 3].filter((id) => c.node(id).role === 'leader');
    expect(leaders).toHaveLength(1);
    expect(c.node(leaders[0] as number).term).toBe(1);
  });

  test('a leader sends heartbeats every heartbeatTicks and its followers never campaign', () => {
    const c = TestCluster.of(3, { heartbeatTicks: 2 });
    c.elect(1);
    c.tick(1);
    expect(c.process(1)).toBeNull();
    c.tick(1);
    expect(summary(c.process(1)?.messages ?? [])).toEqual([['heartbeat', 2, 1], ['heartbeat', 3, 1]]);
    c.settle();
    c.tickAll(60);
    expect(c.node(1).role).toBe('leader');
    expect([1, 2, 3].map((id) => c.node(id).term)).toEqual([1, 1, 1]);
  });

  test('a node restarted from disk keeps its term and vote and starts as a follower', () => {
    const disk = new MemoryDisk({ hardState: { term: 7, vote: 3, commit: 0 } });
    const node = new RaftNode({ id: 1, peers: [1, 2, 3], random: () => 0, storage: disk.load() });
    expect(node.status()).toMatchObject({ term: 7, vote: 3, role: 'follower', leaderId: 0 });
    expect(node.ready()).toBeNull();
  });

  test('misconfiguration is a bug and is refused loudly', () => {
    const storage = { hardState: { term: 0, vote: 0, commit: 0 }, entries: [] };
    expect(() => new RaftNode({ id: 4, peers: [1, 2, 3], random: () => 0, storage })).toThrow(/include this node/);
    expect(() => new RaftNode({ id: 1, peers: [1, 1, 2], random: () => 0, storage })).toThrow(/repeat/);
    expect(() => new RaftNode({ id: 1, peers: [1], electionTicks: 1, random: () => 0, storage })).toThrow(/electionTicks/);
    expect(() => new RaftNode({ id: 1, peers: [1], random: () => 0, storage: { ...storage, hardState: { term: 1, vote: 0, commit: 5 } } }))
      .toThrow(/commit 5 beyond/);
  });
});
