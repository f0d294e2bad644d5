// Seeded randomized check of determinism: replicas applying the same log agree on every result,
// every trigger and the final digest, also when one of them restarts from a snapshot midway and
// reads its log entries back through the transaction codec. A failing seed replays exactly:
// `npx jest services/coordination/test/unit/tree/replica -t 'seed 7'`. Snapshots written in steps
// while the log keeps applying must hold exactly the state of the moment they began.
import { DataTree } from '../../../src/tree/data-tree';
import { deserializeTree, serializeTree, SnapshotWriter } from '../../../src/tree/snapshot-codec';
import { decodeTxn, encodeTxn } from '../../../src/tree/txn-codec';
import type { CreateMode, MultiSubOp, Txn, TxnOp } from '../../../src/tree/types';
import { pick, seededRandom } from './tree-fixtures';

const NAMES = ['a', 'b', 'c'];
const POOL: string[] = [];
for (const x of NAMES) {
  POOL.push(`/${x}`);
  for (const y of NAMES) {
    POOL.push(`/${x}/${y}`);
    for (const z of NAMES) POOL.push(`/${x}/${y}/${z}`);
  }
}
const SEQUENTIAL_PREFIXES = ['/a/s-', '/b/', '/', '/a/b/q-'];
const MODES: CreateMode[] = [
  'PERSISTENT', 'PERSISTENT', 'PERSISTENT', 'EPHEMERAL', 'PERSISTENT_SEQUENTIAL', 'EPHEMERAL_SEQUENTIAL',
  'CONTAINER', 'PERSISTENT_WITH_TTL', 'PERSISTENT_SEQUENTIAL_WITH_TTL',
];

/** Generates a plausible log: mostly valid operations on paths that exist, some that fail. */
class LogGenerator {
  private zxid = 0;
  private timeMs = 1_700_000_000_000;
  private nextSessionId = 1;
  private readonly live: number[] = [];

  constructor(private readonly rand: () => number, private readonly tree: DataTree) {}

  next(): Txn {
    this.zxid += 1 + (this.rand() < 0.02 ? 1000 : 0); // now and then a gap, as after a new epoch
    this.timeMs += Math.floor(this.rand() * 2000);
    const sessionId = this.rand() < 0.85 && this.live.length > 0 ? pick(this.rand, this.live) : pick(this.rand, [0, 999_999]);
    return { zxid: this.zxid, timeMs: this.timeMs, sessionId, op: this.op() };
  }

  private op(): TxnOp {
    const r = this.rand();
    if (r < 0.3) return this.create();
    if (r < 0.42) return this.versioned('delete');
    if (r < 0.54) return this.versioned('setData');
    if (r < 0.58) return this.versioned('check');
    if (r < 0.7) return { type: 'multi', ops: Array.from({ length: Math.floor(this.rand() * 5) }, () => this.subOp()) };
    if (r < 0.76) return this.createSession();
    if (r < 0.8) return this.closeSession();
    if (r < 0.98) return this.reap();
    return { type: 'noop' };
  }

  private subOp(): MultiSubOp {
    const r = this.rand();
    if (r < 0.4) return this.create();
    if (r < 0.6) return this.versioned('delete');
    if (r < 0.85) return this.versioned('setData');
    return this.versioned('check');
  }

  private create(): MultiSubOp {
    const mode = pick(this.rand, MODES);
    const sequential = mode.includes('SEQUENTIAL');
    const parent = this.existingPath();
    const underExisting = `${parent === '/' ? '' : parent}/${pick(this.rand, NAMES)}`;
    const path = sequential ? pick(this.rand, SEQUENTIAL_PREFIXES) : this.rand() < 0.5 ? underExisting : pick(this.rand, POOL);
    const ttlMs = mode.includes('TTL') ? pick(this.rand, [1, 500, 3000, 10_000, 0]) : this.rand() < 0.02 ? 5 : 0;
    return { type: 'create', path, data: this.data(), mode, ttlMs };
  }

  private versioned(type: 'delete' | 'setData' | 'check'): MultiSubOp {
    const path = this.rand() < 0.6 ? this.existingPath() : pick(this.rand, POOL);
    const stat = this.tree.exists(path);
    const version = this.rand() < 0.5 ? -1 : stat !== undefined && this.rand() < 0.8 ? stat.version : Math.floor(this.rand() * 3);
    return type === 'setData' ? { type, path, data: this.data(), version } : { type, path, version };
  }

  /** A random walk down from the root: reaches sequential names too. */
  private existingPath(): string {
    let path = '/';
    for (let depth = 0; depth < 4; depth++) {
      const listing = this.tree.getChildren(path);
      if (!listing.ok || listing.children.length === 0 || (depth > 0 && this.rand() < 0.3)) break;
      const name = pick(this.rand, listing.children);
      path = path === '/' ? `/${name}` : `${path}/${name}`;
    }
    return path;
  }

  private createSession(): TxnOp {
    const sessionId = this.rand() < 0.1 && this.nextSessionId > 1 ? this.nextSessionId - 1 : this.nextSessionId++ * (this.rand() < 0.2 ? -1 : 1);
    if (!this.live.includes(sessionId)) this.live.push(sessionId);
    return { type: 'createSession', sessionId, timeoutMs: 1000 + Math.floor(this.rand() * 30_000), password: this.data() };
  }

