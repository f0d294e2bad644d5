import { WatchManager, type SessionWatchEvent } from '../../../src/tree/watch-manager';
import type { WatchEventType, WatchTrigger } from '../../../src/tree/types';
import { Driver, create, del, setData } from './tree-fixtures';

const t = (type: WatchEventType, path: string, zxid = 9): WatchTrigger => ({ type, path, zxid });
const ev = (sessionId: number, type: WatchEventType, path: string, zxid = 9): SessionWatchEvent => ({ sessionId, type, path, zxid });

function manager(max = 100): WatchManager {
  return new WatchManager({ maxWatchesPerSession: max });
}

describe('WatchManager: one-shot watches (ZooKeeper semantics)', () => {
  test('a data watch fires on data change and delete, not on children, and only once', () => {
    const w = manager();
    w.addDataWatch(1, '/a');
    expect(w.trigger([t('NODE_CHILDREN_CHANGED', '/a')])).toEqual([]);
    expect(w.trigger([t('NODE_DATA_CHANGED', '/a')])).toEqual([ev(1, 'NODE_DATA_CHANGED', '/a')]);
    expect(w.trigger([t('NODE_DATA_CHANGED', '/a')])).toEqual([]);
    w.addDataWatch(1, '/a');
    expect(w.trigger([t('NODE_DELETED', '/a')])).toEqual([ev(1, 'NODE_DELETED', '/a')]);
    expect(w.totalCount).toBe(0);
  });

  test('an exist watch fires on create', () => {
    const w = manager();
    w.addExistWatch(1, '/a');
    expect(w.trigger([t('NODE_CREATED', '/b'), t('NODE_CHILDREN_CHANGED', '/a')])).toEqual([]);
    expect(w.trigger([t('NODE_CREATED', '/a')])).toEqual([ev(1, 'NODE_CREATED', '/a')]);
    expect(w.countFor(1)).toBe(0);
  });

  test('data and exist watches are one table, as in ZooKeeper: either fires on create, data change and delete', () => {
    const w = manager();
    w.addExistWatch(1, '/a');
    expect(w.trigger([t('NODE_DATA_CHANGED', '/a')])).toEqual([ev(1, 'NODE_DATA_CHANGED', '/a')]);
    w.addDataWatch(2, '/a');
    expect(w.trigger([t('NODE_CREATED', '/a')])).toEqual([ev(2, 'NODE_CREATED', '/a')]);
  });

  test('a child watch fires on children changed and on delete of the node, not on its data', () => {
    const w = manager();
    w.addChildWatch(1, '/a');
    expect(w.trigger([t('NODE_DATA_CHANGED', '/a'), t('NODE_CREATED', '/a'), t('NODE_CHILDREN_CHANGED', '/a/b')])).toEqual([]);
    expect(w.trigger([t('NODE_CHILDREN_CHANGED', '/a')])).toEqual([ev(1, 'NODE_CHILDREN_CHANGED', '/a')]);
    w.addChildWatch(1, '/a');
    expect(w.trigger([t('NODE_DELETED', '/a')])).toEqual([ev(1, 'NODE_DELETED', '/a')]);
    expect(w.totalCount).toBe(0);
  });

  test('a session gets one event per trigger even when several of its watches match', () => {
    const w = manager();
    w.addDataWatch(1, '/a');
    w.addChildWatch(1, '/a');
    w.addPersistent(1, '/a', false);
    w.addPersistent(1, '/', true);
    w.addChildWatch(2, '/a');
    expect(w.trigger([t('NODE_DELETED', '/a')])).toEqual([ev(1, 'NODE_DELETED', '/a'), ev(2, 'NODE_DELETED', '/a')]);
    // Both one-shot watches of session 1 were used up by that one event; the persistent ones stay.
    expect(w.countFor(1)).toBe(2);
    expect(w.countFor(2)).toBe(0);
  });

  test('a NODE_DATA_CHANGED leaves a child watch on the same path in place', () => {
    const w = manager();
    w.addDataWatch(1, '/a');
    w.addChildWatch(1, '/a');
    w.trigger([t('NODE_DATA_CHANGED', '/a')]);
    expect(w.countFor(1)).toBe(1);
    expect(w.trigger([t('NODE_CHILDREN_CHANGED', '/a')])).toEqual([ev(1, 'NODE_CHILDREN_CHANGED', '/a')]);
  });

  test('events keep trigger order and carry the trigger zxid', () => {
    const w = manager();
    w.addExistWatch(1, '/a/b');
    w.addChildWatch(2, '/a');
    expect(w.trigger([t('NODE_CREATED', '/a/b', 40), t('NODE_CHILDREN_CHANGED', '/a', 40)])).toEqual([
      ev(1, 'NODE_CREATED', '/a/b', 40),
      ev(2, 'NODE_CHILDREN_CHANGED', '/a', 40),
    ]);
  });
});

