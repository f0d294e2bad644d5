// Recipes under contention: several client processes (test/fixtures/recipe-worker.js, on the
// compiled client) against one real server.
import { startServiceProcess, type LogLine, type ServiceProcess } from '@ensemble/common';
import { joinPath, LeaderElection, Lock, ServiceRegistry, TreeCache, type CoordClient, type ServiceMember } from '../../src';
import { ClientPool, FIXTURE, runNode, seededRandom, startServer, waitFor, type TestServer } from './harness';

let server: TestServer;
const pool = new ClientPool(() => server.connectString);
const workers: ServiceProcess[] = [];

beforeAll(async () => {
  server = await startServer({ minSessionTimeoutMs: 200 });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill9()));
  await pool.closeAll();
});
afterAll(() => server?.stop());

function parseLines(stdout: string): LogLine[] {
  return stdout.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as LogLine);
}

/** A long-running worker, followed through its JSON lines; ready when it prints `readyMsg`. */
async function startWorker(args: string[], readyMsg: string): Promise<ServiceProcess> {
  const worker = await startServiceProcess({ command: FIXTURE, args: [args[0], server.connectString, ...args.slice(1)], readyMsg, timeoutMs: 15_000 });
  workers.push(worker);
  return worker;
}

const has = (w: ServiceProcess, msg: string): boolean => w.lines.some((l) => l.msg === msg);

