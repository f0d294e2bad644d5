// Every client operation against a real server process.
import { CoordClient, type CoordError } from '../../src';
import { ClientPool, startServer, type TestServer } from './harness';

let server: TestServer;
const pool = new ClientPool(() => server.connectString);

beforeAll(async () => {
  server = await startServer();
});
afterEach(() => pool.closeAll());
afterAll(() => server?.stop());

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as CoordError).code;
  }
  throw new Error('expected the call to fail');
}

describe('connect and session', () => {
  it('opens a session with a negotiated timeout and closes it', async () => {
    const client = await pool.open({ sessionTimeoutMs: 3000 });
    expect(client.state).toBe('connected');
    expect(client.sessionId).not.toBe(0);
    expect(client.sessionTimeoutMs).toBe(3000);
    const states: string[] = [];
    client.on('state', (s: string) => states.push(s));
    await client.close();
    expect(client.state).toBe('closed');
    expect(states).toEqual(['closed']);
    expect(await codeOf(client.exists('/'))).toBe('SESSION_EXPIRED');
  });

  it('fails to connect with CONNECTION_LOSS when no server answers', async () => {
    const err = await CoordClient.connect('127.0.0.1:1', { connectTimeoutMs: 300 }).catch((e: CoordError) => e);
    expect(err).toMatchObject({ code: 'CONNECTION_LOSS', zkName: 'ConnectionLoss' });
  });

  it('moves on to the next server of the list when one does not answer', async () => {
    // random() = 0.99 keeps the list order: the dead server is tried first.
    const viaList = await CoordClient.connect(`127.0.0.1:1,${server.connectString}`, { random: () => 0.99, connectTimeoutMs: 5000 });
    expect(viaList.state).toBe('connected');
    await viaList.close();
  });

  it('rejects a bad connect string', async () => {
    await expect(CoordClient.connect('host:notaport')).rejects.toMatchObject({ code: 'BAD_ARGUMENTS' });
  });
});

describe('create, read, write, delete', () => {
  it('creates a node and reads back its data and stat', async () => {
    const c = await pool.open();
    const { path, stat } = await c.createWithStat('/ops-create', 'hello');
    expect(path).toBe('/ops-create');
    expect(stat).toMatchObject({ version: 0, dataLength: 5, numChildren: 0, ephemeralOwner: 0 });
    const read = await c.getData('/ops-create');
    expect(read.data.toString()).toBe('hello');
    expect(read.stat.czxid).toBe(stat?.czxid);
    expect(c.lastZxidSeen).toBeGreaterThanOrEqual(read.stat.mzxid);
    expect(await codeOf(c.create('/ops-create'))).toBe('NODE_EXISTS');
    expect(await codeOf(c.create('/ops-nope/child'))).toBe('NO_NODE');
  });

  it('numbers sequential nodes from the parent cversion', async () => {
    const c = await pool.open();
    await c.create('/ops-seq');
    const a = await c.create('/ops-seq/n-', 'a', { mode: 'PERSISTENT_SEQUENTIAL' });
    const b = await c.create('/ops-seq/n-', 'b', { mode: 'PERSISTENT_SEQUENTIAL' });
    expect(a).toBe('/ops-seq/n-0000000000');
    expect(b).toBe('/ops-seq/n-0000000001');
  });

  it('setData and delete honour versions (BadVersion otherwise)', async () => {
    const c = await pool.open();
    await c.create('/ops-ver', 'v0');
    expect((await c.setData('/ops-ver', 'v1', 0)).version).toBe(1);
    expect(await codeOf(c.setData('/ops-ver', 'v2', 0))).toBe('BAD_VERSION');
    expect((await c.setData('/ops-ver', 'v2')).version).toBe(2);
    expect(await codeOf(c.delete('/ops-ver', 1))).toBe('BAD_VERSION');
    await c.delete('/ops-ver', 2);
    expect(await c.exists('/ops-ver')).toBeNull();
    expect(await codeOf(c.delete('/ops-ver'))).toBe('NO_NODE');
  });

  it('refuses to delete a node with children and children under an ephemeral', async () => {
    const c = await pool.open();
    await c.create('/ops-ne');
    await c.create('/ops-ne/kid');
    expect(await codeOf(c.delete('/ops-ne'))).toBe('NOT_EMPTY');
    await c.create('/ops-eph', '', { mode: 'EPHEMERAL' });
    expect(await codeOf(c.create('/ops-eph/kid'))).toBe('NO_CHILDREN_FOR_EPHEMERALS');
  });

  it('exists returns the stat or null', async () => {
    const c = await pool.open();
    expect(await c.exists('/ops-exists')).toBeNull();
    await c.create('/ops-exists', 'x');
    expect(await c.exists('/ops-exists')).toMatchObject({ dataLength: 1 });
  });

  it('fails fast on invalid paths without a round trip', async () => {
    const c = await pool.open();
    for (const bad of ['relative', '/trailing/', '/a//b', '/a/../b', '/nul\u0000']) {
      const err = (await c.getData(bad).catch((e: CoordError) => e)) as CoordError;
      expect(err).toMatchObject({ code: 'INVALID_PATH', zkName: 'InvalidPath', path: bad });
    }
    expect(await codeOf(c.create('/bad/', 'x'))).toBe('INVALID_PATH');
  });

  it('checks TTL arguments and creates TTL and container nodes', async () => {
    const c = await pool.open();
    expect(await codeOf(c.create('/ops-ttl', '', { mode: 'PERSISTENT_WITH_TTL' }))).toBe('BAD_ARGUMENTS');
    expect(await codeOf(c.create('/ops-ttl', '', { mode: 'PERSISTENT', ttlMs: 10 }))).toBe('BAD_ARGUMENTS');
    await c.create('/ops-ttl', '', { mode: 'PERSISTENT_WITH_TTL', ttlMs: 60_000 });
    await c.create('/ops-container', '', { mode: 'CONTAINER' });
    expect(await c.exists('/ops-ttl')).not.toBeNull();
    expect(await c.exists('/ops-container')).not.toBeNull();
  });
});

