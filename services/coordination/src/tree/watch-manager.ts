// The watches sessions hold on one server, and which of them a tree change fires.
// Pure and per server: watches are not replicated (ZooKeeper keeps them in each server's
// DataTree, outside the log); a client re-registers them with setWatches when it reconnects.
// ZooKeeper: server WatchManager (one table for data and exists watches, one for child
// watches; PERSISTENT in both, PERSISTENT_RECURSIVE in the data table only) and
// DataTree.setWatches.
import { parentPath } from './path';
import type { Stat, WatchEventType, WatchTrigger } from './types';

export type RemoveWatchType = 'ANY' | 'DATA' | 'CHILDREN' | 'PERSISTENT' | 'PERSISTENT_RECURSIVE';

/** One event to deliver to one session. */
export interface SessionWatchEvent {
  sessionId: number;
  type: WatchEventType;
  path: string;
  zxid: number;
}

export type WatchResult = { ok: true } | { ok: false; code: 'TOO_MANY_WATCHES' };
export type RemoveWatchesResult = { ok: true } | { ok: false; code: 'NO_WATCHER' };
export type SetWatchesResult = { ok: true; events: SessionWatchEvent[] } | { ok: false; code: 'TOO_MANY_WATCHES' };

export interface SetWatchesRequest {
  relativeZxid: number; // the last zxid the client saw
  dataWatches: readonly string[];
  existWatches: readonly string[];
  childWatches: readonly string[];
  persistentWatches: readonly string[];
  persistentRecursiveWatches: readonly string[];
}

/** What setWatches reads from the tree (DataTree satisfies it). */
export interface WatchTreeView {
  exists(path: string): Stat | undefined;
  readonly lastZxid: number;
}

// One bit per kind of watch a session can hold on a path.
const DATA = 1;
const EXIST = 2;
const CHILD = 4;
const PERSISTENT = 8;
const RECURSIVE = 16;
const ALL = DATA | EXIST | CHILD | PERSISTENT | RECURSIVE;

// One-shot watches each event fires. ZooKeeper: NodeCreated and NodeDataChanged go to the data
// table (data and exists watches), NodeDeleted to both tables, NodeChildrenChanged to the child table.
const ONE_SHOT_FIRED: Record<WatchEventType, number> = {
  NODE_CREATED: DATA | EXIST,
  NODE_DATA_CHANGED: DATA | EXIST,
  NODE_DELETED: DATA | EXIST | CHILD,
  NODE_CHILDREN_CHANGED: CHILD,
};

const REMOVED_BY: Record<RemoveWatchType, number> = {
  ANY: ALL,
  DATA: DATA | EXIST, // ZooKeeper: WatcherType.Data removes standard watches of the data table
  CHILDREN: CHILD,
  PERSISTENT,
  PERSISTENT_RECURSIVE: RECURSIVE,
};

const OK: { ok: true } = { ok: true };

export class WatchManager {
  private readonly maxWatchesPerSession: number;
  private readonly byPath = new Map<string, Map<number, number>>(); // path → session → bits
  private readonly bySession = new Map<number, Map<string, number>>(); // session → path → bits
  private readonly counts = new Map<number, number>(); // session → watches held
  private readonly recursiveByPath = new Map<string, Set<number>>(); // for the O(depth) ancestor walk
  private total = 0;

  constructor(options: { maxWatchesPerSession: number }) {
    if (!(Number.isSafeInteger(options.maxWatchesPerSession) && options.maxWatchesPerSession > 0)) {
      throw new Error(`maxWatchesPerSession must be a positive integer, got ${options.maxWatchesPerSession}`);
    }
    this.maxWatchesPerSession = options.maxWatchesPerSession;
  }

  /** One-shot, set by getData (or exists on a node that exists). */
  addDataWatch(sessionId: number, path: string): WatchResult {
    return this.add(sessionId, path, DATA);
  }

  /** One-shot, set by exists on a node that does not exist. */
  addExistWatch(sessionId: number, path: string): WatchResult {
    return this.add(sessionId, path, EXIST);
  }

  /** One-shot, set by getChildren. */
  addChildWatch(sessionId: number, path: string): WatchResult {
    return this.add(sessionId, path, CHILD);
  }

  /** addWatch: stays until removed; recursive ones also see every descendant's changes. */
  addPersistent(sessionId: number, path: string, recursive: boolean): WatchResult {
    return this.add(sessionId, path, recursive ? RECURSIVE : PERSISTENT);
  }

  removeWatches(sessionId: number, path: string, type: RemoveWatchType): RemoveWatchesResult {
    const held = this.bitsOf(sessionId, path);
    const removed = held & REMOVED_BY[type];
    if (removed === 0) return { ok: false, code: 'NO_WATCHER' };
    this.setBits(sessionId, path, held & ~removed);
    return OK;
  }

  removeSession(sessionId: number): void {
    const paths = this.bySession.get(sessionId);
    if (paths === undefined) return;
    for (const path of [...paths.keys()]) this.setBits(sessionId, path, 0);
  }

  countFor(sessionId: number): number {
    return this.counts.get(sessionId) ?? 0;
  }

  get totalCount(): number {
    return this.total;
  }

  /** The events the triggers fire, in trigger order; one-shot watches that fired are gone. */
  trigger(triggers: readonly WatchTrigger[]): SessionWatchEvent[] {
    const events: SessionWatchEvent[] = [];
    for (const t of triggers) {
      for (const sessionId of this.fire(t)) events.push({ sessionId, type: t.type, path: t.path, zxid: t.zxid });
    }
    return events;
  }

