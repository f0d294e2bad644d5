// An in-memory mirror of a subtree (Curator: TreeCache / CuratorCache). One persistent-recursive
// watch on the root reports every change below it; each event is answered by a read of the node,
// and events are handled one at a time in arrival order, so the mirror converges on the server's
// state. After a reconnect the whole subtree is read again and compared, since a persistent watch
// does not replay what changed below it while the client was away.
import { EventEmitter } from 'node:events';
import type { CoordClient, WatchHandle } from '../client';
import { CoordError, hasCode } from '../errors';
import { joinPath, parentPath } from '../path';
import type { ClientState, Stat, WatchEvent } from '../types';

export interface CachedNode {
  data: Buffer;
  stat: Stat;
}

export interface TreeCacheOptions {
  /** Nodes the cache holds before it fails with TOO_LARGE. */
  maxNodes?: number;
  /** Events waiting to be handled before the cache falls back to one full reload. */
  maxQueuedEvents?: number;
}

/**
 * Events: 'added' / 'updated' / 'removed' (path, node), 'initialized' after the first load,
 * 'resynced' after a reload, 'error' for failures other than a lost connection.
 */
export class TreeCache extends EventEmitter {
  private readonly nodes = new Map<string, CachedNode>();
  private readonly maxNodes: number;
  private readonly maxQueuedEvents: number;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private reloadQueued = false;
  private handle: WatchHandle | null = null;
  private running = false;
  private wasDisconnected = false;
  private readonly onState = (state: ClientState): void => this.handleState(state);

  constructor(private readonly client: CoordClient, readonly root: string, opts: TreeCacheOptions = {}) {
    super();
    this.maxNodes = opts.maxNodes ?? 100_000;
    this.maxQueuedEvents = opts.maxQueuedEvents ?? 10_000;
  }

  /** Sets the watch and loads the subtree; resolves once the mirror is complete. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.client.on('state', this.onState);
    this.handle = await this.client.addWatch(this.root, 'persistentRecursive', (e) => this.onEvent(e));
    await this.enqueue(() => this.reload(), { propagate: true });
    this.emit('initialized');
  }

  async close(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.client.off('state', this.onState);
    await this.handle?.remove();
    this.handle = null;
  }

  get(path: string): CachedNode | undefined {
    return this.nodes.get(path);
  }

  /** Names of the cached children of `path`, sorted. */
  children(path: string): string[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    const out: string[] = [];
    for (const p of this.nodes.keys()) {
      if (p !== path && p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) out.push(p.slice(prefix.length));
    }
    return out.sort();
  }

  get size(): number {
    return this.nodes.size;
  }

  /** A copy of the mirror: path → node. */
  snapshot(): Map<string, CachedNode> {
    return new Map(this.nodes);
  }

  private onEvent(event: WatchEvent): void {
    if (!this.running || event.type === 'NONE') return;
    if (this.queued >= this.maxQueuedEvents) {
      // Too far behind: one reload replaces the backlog.
      if (!this.reloadQueued) {
        this.reloadQueued = true;
        void this.enqueue(() => this.reload());
      }
      return;
    }
    void this.enqueue(() => this.apply(event));
  }

  private handleState(state: ClientState): void {
    if (state === 'disconnected') this.wasDisconnected = true;
    if (state === 'connected' && this.wasDisconnected) {
      this.wasDisconnected = false;
      void this.enqueue(() => this.reload()).then(() => this.emit('resynced'));
    }
    if (state === 'expired' || state === 'closed') {
      this.running = false;
      this.client.off('state', this.onState);
    }
  }

  /** Runs tasks one at a time, in order. */
  private enqueue(task: () => Promise<void>, opts: { propagate?: boolean } = {}): Promise<void> {
    this.queued++;
    const run = this.queue.then(async () => {
      this.queued--;
      if (!this.running) return;
      try {
        await task();
      } catch (err) {
        if (opts.propagate) throw err;
        // A lost connection is repaired by the reload after the reconnect; an ended session stops the cache.
        if (!hasCode(err, 'CONNECTION_LOSS', 'SESSION_EXPIRED')) this.emit('error', err);
      }
    });
    // The chain goes on whatever one task did; its own outcome goes to its caller.
    this.queue = run.then(() => undefined, () => undefined);
    return run;
  }

  private async apply(event: WatchEvent): Promise<void> {
    switch (event.type) {
      case 'NODE_CREATED':
      case 'NODE_DATA_CHANGED':
        return this.refresh(event.path);
      case 'NODE_DELETED':
        return this.removeSubtree(event.path);
      default:
        return;
    }
  }

  private async refresh(path: string): Promise<void> {
    try {
      const { data, stat } = await this.client.getData(path);
      this.put(path, { data, stat });
    } catch (err) {
      if (!hasCode(err, 'NO_NODE')) throw err;
      this.removeSubtree(path);
    }
  }

  private put(path: string, node: CachedNode): void {
    const old = this.nodes.get(path);
    if (old && old.stat.mzxid === node.stat.mzxid && old.stat.cversion === node.stat.cversion && old.data.equals(node.data)) return;
    if (!old && this.nodes.size >= this.maxNodes) throw new CoordError('TOO_LARGE', { path, detail: `more than ${this.maxNodes} nodes` });
    // A child can only be known under a known parent; an older event may still be in flight.
    if (!old && path !== this.root && !this.nodes.has(parentPath(path))) return;
    this.nodes.set(path, node);
    this.emit(old ? 'updated' : 'added', path, node);
  }

  private removeSubtree(path: string): void {
    const doomed = [...this.nodes.keys()].filter((p) => p === path || p.startsWith(`${path}/`));
    doomed.sort((a, b) => b.length - a.length); // children first
    for (const p of doomed) {
      const node = this.nodes.get(p) as CachedNode;
      this.nodes.delete(p);
      this.emit('removed', p, node);
    }
  }

  /** Reads the whole subtree and brings the mirror in line with it. */
  private async reload(): Promise<void> {
    this.reloadQueued = false;
    const fresh = await this.loadSubtree();
    const gone = [...this.nodes.keys()].filter((p) => !fresh.has(p)).sort((a, b) => b.length - a.length);
    for (const p of gone) this.removeSubtree(p);
    const paths = [...fresh.keys()].sort((a, b) => a.length - b.length);
    for (const p of paths) this.put(p, fresh.get(p) as CachedNode);
  }

  /** Breadth-first load; all reads of one level are pipelined on the session stream. */
  private async loadSubtree(): Promise<Map<string, CachedNode>> {
    const out = new Map<string, CachedNode>();
    let level = [this.root];
    while (level.length > 0) {
      const loaded = await Promise.all(level.map((p) => this.loadNode(p)));
      const next: string[] = [];
      loaded.forEach((entry, i) => {
        if (!entry) return;
        out.set(level[i], entry.node);
        for (const child of entry.children) next.push(joinPath(level[i], child));
      });
      if (out.size + next.length > this.maxNodes) throw new CoordError('TOO_LARGE', { path: this.root, detail: `more than ${this.maxNodes} nodes` });
      level = next;
    }
    return out;
  }

  private async loadNode(path: string): Promise<{ node: CachedNode; children: string[] } | null> {
    try {
      const [node, children] = await Promise.all([this.client.getData(path), this.client.getAllChildren(path)]);
      return { node, children };
    } catch (err) {
      if (hasCode(err, 'NO_NODE')) return null;
      throw err;
    }
  }
}
