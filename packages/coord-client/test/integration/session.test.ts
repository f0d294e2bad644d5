// Reconnect, resume and expiry: the stream is broken with the client's test hook
// (`_dropConnection`), as a network fault would break it.
import * as grpc from '@grpc/grpc-js';
import { loadCoordV1 } from '@ensemble/proto';
import type { ClientState, CoordError, WatchEvent } from '../../src';
import { ClientPool, deferred, settlesWithin, startServer, waitFor, type TestServer } from './harness';

let server: TestServer;
const pool = new ClientPool(() => server.connectString);

beforeAll(async () => {
  server = await startServer({ minSessionTimeoutMs: 200 });
});
afterEach(() => pool.closeAll());
afterAll(() => server?.stop());

function nextState(client: { once(event: string, fn: () => void): unknown }, state: ClientState): Promise<void> {
  return new Promise((resolve) => client.once(state, () => resolve()));
}

/** `promise`, or a failure naming the step that did not settle within 15 s. */
function step<T>(what: string, promise: Promise<T>): Promise<T> {
  return settlesWithin(promise, 15_000, what);
}

describe('resume after a broken stream', () => {
  it('keeps the session, its ephemerals and its watches; a change made meanwhile fires the watch', async () => {
    const a = await pool.open({ sessionTimeoutMs: 5000 });
    const b = await pool.open();
    await a.create('/s-resume', 'v0');
    await a.create('/s-resume/eph', '', { mode: 'EPHEMERAL' });
    const sessionId = a.sessionId;
    const dataEvent = deferred<WatchEvent>();
    const childEvent = deferred<WatchEvent>();
    await a.getData('/s-resume', { watch: dataEvent.resolve });
    await a.getChildren('/s-resume', { watch: childEvent.resolve });
    const persistent = a.watchEvents('/s-resume', { recursive: true });
    await persistent.ready;

    const states: string[] = [];
    a.on('state', (s: string) => states.push(s));
    const resume = a._dropConnection({ hold: true });
    expect(a.state).toBe('disconnected');
    // Changes by another client while `a` is away.
    await b.setData('/s-resume', 'v1');
    await b.create('/s-resume/new');
    const reconnected = nextState(a, 'connected');
    resume();
    await reconnected;

    expect(a.sessionId).toBe(sessionId);
    expect(states).toEqual(['disconnected', 'connected']);
    // SetWatches with the last zxid seen: the server fires what was missed.
    expect(await dataEvent.promise).toMatchObject({ type: 'NODE_DATA_CHANGED', path: '/s-resume' });
    expect(await childEvent.promise).toMatchObject({ type: 'NODE_CHILDREN_CHANGED', path: '/s-resume' });
    expect((await b.exists('/s-resume/eph'))?.ephemeralOwner).toBe(sessionId);
    // The persistent watch is back: a change after the resume reaches it.
    await b.setData('/s-resume/new', 'x');
    const seen: string[] = [];
    for await (const e of persistent) {
      seen.push(`${e.type} ${e.path}`);
      if (e.path === '/s-resume/new' && e.type === 'NODE_DATA_CHANGED') break;
    }
    expect(seen).toContain('NODE_DATA_CHANGED /s-resume/new');
  });

  it('fails a request in flight with CONNECTION_LOSS and sends one issued while disconnected after the resume', async () => {
    const a = await pool.open({ sessionTimeoutMs: 5000 });
    await a.create('/s-inflight', 'x');
    const inFlight = a.getData('/s-inflight');
    const resume = a._dropConnection({ hold: true });
    await expect(inFlight).rejects.toMatchObject({ code: 'CONNECTION_LOSS', zkName: 'ConnectionLoss' } satisfies Partial<CoordError>);
    const queued = a.setData('/s-inflight', 'while away');
    resume();
    expect((await queued).version).toBe(1);
    expect((await a.getData('/s-inflight')).data.toString()).toBe('while away');
  });

  it('close() while disconnected waits for the reconnect, so the server still ends the session', async () => {
    const a = await pool.open({ sessionTimeoutMs: 5000 });
    const b = await pool.open();
    await a.create('/s-close-away', '', { mode: 'EPHEMERAL' });
    const resume = a._dropConnection({ hold: true });
    const closed = a.close();
    await expect(a.exists('/')).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    resume();
    await closed;
    expect(a.state).toBe('closed');
    expect(await b.exists('/s-close-away')).toBeNull();
  });

  it('reconnects on its own after a drop without a hold', async () => {
    const a = await pool.open({ sessionTimeoutMs: 5000 });
    const reconnected = nextState(a, 'connected');
    a._dropConnection();
    await reconnected;
    expect(await a.exists('/')).not.toBeNull();
  });

  it('keeps a quiet session alive with pings', async () => {
    // 1 s, not less: a shared CI machine can stall a process for a few hundred ms.
    const a = await pool.open({ sessionTimeoutMs: 1000 });
    const b = await pool.open();
    await a.create('/s-quiet', '', { mode: 'EPHEMERAL' });
    const lost: string[] = [];
    a.on('state', (s: string) => lost.push(s));
    // Three session timeouts without a request from `a`.
    const until = Date.now() + 3000;
    await waitFor(() => Date.now() >= until, { timeoutMs: 5000 });
    expect(lost).toEqual([]);
    expect(await b.exists('/s-quiet')).not.toBeNull();
  });
});