describe('children', () => {
  it('lists children in order, pages through them, and counts descendants', async () => {
    const c = await pool.open();
    await c.create('/ops-kids');
    const names = Array.from({ length: 25 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    await Promise.all(names.map((n) => c.create(`/ops-kids/${n}`)));
    await c.create('/ops-kids/k00/grandchild');
    const all = await c.getChildren('/ops-kids');
    expect(all.children).toEqual(names);
    expect(all.stat?.numChildren).toBe(25);
    expect(all.nextStartAfter).toBeUndefined();
    const page1 = await c.getChildren('/ops-kids', { limit: 10 });
    expect(page1.children).toEqual(names.slice(0, 10));
    expect(page1.nextStartAfter).toBe('k09');
    const page2 = await c.getChildren('/ops-kids', { limit: 10, startAfter: page1.nextStartAfter });
    expect(page2.children).toEqual(names.slice(10, 20));
    expect(await c.getAllChildren('/ops-kids')).toEqual(names);
    expect(await c.getAllChildrenNumber('/ops-kids')).toBe(26);
  });

  it('lists only its own session ephemerals', async () => {
    const a = await pool.open();
    const b = await pool.open();
    await a.create('/ops-ephs');
    await a.create('/ops-ephs/a1', '', { mode: 'EPHEMERAL' });
    await a.create('/ops-ephs/a2', '', { mode: 'EPHEMERAL' });
    await b.create('/ops-ephs/b1', '', { mode: 'EPHEMERAL' });
    expect((await a.getEphemerals('/ops-ephs')).sort()).toEqual(['/ops-ephs/a1', '/ops-ephs/a2']);
    expect(await b.getEphemerals('/ops-ephs')).toEqual(['/ops-ephs/b1']);
  });

  it('deletes ephemeral nodes when the session closes', async () => {
    const a = await pool.open();
    const b = await pool.open();
    await a.create('/ops-gone', '', { mode: 'EPHEMERAL' });
    expect((await b.exists('/ops-gone'))?.ephemeralOwner).toBe(a.sessionId);
    await a.close();
    // The close is applied before the server confirms it, so no polling is needed.
    expect(await b.exists('/ops-gone')).toBeNull();
  });
});

describe('sync, multi and transactions', () => {
  it('sync then read sees another client\'s write', async () => {
    const a = await pool.open();
    const b = await pool.open();
    await a.create('/ops-sync', 'old');
    await b.setData('/ops-sync', 'new');
    await a.sync('/ops-sync');
    expect((await a.getData('/ops-sync')).data.toString()).toBe('new');
  });

  it('applies all ops of a multi and returns per-op results', async () => {
    const c = await pool.open();
    await c.create('/ops-multi', 'x');
    const results = await c.multi([
      { type: 'check', path: '/ops-multi', version: 0 },
      { type: 'create', path: '/ops-multi/a', data: 'a' },
      { type: 'create', path: '/ops-multi/s-', mode: 'PERSISTENT_SEQUENTIAL' },
      { type: 'setData', path: '/ops-multi', data: 'y', version: 0 },
      { type: 'delete', path: '/ops-multi/a' },
    ]);
    expect(results.map((r) => r.type)).toEqual(['check', 'create', 'create', 'setData', 'delete']);
    expect(results[2]).toMatchObject({ path: '/ops-multi/s-0000000001' });
    expect(results[3]).toMatchObject({ stat: { version: 1 } });
    expect((await c.getData('/ops-multi')).data.toString()).toBe('y');
  });

  it('applies nothing when one op fails and reports which', async () => {
    const c = await pool.open();
    await c.create('/ops-atomic', 'x');
    const err = (await c.transaction()
      .create('/ops-atomic/new')
      .setData('/ops-atomic', 'changed')
      .check('/ops-atomic', 7)
      .commit()
      .catch((e: CoordError) => e)) as CoordError;
    expect(err.code).toBe('BAD_VERSION');
    expect(err.path).toBe('/ops-atomic');
    expect(err.results?.[2]).toEqual({ type: 'error', code: 'BAD_VERSION' });
    // ZooKeeper: OK for the ops before the failing one (rolled back all the same).
    expect(err.results?.[0]).toEqual({ type: 'error', code: 'OK' });
    expect(await c.exists('/ops-atomic/new')).toBeNull();
    expect((await c.getData('/ops-atomic')).data.toString()).toBe('x');
  });

  it('keeps FIFO order: pipelined writes apply in the order issued', async () => {
    const c = await pool.open();
    await c.create('/ops-fifo', '0');
    const writes = Array.from({ length: 50 }, (_, i) => c.setData('/ops-fifo', String(i + 1), i));
    const stats = await Promise.all(writes);
    expect(stats.map((s) => s.version)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await c.getData('/ops-fifo')).data.toString()).toBe('50');
  });

  it('mkdirp creates missing ancestors and tolerates existing ones', async () => {
    const c = await pool.open();
    await c.mkdirp('/ops-deep/a/b/c');
    await c.mkdirp('/ops-deep/a/b/c');
    expect(await c.getAllChildrenNumber('/ops-deep')).toBe(3);
  });
});

describe('many sessions', () => {
  it('serves clients concurrently with each its own session', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, () => pool.open()));
    expect(new Set(clients.map((c) => c.sessionId)).size).toBe(5);
    await clients[0].create('/ops-many');
    await Promise.all(clients.map((c, i) => c.create(`/ops-many/c${i}`, '', { mode: 'EPHEMERAL' })));
    expect(await clients[0].getAllChildren('/ops-many')).toHaveLength(5);
    await pool.closeAll();
    const check = await pool.open();
    expect(await check.getAllChildren('/ops-many')).toEqual([]);
    await check.delete('/ops-many');
  });
});

describe('pipelined requests travel in batches, cut below the message size limits', () => {
  it('writes and reads several large values at once without losing the connection', async () => {
    const c = await pool.open();
    const sessionId = c.sessionId;
    const states: string[] = [];
    c.on('state', (s: string) => states.push(s));
    await c.create('/big-batch');
    // Six 700 KB values: any two together exceed the server's ~1 MiB request limit, and all
    // six exceed a client's 4 MiB response limit, so one batch each way would break the stream.
    const values = Array.from({ length: 6 }, (_, i) => Buffer.alloc(700 * 1024, i + 1));
    await Promise.all(values.map((v, i) => c.create(`/big-batch/n${i}`, v)));
    const read = await Promise.all(values.map((_, i) => c.getData(`/big-batch/n${i}`)));
    read.forEach((r, i) => expect(r.data.equals(values[i])).toBe(true));
    expect(states).toEqual([]);
    expect(c.sessionId).toBe(sessionId);
    await Promise.all(values.map((_, i) => c.delete(`/big-batch/n${i}`)));
  });
});
