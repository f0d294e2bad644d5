// The canonical byte form of a tree's content: every znode in pre-order (children in
// lexicographic order) with its full stat, kind and data, then the session table by id.
// The snapshot codec wraps it in a header and trailer; the digest hashes it, so two replicas
// with the same content have the same digest whatever order they built it in.
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

/** A node as it was when a snapshot began: its fields and its children then, in name order. */
export interface NodeImage {
  fields: ZNodeFields;
  names: readonly string[];
  children: readonly ZNode[];
}

/**
 * The content as of one moment, read over several turns while the tree keeps changing: the
 * tree keeps an image of every node that changes before the writer reaches it (DataTree.beginSnapshot).
 */
export interface FrozenContent extends TreeContent {
  /** The node as it was at that moment, if it has changed since; called once per node, in write order. */
  reach(node: ZNode): NodeImage | undefined;
}

/**
 * Writes a tree's content in steps of a bounded number of nodes, so that a large tree can be
 * written without stopping everything else for the whole walk.
 */
export class TreeContentWriter {
  /**
   * The walk: for each directory being written, its children (lists that never change, see
   * ChildSet.frozenEntries) and the next one to write. A directory costs one entry here, not one
   * per child, so a step writes `maxNodes` nodes whatever the size of the directories.
   */
  private readonly pending: Array<{ names: readonly string[]; children: readonly ZNode[]; next: number }>;
  private done = false;

  constructor(private readonly w: ByteWriter, private readonly content: TreeContent | FrozenContent) {
    w.varUint(content.nodeCount);
    this.pending = [{ names: [''], children: [content.root], next: 0 }];
  }

  /** Writes up to `maxNodes` more nodes (the session table after the last); true once all is written. */
  step(maxNodes: number): boolean {
    const { w, pending, content } = this;
    const reach = 'reach' in content ? content.reach : undefined;
    for (let n = 0; n < maxNodes && pending.length > 0; ) {
      const dir = pending[pending.length - 1];
      if (dir.next === dir.names.length) {
        pending.pop();
        continue;
      }
      const name = dir.names[dir.next];
      const node = dir.children[dir.next++];
      const image = reach?.(node);
      const children = image ?? node.children.frozenEntries();
      writeNode(w, name, image === undefined ? node : image.fields, children.names.length);
      if (children.names.length > 0) pending.push({ names: children.names, children: children.children, next: 0 });
      n++;
    }
    while (pending.length > 0 && pending[pending.length - 1].next === pending[pending.length - 1].names.length) pending.pop();
    if (pending.length > 0) return false;
    if (!this.done) {
      this.done = true;
      writeSessions(w, content.sessions);
    }
    return true;
  }
}

export function writeTreeContent(w: ByteWriter, content: TreeContent): void {
  new TreeContentWriter(w, content).step(Infinity);
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
