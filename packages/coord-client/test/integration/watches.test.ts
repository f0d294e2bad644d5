// Watches against a real server: one-shot callbacks, persistent and recursive iterators, removal,
// and ZooKeeper's ordering guarantee (the event before any read that reflects the change).
import type { CoordError, WatchEvent } from '../../src';
import { ClientPool, deferred, startServer, waitFor, type TestServer } from './harness';

let server: TestServer;
const pool = new ClientPool(() => server.connectString);

beforeAll(async () => {
  server = await startServer();
});
afterEach(() => pool.closeAll());
afterAll(() => server?.stop());

const kinds = (events: WatchEvent[]): string[] => events.map((e) => `${e.type} ${e.path}`);

describe('one-shot watches', () => {
  it('a data watch fires once on a change by another client', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    await a.create('/w-data', 'v0');
    const events: WatchEvent[] = [];
    await a.getData('/w-data', { watch: (e) => events.push(e) });
    await b.setData('/w-data', 'v1');
    await b.setData('/w-data', 'v2');
    await a.sync('/w-data');
    await a.exists('/'); // a round trip after the changes: their events have arrived
    expect(kinds(events)).toEqual(['NODE_DATA_CHANGED /w-data']);
    expect(events[0]).toMatchObject({ state: 'connected' });
    expect(events[0].zxid).toBeGreaterThan(0);
  });

  it('delivers the event before a read that reflects the change', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    await a.create('/w-order', 'old');
    const log: string[] = [];
    await a.getData('/w-order', { watch: () => log.push('event') });
    await b.setData('/w-order', 'new');
    for (let i = 0; i < 200; i++) {
      const { data } = await a.getData('/w-order');
      if (data.toString() === 'new') {
        log.push('read-new');
        break;
      }
      log.push('read-old');
    }
    expect(log.filter((l) => l !== 'read-old')).toEqual(['event', 'read-new']);
    expect(log.indexOf('event')).toBeLessThan(log.indexOf('read-new'));
  });

  it('a child watch fires on a child created, and NODE_DELETED reaches data and child watches', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    await a.create('/w-kids');
    const childEvents: WatchEvent[] = [];
    await a.getChildren('/w-kids', { watch: (e) => childEvents.push(e) });
    await b.create('/w-kids/x');
    const fired = deferred<void>();
    const deleted: WatchEvent[] = [];
    const onDelete = (e: WatchEvent): void => {
      deleted.push(e);
      if (deleted.length === 2) fired.resolve();
    };
    await a.getData('/w-kids/x', { watch: onDelete });
    await a.getChildren('/w-kids/x', { watch: (e) => onDelete(e) });
    await b.delete('/w-kids/x');
    await fired.promise;
    expect(kinds(childEvents)).toEqual(['NODE_CHILDREN_CHANGED /w-kids']);
    expect(kinds(deleted)).toEqual(['NODE_DELETED /w-kids/x', 'NODE_DELETED /w-kids/x']);
  });

  it('an exists watch on a missing node fires NODE_CREATED', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    const fired = deferred<WatchEvent>();
    expect(await a.exists('/w-later', { watch: fired.resolve })).toBeNull();
    await b.create('/w-later');
    expect(await fired.promise).toMatchObject({ type: 'NODE_CREATED', path: '/w-later' });
  });

  it('removeWatches removes a watch and tells its listener', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    await a.create('/w-rm', 'x');
    const events: WatchEvent[] = [];
    await a.getData('/w-rm', { watch: (e) => events.push(e) });
    await a.removeWatches('/w-rm', 'data');
    await b.setData('/w-rm', 'y');
    await a.sync('/w-rm');
    await a.exists('/');
    expect(kinds(events)).toEqual(['DATA_WATCH_REMOVED /w-rm']);
    await expect(a.removeWatches('/w-rm', 'data')).rejects.toMatchObject({ code: 'NO_WATCHER', zkName: 'NoWatcher' });
  });
});

describe('persistent watches', () => {
  it('an iterator sees every change of its node until closed', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    await a.create('/w-pers', '0');
    const events = a.watchEvents('/w-pers');
    await events.ready;
    await b.setData('/w-pers', '1');
    await b.create('/w-pers/kid');
    await b.setData('/w-pers', '2');
    await b.create('/w-pers/kid/grandkid'); // below the node: not for a non-recursive watch
    await b.delete('/w-pers/kid/grandkid');
    await b.delete('/w-pers/kid');
    await b.delete('/w-pers');
    const seen: string[] = [];
    for await (const e of events) {
      seen.push(`${e.type} ${e.path}`);
      if (e.type === 'NODE_DELETED') break;
    }
    expect(seen).toEqual([
      'NODE_DATA_CHANGED /w-pers',
      'NODE_CHILDREN_CHANGED /w-pers',
      'NODE_DATA_CHANGED /w-pers',
      'NODE_CHILDREN_CHANGED /w-pers',
      'NODE_DELETED /w-pers',
    ]);
  });

  it('a recursive iterator sees changes anywhere below, but not siblings', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    const events = a.watchEvents('/w-rec', { recursive: true });
    await events.ready;
    await b.create('/w-rec');
    await b.create('/w-rec-sibling');
    await b.create('/w-rec/a');
    await b.create('/w-rec/a/b', 'x');
    await b.setData('/w-rec/a/b', 'y');
    await b.delete('/w-rec/a/b');
    const seen: string[] = [];
    for await (const e of events) {
      seen.push(`${e.type} ${e.path}`);
      if (seen.length === 5) break;
    }
    expect(seen).toEqual([
      'NODE_CREATED /w-rec',
      'NODE_CREATED /w-rec/a',
      'NODE_CREATED /w-rec/a/b',
      'NODE_DATA_CHANGED /w-rec/a/b',
      'NODE_DELETED /w-rec/a/b',
    ]);
  });

  it('closing one iterator leaves another on the same path working', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    await a.create('/w-two', '0');
    const first = a.watchEvents('/w-two');
    const second = a.watchEvents('/w-two');
    await Promise.all([first.ready, second.ready]);
    await first.close();
    await b.setData('/w-two', '1');
    expect((await second.next()).value).toMatchObject({ type: 'NODE_DATA_CHANGED', path: '/w-two' });
    await second.close();
    // No listener is left on the path, so there is nothing to remove any more.
    await expect(a.removeWatches('/w-two', 'persistent')).rejects.toMatchObject({ code: 'NO_WATCHER' });
    expect((await first.next()).done).toBe(true);
  });

  it('addWatch takes a callback too', async () => {
    const [a, b] = [await pool.open(), await pool.open()];
    await a.create('/w-cb');
    const events: WatchEvent[] = [];
    const handle = await a.addWatch('/w-cb', 'persistentRecursive', (e) => events.push(e));
    await b.create('/w-cb/1');
    await b.create('/w-cb/2');
    await waitFor(() => events.length === 2, { timeoutMs: 5000 });
    await handle.remove();
    await b.create('/w-cb/3');
    await a.sync('/w-cb');
    await a.exists('/');
    expect(kinds(events)).toEqual(['NODE_CREATED /w-cb/1', 'NODE_CREATED /w-cb/2']);
  });

  it('a watch on an invalid path fails its iterator', async () => {
    const a = await pool.open();
    const events = a.watchEvents('no-slash');
    await expect(events.next()).rejects.toMatchObject({ code: 'INVALID_PATH' } satisfies Partial<CoordError>);
  });
});
