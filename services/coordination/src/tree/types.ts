// Domain types of the data tree: the contract between the tree (pure), the log/storage layer
// and the gRPC shell. Names and values follow coord.v1 (proto/coord/v1/coord.proto), so the
// shell passes them through without translation tables.

/** ZooKeeper's error codes, as named in coord.v1.ErrorCode. */
export type ErrorCode =
  | 'OK'
  | 'SYSTEM_ERROR'
  | 'RUNTIME_INCONSISTENCY'
  | 'DATA_INCONSISTENCY'
  | 'CONNECTION_LOSS'
  | 'MARSHALLING_ERROR'
  | 'UNIMPLEMENTED'
  | 'OPERATION_TIMEOUT'
  | 'BAD_ARGUMENTS'
  | 'UNKNOWN_SESSION'
  | 'API_ERROR'
  | 'NO_NODE'
  | 'NO_AUTH'
  | 'BAD_VERSION'
  | 'NO_CHILDREN_FOR_EPHEMERALS'
  | 'NODE_EXISTS'
  | 'NOT_EMPTY'
  | 'SESSION_EXPIRED'
  | 'INVALID_ACL'
  | 'AUTH_FAILED'
  | 'SESSION_MOVED'
  | 'NOT_READ_ONLY'
  | 'NO_WATCHER'
  | 'REQUEST_TIMEOUT'
  | 'QUOTA_EXCEEDED'
  | 'THROTTLED_OP'
  | 'INVALID_PATH'
  | 'TOO_LARGE'
  | 'TOO_MANY_WATCHES'
  | 'TOO_MANY_SESSIONS'
  | 'NOT_LEADER';

export type CreateMode =
  | 'PERSISTENT'
  | 'EPHEMERAL'
  | 'PERSISTENT_SEQUENTIAL'
  | 'EPHEMERAL_SEQUENTIAL'
  | 'CONTAINER'
  | 'PERSISTENT_WITH_TTL'
  | 'PERSISTENT_SEQUENTIAL_WITH_TTL';

/** A znode's stat, field for field ZooKeeper's (and coord.v1.Stat). Times are ms since the epoch. */
export interface Stat {
  czxid: number;
  mzxid: number;
  pzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: number;
  dataLength: number;
  numChildren: number;
}

/**
 * zxid: 64-bit in ZooKeeper (epoch high 32 bits, counter low 32). Held in a JS number, which is
 * exact while epoch < 2^21; `makeZxid` asserts it.
 */
export const ZXID_EPOCH_MAX = 2 ** 21 - 1;
export function makeZxid(epoch: number, counter: number): number {
  if (!(epoch >= 0 && epoch <= ZXID_EPOCH_MAX && counter >= 0 && counter < 2 ** 32)) {
    throw new Error(`zxid out of range: epoch=${epoch} counter=${counter}`);
  }
  return epoch * 2 ** 32 + counter;
}
export function zxidEpoch(zxid: number): number {
  return Math.floor(zxid / 2 ** 32);
}
export function zxidCounter(zxid: number): number {
  return zxid % 2 ** 32;
}

/** Version -1 means "any version" (ZooKeeper's convention). */
export const ANY_VERSION = -1;

// ---- transactions: what the log carries and every replica applies ----
//
// The leader stamps everything non-deterministic (zxid, time, owning session) into the
// transaction before it is logged. Conditions (node exists, version matches, parent is not
// ephemeral...) are checked by `DataTree.apply` itself, deterministically, so every replica
// reaches the same outcome for the same log. Sequential names are computed at apply time from
// the parent's cversion (ZooKeeper: the sequence number is the parent's cversion).

export interface CreateOp {
  type: 'create';
  path: string; // for sequential modes, the prefix the 10-digit suffix is appended to
  data: Buffer;
  mode: CreateMode;
  ttlMs: number; // > 0 for the *_WITH_TTL modes, else 0
}
export interface DeleteOp {
  type: 'delete';
  path: string;
  version: number; // ANY_VERSION or the expected data version
}
export interface SetDataOp {
  type: 'setData';
  path: string;
  data: Buffer;
  version: number;
}
export interface CheckOp {
  type: 'check';
  path: string;
  version: number;
}
export type MultiSubOp = CreateOp | DeleteOp | SetDataOp | CheckOp;
export interface MultiOp {
  type: 'multi';
  ops: MultiSubOp[];
}
export interface CreateSessionOp {
  type: 'createSession';
  sessionId: number;
  timeoutMs: number;
  password: Buffer;
}
export interface CloseSessionOp {
  type: 'closeSession';
  sessionId: number; // deletes every ephemeral the session owns, in this one transaction
}
/**
 * Issued by the server's reaper: deletes `path` only if, when applied, it is still an empty
 * container that once had children, or a childless TTL node not modified for its TTL
 * (relative to the transaction's time).
 */
export interface ReapOp {
  type: 'reap';
  path: string;
}
/** A no-op entry (e.g. a new leader's first entry). Consumes a zxid, changes nothing. */
export interface NoopOp {
  type: 'noop';
}
export type TxnOp = CreateOp | DeleteOp | SetDataOp | CheckOp | MultiOp | CreateSessionOp | CloseSessionOp | ReapOp | NoopOp;

export interface Txn {
  zxid: number;
  timeMs: number; // leader's clock when the transaction was proposed
  sessionId: number; // session that issued it (0 for server-issued transactions)
  op: TxnOp;
}

// ---- results ----

export type SubResult =
  | { type: 'create'; path: string; stat: Stat }
  | { type: 'delete' }
  | { type: 'setData'; stat: Stat }
  | { type: 'check' }
  | { type: 'error'; code: ErrorCode }; // inside a multi: the failing op's code, others RUNTIME_INCONSISTENCY

export type TxnResult =
  | { ok: true; type: 'create'; path: string; stat: Stat }
  | { ok: true; type: 'delete' }
  | { ok: true; type: 'setData'; stat: Stat }
  | { ok: true; type: 'check' }
  | { ok: true; type: 'multi'; results: SubResult[] }
  | { ok: true; type: 'createSession' }
  | { ok: true; type: 'closeSession'; deleted: string[] }
  | { ok: true; type: 'reap'; deleted: boolean }
  | { ok: true; type: 'noop' }
  | { ok: false; code: ErrorCode; results?: SubResult[] }; // results: per-op outcome of a failed multi

export type WatchEventType = 'NODE_CREATED' | 'NODE_DELETED' | 'NODE_DATA_CHANGED' | 'NODE_CHILDREN_CHANGED';

/** A change that may fire watches; produced by apply, in the order the changes happened. */
export interface WatchTrigger {
  type: WatchEventType;
  path: string;
  zxid: number;
}

export interface ApplyOutcome {
  result: TxnResult;
  triggers: WatchTrigger[];
}
