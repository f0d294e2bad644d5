// The replicated state machine of the coordination service: znodes and sessions, changed only
// by applying logged transactions in zxid order. Deterministic: no clock (time comes in the
// transaction), no randomness, no I/O, and iteration orders that matter are sorted, so every
// replica applying the same log reaches the same state, the same results and the same triggers.
// ZooKeeper: DataTree (apply) + the checks PrepRequestProcessor makes before logging.
import { createHash } from 'node:crypto';
import { ByteWriter } from './byte-writer';
import { upperBound } from './child-set';
import { baseName, parentPath, validatePath } from './path';
import { inNameOrder, recordOf, writeTreeContent, type ChildCursor, type ContentSource, type NodeRecord, type TreeContent } from './tree-encoding';
import {
  ANY_VERSION,
  type ApplyOutcome, type CheckOp, type CloseSessionOp, type CreateOp, type CreateSessionOp, type DeleteOp,
  type ErrorCode, type MultiOp, type MultiSubOp, type ReapOp, type SetDataOp, type Stat, type SubResult,
  type Txn, type TxnResult, type WatchTrigger,
} from './types';
import {
  fieldsOf, formatSequence, isSequentialMode, kindOfMode, newRoot, nextInt32, statOf, TTL_MS_MAX,
  type SessionInfo, ZNode,
} from './znode';

export type GetDataResult = { ok: true; data: Buffer; stat: Stat } | { ok: false; code: ErrorCode };
export type GetChildrenResult =
  | { ok: true; children: string[]; stat: Stat; nextStartAfter: string } // nextStartAfter '' on the last page
  | { ok: false; code: ErrorCode };
export type GetAllChildrenNumberResult = { ok: true; count: number } | { ok: false; code: ErrorCode };

type SubSuccess = Exclude<SubResult, { type: 'error' }>;
type OpOutcome = { ok: true; result: SubSuccess } | { ok: false; code: ErrorCode };

/** What one apply call carries through the op handlers. */
interface ApplyContext {
  txn: Txn;
  triggers: WatchTrigger[];
}

/** A snapshot being written while transactions keep applying (DataTree.beginSnapshot). */
interface OpenSnapshot {
  epoch: number;
  zxid: number;
  /** Nodes changed before the writer reached them, as they were when the snapshot began. */
  images: Map<ZNode, NodeRecord>;
  /** By parent: children deleted before the writer reached them. */
  deleted: Map<ZNode, Array<[string, ZNode]>>;
}

/** The content of a tree frozen at `lastZxid`, to be written over several turns; `end` when done. */
export interface SnapshotView {
  content: ContentSource;
  lastZxid: number;
  end(): void;
}

/**
 * A directory's children as they were when the snapshot began: those still there, in the tree's
 * own order (the live map's iterator survives changes; children created since are passed over),
 * then those deleted since, which the tree kept (DataTree.keepDeleted).
 */
class SnapshotCursor implements ChildCursor {
  name = '';
  child!: ZNode;
  private live: Iterator<[string, ZNode]> | null;
  private deleted: ReadonlyArray<[string, ZNode]> = [];
  private next = 0;

  constructor(private readonly parent: ZNode, private readonly open: OpenSnapshot) {
    this.live = parent.children.entries();
  }

  advance(): boolean {
    const { epoch, zxid } = this.open;
    if (this.live !== null) {
      for (let r = this.live.next(); r.done !== true; r = this.live.next()) {
        const [name, child] = r.value;
        // Created after the snapshot began, or written already (deleted, then put back by a failed multi).
        if (child.czxid > zxid || child.snapshotEpoch === epoch) continue;
        this.name = name;
        this.child = child;
        return true;
      }
      this.live = null;
      this.deleted = this.open.deleted.get(this.parent) ?? [];
    }
    while (this.next < this.deleted.length) {
      const [name, child] = this.deleted[this.next++] as [string, ZNode];
      if (child.snapshotEpoch === epoch) continue;
      this.name = name;
      this.child = child;
      return true;
    }
    return false;
  }
}

function fail(code: ErrorCode): OpOutcome {
  return { ok: false, code };
}

