// A scripted, synchronous cluster for message-level tests: every node's Ready is persisted to an
// in-memory disk, its messages are queued, and the test decides what is delivered and when.
import {
  RaftNode,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
  type PersistedState,
  type RaftConfig,
  type Ready,
  type ReadState,
  type Snapshot,
} from '@ensemble/consensus';

export const bytes = (text: string): Uint8Array => new Uint8Array([...text].map((c) => c.charCodeAt(0)));
export const text = (data: Uint8Array): string => String.fromCharCode(...data);

export function entry(index: number, term: number, data = ''): Entry {
  return { index, term, type: 'normal', data: bytes(data) };
}

/** Entries with the given terms at indexes 1, 2, ... */
export function entries(...terms: number[]): Entry[] {
  return terms.map((term, k) => entry(k + 1, term, `e${k + 1}`));
}

export type NodeOptions = Partial<Omit<RaftConfig, 'id' | 'peers' | 'storage'>>;

/** What a shell keeps on disk, updated from each Ready in the documented order. */
export class MemoryDisk {
  hardState: HardState = { term: 0, vote: 0, commit: 0 };
  snapshot: Snapshot | undefined;
  log: Entry[] = [];

  constructor(initial?: Partial<PersistedState>) {
    if (initial?.hardState) this.hardState = { ...initial.hardState };
    this.snapshot = initial?.snapshot;
    this.log = initial?.entries?.slice() ?? [];
  }

  persist(rd: Ready): void {
    if (rd.snapshot) {
      this.snapshot = rd.snapshot;
      this.log = [];
    }
    const first = rd.entries[0];
    if (first) {
      this.log = this.log.filter((e) => e.index < first.index).concat(rd.entries);
    }
    if (rd.hardState) this.hardState = { ...rd.hardState };
  }

  load(): PersistedState {
    const state: PersistedState = { hardState: { ...this.hardState }, entries: this.log.slice() };
    if (this.snapshot) state.snapshot = this.snapshot;
    return state;
  }
}

export class TestCluster {
  readonly nodes = new Map<NodeId, RaftNode>();
  readonly disks = new Map<NodeId, MemoryDisk>();
  /** Everything applied per node, in order. */
  readonly applied = new Map<NodeId, Entry[]>();
  readonly readStates = new Map<NodeId, ReadState[]>();
  /** Messages sent and not yet delivered, in send order. */
  queue: Message[] = [];
  /** Directed links that drop messages, as `from>to`. */
  readonly cut = new Set<string>();
  /** Every Ready each node produced, newest last. */
  readonly readies = new Map<NodeId, Ready[]>();

  /**
   * `staggered`: node k times out after electionTicks + k - 1 ticks, so elections driven by
   * tickAll() have a clear first candidate; otherwise every node times out after electionTicks.
   */
  constructor(
    readonly ids: NodeId[],
    private readonly options: NodeOptions = {},
    initial: Map<NodeId, Partial<PersistedState>> = new Map(),
    private readonly staggered = false,
  ) {
    for (const id of ids) {
      this.disks.set(id, new MemoryDisk(initial.get(id)));
      this.start(id);
    }
  }

  static of(n: number, options: NodeOptions = {}): TestCluster {
    return new TestCluster(Array.from({ length: n }, (_, k) => k + 1), options);
  }

  static staggered(n: number, options: NodeOptions = {}): TestCluster {
    return new TestCluster(Array.from({ length: n }, (_, k) => k + 1), options, new Map(), true);
  }

