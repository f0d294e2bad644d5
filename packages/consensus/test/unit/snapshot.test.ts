// Raft §7 Log compaction: the shell snapshots what it applied, the log before it goes, and a
// follower behind the leader's first index is sent the snapshot (InstallSnapshot).
import { RaftNode, type Snapshot } from '@ensemble/consensus';
import { bytes, entries, MemoryDisk, TestCluster, ofType, text } from './harness';

function snapshot(index: number, term: number, voters = [1, 2, 3]): Snapshot {
  return { index, term, data: bytes(`state@${index}`), voters };
}

/** n1 leads; n3 missed a, b, c; n1 has compacted them away. */
function laggingFollower(): TestCluster {
  const c = TestCluster.of(3);
  c.elect(1);
  c.isolate(3);
  for (const v of ['a', 'b', 'c']) c.node(1).propose(bytes(v));
  c.settle();
  expect(c.node(1).compact(4, bytes('state@4'))).toEqual({ ok: true });
  return c;
}

describe('Raft §7 snapshots', () => {
  test('compact takes only applied entries, once', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.node(1).propose(bytes('a'));
    c.settle();
    expect(c.node(1).compact(3, bytes('x'))).toEqual({ ok: false, code: 'NOT_APPLIED' });
    expect(c.node(1).compact(2, bytes('x'))).toEqual({ ok: true });
    expect(c.node(1).compact(2, bytes('x'))).toEqual({ ok: false, code: 'ALREADY_COMPACTED' });
    expect(c.node(1).status()).toMatchObject({ snapshotIndex: 2, snapshotTerm: 1, firstIndex: 3 });
  });

  test('a follower behind the leader\'s first index is sent the snapshot, installs it, then gets the rest', () => {
    const c = laggingFollower();
    c.heal();
    c.tickAll(3);
    const installed = c.readies.get(3)?.find((rd) => rd.snapshot !== undefined);
    expect(installed?.snapshot).toMatchObject({ index: 4, term: 1, voters: [1, 2, 3] });
    expect(text(installed?.snapshot?.data ?? new Uint8Array())).toBe('state@4');
    expect(installed?.committed).toEqual([]); // nothing else is applied until the snapshot is
    expect(c.disks.get(3)?.snapshot?.index).toBe(4);
    expect(c.node(1).status().progress.get(3)).toMatchObject({ state: 'replicate', match: 4 });

    c.node(1).propose(bytes('d'));
    c.settle();
    c.tickAll(1);
    expect(c.appliedData(3)).toEqual(['d']);
    expect(c.node(3).status()).toMatchObject({ commit: 5, applied: 5, snapshotIndex: 4 });
  });

  test('a failed snapshot transfer sends the follower back to probing, and it is retried', () => {
    const c = laggingFollower();
    c.heal();
    let lost = 0;
    for (let t = 0; t < 3 && lost === 0; t++) {
      c.tick(1);
      c.settle((m) => {
        if (m.type !== 'snapshot') return true;
        lost++;
        return false;
      });
    }
    expect(lost).toBe(1);
    expect(c.node(1).status().progress.get(3)?.state).toBe('snapshot'); // waits for the transport
    c.node(1).reportSnapshot(3, false);
    expect(c.node(1).status().progress.get(3)?.state).toBe('probe');
    c.tickAll(3);
    expect(c.disks.get(3)?.snapshot?.index).toBe(4);
  });

  test('a snapshot not beyond the commit index is stale: ignored, answered with the commit index', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.node(1).propose(bytes('a'));
    c.settle();
    c.tickAll(1);
    c.node(2).step({ type: 'snapshot', from: 1, to: 2, term: 1, snapshot: snapshot(1, 1) });
    const rd = c.process(2);
    expect(rd?.snapshot).toBeUndefined();
    expect(rd?.messages.find(ofType('appendResponse'))).toMatchObject({ reject: false, index: 2 });
  });

  test('a snapshot whose last entry the follower holds only moves its commit index', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    c.isolate(1);
    c.node(1).propose(bytes('a'));
    c.process(1);
    const append = c.take((m) => m.type === 'append' && m.to === 2);
    c.heal();
    for (const m of append) c.node(2).step(m); // n2 holds index 2, not yet known committed
    c.processAll();
    expect(c.node(2).commitIndex).toBe(1);
    c.node(2).step({ type: 'snapshot', from: 1, to: 2, term: 1, snapshot: snapshot(2, 1) });
    const rd = c.process(2);
    expect(rd?.snapshot).toBeUndefined();
    expect(c.node(2).commitIndex).toBe(2);
    expect(rd?.committed.map((e) => text(e.data))).toEqual(['a']);
  });

  test('a node restarts from its snapshot plus the entries after it, applying only those', () => {
    const disk = new MemoryDisk({
      hardState: { term: 2, vote: 1, commit: 6 },
      snapshot: snapshot(4, 2),
      entries: entries(1, 1, 2, 2, 2, 2).slice(4),
    });
    const node = new RaftNode({ id: 1, peers: [1, 2, 3], random: () => 0, storage: disk.load() });
    expect(node.status()).toMatchObject({ firstIndex: 5, lastIndex: 6, commit: 6, applied: 4, snapshotIndex: 4 });
    expect(node.ready()?.committed.map((e) => e.index)).toEqual([5, 6]);
  });

  test('restore() installs a snapshot the shell obtained itself, with clear refusals', () => {
    const c = TestCluster.of(3);
    c.elect(1);
    expect(c.node(1).restore(snapshot(10, 1))).toEqual({ ok: false, code: 'IS_LEADER' });
    expect(c.node(2).restore(snapshot(10, 1, [1, 2, 9]))).toEqual({ ok: false, code: 'WRONG_VOTERS' });
    expect(c.node(2).restore(snapshot(1, 1))).toEqual({ ok: false, code: 'STALE_SNAPSHOT' });
    expect(c.node(2).restore(snapshot(10, 1))).toEqual({ ok: true });
    expect(c.node(2).compact(10, bytes('x'))).toEqual({ ok: false, code: 'SNAPSHOT_PENDING' });
    const rd = c.process(2);
    expect(rd?.snapshot?.index).toBe(10);
    expect(c.node(2).status()).toMatchObject({ commit: 10, applied: 10, lastIndex: 10, snapshotIndex: 10 });
  });
});
