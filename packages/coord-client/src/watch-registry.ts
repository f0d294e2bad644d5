// The client's table of local watchers, modelled on ZooKeeper's ZKWatchManager. Pure: it only
// decides which local watchers an event reaches; the client calls them.
import { ancestors } from './path';
import type { EventType, WatcherType } from './types';

/** Where a watcher is registered. 'exist' is an exists-watch on a node that did not exist. */
export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';

export const WATCH_KINDS: readonly WatchKind[] = ['data', 'exist', 'child', 'persistent', 'persistentRecursive'];

/** The paths of every registered watch, by kind: what a SetWatches request re-registers. */
export type WatchSnapshot = Record<WatchKind, string[]>;

/** A watcher removed by removeWatches, with the *_WATCH_REMOVED event it is told. */
export interface RemovedWatcher<W> {
  watcher: W;
  type: EventType;
}

const ONE_SHOT: readonly WatchKind[] = ['data', 'exist', 'child'];

export class WatchRegistry<W> {
  private readonly tables: Record<WatchKind, Map<string, Set<W>>> = {
    data: new Map(), exist: new Map(), child: new Map(), persistent: new Map(), persistentRecursive: new Map(),
  };

  add(kind: WatchKind, path: string, watcher: W): void {
    let set = this.tables[kind].get(path);
    if (!set) this.tables[kind].set(path, (set = new Set()));
    set.add(watcher);
  }

  /** Removes one watcher; returns true when no watcher of that kind is left on the path. */
  remove(kind: WatchKind, path: string, watcher: W): boolean {
    const set = this.tables[kind].get(path);
    if (!set) return true;
    set.delete(watcher);
    if (set.size === 0) this.tables[kind].delete(path);
    return set.size === 0;
  }

  count(kind: WatchKind, path: string): number {
    return this.tables[kind].get(path)?.size ?? 0;
  }

  /** True when nothing is registered. */
  isEmpty(): boolean {
    return WATCH_KINDS.every((kind) => this.tables[kind].size === 0);
  }

  /**
   * The watchers a server event reaches; one-shot watchers it fires are removed.
   * ZooKeeper: ZKWatchManager.materialize —
   *  - NodeCreated, NodeDataChanged: data and exist watches of the path;
   *  - NodeDeleted: data, exist and child watches of the path;
   *  - NodeChildrenChanged: child watches of the path;
   *  - persistent watches of the path get every type; persistent-recursive watches of the path and
   *    of its ancestors get all but NodeChildrenChanged.
   */
  materialize(type: EventType, path: string): W[] {
    const out = new Set<W>();
    switch (type) {
      case 'NODE_CREATED':
      case 'NODE_DATA_CHANGED':
        this.take('data', path, out);
        this.take('exist', path, out);
        this.addPersistent(path, true, out);
        break;
      case 'NODE_DELETED':
        this.take('data', path, out);
        this.take('exist', path, out);
        this.take('child', path, out);
        this.addPersistent(path, true, out);
        break;
      case 'NODE_CHILDREN_CHANGED':
        this.take('child', path, out);
        this.addPersistent(path, false, out);
        break;
      default:
        // NONE and *_WATCH_REMOVED are not data events: the client handles them itself.
        break;
    }
    return [...out];
  }

  /**
   * Removes the watches removeWatches(path, type) names and returns them with their removal event.
   * ZooKeeper: WatcherType.Data removes data and exist watches; Any removes every kind.
   */
  removeAll(path: string, type: WatcherType): RemovedWatcher<W>[] {
    const kinds = kindsOf(type);
    const out: RemovedWatcher<W>[] = [];
    for (const kind of kinds) {
      const set = this.tables[kind].get(path);
      if (!set) continue;
      this.tables[kind].delete(path);
      for (const watcher of set) out.push({ watcher, type: removedEventOf(kind) });
    }
    return out;
  }

  /** True when removeWatches(path, type) would find a local watcher. */
  hasAny(path: string, type: WatcherType): boolean {
    return kindsOf(type).some((kind) => this.tables[kind].has(path));
  }

  /** Empties the registry (session ended) and returns every distinct watcher once. */
  clear(): W[] {
    const out = new Set<W>();
    for (const kind of WATCH_KINDS) {
      for (const set of this.tables[kind].values()) for (const w of set) out.add(w);
      this.tables[kind].clear();
    }
    return [...out];
  }

  /** The registered paths by kind, sorted (for SetWatches after a reconnect). */
  snapshot(): WatchSnapshot {
    const out = {} as WatchSnapshot;
    for (const kind of WATCH_KINDS) out[kind] = [...this.tables[kind].keys()].sort();
    return out;
  }

  private take(kind: WatchKind, path: string, out: Set<W>): void {
    const set = this.tables[kind].get(path);
    if (!set) return;
    this.tables[kind].delete(path);
    for (const w of set) out.add(w);
  }

  private addPersistent(path: string, withRecursive: boolean, out: Set<W>): void {
    for (const w of this.tables.persistent.get(path) ?? []) out.add(w);
    if (!withRecursive) return;
    for (const p of [...ancestors(path), path]) {
      for (const w of this.tables.persistentRecursive.get(p) ?? []) out.add(w);
    }
  }
}

function kindsOf(type: WatcherType): readonly WatchKind[] {
  switch (type) {
    case 'data': return ['data', 'exist'];
    case 'children': return ['child'];
    case 'persistent': return ['persistent'];
    case 'persistentRecursive': return ['persistentRecursive'];
    case 'any': return WATCH_KINDS;
  }
}

function removedEventOf(kind: WatchKind): EventType {
  if (kind === 'child') return 'CHILD_WATCH_REMOVED';
  if (kind === 'persistent' || kind === 'persistentRecursive') return 'PERSISTENT_WATCH_REMOVED';
  return 'DATA_WATCH_REMOVED';
}

/** Whether a kind fires once (data, exist, child) or until removed (persistent ones). */
export function isOneShot(kind: WatchKind): boolean {
  return ONE_SHOT.includes(kind);
}

/**
 * Splits SetWatches paths into batches whose total path length stays under `maxBytes`, so one
 * reconnect with many watches does not exceed the request size limit.
 * ZooKeeper: ClientCnxn SET_WATCHES_MAX_LENGTH (128 KiB).
 */
export function chunkSnapshot(snapshot: WatchSnapshot, maxBytes: number): WatchSnapshot[] {
  const chunks: WatchSnapshot[] = [];
  let current = emptySnapshot();
  let size = 0;
  for (const kind of WATCH_KINDS) {
    for (const path of snapshot[kind]) {
      const bytes = Buffer.byteLength(path) + 2;
      if (size > 0 && size + bytes > maxBytes) {
        chunks.push(current);
        current = emptySnapshot();
        size = 0;
      }
      current[kind].push(path);
      size += bytes;
    }
  }
  if (size > 0) chunks.push(current);
  return chunks;
}

function emptySnapshot(): WatchSnapshot {
  return { data: [], exist: [], child: [], persistent: [], persistentRecursive: [] };
}
