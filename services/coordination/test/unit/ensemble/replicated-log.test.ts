// The ensemble's commit log against a disk and a network the test holds: in what order a leader
// tells its followers of a commit and applies it ('persisted' notices with three voters, commit
// hints otherwise), and what a follower does with its forwarded writes when it briefly loses
// sight of its leader.
import { RaftNode, type Entry, type HardState, type Message } from '@ensemble/consensus';
import { createLogger, format, transports } from 'winston';
import type { PeerItem } from '../../../src/ensemble/peer-codec';
import type { PeerTransport } from '../../../src/ensemble/peer-transport';
import type { RaftStorage } from '../../../src/ensemble/raft-storage';
import { encodeEnvelope } from '../../../src/ensemble/entry-envelope';
import { ReplicatedLog, type ReplicatedLogHooks } from '../../../src/ensemble/replicated-log';
import type { Txn } from '../../../src/tree/types';

const logger = createLogger({ level: 'error', format: format.json(), transports: [new transports.Console({ silent: true })] });
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A state machine that only reports what it applies (every outcome: ok). */
function hooksApplying(onApply: (txn: Txn) => void): ReplicatedLogHooks {
  return {
    apply: (txn) => {
      onApply(txn);
      return { result: { ok: true, type: 'check' }, triggers: [] };
    },
    lastZxid: () => 0,
    serializeState: async () => Buffer.alloc(0),
    restoreState: () => undefined,
    onLeadershipGained: () => undefined,
    onLeadershipLost: () => undefined,
    onContactLost: () => undefined,
    onQuorumChange: () => undefined,
    touchSessions: () => undefined,
    onFatal: (err) => {
      throw err;
    },
  };
}

/**
 * Server 1 is a ReplicatedLog whose disk the test can hold; the `live` followers are bare cores
 * with instant disks; the other voters are down (every message to them is lost). With voters
 * 1-3 and follower 2, a quorum is 1 and 2, so what commits a write is whichever of 1's log write
 * and 2's acknowledgement comes last.
 */
function leaderWithFollowers(voters: number[], live: number[], followersReadPersisted = true) {
  const timeline: string[] = [];
  let holdDisk = false;
  const heldWrites: Array<() => void> = [];
  let written: HardState = { term: 0, vote: 0, commit: 0 };
  const storage = {
    needsHardStateWrite: (hs: HardState) => hs.term !== written.term || hs.vote !== written.vote,
    saveHardState: async (hs: HardState) => {
      written = hs;
    },
    appendEntries: async (_entries: readonly Entry[]) => {
      if (holdDisk) await new Promise<void>((resolve) => heldWrites.push(resolve));
      else await turn();
    },
    installSnapshot: async () => undefined,
    saveSnapshot: async () => ({ purgedSegments: [] }),
  } as unknown as RaftStorage;

  const followers = new Map(live.map((id) => [id, new RaftNode({ id, peers: voters, random: () => 0.99, storage: { hardState: { term: 0, vote: 0, commit: 0 }, entries: [] } })]));
  let queued: Array<{ to: number; item: PeerItem }> = [];
  const toFollowers: Message[] = [];
  // Like the real transport: what is queued leaves at the end of the turn, or at flush().
  const transport = {
    send: (to: number, item: PeerItem) => {
      if (!followers.has(to)) return;
      if (!followersReadPersisted && item.kind === 'raft' && item.message.type === 'persisted') return; // as the real transport does
      if (queued.push({ to, item }) === 1) setImmediate(() => transport.flush());
    },
    flush: () => {
      for (const { to, item } of queued) {
        if (item.kind === 'commit') timeline.push(`commit hint ${item.index} sent to ${to}`);
        if (item.kind === 'raft' && item.message.type === 'persisted') timeline.push(`persisted ${item.message.index} sent to ${to}`);
        if (item.kind === 'raft') toFollowers.push(item.message);
      }
      queued = [];
    },
    isUp: (peer: number) => followers.has(peer),
    supports: (peer: number) => followers.has(peer) && followersReadPersisted,
  } as unknown as PeerTransport;

  let now = 0;
  let acksHeld = false;
  const heldAcks: Message[] = [];
  const log = new ReplicatedLog({
    serverId: 1,
    node: new RaftNode({ id: 1, peers: voters, random: () => 0, storage: { hardState: { term: 0, vote: 0, commit: 0 }, entries: [] }, broadcastCommit: false }),
    storage, transport, voters, snapshotEvery: 1_000_000, snapshotRetain: 2, random: () => 0.5, logger,
    clock: () => now,
    leaderWaitMs: 10_000, readTimeoutMs: 10_000, readRetryMs: 1_000, pendingWritesMax: 100, contactTimeoutMs: 10_000, electionTicks: 10, spareAppendDelayMs: 0,
    hooks: hooksApplying((txn) => {
      if (txn.op.type !== 'noop') timeline.push(`applied ${txn.op.type}`);
    }),
  });

  /** Carries messages both ways (the follower's answers unless held) until nothing moves. */
  async function pump(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      await turn();
      let moved = false;
      for (const m of toFollowers.splice(0)) {
        followers.get(m.to)!.step(m);
        moved = true;
      }
      for (const follower of followers.values()) {
        const rd = follower.ready();
        if (!rd) continue;
        follower.advance(rd);
        if (acksHeld) heldAcks.push(...rd.messages);
        else for (const m of rd.messages) log.onItems(m.from, [{ kind: 'raft', message: m }]);
        moved = true;
      }
      if (!moved && queued.length === 0) return;
    }
  }

  async function elect(): Promise<void> {
    for (let i = 0; i < 40 && !log.leads; i++) {
      now += 50;
      log.tick();
      await pump();
    }
    expect(log.leads).toBe(true);
  }

  return {
    log, timeline, pump, elect, followers,
    holdDisk: () => {
      holdDisk = true;
    },
    releaseDisk: () => {
      holdDisk = false;
      for (const resolve of heldWrites.splice(0)) resolve();
    },
    holdAcks: () => {
      acksHeld = true;
    },
    releaseAcks: () => {
      acksHeld = false;
      for (const m of heldAcks.splice(0)) log.onItems(m.from, [{ kind: 'raft', message: m }]);
    },
  };
}