describe('WatchManager: persistent watches', () => {
  test('a persistent watch sees all four event types on its path and stays', () => {
    const w = manager();
    w.addPersistent(1, '/a', false);
    const triggers = [t('NODE_CREATED', '/a'), t('NODE_DATA_CHANGED', '/a'), t('NODE_CHILDREN_CHANGED', '/a'), t('NODE_DELETED', '/a')];
    expect(w.trigger(triggers)).toEqual(triggers.map((x) => ev(1, x.type, x.path)));
    expect(w.trigger([t('NODE_CREATED', '/a/b'), t('NODE_DATA_CHANGED', '/')])).toEqual([]);
    expect(w.countFor(1)).toBe(1);
  });

  test('a recursive watch sees created, deleted and data changed on its path and below, never children changed', () => {
    const w = manager();
    w.addPersistent(1, '/a', true);
    expect(w.trigger([
      t('NODE_CREATED', '/a'),
      t('NODE_CREATED', '/a/b/c'),
      t('NODE_DATA_CHANGED', '/a/b'),
      t('NODE_DELETED', '/a/b/c'),
      t('NODE_CHILDREN_CHANGED', '/a/b'),
      t('NODE_CHILDREN_CHANGED', '/a'),
      t('NODE_CREATED', '/ab'), // not below /a
      t('NODE_DATA_CHANGED', '/'),
    ])).toEqual([
      ev(1, 'NODE_CREATED', '/a'),
      ev(1, 'NODE_CREATED', '/a/b/c'),
      ev(1, 'NODE_DATA_CHANGED', '/a/b'),
      ev(1, 'NODE_DELETED', '/a/b/c'),
    ]);
    expect(w.countFor(1)).toBe(1);
  });

  test('a recursive watch on the root sees the whole tree', () => {
    const w = manager();
    w.addPersistent(3, '/', true);
    expect(w.trigger([t('NODE_CREATED', '/x/y/z'), t('NODE_DATA_CHANGED', '/')])).toEqual([
      ev(3, 'NODE_CREATED', '/x/y/z'),
      ev(3, 'NODE_DATA_CHANGED', '/'),
    ]);
  });

  test('one event per session when a recursive watch and a one-shot watch both match', () => {
    const w = manager();
    w.addPersistent(1, '/', true);
    w.addPersistent(1, '/a', true);
    w.addDataWatch(1, '/a/b');
    expect(w.trigger([t('NODE_DATA_CHANGED', '/a/b')])).toEqual([ev(1, 'NODE_DATA_CHANGED', '/a/b')]);
    expect(w.countFor(1)).toBe(2);
  });

  test('recursive lookup walks ancestors, not every watch', () => {
    const w = new WatchManager({ maxWatchesPerSession: 50_000 });
    for (let i = 0; i < 20_000; i++) w.addPersistent(1, `/other/n${i}`, true);
    w.addPersistent(2, '/deep', true);
    const deep = '/deep' + '/x'.repeat(50);
    const triggers = Array.from({ length: 2_000 }, (_, i) => t('NODE_DATA_CHANGED', deep, i + 1));
    const t0 = performance.now();
    const events = w.trigger(triggers);
    const elapsedMs = performance.now() - t0;
    expect(events).toHaveLength(2_000);
    expect(events.every((e) => e.sessionId === 2)).toBe(true);
    process.stdout.write(`recursive watch lookup: 2k triggers at depth 51 among 20k recursive watches in ${elapsedMs.toFixed(0)} ms\n`);
  });
});

describe('WatchManager: limits, removal and sessions', () => {
  test('TOO_MANY_WATCHES at the per-session limit; re-adding an existing watch is free', () => {
    const w = manager(3);
    expect(w.addDataWatch(1, '/a')).toEqual({ ok: true });
    expect(w.addChildWatch(1, '/a')).toEqual({ ok: true });
    expect(w.addPersistent(1, '/b', true)).toEqual({ ok: true });
    expect(w.addDataWatch(1, '/a')).toEqual({ ok: true });
    expect(w.addExistWatch(1, '/c')).toEqual({ ok: false, code: 'TOO_MANY_WATCHES' });
    expect(w.addPersistent(1, '/b', false)).toEqual({ ok: false, code: 'TOO_MANY_WATCHES' });
    expect(w.addExistWatch(2, '/c')).toEqual({ ok: true }); // per session
    expect(w.countFor(1)).toBe(3);
    expect(w.totalCount).toBe(4);
    w.trigger([t('NODE_DATA_CHANGED', '/a')]); // frees one
    expect(w.addExistWatch(1, '/c')).toEqual({ ok: true });
  });

  test('the limit must be a positive integer', () => {
    expect(() => new WatchManager({ maxWatchesPerSession: 0 })).toThrow(/positive integer/);
  });

  test.each([
    ['DATA'], // the data and the exist watch
    ['CHILDREN'],
    ['PERSISTENT'],
    ['PERSISTENT_RECURSIVE'],
    ['ANY'],
  ])('removeWatches %s removes only its kind', (type) => {
    const w = manager();
    w.addDataWatch(1, '/a');
    w.addExistWatch(1, '/a');
    w.addChildWatch(1, '/a');
    w.addPersistent(1, '/a', false);
    w.addPersistent(1, '/a', true);
    const before = w.countFor(1);
    expect(w.removeWatches(1, '/a', type as 'ANY')).toEqual({ ok: true });
    const removed = { DATA: 2, CHILDREN: 1, PERSISTENT: 1, PERSISTENT_RECURSIVE: 1, ANY: 5 }[type] as number;
    expect(w.countFor(1)).toBe(before - removed);
    expect(w.removeWatches(1, '/a', type as 'ANY')).toEqual({ ok: false, code: 'NO_WATCHER' });
  });

  test('removed watches no longer fire; NO_WATCHER for watches never set', () => {
    const w = manager();
    w.addPersistent(1, '/a', true);
    w.addChildWatch(1, '/a');
    expect(w.removeWatches(1, '/a', 'PERSISTENT_RECURSIVE')).toEqual({ ok: true });
    expect(w.trigger([t('NODE_CREATED', '/a/b')])).toEqual([]);
    expect(w.removeWatches(1, '/a', 'DATA')).toEqual({ ok: false, code: 'NO_WATCHER' });
    expect(w.removeWatches(2, '/a', 'ANY')).toEqual({ ok: false, code: 'NO_WATCHER' });
    expect(w.trigger([t('NODE_CHILDREN_CHANGED', '/a')])).toEqual([ev(1, 'NODE_CHILDREN_CHANGED', '/a')]);
  });

  test('removeSession drops every watch of the session', () => {
    const w = manager();
    w.addDataWatch(1, '/a');
    w.addPersistent(1, '/', true);
    w.addChildWatch(2, '/a');
    w.removeSession(1);
    w.removeSession(99);
    expect(w.countFor(1)).toBe(0);
    expect(w.totalCount).toBe(1);
    expect(w.trigger([t('NODE_DELETED', '/a')])).toEqual([ev(2, 'NODE_DELETED', '/a')]);
  });
});