  node(id: NodeId): RaftNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`n${id} is down`);
    return node;
  }

  /** (Re)starts a node from its disk. Random 0 makes its election timeout exactly electionTicks. */
  start(id: NodeId, options: NodeOptions = {}): RaftNode {
    const disk = this.disks.get(id) as MemoryDisk;
    const ticks = this.options.electionTicks ?? 10;
    const random = this.staggered ? () => (id - 1 + 0.5) / ticks : () => 0;
    const node = new RaftNode({ random, ...this.options, ...options, id, peers: this.ids, storage: disk.load() });
    this.nodes.set(id, node);
    this.applied.set(id, []);
    this.readStates.set(id, []);
    return node;
  }

  crash(id: NodeId): void {
    this.nodes.delete(id);
    this.queue = this.queue.filter((m) => m.to !== id);
  }

  /** One Ready of one node, handled as the shell must: persist, send, apply, advance. */
  process(id: NodeId): Ready | null {
    const node = this.node(id);
    const rd = node.ready();
    if (rd === null) return null;
    (this.disks.get(id) as MemoryDisk).persist(rd);
    this.queue.push(...rd.messages);
    (this.applied.get(id) as Entry[]).push(...rd.committed);
    (this.readStates.get(id) as ReadState[]).push(...rd.readStates);
    const list = this.readies.get(id) ?? [];
    list.push(rd);
    this.readies.set(id, list);
    node.advance(rd);
    return rd;
  }

  /** Processes every node's Ready until none has anything. */
  processAll(): void {
    for (let round = 0; round < 100; round++) {
      let any = false;
      for (const id of this.nodes.keys()) any = this.process(id) !== null || any;
      if (!any) return;
    }
    throw new Error('processAll did not settle');
  }

  /** Delivers the queued messages that `keep` lets through (the rest are lost). */
  deliver(keep: (m: Message) => boolean = () => true): Message[] {
    const batch = this.queue;
    this.queue = [];
    const delivered: Message[] = [];
    for (const m of batch) {
      if (this.cut.has(`${m.from}>${m.to}`) || !keep(m)) continue;
      const target = this.nodes.get(m.to);
      if (!target) continue;
      target.step(m);
      delivered.push(m);
    }
    return delivered;
  }

  /** Processes and delivers until no message is left (bounded). */
  settle(keep: (m: Message) => boolean = () => true): void {
    for (let round = 0; round < 200; round++) {
      this.processAll();
      if (this.queue.length === 0) return;
      this.deliver(keep);
    }
    throw new Error('settle did not converge');
  }

  /** Takes queued messages matching `match` out of the queue without delivering them. */
  take(match: (m: Message) => boolean): Message[] {
    const taken = this.queue.filter(match);
    this.queue = this.queue.filter((m) => !match(m));
    return taken;
  }

  tick(id: NodeId, times = 1): void {
    for (let k = 0; k < times; k++) this.node(id).tick();
  }

  /** Ticks every live node `times` times, settling after each round. */
  tickAll(times: number, keep?: (m: Message) => boolean): void {
    for (let k = 0; k < times; k++) {
      for (const node of this.nodes.values()) node.tick();
      this.settle(keep);
    }
  }

  /** Makes `id` time out and win an election, with everything delivered. */
  elect(id: NodeId): void {
    const ticks = this.options.electionTicks ?? 10;
    this.tick(id, ticks);
    this.settle();
    if (this.node(id).role !== 'leader') throw new Error(`n${id} did not win: ${this.node(id).role}`);
  }

  /** Ticks every live node until one leads; returns it. */
  tickUntilLeader(maxTicks = 100): NodeId {
    for (let t = 0; t < maxTicks; t++) {
      this.tickAll(1);
      for (const [id, node] of this.nodes) if (node.role === 'leader') return id;
    }
    throw new Error(`no leader after ${maxTicks} ticks`);
  }

  isolate(id: NodeId): void {
    for (const other of this.ids) {
      if (other === id) continue;
      this.cut.add(`${id}>${other}`);
      this.cut.add(`${other}>${id}`);
    }
  }

  heal(): void {
    this.cut.clear();
  }

  appliedData(id: NodeId): string[] {
    return (this.applied.get(id) as Entry[]).filter((e) => e.type === 'normal').map((e) => text(e.data));
  }
}

export function ofType<T extends Message['type']>(type: T): (m: Message) => m is Message & { type: T } {
  return (m): m is Message & { type: T } => m.type === type;
}
