// Replicated sessions: a client whose server dies resumes its session on another server with
// its ephemerals and watches; a client never connects to a server that is behind what it has
// seen; a live client connected to a follower is kept alive by forwarded touches, and a client
// that vanishes is expired by the leader, its ephemerals deleted on every server.
import * as grpc from '@grpc/grpc-js';
import { CoordClient, type WatchEvent } from '@ensemble/coord-client';
import { killAllServiceProcesses, waitFor } from '@ensemble/common';
import { RawSession, unaryClient } from '../../support/coord-harness';
import { Ensemble } from '../../support/ensemble-harness';

let ensemble: Ensemble | null = null;
const clients: CoordClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await ensemble?.stop();
  ensemble = null;
  killAllServiceProcesses();
});

async function connect(e: Ensemble, ids: number[], sessionTimeoutMs = 3000): Promise<CoordClient> {
  // A fixed order (no shuffle): the first id is where the client connects first.
  const c = await CoordClient.connect(e.connectString(ids), { sessionTimeoutMs, random: () => 0.999 });
  clients.push(c);
  return c;
}

test('a session resumes on another server after its server is killed, with its ephemerals and watches', async () => {
  ensemble = await Ensemble.start({ size: 3 });
  const e = ensemble;
  const leader = await e.waitForLeader();
  const home = [1, 2, 3].find((id) => id !== leader)!;
  const owner = await connect(e, [home, ...[1, 2, 3].filter((id) => id !== home)]);
  await owner.create('/lock', 'mine', { mode: 'EPHEMERAL' });
  await owner.create('/watched', 'v0');
  const events: WatchEvent[] = [];
  await owner.getData('/watched', { watch: (ev) => events.push(ev) });
  const sessionId = owner.sessionId;

  await e.kill9(home);
  await waitFor(() => owner.state === 'connected', { timeoutMs: 10_000, what: 'the client to resume elsewhere' });
  expect(owner.sessionId).toBe(sessionId);
  const other = await connect(e, [leader]);
  expect((await other.getData('/lock', { linearizable: true })).data.toString()).toBe('mine');
  await other.setData('/watched', 'v1');
  await waitFor(() => events.length > 0, { timeoutMs: 5000, what: 'the watch to fire after the move' });
  expect(events[0]).toMatchObject({ type: 'NODE_DATA_CHANGED', path: '/watched' });
}, 60_000);

test('a server behind the zxid a client has seen refuses it', async () => {
  // A long leader wait keeps the cut-off server serving clients meanwhile, so the zxid check is what refuses.
  ensemble = await Ensemble.start({ size: 3, args: ['--leader-wait', '20s'] });
  const e = ensemble;
  const leader = await e.waitForLeader();
  const lagging = [1, 2, 3].find((id) => id !== leader)!;
  await e.isolate([lagging]);
  const writer = await connect(e, [leader]);
  await writer.create('/newer', 'x');
  const seen = writer.lastZxidSeen;
  expect((await e.status(lagging)).lastZxid).toBeLessThan(seen);

  const raw = new RawSession(unaryClient(e.member(lagging).clientPort));
  raw.send({ connect: { timeoutMs: 3000, lastZxidSeen: seen } });
  await waitFor(() => raw.closed, { timeoutMs: 5000, what: 'the lagging server to refuse' });
  expect(raw.streamError?.code).toBe(grpc.status.UNAVAILABLE);
  expect(raw.streamError?.details).toContain('behind the client');
  expect(raw.received.some((m) => m.kind === 'connected')).toBe(false);

  await e.heal();
  await e.waitConverged([1, 2, 3]);
  const caughtUp = await RawSession.open(unaryClient(e.member(lagging).clientPort), { timeoutMs: 3000, lastZxidSeen: seen });
  expect(caughtUp.sessionId).toBeGreaterThan(0);
  await caughtUp.close();
}, 60_000);

test('touches forwarded by a follower keep a session alive; a vanished client is expired everywhere', async () => {
  ensemble = await Ensemble.start({ size: 3 });
  const e = ensemble;
  const leader = await e.waitForLeader();
  const follower = [1, 2, 3].find((id) => id !== leader)!;
  const live = await connect(e, [follower], 600);
  await live.create('/alive', '', { mode: 'EPHEMERAL' });
  const doomed = await RawSession.open(unaryClient(e.member(follower).clientPort), { timeoutMs: 600 });
  expect((await doomed.do({ create: { path: '/doomed', mode: 'EPHEMERAL' } })).error).toBe('OK');
  doomed.drop(); // gone without a close: only the leader's expiry can remove it

  const watcher = await connect(e, [leader], 10_000);
  await waitFor(async () => (await watcher.exists('/doomed')) === null, { timeoutMs: 10_000, what: 'the vanished session to expire' });
  // Several session timeouts later the live session (pinging its follower) still holds its node.
  await new Promise((r) => setTimeout(r, 1500));
  expect(live.state).toBe('connected');
  expect(await watcher.exists('/alive')).not.toBeNull();
  const statuses = await e.waitConverged([1, 2, 3]);
  expect(new Set(statuses.map((s) => s.lastZxid)).size).toBe(1);
  for (const id of [1, 2, 3]) {
    const c = await connect(e, [id]);
    expect(await c.exists('/doomed', { linearizable: true })).toBeNull();
  }
}, 60_000);
