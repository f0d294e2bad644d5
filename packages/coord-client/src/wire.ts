// Conversions between the API's types and coord.v1 messages. Pure.
import type { coordV1 } from '@ensemble/proto';
import { CoordError } from './errors';
import type { Data, MultiOp, MultiResult, Stat, WatcherType } from './types';

export function toStat(stat: coordV1.Stat__Output | null | undefined): Stat | null {
  if (!stat) return null;
  return {
    czxid: stat.czxid, mzxid: stat.mzxid, pzxid: stat.pzxid, ctime: stat.ctime, mtime: stat.mtime,
    version: stat.version, cversion: stat.cversion, aversion: stat.aversion,
    ephemeralOwner: stat.ephemeralOwner, dataLength: stat.dataLength, numChildren: stat.numChildren,
  };
}

export function toBuffer(data: Data | undefined): Buffer {
  if (data === undefined) return Buffer.alloc(0);
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Versions: -1 (or nothing) means "any version" and travels as an absent field. */
export function versionField(version: number | undefined): { version?: number } {
  if (version === undefined || version === -1) return {};
  if (!Number.isInteger(version) || version < -1) throw new CoordError('BAD_ARGUMENTS', { detail: `bad version ${version}` });
  return { version };
}

export function toWireOp(op: MultiOp): coordV1.Op {
  switch (op.type) {
    case 'create':
      return { create: { path: op.path, data: toBuffer(op.data), mode: op.mode ?? 'PERSISTENT', ttlMs: op.ttlMs ?? 0 } };
    case 'delete':
      return { delete: { path: op.path, ...versionField(op.version) } };
    case 'setData':
      return { setData: { path: op.path, data: toBuffer(op.data), ...versionField(op.version) } };
    case 'check':
      return { check: { path: op.path, ...versionField(op.version) } };
  }
}

/**
 * ZooKeeper: in a failed multi every op gets an ErrorResult — OK for the ops before the failing
 * one, its own code for the failing op, RUNTIME_INCONSISTENCY for the ops after it.
 */
export function fromOpResult(result: coordV1.OpResult__Output): MultiResult {
  if ((result.error && result.error !== 'OK') || !result.result) return { type: 'error', code: result.error || 'OK' };
  switch (result.result) {
    case 'create':
      return { type: 'create', path: result.create?.path ?? '', stat: toStat(result.create?.stat) };
    case 'delete':
      return { type: 'delete' };
    case 'setData':
      return { type: 'setData', stat: toStat(result.setData?.stat) };
    case 'check':
      return { type: 'check' };
  }
}

const WATCHER_TYPES: Record<WatcherType, coordV1.WatcherType__Output> = {
  any: 'ANY', children: 'CHILDREN', data: 'DATA', persistent: 'PERSISTENT', persistentRecursive: 'PERSISTENT_RECURSIVE',
};

export function toWireWatcherType(type: WatcherType): coordV1.WatcherType__Output {
  return WATCHER_TYPES[type];
}

const TTL_MODES = new Set(['PERSISTENT_WITH_TTL', 'PERSISTENT_SEQUENTIAL_WITH_TTL']);
const SEQUENTIAL_MODES = new Set(['PERSISTENT_SEQUENTIAL', 'EPHEMERAL_SEQUENTIAL', 'PERSISTENT_SEQUENTIAL_WITH_TTL']);

export function isTtlMode(mode: string): boolean {
  return TTL_MODES.has(mode);
}

export function isSequentialMode(mode: string): boolean {
  return SEQUENTIAL_MODES.has(mode);
}

/**
 * ZooKeeper: EphemeralType.validateTTL — TTL modes need a positive ttl, other modes none.
 * Returns the reason the pair is invalid, or null.
 */
export function checkTtl(mode: string, ttlMs: number | undefined): string | null {
  if (isTtlMode(mode)) {
    if (ttlMs === undefined || !Number.isInteger(ttlMs) || ttlMs <= 0) return `${mode} needs a positive ttlMs`;
    return null;
  }
  return ttlMs !== undefined && ttlMs !== 0 ? `ttlMs is only allowed with a *_WITH_TTL mode, not ${mode}` : null;
}
