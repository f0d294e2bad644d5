import { RaftNode, type Entry, type HardState, type Message } from '@ensemble/consensus';
import { createLogger, format, transports } from 'winston';
import type { PeerItem } from '../../../src/ensemble/peer-codec';
import { RaftDriver } from '../../../src/ensemble/raft-driver';
import type { PeerTransport } from '../../../src/ensemble/peer-transport';
import type { RaftStorage } from '../../../src/ensemble/raft-storage';

const VOTERS = [1, 2, 3];
const logger = createLogger({ level: 'error', format: format.json(), transports: [new transports.Console({ silent: true })] });
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Server 1 runs under the driver, with a disk and a network that record what happens in which
 * order; servers 2 and 3 are bare cores whose messages are handed over by `pump`.
 */
function cluster(opts: { snapshotEvery?: number; random?: () => number } = {}) {
  const timeline: string[] = [];
  let holdDisk = false;
  const heldWrites: Array<() => void> = [];
  const peers = new Map([2, 3].map((id) => [id, new RaftNode({ id, peers: VOTERS, random: () => 0.99, storage: { hardState: { term: 0, vote: 0, commit: 0 }, entries: [] } })]));
  let queued: Array<{ to: number; message: Message }> = [];
  const delivered: Array<{ to: number; message: Message }> = [];
  let written: HardState = { term: 0, vote: 0, commit: 0 };
  const storage = {
    needsHardStateWrite: (hs: HardState) => hs.term !== written.term || hs.vote !== written.vote,
    saveHardState: async (hs: HardState) => {
      written = hs;
    },
    appendEntries: async (entries: readonly Entry[], opts: { sendsPending?: boolean } = {}) => {
      timeline.push(`log write of ${entries.map((e) => e.index).join(',')}${opts.sendsPending ? ' after the sends' : ''}`);
      if (holdDisk) await new Promise<void>((resolve) => heldWrites.push(resolve)); // a stalled fsync
      else await turn(); // the fsync
    },
    installSnapshot: async () => undefined,
    saveSnapshot: async (snapshot: { index: number }) => {
      timeline.push(`snapshot at ${snapshot.index}`);
      return { purgedSegments: [] };
    },
  } as unknown as RaftStorage;
  // Like the real transport: what is queued leaves at the end of the turn, or at flush().
  const transport = {
    send: (to: number, item: PeerItem) => {
      if (item.kind !== 'raft') return;
      if (queued.push({ to, message: item.message }) === 1) setImmediate(() => transport.flush());
    },
    flush: () => {
      for (const q of queued) {
        if (q.message.type === 'append' && q.message.entries.length > 0) timeline.push(`append of ${q.message.entries.map((e) => e.index).join(',')} sent to ${q.to}`);
        if (q.message.type === 'heartbeat') timeline.push(`heartbeat sent to ${q.to}`);
      }
      delivered.push(...queued);
      queued = [];
    },
  } as unknown as PeerTransport;
  const driver = new RaftDriver({
    node: new RaftNode({ id: 1, peers: VOTERS, random: () => 0, storage: { hardState: { term: 0, vote: 0, commit: 0 }, entries: [] }, broadcastCommit: false }),
    storage, transport, voters: VOTERS, snapshotEvery: opts.snapshotEvery ?? 1_000_000, snapshotRetain: 2, random: opts.random ?? (() => 0.5), logger,
    hooks: {
      restoreSnapshot: () => undefined, applyEntry: () => undefined, serializeState: async () => Buffer.alloc(0),
      beforeApply: () => undefined, afterReady: () => undefined, afterApply: () => undefined,
      onFatal: (err) => {
        throw err;
      },
    },
  });
  /** Lets the driver run and carries messages both ways until nothing moves. */
  async function pump(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      await turn();
      let moved = false;
      for (const { to, message } of delivered.splice(0)) {
        peers.get(to)!.step(message);
        moved = true;
      }
      for (const node of peers.values()) {
        const rd = node.ready();
        if (!rd) continue;
        for (const m of rd.messages) driver.step(m.from, m);
        node.advance(rd);
        moved = true;
      }
      if (!moved && queued.length === 0) return;
    }
  }
  const disk = {
    hold: () => {
      holdDisk = true;
    },
    release: () => {
      holdDisk = false;
      for (const resolve of heldWrites.splice(0)) resolve();
    },
  };
  return { driver, timeline, pump, disk };
}

async function elect(c: ReturnType<typeof cluster>): Promise<void> {
  for (let i = 0; i < 40 && c.driver.node.role !== 'leader'; i++) {
    c.driver.tick();
    await c.pump();
  }
  expect(c.driver.node.role).toBe('leader');
}