export class DataTree {
  private readonly nodes = new Map<string, ZNode>();
  private readonly sessionTable = new Map<number, SessionInfo>();
  private readonly ephemeralsBySession = new Map<number, Set<string>>();
  // ZooKeeper: DataTree.containers / DataTree.ttls, so the reaper never scans the whole tree.
  private readonly containers = new Set<string>();
  private readonly ttls = new Set<string>();
  private lastApplied = 0;
  private undoLog: Array<() => void> | null = null; // set while a multi is being applied
  private openSnapshot: OpenSnapshot | null = null;
  private snapshotEpochs = 0;

  constructor() {
    this.nodes.set('/', newRoot());
  }

  /** For the snapshot codec: a tree of decoded nodes (parents first), as if `lastZxid` were the last applied. */
  static fromDecoded(entries: Iterable<[string, ZNode]>, sessions: Map<number, SessionInfo>, lastZxid: number): DataTree {
    const tree = new DataTree();
    tree.lastApplied = lastZxid;
    for (const [path, node] of entries) {
      tree.nodes.set(path, node);
      tree.index(path, node);
    }
    for (const [id, session] of sessions) tree.sessionTable.set(id, session);
    return tree;
  }

  /** For the snapshot codec and the digest: the live structures, to be read, never modified. */
  content(): TreeContent {
    return { root: this.nodes.get('/') as ZNode, nodeCount: this.nodes.size, sessions: this.sessionTable };
  }

  /**
   * Freezes the content as it is now for a writer that reads it over several turns while
   * transactions keep applying (ZooKeeper writes its snapshots from another thread; this is the
   * single-threaded way to the same end, but exact rather than fuzzy). Copy-on-write: a node that
   * changes before the writer reaches it first leaves an image of its fields and child count, once
   * per snapshot; a child deleted before the writer reaches it is kept aside for it; nodes created
   * later are passed over. Nothing is copied or sorted per directory, however large: a snapshot
   * that sorted a directory of 30k children stalled the server ~10 ms in one turn. One at a time.
   */
  beginSnapshot(): SnapshotView {
    if (this.openSnapshot !== null) throw new Error('a snapshot is already being written');
    const open: OpenSnapshot = { epoch: ++this.snapshotEpochs, zxid: this.lastApplied, images: new Map(), deleted: new Map() };
    this.openSnapshot = open;
    const content: ContentSource = {
      root: this.nodes.get('/') as ZNode,
      nodeCount: this.nodes.size,
      sessions: new Map(this.sessionTable), // entries are replaced, never changed in place
      reach: (node) => {
        node.snapshotEpoch = open.epoch;
        const image = open.images.get(node);
        if (image === undefined) return recordOf(node);
        open.images.delete(node);
        return image;
      },
      children: (node) => new SnapshotCursor(node, open),
    };
    const end = (): void => {
      if (this.openSnapshot === open) this.openSnapshot = null;
    };
    return { content, lastZxid: open.zxid, end };
  }

  /** Called before a node or its list of children changes: keeps what the snapshot being written must still see of it. */
  private preserve(node: ZNode): void {
    const open = this.openSnapshot;
    if (open === null || node.snapshotEpoch === open.epoch || node.czxid > open.zxid || open.images.has(node)) return;
    open.images.set(node, { fields: fieldsOf(node), childCount: node.children.size });
  }

  /** Called when `node` leaves `parent`: the snapshot being written still writes it, if it has not yet. */
  private keepDeleted(parent: ZNode, name: string, node: ZNode): void {
    const open = this.openSnapshot;
    if (open === null || node.snapshotEpoch === open.epoch || node.czxid > open.zxid) return;
    const kept = open.deleted.get(parent);
    if (kept === undefined) open.deleted.set(parent, [[name, node]]);
    else kept.push([name, node]);
  }

  // ---- apply ----

  /**
   * Applies one committed transaction. Domain failures are results; the zxid is consumed
   * either way. Throws only on a caller bug (zxid not increasing, malformed numbers).
   */
  apply(txn: Txn): ApplyOutcome {
    assertTxn(txn, this.lastApplied);
    this.lastApplied = txn.zxid;
    const ctx: ApplyContext = { txn, triggers: [] };
    const result = this.applyOp(ctx);
    return { result, triggers: result.ok ? ctx.triggers : [] };
  }

