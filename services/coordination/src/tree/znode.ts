// One znode as the tree holds it, and the mapping from create modes to what a node keeps.
import { ChildSet } from './child-set';
import type { CreateMode, Stat } from './types';

/**
 * What a znode is for the rest of its life. ZooKeeper encodes this in ephemeralOwner (a session
 * id, or special values for containers and TTL nodes); we keep it apart and report
 * ephemeralOwner 0 for containers and TTL nodes. "Sequential" is not kept: it only names the node.
 */
export type NodeKind = 'persistent' | 'ephemeral' | 'container' | 'ttl';

/** The fields of a znode other than its children. */
export interface ZNodeFields {
  data: Buffer;
  czxid: number;
  mzxid: number;
  pzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  kind: NodeKind;
  owner: number; // the owning session for 'ephemeral', else 0
  ttlMs: number; // for 'ttl', else 0
}

/** A class rather than object literals: one hidden class for every node of a large tree. */
export class ZNode implements ZNodeFields {
  data: Buffer;
  czxid: number;
  mzxid: number;
  pzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  kind: NodeKind;
  owner: number;
  ttlMs: number;
  readonly children = new ChildSet<ZNode>();
  /** The last snapshot whose writer has reached this node (DataTree.beginSnapshot). */
  snapshotEpoch = 0;

  constructor(f: ZNodeFields) {
    this.data = f.data;
    this.czxid = f.czxid;
    this.mzxid = f.mzxid;
    this.pzxid = f.pzxid;
    this.ctime = f.ctime;
    this.mtime = f.mtime;
    this.version = f.version;
    this.cversion = f.cversion;
    this.aversion = f.aversion;
    this.kind = f.kind;
    this.owner = f.owner;
    this.ttlMs = f.ttlMs;
  }
}

/** A copy of the node's own fields (the data buffer is shared: the tree never changes one in place). */
export function fieldsOf(node: ZNode): ZNodeFields {
  return {
    data: node.data, czxid: node.czxid, mzxid: node.mzxid, pzxid: node.pzxid, ctime: node.ctime, mtime: node.mtime,
    version: node.version, cversion: node.cversion, aversion: node.aversion, kind: node.kind, owner: node.owner, ttlMs: node.ttlMs,
  };
}

/** A session as the tree records it (createSession): what a replica needs to resume it. */
export interface SessionInfo {
  timeoutMs: number;
  password: Buffer;
}

/** ZooKeeper: EphemeralType.TTL's largest value (40 bits of milliseconds). */
export const TTL_MS_MAX = 2 ** 40 - 1;

export function kindOfMode(mode: CreateMode): NodeKind {
  switch (mode) {
    case 'PERSISTENT':
    case 'PERSISTENT_SEQUENTIAL':
      return 'persistent';
    case 'EPHEMERAL':
    case 'EPHEMERAL_SEQUENTIAL':
      return 'ephemeral';
    case 'CONTAINER':
      return 'container';
    case 'PERSISTENT_WITH_TTL':
    case 'PERSISTENT_SEQUENTIAL_WITH_TTL':
      return 'ttl';
  }
}

export function isSequentialMode(mode: CreateMode): boolean {
  return mode === 'PERSISTENT_SEQUENTIAL' || mode === 'EPHEMERAL_SEQUENTIAL' || mode === 'PERSISTENT_SEQUENTIAL_WITH_TTL';
}

/** The root: every stat field zero (ZooKeeper's root has an all-zero stat). */
export function newRoot(): ZNode {
  return new ZNode({
    data: Buffer.alloc(0), czxid: 0, mzxid: 0, pzxid: 0, ctime: 0, mtime: 0,
    version: 0, cversion: 0, aversion: 0, kind: 'persistent', owner: 0, ttlMs: 0,
  });
}

/** A fresh Stat object (callers may keep and modify it). */
export function statOf(node: ZNode): Stat {
  return {
    czxid: node.czxid,
    mzxid: node.mzxid,
    pzxid: node.pzxid,
    ctime: node.ctime,
    mtime: node.mtime,
    version: node.version,
    cversion: node.cversion,
    aversion: node.aversion,
    ephemeralOwner: node.kind === 'ephemeral' ? node.owner : 0,
    dataLength: node.data.length,
    numChildren: node.children.size,
  };
}

/**
 * ZooKeeper names sequential nodes with String.format("%010d", parentCversion): zero-padded to
 * ten characters, a '-' first when the (int32) counter has wrapped negative.
 */
export function formatSequence(counter: number): string {
  return counter >= 0 ? String(counter).padStart(10, '0') : `-${String(-counter).padStart(9, '0')}`;
}

/** Java int arithmetic: version counters wrap at 2^31 as ZooKeeper's do. */
export function nextInt32(value: number): number {
  return (value + 1) | 0;
}