  /**
   * Sessions one trigger reaches, each once (ZooKeeper delivers one event per watcher per
   * trigger, suppressing the child table's delivery of NodeDeleted to a watcher the data table
   * already reached). On the exact path: the matching one-shot watches, persistent watches for
   * every event type, recursive ones except for NodeChildrenChanged. On an ancestor: recursive
   * watches only, except for NodeChildrenChanged.
   */
  private fire(t: WatchTrigger): Set<number> {
    const fired = new Set<number>();
    const oneShot = ONE_SHOT_FIRED[t.type];
    const reachesRecursive = t.type !== 'NODE_CHILDREN_CHANGED';
    const matches = oneShot | PERSISTENT | (reachesRecursive ? RECURSIVE : 0);
    const here = this.byPath.get(t.path);
    if (here !== undefined) {
      const spent: Array<[number, number]> = [];
      for (const [sessionId, bits] of here) {
        if ((bits & matches) === 0) continue;
        fired.add(sessionId);
        if ((bits & oneShot) !== 0) spent.push([sessionId, bits & ~oneShot]);
      }
      for (const [sessionId, bits] of spent) this.setBits(sessionId, t.path, bits);
    }
    if (reachesRecursive && this.recursiveByPath.size > 0) {
      for (let path = t.path; path !== '/'; ) {
        path = parentPath(path);
        const sessions = this.recursiveByPath.get(path);
        if (sessions !== undefined) for (const sessionId of sessions) fired.add(sessionId);
      }
    }
    return fired;
  }

  /**
   * ZooKeeper: DataTree.setWatches, for a reconnecting client that last saw `relativeZxid`.
   * A data watch fires NODE_DELETED now if the node is gone, NODE_DATA_CHANGED if it changed
   * since; an exist watch fires NODE_CREATED if the node exists; a child watch fires
   * NODE_DELETED or NODE_CHILDREN_CHANGED likewise. The rest are registered. All or nothing
   * against the per-session limit. Events fired now carry the tree's last zxid.
   */
  setWatches(sessionId: number, request: SetWatchesRequest, tree: WatchTreeView): SetWatchesResult {
    const events: SessionWatchEvent[] = [];
    const toRegister = new Map<string, number>();
    const register = (path: string, bit: number): void => {
      toRegister.set(path, (toRegister.get(path) ?? 0) | bit);
    };
    const fireNow = (type: WatchEventType, path: string): void => {
      events.push({ sessionId, type, path, zxid: tree.lastZxid });
    };
    for (const path of request.dataWatches) {
      const stat = tree.exists(path);
      if (stat === undefined) fireNow('NODE_DELETED', path);
      else if (stat.mzxid > request.relativeZxid) fireNow('NODE_DATA_CHANGED', path);
      else register(path, DATA);
    }
    for (const path of request.existWatches) {
      if (tree.exists(path) !== undefined) fireNow('NODE_CREATED', path);
      else register(path, EXIST);
    }
    for (const path of request.childWatches) {
      const stat = tree.exists(path);
      if (stat === undefined) fireNow('NODE_DELETED', path);
      else if (stat.pzxid > request.relativeZxid) fireNow('NODE_CHILDREN_CHANGED', path);
      else register(path, CHILD);
    }
    for (const path of request.persistentWatches) register(path, PERSISTENT);
    for (const path of request.persistentRecursiveWatches) register(path, RECURSIVE);
    let adding = 0;
    for (const [path, bits] of toRegister) adding += bitCount(bits & ~this.bitsOf(sessionId, path));
    if (this.countFor(sessionId) + adding > this.maxWatchesPerSession) return { ok: false, code: 'TOO_MANY_WATCHES' };
    for (const [path, bits] of toRegister) this.setBits(sessionId, path, this.bitsOf(sessionId, path) | bits);
    return { ok: true, events };
  }

  private add(sessionId: number, path: string, bit: number): WatchResult {
    const held = this.bitsOf(sessionId, path);
    if ((held & bit) !== 0) return OK; // already set: not a second watch
    if (this.countFor(sessionId) >= this.maxWatchesPerSession) return { ok: false, code: 'TOO_MANY_WATCHES' };
    this.setBits(sessionId, path, held | bit);
    return OK;
  }

  private bitsOf(sessionId: number, path: string): number {
    return this.bySession.get(sessionId)?.get(path) ?? 0;
  }

  /** The one place the indexes change: sets what `sessionId` holds on `path`. */
  private setBits(sessionId: number, path: string, bits: number): void {
    const held = this.bitsOf(sessionId, path);
    if (held === bits) return;
    const delta = bitCount(bits) - bitCount(held);
    this.total += delta;
    const count = this.countFor(sessionId) + delta;
    if (count === 0) this.counts.delete(sessionId);
    else this.counts.set(sessionId, count);
    setNested(this.byPath, path, sessionId, bits);
    setNested(this.bySession, sessionId, path, bits);
    if ((held & RECURSIVE) !== (bits & RECURSIVE)) this.setRecursive(sessionId, path, (bits & RECURSIVE) !== 0);
  }

  private setRecursive(sessionId: number, path: string, on: boolean): void {
    let sessions = this.recursiveByPath.get(path);
    if (on) {
      if (sessions === undefined) this.recursiveByPath.set(path, (sessions = new Set()));
      sessions.add(sessionId);
    } else if (sessions !== undefined) {
      sessions.delete(sessionId);
      if (sessions.size === 0) this.recursiveByPath.delete(path);
    }
  }
}

function setNested<K, J>(outer: Map<K, Map<J, number>>, key: K, innerKey: J, bits: number): void {
  let inner = outer.get(key);
  if (bits === 0) {
    inner?.delete(innerKey);
    if (inner?.size === 0) outer.delete(key);
    return;
  }
  if (inner === undefined) outer.set(key, (inner = new Map()));
  inner.set(innerKey, bits);
}

function bitCount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count++;
  return count;
}