  private applyOp(ctx: ApplyContext): TxnResult {
    const op = ctx.txn.op;
    switch (op.type) {
      case 'create':
      case 'delete':
      case 'setData':
      case 'check':
        return toTxnResult(this.applySubOp(op, ctx));
      case 'multi':
        return this.applyMulti(op, ctx);
      case 'createSession':
        return this.createSession(op);
      case 'closeSession':
        return this.closeSession(op, ctx);
      case 'reap':
        return this.reap(op, ctx);
      case 'noop':
        return { ok: true, type: 'noop' };
      default:
        throw new Error(`unknown txn op ${JSON.stringify((op as { type: unknown }).type)}`);
    }
  }

  private applySubOp(op: MultiSubOp, ctx: ApplyContext): OpOutcome {
    switch (op.type) {
      case 'create':
        return this.create(op, ctx);
      case 'delete':
        return this.delete(op, ctx);
      case 'setData':
        return this.setData(op, ctx);
      case 'check':
        return this.check(op);
      default:
        throw new Error(`not a multi sub-op: ${JSON.stringify((op as { type: unknown }).type)}`);
    }
  }

  /**
   * ZooKeeper multi: all or nothing. Ops run in order on the live tree (each sees the earlier
   * ones) with an undo log; the first failure rolls everything back, and every op then reports
   * an error: OK before the failing op, its own code for it, RUNTIME_INCONSISTENCY after it.
   */
  private applyMulti(op: MultiOp, ctx: ApplyContext): TxnResult {
    if (this.undoLog !== null) throw new Error('nested multi');
    this.undoLog = [];
    const results: SubResult[] = [];
    try {
      for (let i = 0; i < op.ops.length; i++) {
        const outcome = this.applySubOp(op.ops[i], ctx);
        if (!outcome.ok) {
          this.rollback();
          ctx.triggers.length = 0;
          return { ok: false, code: outcome.code, results: failedMultiResults(op.ops.length, i, outcome.code) };
        }
        results.push(outcome.result);
      }
    } finally {
      this.undoLog = null;
    }
    return { ok: true, type: 'multi', results };
  }

  private rollback(): void {
    const log = this.undoLog as Array<() => void>;
    this.undoLog = null;
    for (let i = log.length - 1; i >= 0; i--) log[i]();
  }

  // ---- the four data ops ----

  private create(op: CreateOp, ctx: ApplyContext): OpOutcome {
    const sequential = isSequentialMode(op.mode);
    if (validatePath(op.path, { sequential }) !== null) return fail('INVALID_PATH');
    if (op.path === '/' && !sequential) return fail('BAD_ARGUMENTS');
    const argumentsCode = this.checkCreateArguments(op, ctx.txn.sessionId);
    if (argumentsCode !== null) return fail(argumentsCode);
    const parentName = parentPath(op.path);
    const parent = this.nodes.get(parentName);
    if (parent === undefined) return fail('NO_NODE');
    // ZooKeeper: the sequence number is the parent's cversion when the create is applied.
    const path = sequential ? op.path + formatSequence(parent.cversion) : op.path;
    if (this.nodes.has(path)) return fail('NODE_EXISTS');
    if (parent.kind === 'ephemeral') return fail('NO_CHILDREN_FOR_EPHEMERALS');
    const { zxid, timeMs, sessionId } = ctx.txn;
    const kind = kindOfMode(op.mode);
    const node = new ZNode({
      data: copyData(op.data), czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: timeMs, mtime: timeMs,
      version: 0, cversion: 0, aversion: 0, kind, owner: kind === 'ephemeral' ? sessionId : 0,
      ttlMs: kind === 'ttl' ? op.ttlMs : 0,
    });
    this.attach(parent, path, node, zxid);
    ctx.triggers.push({ type: 'NODE_CREATED', path, zxid }, { type: 'NODE_CHILDREN_CHANGED', path: parentName, zxid });
    return { ok: true, result: { type: 'create', path, stat: statOf(node) } };
  }

  private checkCreateArguments(op: CreateOp, sessionId: number): ErrorCode | null {
    const kind = kindOfMode(op.mode) as ReturnType<typeof kindOfMode> | undefined;
    if (kind === undefined) return 'BAD_ARGUMENTS';
    if (kind === 'ttl') {
      // ZooKeeper: EphemeralType.TTL.validateTTL — 0 < ttl <= max.
      if (!(Number.isSafeInteger(op.ttlMs) && op.ttlMs > 0 && op.ttlMs <= TTL_MS_MAX)) return 'BAD_ARGUMENTS';
    } else if (op.ttlMs !== 0) {
      return 'BAD_ARGUMENTS'; // ZooKeeper: EphemeralType.validateTTL rejects a TTL for other modes
    }
    if (kind === 'ephemeral') {
      if (sessionId === 0) return 'BAD_ARGUMENTS';
      if (!this.sessionTable.has(sessionId)) return 'SESSION_EXPIRED';
    }
    return null;
  }

