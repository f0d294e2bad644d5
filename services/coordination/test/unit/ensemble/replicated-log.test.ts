import { RaftNode, type Entry, type HardState, type Message } from '@ensemble/consensus';
import { createLogger, format, transports } from 'winston';
import type { PeerItem } from '../../../src/ensemble/peer-codec';
import type { PeerTransport } from '../../../src/ensemble/peer-transport';
import type { RaftStorage } from '../../../src/ensemble/raft-storage';
import { ReplicatedLog } from '../../../src/ensemble/replicated-log';

const VOTERS = [1, 2, 3];
const logger = createLogger({ level: 'error', format: format.json(), transports: [new transports.Console({ silent: true })] });
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Server 1 is a ReplicatedLog whose disk the test can hold; server 2 is a bare core with an
 * instant disk; server 3 is down (every message to it is lost). A quorum is 1 and 2, so what
 * commits a write is whichever of 1's log write and 2's acknowledgement comes last.
 */
function leaderWithFollower() {
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

  const follower = new RaftNode({ id: 2, peers: VOTERS, random: () => 0.99, storage: { hardState: { term: 0, vote: 0, commit: 0 }, entries: [] } });
  let queued: Array<{ to: number; item: PeerItem }> = [];
  const toFollower: Message[] = [];
  // Like the real transport: what is queued leaves at the end of the turn, or at flush().
  const transport = {
    send: (to: number, item: PeerItem) => {
      if (to !== 2) return;
      if (queued.push({ to, item }) === 1) setImmediate(() => transport.flush());
    },
    flush: () => {
      for (const { item } of queued) {
        if (item.kind === 'commit') timeline.push(`commit hint ${item.index} sent`);
        if (item.kind === 'raft') toFollower.push(item.message);
      }
      queued = [];
    },
    isUp: (peer: number) => peer === 2,
  } as unknown as PeerTransport;

  let now = 0;
  let acksHeld = false;
  const heldAcks: Message[] = [];
  const log = new ReplicatedLog({
    serverId: 1,
    node: new RaftNode({ id: 1, peers: VOTERS, random: () => 0, storage: { hardState: { term: 0, vote: 0, commit: 0 }, entries: [] }, broadcastCommit: false }),
    storage, transport, voters: VOTERS, snapshotEvery: 1_000_000, snapshotRetain: 2, random: () => 0.5, logger,
    clock: () => now,
    leaderWaitMs: 10_000, readTimeoutMs: 10_000, readRetryMs: 1_000, pendingWritesMax: 100, contactTimeoutMs: 10_000, electionTicks: 10,
    hooks: {
      apply: (txn) => {
        if (txn.op.type !== 'noop') timeline.push(`applied ${txn.op.type}`);
        return { result: { ok: true, type: 'check' }, triggers: [] };
      },
      lastZxid: () => 0,
      serializeState: async () => Buffer.alloc(0),
      restoreState: () => undefined,
      onLeadershipGained: () => undefined,
      onLeadershipLost: () => undefined,
      onContactLost: () => undefined,
      touchSessions: () => undefined,
      onFatal: (err) => {
        throw err;
      },
    },
  });

  /** Carries messages both ways (the follower's answers unless held) until nothing moves. */
  async function pump(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      await turn();
      let moved = false;
      for (const m of toFollower.splice(0)) {
        follower.step(m);
        moved = true;
      }
      const rd = follower.ready();
      if (rd) {
        follower.advance(rd);
        if (acksHeld) heldAcks.push(...rd.messages);
        else for (const m of rd.messages) log.onItems(2, [{ kind: 'raft', message: m }]);
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
    log, timeline, pump, elect,
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
      for (const m of heldAcks.splice(0)) log.onItems(2, [{ kind: 'raft', message: m }]);
    },
  };
}

const check = { type: 'check', path: '/', version: -1 } as const;

test('the leader hints a commit to its followers before it applies the entry (acknowledgement last)', async () => {
  const c = leaderWithFollower();
  await c.elect();
  c.timeline.length = 0;
  c.holdAcks();
  const done = jest.fn();
  c.log.propose(0, check, done);
  await c.pump(); // the leader's own write is done; the follower's answer is on its way
  expect(c.timeline).toEqual([]);

  c.releaseAcks();
  await c.pump();
  const index = c.log.driver.node.status().commit;
  expect(c.timeline).toEqual([`commit hint ${index} sent`, 'applied check']);
  expect(done).toHaveBeenCalledWith(expect.objectContaining({ ok: true }));
  await c.log.close();
});

test('the leader hints a commit at once when its own log write completes the quorum, without waiting for a heartbeat', async () => {
  const c = leaderWithFollower();
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
  expect(c.timeline).toEqual([`commit hint ${index} sent`, 'applied check']);
  expect(done).toHaveBeenCalledWith(expect.objectContaining({ ok: true }));
  await c.log.close();
});
