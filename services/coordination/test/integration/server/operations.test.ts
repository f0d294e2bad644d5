// Every operation over gRPC against a real server process: unary and on the session stream.
import * as grpc from '@grpc/grpc-js';
import { killAllServiceProcesses, type TmpDir } from '@ensemble/common';
import { RawSession, call, errorCodeOf, startServer, tmpDataDir, unaryClient, type Client, type ServerHandle } from '../../support/coord-harness';

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

describe('unary API', () => {
  test('create, getData, setData with versions, delete with versions', async () => {
    const created = await call<{ path: string; stat: { version: number; czxid: number } }>(client, 'Create', { path: '/u1', data: Buffer.from('one') });
    expect(created.path).toBe('/u1');
    expect(created.stat.version).toBe(0);

    const got = await call<{ data: Buffer; stat: { dataLength: number; czxid: number } }>(client, 'GetData', { path: '/u1' });
    expect(got.data.toString()).toBe('one');
    expect(got.stat.dataLength).toBe(3);
    expect(got.stat.czxid).toBe(created.stat.czxid);

    const set = await call<{ stat: { version: number; mzxid: number } }>(client, 'SetData', { path: '/u1', data: Buffer.from('two'), version: 0 });
    expect(set.stat.version).toBe(1);
    expect(set.stat.mzxid).toBeGreaterThan(created.stat.czxid);

    await expect(call(client, 'SetData', { path: '/u1', data: Buffer.from('x'), version: 0 })).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION });
    const badVersion = await call(client, 'Delete', { path: '/u1', version: 7 }).catch((e: unknown) => e);
    expect(errorCodeOf(badVersion)).toBe('BAD_VERSION');

    await call(client, 'Delete', { path: '/u1', version: 1 });
    const exists = await call<{ stat?: unknown }>(client, 'Exists', { path: '/u1' });
    expect(exists.stat).toBeFalsy();
  });

  test('errors carry ZooKeeper codes in metadata and map onto gRPC status codes', async () => {
    const noNode = await call(client, 'GetData', { path: '/missing' }).catch((e: unknown) => e);
    expect(errorCodeOf(noNode)).toBe('NO_NODE');
    expect((noNode as grpc.ServiceError).code).toBe(grpc.status.NOT_FOUND);

    await call(client, 'Create', { path: '/dup' });
    const exists = await call(client, 'Create', { path: '/dup' }).catch((e: unknown) => e);
    expect(errorCodeOf(exists)).toBe('NODE_EXISTS');
    expect((exists as grpc.ServiceError).code).toBe(grpc.status.ALREADY_EXISTS);

    await call(client, 'Create', { path: '/dup/child' });
    const notEmpty = await call(client, 'Delete', { path: '/dup' }).catch((e: unknown) => e);
    expect(errorCodeOf(notEmpty)).toBe('NOT_EMPTY');

    const noParent = await call(client, 'Create', { path: '/nope/child' }).catch((e: unknown) => e);
    expect(errorCodeOf(noParent)).toBe('NO_NODE');
  });

  test.each([['relative'], ['/trailing/'], ['/a//b'], ['/a/./b'], ['/a/../b'], ['/ctl\u0001char'], ['']])('invalid path %j is rejected with INVALID_PATH', async (p) => {
    const err = await call(client, 'Create', { path: p }).catch((e: unknown) => e);
    expect(errorCodeOf(err)).toBe('INVALID_PATH');
    expect((err as grpc.ServiceError).code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  test('oversized data is refused with TOO_LARGE and the server keeps serving', async () => {
    const err = await call(client, 'Create', { path: '/big', data: Buffer.alloc(1024 * 1024 + 1) }).catch((e: unknown) => e);
    expect(errorCodeOf(err)).toBe('TOO_LARGE');
    const exact = await call<{ path: string }>(client, 'Create', { path: '/big', data: Buffer.alloc(1024 * 1024) });
    expect(exact.path).toBe('/big');
    const got = await call<{ data: Buffer }>(client, 'GetData', { path: '/big' });
    expect(got.data.length).toBe(1024 * 1024);
  });

  test('sequential nodes get 10-digit suffixes from the parent cversion', async () => {
    await call(client, 'Create', { path: '/seq' });
    const a = await call<{ path: string }>(client, 'Create', { path: '/seq/n-', mode: 'PERSISTENT_SEQUENTIAL' });
    const b = await call<{ path: string }>(client, 'Create', { path: '/seq/n-', mode: 'PERSISTENT_SEQUENTIAL' });
    expect(a.path).toBe('/seq/n-0000000000');
    expect(b.path).toBe('/seq/n-0000000001');
  });

  test('getChildren pages through a large directory in order', async () => {
    await call(client, 'Create', { path: '/dir' });
    const names = Array.from({ length: 250 }, (_, i) => `c${String(i).padStart(4, '0')}`);
    await Promise.all(names.map((n) => call(client, 'Create', { path: `/dir/${n}` })));
    const seen: string[] = [];
    let startAfter = '';
    for (let page = 0; page < 10; page++) {
      const r = await call<{ children: string[]; nextStartAfter: string }>(client, 'GetChildren', { path: '/dir', limit: 100, startAfter });
      seen.push(...r.children);
      if (!r.nextStartAfter) break;
      startAfter = r.nextStartAfter;
    }
    expect(seen).toEqual(names);
    const all = await call<{ total: number; totalNumber: number }>(client, 'GetAllChildrenNumber', { path: '/dir' });
    expect(all.totalNumber).toBe(250);
  });

  test('multi is atomic: one failing op rolls back the others and reports per-op results', async () => {
    await call(client, 'Create', { path: '/m' });
    const err = await call(client, 'Multi', {
      ops: [{ create: { path: '/m/a' } }, { setData: { path: '/m', data: Buffer.from('x'), version: 0 } }, { delete: { path: '/m/none' } }, { create: { path: '/m/b' } }],
    }).catch((e: unknown) => e);
    expect(errorCodeOf(err)).toBe('NO_NODE');
    expect(String((err as grpc.ServiceError).metadata.get('coord-multi-results')[0])).toBe('OK,OK,NO_NODE,RUNTIME_INCONSISTENCY');
    const m = await call<{ data: Buffer; stat: { version: number; numChildren: number } }>(client, 'GetData', { path: '/m' });
    expect(m.stat.version).toBe(0);
    expect(m.stat.numChildren).toBe(0);

    const ok = await call<{ results: Array<{ error: string; create?: { path: string } }> }>(client, 'Multi', {
      ops: [{ create: { path: '/m/a' } }, { check: { path: '/m', version: 0 } }, { setData: { path: '/m', data: Buffer.from('y') } }],
    });
    expect(ok.results.map((r) => r.error)).toEqual(['OK', 'OK', 'OK']);
    expect(ok.results[0].create?.path).toBe('/m/a');
  });

  test('TTL and container nodes are reaped by the server', async () => {
    await call(client, 'Create', { path: '/ttl', mode: 'PERSISTENT_WITH_TTL', ttlMs: 200 });
    await call(client, 'Create', { path: '/box', mode: 'CONTAINER' });
    await call(client, 'Create', { path: '/box/item' });
    await call(client, 'Delete', { path: '/box/item' });
    const gone = async (p: string): Promise<boolean> => !(await call<{ stat?: unknown }>(client, 'Exists', { path: p })).stat;
    const deadline = Date.now() + 10_000;
    while (!((await gone('/ttl')) && (await gone('/box'))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await gone('/ttl')).toBe(true);
    expect(await gone('/box')).toBe(true);
    const err = await call(client, 'Create', { path: '/ttl2', mode: 'PERSISTENT_WITH_TTL' }).catch((e: unknown) => e);
    expect(errorCodeOf(err)).toBe('BAD_ARGUMENTS');
  });

  test('ephemerals through a unary session: created with coord-session-id, removed when it closes', async () => {
    const s = await call<{ sessionId: number; timeoutMs: number }>(client, 'CreateSession', { timeoutMs: 5000 });
    const md = new grpc.Metadata();
    md.set('coord-session-id', String(s.sessionId));
    const eph = await call<{ stat: { ephemeralOwner: number } }>(client, 'Create', { path: '/ueph', mode: 'EPHEMERAL' }, md);
    expect(eph.stat.ephemeralOwner).toBe(s.sessionId);
    const listed = await call<{ paths: string[] }>(client, 'GetEphemerals', { prefix: '/' }, md);
    expect(listed.paths).toEqual(['/ueph']);
    await call(client, 'KeepAlive', { sessionId: s.sessionId });
    await call(client, 'CloseSession', { sessionId: s.sessionId });
    expect((await call<{ stat?: unknown }>(client, 'Exists', { path: '/ueph' })).stat).toBeFalsy();
    const expired = await call(client, 'Create', { path: '/ueph2', mode: 'EPHEMERAL' }, md).catch((e: unknown) => e);
    expect(errorCodeOf(expired)).toBe('SESSION_EXPIRED');
    const noSession = await call(client, 'Create', { path: '/ueph3', mode: 'EPHEMERAL' }).catch((e: unknown) => e);
    expect(errorCodeOf(noSession)).toBe('BAD_ARGUMENTS');
  });
});

describe('session stream', () => {
  test('responses come in request order, pipelined writes and reads interleaved (FIFO)', async () => {
    const s = await RawSession.open(client);
    await s.do({ create: { path: '/fifo' } });
    const xids: number[] = [];
    for (let i = 0; i < 50; i++) {
      xids.push(s.request({ setData: { path: '/fifo', data: Buffer.from(String(i)) } }));
      xids.push(s.request({ getData: { path: '/fifo' } }));
    }
    const last = await s.response(xids[xids.length - 1]);
    const responses = s.received.filter((m) => m.kind === 'response').map((m) => m.response!);
    const ours = responses.filter((r) => xids.includes(r.xid));
    expect(ours.map((r) => r.xid)).toEqual(xids);
    // each read sees exactly the write issued just before it
    for (let i = 0; i < 50; i++) expect(ours[2 * i + 1].getData!.data.toString()).toBe(String(i));
    expect(last.getData!.stat!.version).toBe(50);
    await s.close();
  });

  test('a watch event reaches the watcher before any read that reflects the change', async () => {
    const watcher = await RawSession.open(client);
    const writer = await RawSession.open(client);
    await writer.do({ create: { path: '/w', data: Buffer.from('0') } });
    await watcher.do({ getData: { path: '/w', watch: true } });
    await writer.do({ setData: { path: '/w', data: Buffer.from('1') } });
    const readXid = watcher.request({ getData: { path: '/w' } });
    await watcher.response(readXid);
    const kinds = watcher.received.map((m) => (m.kind === 'event' ? `event:${m.event!.type}` : m.kind === 'response' ? `resp:${m.response!.xid}` : m.kind));
    const eventAt = kinds.indexOf('event:NODE_DATA_CHANGED');
    expect(eventAt).toBeGreaterThan(-1);
    expect(eventAt).toBeLessThan(kinds.indexOf(`resp:${readXid}`));
    const ev = watcher.events()[0];
    expect(ev.path).toBe('/w');
    expect(ev.zxid).toBeGreaterThan(0);
    // one-shot: a second change does not fire again
    await writer.do({ setData: { path: '/w', data: Buffer.from('2') } });
    await watcher.do({ sync: { path: '/w' } });
    expect(watcher.events()).toHaveLength(1);
    await watcher.close();
    await writer.close();
  });

  test('child, exists, persistent and recursive watches fire with ZooKeeper event types', async () => {
    const w = await RawSession.open(client);
    const writer = await RawSession.open(client);
    await writer.do({ create: { path: '/tree' } });
    await w.do({ getChildren: { path: '/tree', watch: true } });
    await w.do({ exists: { path: '/tree/x', watch: true } });
    await w.do({ addWatch: { path: '/tree', mode: 'PERSISTENT_RECURSIVE_WATCH' } });
    await writer.do({ create: { path: '/tree/x' } });
    await writer.do({ setData: { path: '/tree/x', data: Buffer.from('d') } });
    await w.do({ sync: { path: '/' } });
    await w.next(() => w.events().length >= 3);
    const evs = w.events().map((e) => `${e.type}:${e.path}`);
    // the session gets NODE_CREATED once (exists + recursive watch) and the child change once
    expect(evs).toEqual(['NODE_CREATED:/tree/x', 'NODE_CHILDREN_CHANGED:/tree', 'NODE_DATA_CHANGED:/tree/x']);
    const removed = await w.do({ removeWatches: { path: '/tree', type: 'PERSISTENT_RECURSIVE' } });
    expect(removed.error).toBe('OK');
    const again = await w.do({ removeWatches: { path: '/tree', type: 'PERSISTENT_RECURSIVE' } });
    expect(again.error).toBe('NO_WATCHER');
    await w.close();
    await writer.close();
  });

  test('a stream whose first message is not connect is refused; the server keeps serving', async () => {
    const s = new RawSession(client);
    s.send({ ping: {} });
    await expect(s.next(() => false, 5000)).rejects.toThrow(/stream closed/);
    expect(s.streamError?.code).toBe(grpc.status.FAILED_PRECONDITION);
    const ok = await call<{ stat?: unknown }>(client, 'Exists', { path: '/' });
    expect(ok.stat).toBeTruthy();
  });

  test('a resume with a wrong password or an unknown session is refused', async () => {
    const s = await RawSession.open(client);
    const bad = await RawSession.open(client, { sessionId: s.sessionId, password: Buffer.from('wrong'), timeoutMs: 5000 });
    expect(bad.ended?.reason).toBe('AUTH_FAILED');
    const unknown = await RawSession.open(client, { sessionId: 12345, password: Buffer.alloc(16), timeoutMs: 5000 });
    expect(unknown.ended?.reason).toBe('SESSION_EXPIRED');
    await s.close();
  });
});