  private delete(op: DeleteOp, ctx: ApplyContext): OpOutcome {
    if (validatePath(op.path) !== null) return fail('INVALID_PATH');
    if (op.path === '/') return fail('BAD_ARGUMENTS'); // ZooKeeper: the root is a special path
    const node = this.nodes.get(op.path);
    if (node === undefined) return fail('NO_NODE');
    if (op.version !== ANY_VERSION && op.version !== node.version) return fail('BAD_VERSION');
    if (node.children.size > 0) return fail('NOT_EMPTY');
    this.removeLeaf(op.path, node, ctx);
    return { ok: true, result: { type: 'delete' } };
  }

  private setData(op: SetDataOp, ctx: ApplyContext): OpOutcome {
    if (validatePath(op.path) !== null) return fail('INVALID_PATH');
    const node = this.nodes.get(op.path);
    if (node === undefined) return fail('NO_NODE');
    if (op.version !== ANY_VERSION && op.version !== node.version) return fail('BAD_VERSION');
    this.preserve(node);
    if (this.undoLog !== null) {
      const before = { data: node.data, version: node.version, mzxid: node.mzxid, mtime: node.mtime };
      this.undoLog.push(() => Object.assign(node, before));
    }
    node.data = copyData(op.data);
    node.version = nextInt32(node.version);
    node.mzxid = ctx.txn.zxid;
    node.mtime = ctx.txn.timeMs;
    ctx.triggers.push({ type: 'NODE_DATA_CHANGED', path: op.path, zxid: ctx.txn.zxid });
    return { ok: true, result: { type: 'setData', stat: statOf(node) } };
  }

  private check(op: CheckOp): OpOutcome {
    if (validatePath(op.path) !== null) return fail('INVALID_PATH');
    const node = this.nodes.get(op.path);
    if (node === undefined) return fail('NO_NODE');
    if (op.version !== ANY_VERSION && op.version !== node.version) return fail('BAD_VERSION');
    return { ok: true, result: { type: 'check' } };
  }

  // ---- sessions and reaping ----

  private createSession(op: CreateSessionOp): TxnResult {
    const validId = Number.isSafeInteger(op.sessionId) && op.sessionId !== 0 && !this.sessionTable.has(op.sessionId);
    if (!validId || !(Number.isSafeInteger(op.timeoutMs) && op.timeoutMs > 0)) return { ok: false, code: 'BAD_ARGUMENTS' };
    this.sessionTable.set(op.sessionId, { timeoutMs: op.timeoutMs, password: Buffer.from(op.password) });
    return { ok: true, type: 'createSession' };
  }

  /** ZooKeeper: DataTree.killSession — the session's ephemerals go in the same transaction. */
  private closeSession(op: CloseSessionOp, ctx: ApplyContext): TxnResult {
    const owned = [...(this.ephemeralsBySession.get(op.sessionId) ?? [])].sort(); // sorted: same triggers on every replica
    for (const path of owned) this.removeLeaf(path, this.nodes.get(path) as ZNode, ctx);
    this.sessionTable.delete(op.sessionId);
    return { ok: true, type: 'closeSession', deleted: owned };
  }

  private reap(op: ReapOp, ctx: ApplyContext): TxnResult {
    const node = this.nodes.get(op.path);
    if (node === undefined || op.path === '/' || !isReapable(node, ctx.txn.timeMs)) return { ok: true, type: 'reap', deleted: false };
    this.removeLeaf(op.path, node, ctx);
    return { ok: true, type: 'reap', deleted: true };
  }

  // ---- the mutations every op is made of; inside a multi each records its undo first ----

