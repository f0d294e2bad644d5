// Sessions against a real server: expiry deletes ephemerals and fires watches, resume keeps
// them, pings keep a session alive, a second connection takes the session over.
import { killAllServiceProcesses, waitFor, type TmpDir } from '@ensemble/common';
import { RawSession, call, startServer, tmpDataDir, unaryClient, type Client, type ServerHandle } from '../../support/coord-harness';

let dir: TmpDir;
let server: ServerHandle;
let client: Client;

beforeAll(async () => {
  dir = tmpDataDir();
  server = await startServer(dir.path);
  client = unaryClient(server.port);
});

afterAll(async () => {
  client.close();
  await server.proc.stop();
  killAllServiceProcesses();
  dir.cleanup();
});

const exists = async (path: string): Promise<boolean> => Boolean((await call<{ stat?: unknown }>(client, 'Exists', { path })).stat);

test('expiry deletes the session\'s ephemerals, fires watches, and the session cannot be resumed', async () => {
  const owner = await RawSession.open(client, { timeoutMs: 500 });
  const watcher = await RawSession.open(client, { timeoutMs: 10_000 });
  expect((await owner.do({ create: { path: '/eph', mode: 'EPHEMERAL' } })).error).toBe('OK');
  expect((await watcher.do({ exists: { path: '/eph', watch: true } })).exists!.stat).toBeTruthy();

  owner.drop(); // the client vanishes without closing: only expiry can clean up
  const ev = await watcher.next((m) => m.kind === 'event', 10_000);
  expect(ev.event).toMatchObject({ type: 'NODE_DELETED', path: '/eph' });
  expect(await exists('/eph')).toBe(false);

  const again = await RawSession.open(client, { sessionId: owner.sessionId, password: owner.password, timeoutMs: 500 });
  expect(again.ended?.reason).toBe('SESSION_EXPIRED');
  await watcher.close();
});

test('an expired session that is still connected is told so on its stream', async () => {
  // The stream stays open but sends nothing (no pings): the server must end it with SESSION_EXPIRED.
  const s = await RawSession.open(client, { timeoutMs: 400 });
  await s.do({ create: { path: '/quiet', mode: 'EPHEMERAL' } });
  const ended = await s.next((m) => m.kind === 'ended', 10_000);
  expect(ended.ended!.reason).toBe('SESSION_EXPIRED');
  expect(await exists('/quiet')).toBe(false);
});