const check = { type: 'check', path: '/', version: -1 } as const;

test('three voters: the leader tells a follower its log write is done, and the follower commits without a hint', async () => {
  const c = leaderWithFollowers([1, 2, 3], [2]);
  await c.elect();
  c.timeline.length = 0;
  c.holdAcks();
  const done = jest.fn();
  c.log.propose(0, check, done);
  await c.pump(); // the leader's own write is done; the follower's answer is on its way
  const index = c.log.driver.node.status().lastIndex;
  expect(c.timeline).toEqual([`persisted ${index} sent to 2`]);
  expect(c.followers.get(2)!.commitIndex).toBe(index);

  c.releaseAcks();
  await c.pump();
  expect(c.timeline).toEqual([`persisted ${index} sent to 2`, 'applied check']);
  expect(done).toHaveBeenCalledWith(expect.objectContaining({ ok: true }));
  await c.log.close();
});

test('three voters, a follower of an older build (no persisted notices): it still gets its commit hint, before the leader applies', async () => {
  const c = leaderWithFollowers([1, 2, 3], [2], false);
  await c.elect();
  c.timeline.length = 0;
  c.holdAcks();
  const done = jest.fn();
  c.log.propose(0, check, done);
  await c.pump();
  expect(c.timeline).toEqual([]);

  c.releaseAcks();
  await c.pump();
  const index = c.log.driver.node.status().commit;
  expect(c.timeline).toEqual([`commit hint ${index} sent to 2`, 'applied check']);
  expect(done).toHaveBeenCalledWith(expect.objectContaining({ ok: true }));
  await c.log.close();
});

test('five voters: the leader hints a commit to its followers before it applies the entry', async () => {
  const c = leaderWithFollowers([1, 2, 3, 4, 5], [2, 3]);
  await c.elect();
  c.timeline.length = 0;
  c.holdAcks();
  const done = jest.fn();
  c.log.propose(0, check, done);
  await c.pump(); // the leader's own write is done; the followers' answers are on their way
  expect(c.timeline).toEqual([]);

  c.releaseAcks();
  await c.pump();
  const index = c.log.driver.node.status().commit;
  expect(c.timeline).toEqual([`commit hint ${index} sent to 2`, `commit hint ${index} sent to 3`, 'applied check']);
  expect(done).toHaveBeenCalledWith(expect.objectContaining({ ok: true }));
  await c.log.close();
});

test('the leader hints a commit at once when its own log write completes the quorum, without waiting for a heartbeat', async () => {
  const c = leaderWithFollowers([1, 2, 3], [2]);
  await c.elect();
  c.timeline.length = 0;
  c.holdDisk();
  const done = jest.fn();
  c.log.propose(0, check, done);
  await c.pump(); // the follower has acknowledged; the leader's own write is still running
  expect(c.timeline).toEqual([]);
  expect(done).not.toHaveBeenCalled();

  c.releaseDisk(); // no tick from here on: a heartbeat would carry the commit index only at the next one
  await c.pump();
  const index = c.log.driver.node.status().commit;
  expect(c.timeline).toEqual([`commit hint ${index} sent to 2`, 'applied check']);
  expect(done).toHaveBeenCalledWith(expect.objectContaining({ ok: true }));
  await c.log.close();
});