describe('expiry', () => {
  it('expires after the session timeout without a connection: ephemerals go, pending calls and watchers end', async () => {
    // Each wait names itself: a hang here once ran into the test's timeout without saying where.
    const a = await step('open a', pool.open({ sessionTimeoutMs: 500 }));
    const b = await step('open b', pool.open());
    await step('create', a.create('/s-exp', ''));
    await step('create ephemeral', a.create('/s-exp/eph', '', { mode: 'EPHEMERAL' }));
    const oneShot = deferred<WatchEvent>();
    await step('getData with a watch', a.getData('/s-exp', { watch: oneShot.resolve }));
    const persistent = a.watchEvents('/s-exp');
    await step('persistent watch ready', persistent.ready);
    const expired = nextState(a, 'expired');
    const stateBefore = a.state;
    a._dropConnection({ hold: true });
    const queued = a.getData('/s-exp');
    await step(`client expires (state ${stateBefore} when the connection was dropped)`, expired);

    expect(a.state).toBe('expired');
    await expect(step('queued call fails', queued)).rejects.toMatchObject({ code: 'SESSION_EXPIRED', zkName: 'SessionExpired' });
    await expect(a.exists('/')).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(await step('one-shot watch ends', oneShot.promise)).toMatchObject({ type: 'NONE', state: 'expired' });
    await expect(step('persistent watch ends', persistent.next())).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    // The server expires the session on its own clock.
    await waitFor(async () => (await b.exists('/s-exp/eph')) === null, { timeoutMs: 5000, what: 'ephemeral removed' });
  });

  it('a hold taken while a reconnect is under way keeps the client away until it expires', async () => {
    // A busy machine can lose the stream on its own (the read timeout) just before a test takes
    // its hold: the reconnect attempt already in flight must not get past the hold.
    const a = await pool.open({ sessionTimeoutMs: 500 });
    const states: string[] = [];
    a.on('state', (s: string) => states.push(s));
    const expired = nextState(a, 'expired');
    a._dropConnection();
    a._dropConnection({ hold: true });
    await expired;
    expect(states).toEqual(['disconnected', 'expired']);
  });

  it('a resume refused by the server (session already gone) ends in expired', async () => {
    const a = await pool.open({ sessionTimeoutMs: 5000 });
    const b = await pool.open();
    await a.create('/s-gone', '', { mode: 'EPHEMERAL' });
    const resume = a._dropConnection({ hold: true });
    // While `a` is away its session ends on the server (closed through the unary API), so the
    // resume is answered with SESSION_EXPIRED long before `a` would give up on its own.
    await closeSessionUnary(a.sessionId);
    expect(await b.exists('/s-gone')).toBeNull();
    const expired = nextState(a, 'expired');
    resume();
    await expired;
    expect(a.state).toBe('expired');
  });
});

function closeSessionUnary(sessionId: number): Promise<void> {
  const Coordination = loadCoordV1().coord.v1.Coordination;
  const stub = new Coordination(server.connectString, grpc.credentials.createInsecure());
  return new Promise<void>((resolve, reject) => {
    stub.CloseSession({ sessionId }, (err) => {
      stub.close();
      if (err) reject(err);
      else resolve();
    });
  });
}

describe('clients of one process', () => {
  it('share the connection to a server: closing or losing one leaves the others working', async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => pool.open()));
    await clients[0].create('/shared-conn');
    await clients[1].close();
    clients[2]._dropConnection();
    // The others are untouched, and the dropped one resumes its session.
    await clients[0].setData('/shared-conn', 'a');
    await waitFor(() => clients[2].state === 'connected');
    expect((await clients[2].getData('/shared-conn')).data.toString()).toBe('a');
    expect((await clients[3].exists('/shared-conn'))?.version).toBe(1);
    // Pipelined requests of several clients at once, each answered in its own order.
    const results = await Promise.all(
      [clients[0], clients[2], clients[3]].flatMap((c, i) => Array.from({ length: 50 }, (_, k) => c.create(`/shared-conn/c${i}-${k}`))),
    );
    expect(new Set(results).size).toBe(150);
    await Promise.all([clients[0].close(), clients[2].close(), clients[3].close()]);
    // All closed: a new client still connects.
    const again = await pool.open();
    expect(await again.getAllChildren('/shared-conn')).toHaveLength(150);
  });
});