describe('lock', () => {
  it('4 processes × 25 acquisitions: exact count, no overlap, fencing tokens increase', async () => {
    const setup = await pool.open();
    await setup.create('/lock-counter', '0');
    const runs = await Promise.all(
      [1, 2, 3, 4].map((w) => runNode(FIXTURE, ['lock', server.connectString, '/lock-dir', '/lock-counter', '25', `w${w}`], { timeoutMs: 60_000 })),
    );
    const lines = runs.flatMap((r) => parseLines(r.stdout));
    for (const r of runs) expect(r).toMatchObject({ code: 0 });
    expect(lines.filter((l) => l.msg === 'violation')).toEqual([]);
    expect(lines.filter((l) => l.msg === 'done').map((l) => l.violations)).toEqual([0, 0, 0, 0]);
    expect((await setup.getData('/lock-counter')).data.toString()).toBe('100');
    // Ordered by the counter value each holder saw, the tokens must strictly increase.
    const held = lines.filter((l) => l.msg === 'held').sort((a, b) => Number(a.n) - Number(b.n));
    expect(held.map((l) => l.n)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (let i = 1; i < held.length; i++) expect(Number(held[i].token)).toBeGreaterThan(Number(held[i - 1].token));
    expect(await setup.getAllChildren('/lock-dir')).toEqual([]);
  });

  it('acquire times out while another session holds the lock, and leaves no node behind', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    const held = await new Lock(a, '/lock-timeout').acquire();
    await expect(new Lock(b, '/lock-timeout').acquire({ timeoutMs: 200 })).rejects.toMatchObject({ code: 'OPERATION_TIMEOUT' });
    expect(await a.getAllChildren('/lock-timeout')).toHaveLength(1);
    const controller = new AbortController();
    const waiting = new Lock(b, '/lock-timeout').acquire({ signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    await held.release();
    const next = await new Lock(b, '/lock-timeout').acquire({ timeoutMs: 5000 });
    expect(next.fencingToken).toBeGreaterThan(held.fencingToken);
    await next.release();
  });
});

describe('leader election', () => {
  it('3 processes elect one leader; killing it elects exactly one other', async () => {
    const names = ['c1', 'c2', 'c3'];
    const candidates = new Map<string, ServiceProcess>();
    for (const name of names) candidates.set(name, await startWorker(['election', '/election', name, '600'], 'started'));
    const observer = await pool.open();
    const readLeader = async (): Promise<string | undefined> => {
      return (await new LeaderElection(observer, '/election', '').leaderData())?.toString();
    };
    await waitFor(() => names.some((n) => has(candidates.get(n) as ServiceProcess, 'elected')), { timeoutMs: 10_000, what: 'a leader' });
    const leaders = names.filter((n) => has(candidates.get(n) as ServiceProcess, 'elected'));
    expect(leaders).toHaveLength(1);
    const first = leaders[0];
    expect(await readLeader()).toBe(first);

    await (candidates.get(first) as ServiceProcess).kill9();
    const rest = names.filter((n) => n !== first);
    await waitFor(() => rest.some((n) => has(candidates.get(n) as ServiceProcess, 'elected')), { timeoutMs: 10_000, what: 'a new leader' });
    const second = rest.filter((n) => has(candidates.get(n) as ServiceProcess, 'elected'));
    expect(second).toHaveLength(1);
    expect(await readLeader()).toBe(second[0]);
    expect(await observer.getAllChildren('/election')).toHaveLength(2);
  });

  it('a leader that resigns hands over; the resigned candidate reports the loss', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    const ea = new LeaderElection(a, '/election-resign', 'a');
    const eb = new LeaderElection(b, '/election-resign', 'b');
    const lost: string[] = [];
    ea.on('leadershipLost', (reason: string) => lost.push(reason));
    await ea.start();
    await eb.start();
    expect(ea.isLeader).toBe(true);
    expect(eb.isLeader).toBe(false);
    const elected = new Promise<void>((resolve) => eb.once('elected', () => resolve()));
    await ea.resign();
    await elected;
    expect(eb.isLeader).toBe(true);
    expect(lost).toEqual(['resigned']);
    expect((await eb.leaderData())?.toString()).toBe('b');
    await eb.resign();
  });

  it('a leader gives up leadership at once when its connection drops, and regains it on resume', async () => {
    const a = await pool.open({ sessionTimeoutMs: 5000 });
    const election = new LeaderElection(a, '/election-drop', 'a');
    const events: string[] = [];
    election.on('elected', () => events.push('elected'));
    election.on('leadershipLost', (reason: string) => events.push(`lost:${reason}`));
    await election.start();
    const resume = a._dropConnection({ hold: true });
    expect(events).toEqual(['elected', 'lost:disconnected']);
    resume();
    await waitFor(() => election.isLeader, { timeoutMs: 5000, what: 'leader again' });
    expect(events).toEqual(['elected', 'lost:disconnected', 'elected']);
    await election.resign();
  });
});

describe('double barrier', () => {
  it('4 processes enter together and leave together', async () => {
    const runs = await Promise.all(
      [0, 1, 2, 3].map((i) => runNode(FIXTURE, ['barrier', server.connectString, '/barrier', '4', `p${i}`, String(i * 150)], { timeoutMs: 30_000 })),
    );
    for (const r of runs) expect(r).toMatchObject({ code: 0 });
    const lines = runs.flatMap((r) => parseLines(r.stdout));
    const times = (msg: string): number[] => lines.filter((l) => l.msg === msg).map((l) => Number(l.t));
    expect(times('entered')).toHaveLength(4);
    // Nobody is through the entry before the last one arrived, nor out before the last one left.
    expect(Math.min(...times('entered'))).toBeGreaterThanOrEqual(Math.max(...times('entering')));
    expect(Math.min(...times('left'))).toBeGreaterThanOrEqual(Math.max(...times('leaving')));
    const check = await pool.open();
    expect(await check.getAllChildren('/barrier')).toEqual([]);
  });
});

describe('service registry', () => {
  it('a watcher sees members come and go (registration, kill -9, clean exit)', async () => {
    const client = await pool.open();
    const registry = new ServiceRegistry(client, '/services');
    const seen: string[][] = [];
    const watcher = (async () => {
      for await (const members of registry.watch('api')) {
        seen.push(members.map((m: ServiceMember) => `${m.instanceId}=${m.data.toString()}`));
        if (seen.length > 1 && members.length === 0) return;
      }
    })();
    await waitFor(() => seen.length === 1, { timeoutMs: 5000, what: 'first member list' });
    expect(seen[0]).toEqual([]);
    const ids = ['i1', 'i2', 'i3'];
    const procs = new Map<string, ServiceProcess>();
    for (const id of ids) procs.set(id, await startWorker(['register', '/services', 'api', id, `host-${id}:80`, '500'], 'registered'));
    await waitFor(() => seen.some((s) => s.length === 3), { timeoutMs: 5000, what: 'three members' });
    expect(seen.find((s) => s.length === 3)).toEqual(['i1=host-i1:80', 'i2=host-i2:80', 'i3=host-i3:80']);

    await (procs.get('i2') as ServiceProcess).kill9(); // gone once its session expires
    await waitFor(() => sameMembers(seen, ['i1=host-i1:80', 'i3=host-i3:80']), { timeoutMs: 10_000, what: 'i2 gone' });
    await (procs.get('i1') as ServiceProcess).stop('SIGTERM'); // unregisters on the way out
    await waitFor(() => sameMembers(seen, ['i3=host-i3:80']), { timeoutMs: 5000, what: 'i1 gone' });
    await (procs.get('i3') as ServiceProcess).stop('SIGTERM');
    await watcher;
    expect(seen[seen.length - 1]).toEqual([]);
  });

  function sameMembers(seen: string[][], expected: string[]): boolean {
    const last = seen[seen.length - 1];
    return last !== undefined && JSON.stringify(last) === JSON.stringify(expected);
  }
});

describe('tree cache', () => {
  async function readTree(client: CoordClient, root: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const walk = async (path: string): Promise<void> => {
      out.set(path, (await client.getData(path)).data.toString());
      for (const child of await client.getAllChildren(path)) await walk(joinPath(path, child));
    };
    await walk(root);
    return out;
  }

  function mirror(cache: TreeCache): Map<string, string> {
    return new Map([...cache.snapshot()].map(([p, n]) => [p, n.data.toString()]));
  }

  async function expectConverged(cache: TreeCache, reader: CoordClient, root: string): Promise<void> {
    let truth = new Map<string, string>();
    await waitFor(async () => {
      truth = await readTree(reader, root);
      return JSON.stringify([...mirror(cache)].sort()) === JSON.stringify([...truth].sort());
    }, { timeoutMs: 10_000, what: 'cache converged' });
    expect([...mirror(cache)].sort()).toEqual([...truth].sort());
  }

  it('mirrors a seeded random sequence of changes made by another process', async () => {
    const client = await pool.open();
    const reader = await pool.open();
    await client.mkdirp('/tc');
    const cache = new TreeCache(client, '/tc');
    const counts = { added: 0, updated: 0, removed: 0 };
    cache.on('added', () => counts.added++);
    cache.on('updated', () => counts.updated++);
    cache.on('removed', () => counts.removed++);
    await cache.start();
    expect(cache.size).toBe(1);
    const run = await runNode(FIXTURE, ['tree-writer', server.connectString, '/tc', '20240501', '150'], { timeoutMs: 30_000 });
    expect(run.code).toBe(0);
    await expectConverged(cache, reader, '/tc');
    expect(counts.added).toBeGreaterThan(10);
    expect(counts.updated).toBeGreaterThan(10);
    expect(counts.added - counts.removed).toBe(cache.size); // the root's 'added' included
    await cache.close();
  });

  it('rebuilds after a reconnect, catching up with what changed while away', async () => {
    const client = await pool.open({ sessionTimeoutMs: 5000 });
    const writer = await pool.open();
    const random = seededRandom(7);
    await writer.mkdirp('/tc2/a');
    await writer.create('/tc2/b', 'x');
    const cache = new TreeCache(client, '/tc2');
    await cache.start();
    const resume = client._dropConnection({ hold: true });
    await writer.delete('/tc2/a');
    await writer.setData('/tc2/b', 'y');
    for (let i = 0; i < 10; i++) await writer.create(`/tc2/n${Math.floor(random() * 1e6)}-${i}`, String(i));
    const resynced = new Promise<void>((resolve) => cache.once('resynced', () => resolve()));
    resume();
    await resynced;
    await expectConverged(cache, writer, '/tc2');
    expect(cache.get('/tc2/a')).toBeUndefined();
    expect(cache.get('/tc2/b')?.data.toString()).toBe('y');
    expect(cache.children('/tc2')).toHaveLength(11);
    await cache.close();
  });
});