  private closeSession(): TxnOp {
    if (this.live.length === 0 || this.rand() < 0.1) return { type: 'closeSession', sessionId: 424242 };
    const sessionId = this.live.splice(Math.floor(this.rand() * this.live.length), 1)[0];
    return { type: 'closeSession', sessionId };
  }

  private reap(): TxnOp {
    const candidates = this.tree.reapCandidates(this.timeMs, 5);
    return { type: 'reap', path: candidates.length > 0 && this.rand() < 0.7 ? pick(this.rand, candidates) : pick(this.rand, POOL) };
  }

  private data(): Buffer {
    return Buffer.from(Array.from({ length: Math.floor(this.rand() * 12) }, () => Math.floor(this.rand() * 256)));
  }
}

/** Structural invariants any reachable tree must hold. */
function checkInvariants(tree: DataTree, sessions: number[]): void {
  let walked = 0;
  const ephemerals = new Map<number, string[]>();
  const pending = ['/'];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    walked++;
    const listing = tree.getChildren(path);
    if (!listing.ok) throw new Error(`listed node ${path} is missing`);
    expect(listing.stat.numChildren).toBe(listing.children.length);
    const owner = tree.ephemeralOwnerOf(path) as number;
    if (owner !== 0) {
      expect(listing.children).toEqual([]);
      expect(tree.hasSession(owner)).toBe(true); // closeSession took every ephemeral with it
      ephemerals.set(owner, [...(ephemerals.get(owner) ?? []), path]);
    }
    for (const name of listing.children) pending.push(path === '/' ? `/${name}` : `${path}/${name}`);
  }
  expect(walked).toBe(tree.nodeCount);
  expect(tree.getAllChildrenNumber('/')).toEqual({ ok: true, count: walked - 1 });
  for (const id of sessions) expect(tree.getEphemerals(id)).toEqual((ephemerals.get(id) ?? []).sort());
}

describe('replicas agree', () => {
  test.each(Array.from({ length: 12 }, (_, i) => [i + 1]))('seed %i: same log, one replica restored from snapshots midway', (seed) => {
    const rand = seededRandom(seed);
    const leader = new DataTree();
    let follower = new DataTree();
    const generator = new LogGenerator(rand, leader);
    const steps = 600;
    const restoreAt = new Set([Math.floor(rand() * steps), Math.floor(rand() * steps)]);
    let failures = 0;
    for (let step = 0; step < steps; step++) {
      if (restoreAt.has(step)) {
        const snapshot = serializeTree(follower);
        follower = deserializeTree(snapshot);
        expect(follower.digest()).toBe(leader.digest());
      }
      const txn = generator.next();
      const expected = leader.apply(txn);
      if (!expected.result.ok) failures++;
      expect(follower.apply(decodeTxn(encodeTxn(txn)))).toEqual(expected);
      if (step % 100 === 99) {
        expect(follower.digest()).toBe(leader.digest());
        checkInvariants(leader, [...leader.sessions().keys()]);
      }
    }
    expect(follower.digest()).toBe(leader.digest());
    expect(follower.lastZxid).toBe(leader.lastZxid);
    expect(serializeTree(follower)).toEqual(serializeTree(leader));
    // The log exercised both outcomes.
    expect(failures).toBeGreaterThan(steps / 20);
    expect(failures).toBeLessThan(steps * 0.9);
  });
});

describe('a snapshot written in steps while transactions apply', () => {
  test.each(Array.from({ length: 30 }, (_, i) => [i + 1]))('seed %i: holds exactly the state it began with', (seed) => {
    const rand = seededRandom(seed);
    const tree = new DataTree();
    const generator = new LogGenerator(rand, tree);
    let applied = 0;
    for (let snapshot = 0; snapshot < 4; snapshot++) {
      for (let i = 0; i < 150; i++) tree.apply(generator.next());
      const expected = serializeTree(tree);
      const zxidAtStart = tree.lastZxid;
      const writer = new SnapshotWriter(tree);
      let result: Buffer | null = null;
      while (result === null) {
        // A few nodes at a time, and between the steps anything the log brings: creates under
        // nodes not yet written, deletes of them, data changes, multis rolled back, sessions closed.
        result = writer.step(1 + Math.floor(rand() * 4));
        const txns = Math.floor(rand() * 12);
        for (let i = 0; i < txns; i++) tree.apply(generator.next());
        applied += txns;
      }
      // The same content as at the start (children deleted meanwhile come last in their directory).
      expect(writer.lastZxid).toBe(zxidAtStart);
      expect(deserializeTree(result).lastZxid).toBe(zxidAtStart);
      expect(deserializeTree(result).digest()).toBe(deserializeTree(expected).digest());
    }
    expect(applied).toBeGreaterThan(40);
  });

  test('one at a time per tree; an abandoned one frees the tree for the next', () => {
    const tree = new DataTree();
    const writer = new SnapshotWriter(tree);
    expect(() => new SnapshotWriter(tree)).toThrow(/already being written/);
    expect(writer.step(10)).not.toBeNull();
    const abandoned = new SnapshotWriter(tree);
    abandoned.abandon();
    expect(new SnapshotWriter(tree).step(10)).not.toBeNull();
  });
});