/** A cluster whose server 1 leads, with the election cleared from the timeline. */
async function ledCluster(): Promise<ReturnType<typeof cluster>> {
  const c = cluster();
  await elect(c);
  c.timeline.length = 0;
  return c;
}

/** Server 1, a follower, is sent entry 1 by server 2. */
function appendFromLeader(driver: RaftDriver): void {
  const entry: Entry = { term: 1, index: 1, type: 'normal', data: Buffer.from('write') };
  driver.step(2, { type: 'append', from: 2, to: 1, term: 1, prevIndex: 0, prevTerm: 0, entries: [entry], commit: 0 });
}

test('snapshot intervals are drawn from [every/2, every), so replicas do not all snapshot at once', async () => {
  const firstSnapshots: string[] = [];
  for (const random of [() => 0, () => 0.99]) {
    const c = cluster({ snapshotEvery: 10, random });
    await elect(c);
    for (let i = 0; i < 12; i++) {
      c.driver.node.propose(Buffer.from(`w${i}`));
      c.driver.schedule();
      await c.pump();
    }
    firstSnapshots.push(c.timeline.find((t) => t.startsWith('snapshot')) ?? 'none');
    await c.driver.stop();
  }
  expect(firstSnapshots).toEqual(['snapshot at 5', 'snapshot at 9']);
});

test('a leader sends its appends before its own log write starts, not at the end of the turn', async () => {
  const { driver, timeline, pump } = await ledCluster();
  const r = driver.node.propose(Buffer.from('write'));
  if (!r.ok) throw new Error(r.code);
  driver.schedule();
  await pump();

  expect(timeline.slice(0, 3)).toEqual([`append of ${r.index} sent to 2`, `append of ${r.index} sent to 3`, `log write of ${r.index}`]);
  expect(driver.node.status().commit).toBe(r.index);
  await driver.stop();
});

test('a follower that has sent nothing in the turn does not make its log write wait for the sends', async () => {
  const { driver, timeline } = cluster();
  appendFromLeader(driver);
  await turn();
  await turn();
  expect(driver.node.role).toBe('follower');
  expect(timeline).toEqual(['log write of 1']);
  await driver.stop();
});

test('a follower starts its log write when the callback that brought the append is done, not at the end of the turn', async () => {
  const { driver, timeline } = cluster();
  appendFromLeader(driver);
  await Promise.resolve();
  expect(timeline).toEqual(['log write of 1']);
  await driver.stop();
});

test('a leader with writes in flight collects the proposals of a whole turn into one Ready: one append per follower, one log write', async () => {
  const { driver, timeline, pump } = await ledCluster();
  const inFlight = driver.node.propose(Buffer.from('x'));
  driver.schedule();
  await turn(); // x is sent and on the leader's disk; the followers have not answered
  await turn();
  if (!inFlight.ok) throw new Error(inFlight.code);
  expect(driver.node.commitIndex).toBeLessThan(inFlight.index);
  timeline.length = 0;

  const first = driver.node.propose(Buffer.from('a'));
  driver.schedule();
  await Promise.resolve(); // another callback of the same turn
  const second = driver.node.propose(Buffer.from('b'));
  driver.schedule();
  if (!first.ok || !second.ok) throw new Error('proposal refused');
  await pump();
  const both = `${first.index},${second.index}`;
  expect(timeline.slice(0, 3)).toEqual([`append of ${both} sent to 2`, `append of ${both} sent to 3`, `log write of ${both}`]);
  await driver.stop();
});

test("a leader with nothing in flight sends a lone write's appends when the callback that brought it is done, not at the end of the turn", async () => {
  const { driver, timeline, pump } = await ledCluster();
  const r = driver.node.propose(Buffer.from('write'));
  if (!r.ok) throw new Error(r.code);
  driver.schedule();
  await Promise.resolve();
  expect(timeline).toEqual([`append of ${r.index} sent to 2`, `append of ${r.index} sent to 3`, `log write of ${r.index}`]);
  await pump();
  expect(driver.node.status().commit).toBe(r.index);
  await driver.stop();
});

test('a leader whose log write stalls still sends its heartbeats, and nothing else, until the write is done', async () => {
  const c = cluster();
  const { driver, timeline, pump, disk } = c;
  await elect(c);
  disk.hold();
  const r = driver.node.propose(Buffer.from('write'));
  if (!r.ok) throw new Error(r.code);
  driver.schedule();
  await pump();
  timeline.length = 0;

  for (let i = 0; i < 3; i++) {
    driver.tick();
    await turn();
  }
  expect(timeline).toEqual(['heartbeat sent to 2', 'heartbeat sent to 3', 'heartbeat sent to 2', 'heartbeat sent to 3', 'heartbeat sent to 2', 'heartbeat sent to 3']);

  disk.release();
  await pump();
  expect(driver.node.status().commit).toBe(r.index);
  await driver.stop();
});