  private attach(parent: ZNode, path: string, node: ZNode, zxid: number): void {
    const name = baseName(path);
    this.preserve(parent);
    if (this.undoLog !== null) {
      const before = { cversion: parent.cversion, pzxid: parent.pzxid };
      this.undoLog.push(() => {
        parent.children.delete(name);
        this.nodes.delete(path);
        this.unindex(path, node);
        Object.assign(parent, before);
      });
    }
    parent.children.add(name, node);
    this.nodes.set(path, node);
    this.index(path, node);
    // ZooKeeper: a child created or deleted bumps the parent's cversion and sets its pzxid.
    parent.cversion = nextInt32(parent.cversion);
    parent.pzxid = zxid;
  }

  private removeLeaf(path: string, node: ZNode, ctx: ApplyContext): void {
    const parentName = parentPath(path);
    const parent = this.nodes.get(parentName) as ZNode;
    const name = baseName(path);
    this.preserve(parent);
    if (this.undoLog !== null) {
      const before = { cversion: parent.cversion, pzxid: parent.pzxid };
      this.undoLog.push(() => {
        parent.children.add(name, node);
        this.nodes.set(path, node);
        this.index(path, node);
        Object.assign(parent, before);
      });
    }
    parent.children.delete(name);
    this.keepDeleted(parent, name, node);
    this.nodes.delete(path);
    this.unindex(path, node);
    parent.cversion = nextInt32(parent.cversion);
    parent.pzxid = ctx.txn.zxid;
    const zxid = ctx.txn.zxid;
    ctx.triggers.push({ type: 'NODE_DELETED', path, zxid }, { type: 'NODE_CHILDREN_CHANGED', path: parentName, zxid });
  }

  private index(path: string, node: ZNode): void {
    if (node.kind === 'container') this.containers.add(path);
    else if (node.kind === 'ttl') this.ttls.add(path);
    else if (node.kind === 'ephemeral') {
      let owned = this.ephemeralsBySession.get(node.owner);
      if (owned === undefined) this.ephemeralsBySession.set(node.owner, (owned = new Set()));
      owned.add(path);
    }
  }

  private unindex(path: string, node: ZNode): void {
    if (node.kind === 'container') this.containers.delete(path);
    else if (node.kind === 'ttl') this.ttls.delete(path);
    else if (node.kind === 'ephemeral') {
      const owned = this.ephemeralsBySession.get(node.owner);
      owned?.delete(path);
      if (owned?.size === 0) this.ephemeralsBySession.delete(node.owner);
    }
  }

  // ---- reads ----

  get lastZxid(): number {
    return this.lastApplied;
  }

  /** Znodes, the root included. */
  get nodeCount(): number {
    return this.nodes.size;
  }

  exists(path: string): Stat | undefined {
    const node = this.nodes.get(path);
    return node === undefined ? undefined : statOf(node);
  }

  getData(path: string): GetDataResult {
    const node = this.nodes.get(path);
    if (node === undefined) return { ok: false, code: 'NO_NODE' };
    return { ok: true, data: Buffer.from(node.data), stat: statOf(node) };
  }

  /** Children in lexicographic order, after `startAfter`, at most `limit` of them (0: all). */
  getChildren(path: string, startAfter = '', limit = 0): GetChildrenResult {
    const node = this.nodes.get(path);
    if (node === undefined) return { ok: false, code: 'NO_NODE' };
    if (!(Number.isSafeInteger(limit) && limit >= 0)) return { ok: false, code: 'BAD_ARGUMENTS' };
    const names = node.children.sortedNames();
    const start = startAfter === '' ? 0 : upperBound(names, startAfter);
    const end = limit === 0 ? names.length : Math.min(names.length, start + limit);
    const nextStartAfter = end < names.length && end > start ? names[end - 1] : '';
    return { ok: true, children: names.slice(start, end), stat: statOf(node), nextStartAfter };
  }

  /**
   * The session's ephemerals whose path starts with `prefix` (a string prefix, as ZooKeeper's
   * getEphemerals; '' or '/' for all), sorted.
   */
  getEphemerals(sessionId: number, prefix = '/'): string[] {
    const owned = this.ephemeralsBySession.get(sessionId);
    if (owned === undefined) return [];
    const all = prefix === '' || prefix === '/';
    return [...owned].filter((path) => all || path.startsWith(prefix)).sort();
  }

