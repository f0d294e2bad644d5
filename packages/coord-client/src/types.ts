import type { coordV1 } from '@ensemble/proto';
import type { ErrorCodeName } from './errors';

/** A znode's metadata (ZooKeeper's Stat). Times are ms since the epoch. */
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

/** ZooKeeper's CreateMode, named as on the wire. */
export type CreateMode = coordV1.CreateMode__Output;

/** ZooKeeper's Watcher.Event.EventType, named as on the wire. */
export type EventType = coordV1.EventType__Output;

/** Session states as the client reports them. */
export type ClientState = 'connecting' | 'connected' | 'disconnected' | 'expired' | 'closed';

/**
 * A watch event. `state` tells events about the data ('connected') from the final NONE event a
 * watcher gets when its session ends ('expired', 'closed').
 */
export interface WatchEvent {
  type: EventType;
  path: string;
  zxid: number;
  state: 'connected' | 'expired' | 'closed';
}

export type WatchListener = (event: WatchEvent) => void;

/** Which watches `removeWatches` removes (ZooKeeper's WatcherType). */
export type WatcherType = 'any' | 'children' | 'data' | 'persistent' | 'persistentRecursive';

/** addWatch modes (ZooKeeper's AddWatchMode). */
export type AddWatchMode = 'persistent' | 'persistentRecursive';

export type Data = Buffer | Uint8Array | string;

export interface CreateOptions {
  mode?: CreateMode;
  /** For the *_WITH_TTL modes. */
  ttlMs?: number;
}

/** One operation of a multi (ZooKeeper's Op). `version` -1 or absent: any version. */
export type MultiOp =
  | { type: 'create'; path: string; data?: Data; mode?: CreateMode; ttlMs?: number }
  | { type: 'delete'; path: string; version?: number }
  | { type: 'setData'; path: string; data: Data; version?: number }
  | { type: 'check'; path: string; version?: number };

/**
 * One result of a multi, in the order of the ops. In a failed multi every entry is an error:
 * 'OK' before the failing op, its own code for it, 'RUNTIME_INCONSISTENCY' after it (ZooKeeper).
 */
export type MultiResult =
  | { type: 'create'; path: string; stat: Stat | null }
  | { type: 'delete' }
  | { type: 'setData'; stat: Stat | null }
  | { type: 'check' }
  | { type: 'error'; code: ErrorCodeName };

export interface ChildrenPage {
  children: string[];
  stat: Stat | null;
  /** Pass as `startAfter` to get the next page; undefined on the last page. */
  nextStartAfter?: string;
}

/** Optional logger; fields are structured context (sessionId, server, ...). */
export interface ClientLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}
