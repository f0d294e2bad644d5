// Quorum-first replication: with three servers a write needs the leader and one follower on disk.
// The follower it does not need gets the entries in batches (--spare-append-delay) and syncs once
// per batch, not once per write; a client there still sees every write, at once after a sync.
import { CoordClient } from '@ensemble/coord-client';
import { killAllServiceProcesses, waitFor } from '@ensemble/common';
import { Ensemble } from '../../support/ensemble-harness';

let ensemble: Ensemble | null = null;

afterAll(async () => {
  await ensemble?.stop();
  killAllServiceProcesses();
});

async function fsyncs(e: Ensemble, id: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${e.member(id).adminPort}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(/^coord_fsyncs_total\{[^}]*\} (\d+)$/gm)) sum += Number(m[1]);
  return sum;
}

test('the follower no write needs syncs once per batch, and a sync there sees the latest write', async () => {
  // A long delay, so that the counts below do not depend on how fast this machine is.
  ensemble = await Ensemble.start({ size: 3, args: ['--spare-append-delay', '400ms'] });
  const e = ensemble;
  const leader = await e.waitForLeader();
  const [origin, spare] = [1, 2, 3].filter((id) => id !== leader);
  const writer = await CoordClient.connect(e.connectString([origin]), { sessionTimeoutMs: 5000 });
  const reader = await CoordClient.connect(e.connectString([spare]), { sessionTimeoutMs: 5000 });
  try {
    await writeThenRead(e, { leader, origin, spare }, writer, reader);
  } finally {
    await Promise.all([writer.close(), reader.close()].map((p) => p.catch(() => undefined)));
  }
});

async function writeThenRead(e: Ensemble, ids: { leader: number; origin: number; spare: number }, writer: CoordClient, reader: CoordClient): Promise<void> {
  const { leader, origin, spare } = ids;
  await writer.create('/q', Buffer.from('0'));
  await e.waitCaughtUp();

  const before = new Map(await Promise.all([leader, origin, spare].map(async (id) => [id, await fsyncs(e, id)] as const)));
  const WRITES = 60;
  for (let i = 1; i <= WRITES; i++) await writer.setData('/q', Buffer.from(String(i)));
  const synced = async (id: number): Promise<number> => (await fsyncs(e, id)) - before.get(id)!;
  // Every write waited for the leader's and its origin's fdatasync; the spare follower had them in batches.
  expect(await synced(leader)).toBeGreaterThanOrEqual(WRITES);
  expect(await synced(origin)).toBeGreaterThanOrEqual(WRITES);
  expect(await synced(spare)).toBeLessThan(WRITES / 4);

  await reader.sync('/q');
  expect((await reader.getData('/q')).data.toString()).toBe(String(WRITES));

  // Without a sync, the spare follower gets there by itself.
  await writer.setData('/q', Buffer.from('last'));
  await waitFor(async () => (await reader.getData('/q')).data.toString() === 'last', { timeoutMs: 10_000, what: 'the spare follower to apply the last write' });
  await e.waitConverged();
}