  /** Every descendant of `path`, not counting the node itself. */
  getAllChildrenNumber(path: string): GetAllChildrenNumberResult {
    const node = this.nodes.get(path);
    if (node === undefined) return { ok: false, code: 'NO_NODE' };
    if (path === '/') return { ok: true, count: this.nodes.size - 1 };
    let count = 0;
    const pending: ZNode[] = [node];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      count += next.children.size;
      for (const [, child] of next.children.entries()) if (child.children.size > 0) pending.push(child);
    }
    return { ok: true, count };
  }

  sessions(): Map<number, SessionInfo> {
    const copy = new Map<number, SessionInfo>();
    for (const [id, s] of this.sessionTable) copy.set(id, { timeoutMs: s.timeoutMs, password: Buffer.from(s.password) });
    return copy;
  }

  hasSession(sessionId: number): boolean {
    return this.sessionTable.has(sessionId);
  }

  /** One session's entry (a copy), without copying the whole table as sessions() does. */
  session(sessionId: number): SessionInfo | undefined {
    const s = this.sessionTable.get(sessionId);
    return s && { timeoutMs: s.timeoutMs, password: Buffer.from(s.password) };
  }

  /** The owning session of an ephemeral node, 0 for any other node, undefined when there is no node. */
  ephemeralOwnerOf(path: string): number | undefined {
    const node = this.nodes.get(path);
    if (node === undefined) return undefined;
    return node.kind === 'ephemeral' ? node.owner : 0;
  }

  /**
   * Paths a reap transaction applied at `nowMs` would delete, sorted, at most `max`.
   * Looks only at container and TTL nodes (kept in an index), never the whole tree.
   */
  reapCandidates(nowMs: number, max: number): string[] {
    const found: string[] = [];
    for (const set of [this.containers, this.ttls]) {
      for (const path of set) if (isReapable(this.nodes.get(path) as ZNode, nowMs)) found.push(path);
    }
    return found.sort().slice(0, Math.max(0, max));
  }

  /** A hash of the whole content (nodes, data, stats, kinds, sessions); lastZxid is not part of it. */
  digest(): string {
    const w = new ByteWriter(64 * 1024);
    writeTreeContent(w, inNameOrder(this.content()));
    return createHash('sha256').update(w.view()).digest('hex');
  }
}

/**
 * ZooKeeper: ContainerManager.getCandidates — an empty container that has had children
 * (cversion > 0), or an empty TTL node not modified for longer than its TTL (elapsed > ttl).
 */
function isReapable(node: ZNode, nowMs: number): boolean {
  if (node.children.size > 0) return false;
  if (node.kind === 'container') return node.cversion > 0;
  if (node.kind === 'ttl') return nowMs - node.mtime > node.ttlMs;
  return false;
}

const NO_DATA = Buffer.alloc(0);

/** The tree keeps its own copy of the data (the transaction's buffer may be a view into a log batch). */
function copyData(data: Buffer): Buffer {
  return data.length === 0 ? NO_DATA : Buffer.from(data);
}

function failedMultiResults(count: number, failedAt: number, code: ErrorCode): SubResult[] {
  const results: SubResult[] = [];
  for (let i = 0; i < count; i++) {
    const opCode: ErrorCode = i < failedAt ? 'OK' : i === failedAt ? code : 'RUNTIME_INCONSISTENCY';
    results.push({ type: 'error', code: opCode });
  }
  return results;
}

function toTxnResult(outcome: OpOutcome): TxnResult {
  if (!outcome.ok) return { ok: false, code: outcome.code };
  const r = outcome.result;
  switch (r.type) {
    case 'create':
      return { ok: true, type: 'create', path: r.path, stat: r.stat };
    case 'setData':
      return { ok: true, type: 'setData', stat: r.stat };
    case 'delete':
      return { ok: true, type: 'delete' };
    case 'check':
      return { ok: true, type: 'check' };
  }
}

function assertTxn(txn: Txn, lastZxid: number): void {
  if (!(Number.isSafeInteger(txn.zxid) && txn.zxid > lastZxid)) {
    throw new Error(`txn zxid ${txn.zxid} is not above the last applied zxid ${lastZxid}`);
  }
  if (!(Number.isSafeInteger(txn.timeMs) && txn.timeMs >= 0)) throw new Error(`txn timeMs ${txn.timeMs} is not a valid time`);
  if (!Number.isSafeInteger(txn.sessionId)) throw new Error(`txn sessionId ${txn.sessionId} is not an integer`);
}