/**
 * Server 1 is a ReplicatedLog following server 2, a bare core that leads; server 3 is down. The
 * test carries messages and decides when server 2 hears about writes forwarded to it.
 */
function followerOfBareLeader() {
  const voters = [1, 2, 3];
  const leader = new RaftNode({ id: 2, peers: voters, random: () => 0, storage: { hardState: { term: 0, vote: 0, commit: 0 }, entries: [] } });
  const storage = {
    needsHardStateWrite: () => true,
    saveHardState: async () => undefined,
    appendEntries: async () => turn(),
    installSnapshot: async () => undefined,
    saveSnapshot: async () => ({ purgedSegments: [] }),
  } as unknown as RaftStorage;
  let queued: PeerItem[] = [];
  const forwarded: Array<{ incarnation: number; requestId: number; txn: Buffer }> = [];
  const transport = {
    send: (to: number, item: PeerItem) => {
      if (to !== 2) return;
      if (queued.push(item) === 1) setImmediate(() => transport.flush());
    },
    flush: () => {
      for (const item of queued) if (item.kind === 'forward') forwarded.push(item);
      toLeader.push(...queued.flatMap((item) => (item.kind === 'raft' ? [item.message] : [])));
      queued = [];
    },
    isUp: (peer: number) => peer === 2,
  } as unknown as PeerTransport;
  const toLeader: Message[] = [];
  const log = new ReplicatedLog({
    serverId: 1,
    node: new RaftNode({ id: 1, peers: voters, random: () => 0.99, storage: { hardState: { term: 0, vote: 0, commit: 0 }, entries: [] }, broadcastCommit: false }),
    storage, transport, voters, snapshotEvery: 1_000_000, snapshotRetain: 2, random: () => 0.5, logger,
    clock: () => 0,
    leaderWaitMs: 10_000, readTimeoutMs: 10_000, readRetryMs: 1_000, pendingWritesMax: 100, contactTimeoutMs: 10_000, electionTicks: 10, spareAppendDelayMs: 0,
    hooks: hooksApplying(() => undefined),
  });
  /** Carries messages both ways until nothing moves; `mute`: the leader's messages are lost. */
  async function pump(mute = false): Promise<void> {
    for (let round = 0; round < 50; round++) {
      await turn();
      let moved = false;
      for (const m of toLeader.splice(0)) {
        if (!mute) leader.step(m);
        moved = true;
      }
      const rd = leader.ready();
      if (rd) {
        leader.advance(rd);
        const mine = rd.messages.filter((m) => m.to === 1);
        if (!mute && mine.length > 0) log.onItems(2, mine.map((message) => ({ kind: 'raft', message })));
        moved = true;
      }
      if (!moved && queued.length === 0) return;
    }
  }
  return { log, leader, forwarded, pump };
}

test('a follower that briefly lost its leader (a failed pre-vote in the same term) keeps waiting for its forwarded writes', async () => {
  const { log, leader, forwarded, pump } = followerOfBareLeader();
  for (let i = 0; i < 40 && leader.role !== 'leader'; i++) {
    leader.tick();
    await pump();
  }
  expect(leader.role).toBe('leader');
  await pump();
  const done = jest.fn();
  log.propose(0, check, done);
  await pump();
  expect(forwarded).toHaveLength(1);

  // The leader's heartbeats do not get through for a while: the follower campaigns (pre-vote,
  // same term), which changes nothing the write depends on.
  for (let i = 0; i < 25; i++) {
    log.tick();
    await pump(true);
  }
  expect(log.driver.node.role).toBe('pre-candidate');
  expect(done).not.toHaveBeenCalled();

  // The leader had the write all along; it commits it, and the follower answers its client.
  const { incarnation, requestId, txn } = forwarded[0];
  const r = leader.propose(encodeEnvelope({ origin: 1, incarnation, requestId, timeMs: 0, txn }));
  expect(r.ok).toBe(true);
  for (let i = 0; i < 5 && !done.mock.calls.length; i++) {
    leader.tick();
    await pump();
  }
  expect(log.driver.node.role).toBe('follower');
  expect(done).toHaveBeenCalledWith(expect.objectContaining({ ok: true }));
  await log.close();
});
