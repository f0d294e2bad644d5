// The byte form of a tree's content: every znode in pre-order with its full stat, kind and
// data, then the session table by id. Which order a directory's children take is the
// writer's source's (ContentSource): a snapshot takes the tree's own order, which costs no sort
// of a large directory; the digest takes name order, so two replicas with the same content have
// the same digest whatever order they built it in.
import type { ByteReader } from './byte-reader';
import type { ByteWriter } from './byte-writer';
import { validatePath } from './path';
import { TTL_MS_MAX, type NodeKind, type SessionInfo, ZNode, type ZNodeFields } from './znode';

const KINDS: readonly NodeKind[] = ['persistent', 'ephemeral', 'container', 'ttl'];
const MIN_NODE_BYTES = 12;
const NO_DATA = Buffer.alloc(0); // name length, kind, five stat varints, three versions, child count, data length

export interface TreeContent {
  root: ZNode;
  nodeCount: number;
  sessions: Map<number, SessionInfo>;
}

/** A node as it is written: its own fields and how many children follow it. */
export interface NodeRecord {
  fields: ZNodeFields;
  childCount: number;
}

/** One directory's children, in the order they are written. */
export interface ChildCursor {
  /** Moves to the next child (`name`, `child`); false once there is none. */
  advance(): boolean;
  readonly name: string;
  readonly child: ZNode;
}

/** What a TreeContentWriter walks: the nodes as they are to be written, and in what order. */
export interface ContentSource extends TreeContent {
  /** Called once per node, parents before children. */
  reach(node: ZNode): NodeRecord;
  /** Exactly reach(node).childCount children. */
  children(node: ZNode): ChildCursor;
}

/** The tree's content as it is now, each directory in the tree's own order. */
export function inTreeOrder(content: TreeContent): ContentSource {
  return { ...content, reach: recordOf, children: (node) => new MapCursor(node.children.entries()) };
}

/** The tree's content as it is now, each directory in name order: a canonical form. */
export function inNameOrder(content: TreeContent): ContentSource {
  return { ...content, reach: recordOf, children: (node) => new NameOrderCursor(node) };
}

/** A node's record as the node is now. */
export function recordOf(node: ZNode): NodeRecord {
  return { fields: node, childCount: node.children.size };
}

class MapCursor implements ChildCursor {
  name = '';
  child!: ZNode;

  constructor(private readonly entries: Iterator<[string, ZNode]>) {}

  advance(): boolean {
    const next = this.entries.next();
    if (next.done === true) return false;
    [this.name, this.child] = next.value;
    return true;
  }
}

class NameOrderCursor implements ChildCursor {
  name = '';
  child!: ZNode;
  private readonly names: readonly string[];
  private next = 0;

  constructor(private readonly parent: ZNode) {
    this.names = [...parent.children.sortedNames()]; // sortedNames is only valid until the next change
  }

  advance(): boolean {
    if (this.next === this.names.length) return false;
    this.name = this.names[this.next++] as string;
    this.child = this.parent.children.get(this.name) as ZNode;
    return true;
  }
}

/**
 * Writes a tree's content in steps of a bounded number of nodes, so that a large tree can be
 * written without stopping everything else for the whole walk. A directory costs one cursor on
 * the walk, not one entry per child, so a step writes `maxNodes` nodes whatever their sizes.
 */
export class TreeContentWriter {
  /** The directories being written, innermost last, each with the children it still owes. */
  private readonly pending: Array<{ cursor: ChildCursor; owed: number }> = [];
  private started = false;
  private done = false;

  constructor(private readonly w: ByteWriter, private readonly source: ContentSource) {
    w.varUint(source.nodeCount);
  }

  /** Writes up to `maxNodes` more nodes (the session table after the last); true once all is written. */
  step(maxNodes: number): boolean {
    const { pending } = this;
    let n = 0;
    if (!this.started) {
      this.started = true;
      this.visit('', this.source.root);
      n++;
    }
    while (n < maxNodes && pending.length > 0) {
      const dir = pending[pending.length - 1] as { cursor: ChildCursor; owed: number };
      if (dir.owed === 0) {
        pending.pop();
        continue;
      }
      // A source that gives fewer children than it counted would leave an unreadable snapshot.
      if (!dir.cursor.advance()) throw new Error(`a directory ended ${dir.owed} children short of its count`);
      dir.owed--;
      this.visit(dir.cursor.name, dir.cursor.child);
      n++;
    }
    while (pending.length > 0 && (pending[pending.length - 1] as { owed: number }).owed === 0) pending.pop();
    if (pending.length > 0) return false;
    if (!this.done) {
      this.done = true;
      writeSessions(this.w, this.source.sessions);
    }
    return true;
  }

  private visit(name: string, node: ZNode): void {
    const { fields, childCount } = this.source.reach(node);
    writeNode(this.w, name, fields, childCount);
    if (childCount > 0) this.pending.push({ cursor: this.source.children(node), owed: childCount });
  }
}

