import { chunkSnapshot, WatchRegistry } from '../../src/watch-registry';

// Watchers are plain strings here: the registry only routes.
function registry(): WatchRegistry<string> {
  return new WatchRegistry<string>();
}

describe('WatchRegistry.materialize (ZooKeeper ZKWatchManager)', () => {
  it('NODE_DATA_CHANGED reaches data and exist watches of the path, once', () => {
    const r = registry();
    r.add('data', '/a', 'd');
    r.add('exist', '/a', 'e');
    r.add('child', '/a', 'c');
    r.add('data', '/b', 'other');
    expect(r.materialize('NODE_DATA_CHANGED', '/a').sort()).toEqual(['d', 'e']);
    expect(r.materialize('NODE_DATA_CHANGED', '/a')).toEqual([]);
    expect(r.count('child', '/a')).toBe(1);
    expect(r.count('data', '/b')).toBe(1);
  });

  it('NODE_CREATED fires an exists watch set on a missing node', () => {
    const r = registry();
    r.add('exist', '/new', 'e');
    expect(r.materialize('NODE_CREATED', '/new')).toEqual(['e']);
  });

  it('NODE_DELETED reaches data, exist and child watches of that path', () => {
    const r = registry();
    r.add('data', '/a', 'd');
    r.add('exist', '/a', 'e');
    r.add('child', '/a', 'c');
    r.add('child', '/', 'parent-child');
    expect(r.materialize('NODE_DELETED', '/a').sort()).toEqual(['c', 'd', 'e']);
    expect(r.count('child', '/')).toBe(1);
  });

  it('NODE_CHILDREN_CHANGED reaches only child watches (and persistent ones) of the path', () => {
    const r = registry();
    r.add('child', '/a', 'c');
    r.add('data', '/a', 'd');
    r.add('persistent', '/a', 'p');
    r.add('persistentRecursive', '/a', 'pr');
    expect(r.materialize('NODE_CHILDREN_CHANGED', '/a').sort()).toEqual(['c', 'p']);
    expect(r.count('data', '/a')).toBe(1);
  });

  it('a watcher registered twice for one path is told once', () => {
    const r = registry();
    r.add('data', '/a', 'w');
    r.add('exist', '/a', 'w');
    r.add('persistent', '/a', 'w');
    expect(r.materialize('NODE_DELETED', '/a')).toEqual(['w']);
  });

  it('persistent watches fire for their own path every time and are kept', () => {
    const r = registry();
    r.add('persistent', '/a', 'p');
    expect(r.materialize('NODE_DATA_CHANGED', '/a')).toEqual(['p']);
    expect(r.materialize('NODE_DATA_CHANGED', '/a')).toEqual(['p']);
    expect(r.materialize('NODE_CREATED', '/a/b')).toEqual([]);
  });

  it('persistent-recursive watches fire for the path and every descendant, not for siblings', () => {
    const r = registry();
    r.add('persistentRecursive', '/a', 'ra');
    r.add('persistentRecursive', '/', 'root');
    expect(r.materialize('NODE_CREATED', '/a/b/c').sort()).toEqual(['ra', 'root']);
    expect(r.materialize('NODE_DELETED', '/a').sort()).toEqual(['ra', 'root']);
    expect(r.materialize('NODE_DATA_CHANGED', '/ab')).toEqual(['root']);
    expect(r.count('persistentRecursive', '/a')).toBe(1);
  });

  it('ignores events that are not data events', () => {
    const r = registry();
    r.add('data', '/a', 'd');
    expect(r.materialize('NONE', '/a')).toEqual([]);
    expect(r.count('data', '/a')).toBe(1);
  });
});

describe('WatchRegistry removal', () => {
  it('removeAll(data) takes data and exist watches with DATA_WATCH_REMOVED', () => {
    const r = registry();
    r.add('data', '/a', 'd');
    r.add('exist', '/a', 'e');
    r.add('child', '/a', 'c');
    expect(r.removeAll('/a', 'data')).toEqual([
      { watcher: 'd', type: 'DATA_WATCH_REMOVED' }, { watcher: 'e', type: 'DATA_WATCH_REMOVED' },
    ]);
    expect(r.hasAny('/a', 'data')).toBe(false);
    expect(r.hasAny('/a', 'children')).toBe(true);
  });

  it('removeAll(any) takes every kind, each with its own removal event', () => {
    const r = registry();
    r.add('child', '/a', 'c');
    r.add('persistentRecursive', '/a', 'pr');
    expect(r.removeAll('/a', 'any')).toEqual([
      { watcher: 'c', type: 'CHILD_WATCH_REMOVED' }, { watcher: 'pr', type: 'PERSISTENT_WATCH_REMOVED' },
    ]);
    expect(r.isEmpty()).toBe(true);
  });

  it('remove() reports when the last watcher of a kind on a path went', () => {
    const r = registry();
    r.add('persistent', '/a', 'x');
    r.add('persistent', '/a', 'y');
    expect(r.remove('persistent', '/a', 'x')).toBe(false);
    expect(r.remove('persistent', '/a', 'y')).toBe(true);
    expect(r.isEmpty()).toBe(true);
  });

  it('clear() returns each watcher once and empties the registry', () => {
    const r = registry();
    r.add('data', '/a', 'w');
    r.add('child', '/b', 'w');
    r.add('persistent', '/c', 'p');
    expect(r.clear().sort()).toEqual(['p', 'w']);
    expect(r.isEmpty()).toBe(true);
  });
});

describe('SetWatches snapshot', () => {
  it('lists registered paths by kind, sorted', () => {
    const r = registry();
    r.add('data', '/b', 'x');
    r.add('data', '/a', 'x');
    r.add('exist', '/e', 'x');
    r.add('child', '/c', 'x');
    r.add('persistent', '/p', 'x');
    r.add('persistentRecursive', '/r', 'x');
    expect(r.snapshot()).toEqual({
      data: ['/a', '/b'], exist: ['/e'], child: ['/c'], persistent: ['/p'], persistentRecursive: ['/r'],
    });
  });

  it('splits a large snapshot into requests under the byte limit, keeping every path once', () => {
    const paths = Array.from({ length: 100 }, (_, i) => `/node-${String(i).padStart(4, '0')}`);
    const snapshot = { data: paths.slice(0, 60), exist: [], child: paths.slice(60), persistent: [], persistentRecursive: [] };
    const chunks = chunkSnapshot(snapshot, 200);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      const bytes = Object.values(chunk).flat().reduce((n, p) => n + p.length + 2, 0);
      expect(bytes).toBeLessThanOrEqual(200);
    }
    expect(chunks.flatMap((c) => c.data)).toEqual(snapshot.data);
    expect(chunks.flatMap((c) => c.child)).toEqual(snapshot.child);
    expect(chunkSnapshot({ data: [], exist: [], child: [], persistent: [], persistentRecursive: [] }, 200)).toEqual([]);
  });
});