test('pings keep a session alive past its timeout', async () => {
  const s = await RawSession.open(client, { timeoutMs: 400 });
  await s.do({ create: { path: '/kept', mode: 'EPHEMERAL' } });
  const startedMs = Date.now();
  while (Date.now() - startedMs < 1500) {
    s.send({ ping: {} });
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(s.ended).toBeNull();
  expect(await exists('/kept')).toBe(true);
  expect(s.received.some((m) => m.kind === 'pong')).toBe(true);
  await s.close();
  expect(await exists('/kept')).toBe(false);
});

test('a client that reconnects before expiry keeps its session, ephemerals and watches', async () => {
  const s = await RawSession.open(client, { timeoutMs: 3000 });
  await s.do({ create: { path: '/resume', mode: 'EPHEMERAL' } });
  await s.do({ create: { path: '/watched-r' } });
  const seen = (await s.do({ getData: { path: '/watched-r', watch: true } })).zxid;
  s.drop();

  // a change made while the client is away
  await call(client, 'SetData', { path: '/watched-r', data: Buffer.from('changed') });

  const r = await RawSession.open(client, { sessionId: s.sessionId, password: s.password, timeoutMs: 3000, lastZxidSeen: seen });
  expect(r.sessionId).toBe(s.sessionId);
  expect(await exists('/resume')).toBe(true);
  // re-registering the watch with the zxid last seen delivers the missed change at once
  const resp = await r.do({ setWatches: { relativeZxid: seen, dataWatches: ['/watched-r'] } });
  expect(resp.error).toBe('OK');
  const ev = await r.next((m) => m.kind === 'event');
  expect(ev.event).toMatchObject({ type: 'NODE_DATA_CHANGED', path: '/watched-r' });
  await r.close();
  expect(await exists('/resume')).toBe(false);
});

test('a second connection of the same session takes it over; the first is told the session moved', async () => {
  const a = await RawSession.open(client, { timeoutMs: 3000 });
  const b = await RawSession.open(client, { sessionId: a.sessionId, password: a.password, timeoutMs: 3000 });
  expect(b.sessionId).toBe(a.sessionId);
  const ended = await a.next((m) => m.kind === 'ended');
  expect(ended.ended!.reason).toBe('SESSION_MOVED');
  expect((await b.do({ exists: { path: '/' } })).error).toBe('OK');
  await b.close();
});

test('a client that has seen a newer state than the server is refused', async () => {
  const s = await RawSession.open(client, { timeoutMs: 3000 });
  const status = await fetch(`http://127.0.0.1:${server.adminPort}/status`).then((r) => r.json() as Promise<{ lastZxid: number }>);
  const ahead = new RawSession(client);
  ahead.send({ connect: { sessionId: s.sessionId, password: s.password, timeoutMs: 3000, lastZxidSeen: status.lastZxid + 1000 } });
  await expect(ahead.next(() => false, 5000)).rejects.toThrow(/stream closed/);
  expect(ahead.streamError?.metadata.get('coord-error-code')[0]).toBe('CONNECTION_LOSS');
  await waitFor(() => s.ended === null, { timeoutMs: 100 });
  await s.close();
});

describe('batches on the session stream', () => {
  const PIPELINED = 40;

  test('a client that did not offer batches gets one message per response, even for pipelined requests', async () => {
    const s = await RawSession.open(client, { timeoutMs: 5000 });
    expect(s.connected?.acceptsBatches).toBe(true); // the server takes them, whatever the client does
    const xids = Array.from({ length: PIPELINED }, (_, i) => s.request({ create: { path: `/single-${i}`, data: Buffer.from('x') } }));
    const replies = await Promise.all(xids.map((xid) => s.response(xid)));
    expect(replies.map((r) => r.error)).toEqual(xids.map(() => 'OK'));
    expect(s.batchesReceived).toBe(0);
    expect(s.received.filter((m) => m.kind === 'response').map((m) => m.response!.xid)).toEqual(xids);
    await s.close();
  });

  test('a client that offers batches may send them; responses come in request order, batched together', async () => {
    const s = await RawSession.open(client, { timeoutMs: 5000, acceptsBatches: true });
    const watcher = await RawSession.open(client, { timeoutMs: 5000, acceptsBatches: true });
    expect((await s.do({ create: { path: '/batched' } })).error).toBe('OK');
    // Several watches on children of one parent: one change of each fires them together.
    for (let i = 0; i < 5; i++) expect((await s.do({ create: { path: `/batched/c${i}` } })).error).toBe('OK');
    const watched = Array.from({ length: 5 }, (_, i) => watcher.request({ getData: { path: `/batched/c${i}`, watch: true } }));
    await Promise.all(watched.map((xid) => watcher.response(xid)));

    // Writes and reads interleaved in one ClientBatch: each read sees the writes before it.
    const messages = Array.from({ length: PIPELINED }, (_, i) =>
      i % 2 === 0
        ? { request: { xid: 1000 + i, setData: { path: '/batched', data: Buffer.from(String(i)) } } }
        : { request: { xid: 1000 + i, getData: { path: '/batched' } } },
    );
    s.send({ batch: { messages } });
    const replies = await Promise.all(messages.map((m) => s.response(m.request.xid)));
    expect(s.received.filter((m) => m.kind === 'response').slice(-PIPELINED).map((m) => m.response!.xid)).toEqual(messages.map((m) => m.request.xid));
    for (let i = 1; i < PIPELINED; i += 2) expect(replies[i].getData!.data.toString()).toBe(String(i - 1));
    expect(s.batchesReceived).toBeGreaterThan(0);

    s.send({ batch: { messages: Array.from({ length: 5 }, (_, i) => ({ request: { xid: 2000 + i, delete: { path: `/batched/c${i}` } } })) } });
    await waitFor(() => watcher.events().length === 5);
    expect(watcher.events().map((e) => e.path)).toEqual(Array.from({ length: 5 }, (_, i) => `/batched/c${i}`));
    await Promise.all([s.close(), watcher.close()]);
  });

  test('a nested batch is refused as malformed, and the server keeps serving', async () => {
    const s = await RawSession.open(client, { timeoutMs: 5000, acceptsBatches: true });
    s.send({ batch: { messages: [{ batch: { messages: [] } }] } });
    await expect(s.next(() => false, 5000)).rejects.toThrow(/stream closed/);
    expect(s.streamError?.metadata.get('coord-error-code')[0]).toBe('MARSHALLING_ERROR');
    const other = await RawSession.open(client, { timeoutMs: 5000 });
    expect((await other.do({ exists: { path: '/' } })).error).toBe('OK');
    await other.close();
  });
});
