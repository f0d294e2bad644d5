// The data tree: the coordination service's pure core (ZooKeeper's DataTree, its transaction
// and snapshot codecs, and the per-server watch manager). No I/O, no clock, no randomness.
export * from './types';
export { validatePath, explainInvalidPath, parentPath, baseName, isAncestorOrSelf, joinPath, type PathOptions } from './path';
export { DataTree, type GetDataResult, type GetChildrenResult, type GetAllChildrenNumberResult } from './data-tree';
export { TTL_MS_MAX, type SessionInfo } from './znode';
export { serializeTree, deserializeTree, SnapshotWriter, SNAPSHOT_FORMAT_VERSION } from './snapshot-codec';
export { encodeTxn, decodeTxn, TXN_FORMAT_VERSION } from './txn-codec';
export { DecodeError } from './byte-reader';
export {
  WatchManager,
  type RemoveWatchType,
  type SessionWatchEvent,
  type WatchResult,
  type RemoveWatchesResult,
  type SetWatchesRequest,
  type SetWatchesResult,
  type WatchTreeView,
} from './watch-manager';