describe('WatchManager: setWatches (ZooKeeper DataTree.setWatches)', () => {
  function scenario(): { d: Driver; relativeZxid: number } {
    const d = new Driver();
    d.ok(create('/same'));
    d.ok(create('/changed'));
    d.ok(create('/kids'));
    d.ok(create('/quiet'));
    d.ok(create('/gone'));
    const relativeZxid = d.zxid; // the client saw everything up to here, then lost its connection
    d.ok(setData('/changed', 'x'));
    d.ok(create('/kids/new'));
    d.ok(del('/gone'));
    d.ok(create('/born'));
    return { d, relativeZxid };
  }

  test('fires what the client missed and registers the rest', () => {
    const { d, relativeZxid } = scenario();
    const w = manager();
    const result = w.setWatches(7, {
      relativeZxid,
      dataWatches: ['/same', '/changed', '/gone'],
      existWatches: ['/born', '/never'],
      childWatches: ['/kids', '/quiet', '/gone'],
      persistentWatches: ['/p'],
      persistentRecursiveWatches: ['/r'],
    }, d.tree);
    const z = d.tree.lastZxid;
    expect(result).toEqual({
      ok: true,
      events: [
        ev(7, 'NODE_DATA_CHANGED', '/changed', z),
        ev(7, 'NODE_DELETED', '/gone', z),
        ev(7, 'NODE_CREATED', '/born', z),
        ev(7, 'NODE_CHILDREN_CHANGED', '/kids', z),
        ev(7, 'NODE_DELETED', '/gone', z),
      ],
    });
    // Registered: data /same, exist /never, child /quiet, persistent /p, recursive /r.
    expect(w.countFor(7)).toBe(5);
    expect(w.trigger([
      t('NODE_DATA_CHANGED', '/same'),
      t('NODE_CREATED', '/never'),
      t('NODE_CHILDREN_CHANGED', '/quiet'),
      t('NODE_CHILDREN_CHANGED', '/p'),
      t('NODE_CREATED', '/r/x'),
      t('NODE_DATA_CHANGED', '/changed'), // fired already, not registered
    ])).toEqual([
      ev(7, 'NODE_DATA_CHANGED', '/same'),
      ev(7, 'NODE_CREATED', '/never'),
      ev(7, 'NODE_CHILDREN_CHANGED', '/quiet'),
      ev(7, 'NODE_CHILDREN_CHANGED', '/p'),
      ev(7, 'NODE_CREATED', '/r/x'),
    ]);
  });

  test('registers nothing when it would pass the per-session limit', () => {
    const { d, relativeZxid } = scenario();
    const w = manager(2);
    w.addDataWatch(7, '/x');
    const request = {
      relativeZxid, dataWatches: ['/same', '/changed'], existWatches: [], childWatches: ['/quiet'],
      persistentWatches: [], persistentRecursiveWatches: [],
    };
    expect(w.setWatches(7, request, d.tree)).toEqual({ ok: false, code: 'TOO_MANY_WATCHES' });
    expect(w.countFor(7)).toBe(1);
    const w2 = manager(2);
    expect(w2.setWatches(7, request, d.tree)).toMatchObject({ ok: true, events: [ev(7, 'NODE_DATA_CHANGED', '/changed', d.tree.lastZxid)] });
  });
});