export function writeTreeContent(w: ByteWriter, source: ContentSource): void {
  new TreeContentWriter(w, source).step(Infinity);
}

function writeSessions(w: ByteWriter, sessions: Map<number, SessionInfo>): void {
  const ids = [...sessions.keys()].sort((a, b) => a - b);
  w.varUint(ids.length);
  for (const id of ids) {
    const session = sessions.get(id) as SessionInfo;
    w.sessionId(id);
    w.varUint(session.timeoutMs);
    w.bytes(session.password);
  }
}

function writeNode(w: ByteWriter, name: string, node: ZNodeFields, childCount: number): void {
  w.string(name);
  w.u8(KINDS.indexOf(node.kind));
  w.varUint(node.czxid);
  w.varUint(node.mzxid);
  w.varUint(node.pzxid);
  w.varUint(node.ctime);
  w.varUint(node.mtime);
  w.varInt32(node.version);
  w.varInt32(node.cversion);
  w.varInt32(node.aversion);
  if (node.kind === 'ephemeral') w.sessionId(node.owner);
  if (node.kind === 'ttl') w.varUint(node.ttlMs);
  w.varUint(childCount);
  w.bytes(node.data);
}

export interface DecodedTree {
  content: TreeContent;
  /** Every node with its path, parents before children. */
  entries: Array<[string, ZNode]>;
  /** The largest zxid in any stat: a snapshot's lastZxid must not be below it. */
  maxZxid: number;
}

export function readTreeContent(r: ByteReader): DecodedTree {
  const nodeCount = r.varUint();
  if (nodeCount < 1 || nodeCount > r.remaining / MIN_NODE_BYTES) r.fail(`implausible node count ${nodeCount}`);
  const rootRecord = readNode(r);
  if (rootRecord.name !== '' || rootRecord.node.kind !== 'persistent') r.fail('the first node is not the root');
  const root = rootRecord.node;
  const entries: Array<[string, ZNode]> = [['/', root]];
  let maxZxid = Math.max(root.czxid, root.mzxid, root.pzxid);
  const stack: Array<{ path: string; node: ZNode; remaining: number }> = [{ path: '', node: root, remaining: rootRecord.childCount }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.remaining === 0) {
      stack.pop();
      continue;
    }
    top.remaining--;
    const { name, node, childCount } = readNode(r);
    if (entries.length === nodeCount) r.fail('more nodes than the header says');
    if (!isValidName(name)) r.fail(`invalid node name ${JSON.stringify(name)}`);
    if (top.node.children.has(name)) r.fail(`duplicate child ${JSON.stringify(name)}`);
    top.node.children.add(name, node);
    const path = `${top.path}/${name}`;
    entries.push([path, node]);
    if (node.czxid > maxZxid) maxZxid = node.czxid;
    if (node.mzxid > maxZxid) maxZxid = node.mzxid;
    if (node.pzxid > maxZxid) maxZxid = node.pzxid;
    if (childCount > 0) stack.push({ path, node, remaining: childCount });
  }
  if (entries.length !== nodeCount) r.fail(`header says ${nodeCount} nodes, found ${entries.length}`);
  return { content: { root, nodeCount, sessions: readSessions(r) }, entries, maxZxid };
}

function readNode(r: ByteReader): { name: string; node: ZNode; childCount: number } {
  const name = r.string();
  const kind = KINDS[r.u8()];
  if (kind === undefined) r.fail('unknown node kind');
  const node = new ZNode({
    data: NO_DATA, czxid: r.varUint(), mzxid: r.varUint(), pzxid: r.varUint(), ctime: r.varUint(), mtime: r.varUint(),
    version: r.varInt32(), cversion: r.varInt32(), aversion: r.varInt32(), kind, owner: 0, ttlMs: 0,
  });
  if (kind === 'ephemeral') {
    node.owner = r.sessionId();
    if (node.owner === 0) r.fail('ephemeral node without an owner');
  } else if (kind === 'ttl') {
    node.ttlMs = r.varUint();
    if (!(node.ttlMs > 0 && node.ttlMs <= TTL_MS_MAX)) r.fail(`bad ttl ${node.ttlMs}`);
  }
  const childCount = r.varUint();
  if (kind === 'ephemeral' && childCount > 0) r.fail('ephemeral node with children');
  node.data = r.bytes();
  return { name, node, childCount };
}

function isValidName(name: string): boolean {
  return name !== '' && !name.includes('/') && validatePath(`/${name}`) === null;
}

function readSessions(r: ByteReader): Map<number, SessionInfo> {
  const count = r.varUint();
  if (count > r.remaining / 10) r.fail(`implausible session count ${count}`);
  const sessions = new Map<number, SessionInfo>();
  for (let i = 0; i < count; i++) {
    const id = r.sessionId();
    if (id === 0 || sessions.has(id)) r.fail(`bad or duplicate session id ${id}`);
    const timeoutMs = r.varUint();
    sessions.set(id, { timeoutMs, password: r.bytes() });
  }
  return sessions;
}
