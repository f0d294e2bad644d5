// Translation between coord.v1 messages and the data tree's domain types, with the static
// checks that need no state (path syntax, sizes, enum values). Anything that depends on the
// tree's state is decided by the tree when the transaction is applied.
import type { coordV1 } from '@ensemble/proto';
import type { Limits } from '../limits';
import { validatePath } from '../tree/path';
import {
  ANY_VERSION,
  type CreateMode,
  type CreateOp,
  type ErrorCode,
  type MultiSubOp,
  type Stat,
  type SubResult,
  type TxnOp,
  type TxnResult,
} from '../tree/types';

export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const CREATE_MODES: ReadonlySet<string> = new Set<CreateMode>([
  'PERSISTENT',
  'EPHEMERAL',
  'PERSISTENT_SEQUENTIAL',
  'EPHEMERAL_SEQUENTIAL',
  'CONTAINER',
  'PERSISTENT_WITH_TTL',
  'PERSISTENT_SEQUENTIAL_WITH_TTL',
]);

export function isSequential(mode: CreateMode): boolean {
  return mode === 'PERSISTENT_SEQUENTIAL' || mode === 'EPHEMERAL_SEQUENTIAL' || mode === 'PERSISTENT_SEQUENTIAL_WITH_TTL';
}

export function isEphemeral(mode: CreateMode): boolean {
  return mode === 'EPHEMERAL' || mode === 'EPHEMERAL_SEQUENTIAL';
}

function isTtl(mode: CreateMode): boolean {
  return mode === 'PERSISTENT_WITH_TTL' || mode === 'PERSISTENT_SEQUENTIAL_WITH_TTL';
}

export function checkPath(path: string, limits: Limits, sequential = false): string {
  if (typeof path !== 'string' || path.length === 0) throw new RequestError('INVALID_PATH', 'path is required');
  if (Buffer.byteLength(path) > limits.maxPathBytes) {
    throw new RequestError('TOO_LARGE', `path is longer than ${limits.maxPathBytes} bytes`);
  }
  const bad = validatePath(path, { sequential });
  if (bad) throw new RequestError(bad, `invalid path: ${JSON.stringify(path)}`);
  return path;
}

function checkData(data: Buffer | undefined, limits: Limits): Buffer {
  const buf = data ?? Buffer.alloc(0);
  if (buf.length > limits.maxDataBytes) {
    throw new RequestError('TOO_LARGE', `data is ${buf.length} bytes, over the limit of ${limits.maxDataBytes}`);
  }
  return buf;
}

function checkVersion(version: number | undefined): number {
  if (version === undefined || version === null) return ANY_VERSION;
  if (!Number.isInteger(version) || version < ANY_VERSION) {
    throw new RequestError('BAD_ARGUMENTS', `version must be -1 (any) or >= 0, got ${version}`);
  }
  return version;
}

export function toCreateOp(req: coordV1.CreateRequest__Output, limits: Limits): CreateOp {
  const mode = req.mode as CreateMode;
  if (!CREATE_MODES.has(mode)) throw new RequestError('BAD_ARGUMENTS', `unknown create mode ${String(req.mode)}`);
  const path = checkPath(req.path, limits, isSequential(mode));
  const ttlMs = Number(req.ttlMs ?? 0);
  if (isTtl(mode)) {
    if (!(ttlMs > 0) || !Number.isSafeInteger(ttlMs)) throw new RequestError('BAD_ARGUMENTS', 'TTL modes need ttlMs > 0');
  } else if (ttlMs !== 0) {
    throw new RequestError('BAD_ARGUMENTS', `ttlMs is only valid with the *_WITH_TTL modes, not ${mode}`);
  }
  return { type: 'create', path, data: checkData(req.data, limits), mode, ttlMs };
}

function toSubOp(op: coordV1.Op__Output, limits: Limits): MultiSubOp {
  switch (op.op) {
    case 'create':
      return toCreateOp(op.create!, limits);
    case 'delete':
      return { type: 'delete', path: checkPath(op.delete!.path, limits), version: checkVersion(op.delete!.version) };
    case 'setData':
      return {
        type: 'setData',
        path: checkPath(op.setData!.path, limits),
        data: checkData(op.setData!.data, limits),
        version: checkVersion(op.setData!.version),
      };
    case 'check':
      return { type: 'check', path: checkPath(op.check!.path, limits), version: checkVersion(op.check!.version) };
    default:
      throw new RequestError('BAD_ARGUMENTS', 'multi op has no operation set');
  }
}

/** The write a request asks for, or null when the request is not a write. */
export function toTxnOp(req: coordV1.Request__Output, limits: Limits): TxnOp | null {
  switch (req.op) {
    case 'create':
      return toCreateOp(req.create!, limits);
    case 'delete':
      return { type: 'delete', path: checkPath(req.delete!.path, limits), version: checkVersion(req.delete!.version) };
    case 'setData':
      return {
        type: 'setData',
        path: checkPath(req.setData!.path, limits),
        data: checkData(req.setData!.data, limits),
        version: checkVersion(req.setData!.version),
      };
    case 'multi': {
      const ops = req.multi!.ops ?? [];
      if (ops.length > limits.maxMultiOps) {
        throw new RequestError('TOO_LARGE', `multi has ${ops.length} ops, over the limit of ${limits.maxMultiOps}`);
      }
      let total = 0;
      const subOps = ops.map((op) => {
        const sub = toSubOp(op, limits);
        if (sub.type === 'create' || sub.type === 'setData') total += sub.data.length;
        return sub;
      });
      if (total > limits.maxRequestBytes) throw new RequestError('TOO_LARGE', `multi carries ${total} bytes of data`);
      return { type: 'multi', ops: subOps };
    }
    default:
      return null;
  }
}

export function toProtoStat(stat: Stat): coordV1.Stat {
  return stat;
}

function subResultToProto(r: SubResult): coordV1.OpResult {
  switch (r.type) {
    case 'create':
      return { error: 'OK', create: { path: r.path, stat: r.stat } };
    case 'delete':
      return { error: 'OK', delete: {} };
    case 'setData':
      return { error: 'OK', setData: { stat: r.stat } };
    case 'check':
      return { error: 'OK', check: {} };
    case 'error':
      return { error: r.code };
  }
}

/** Fills a Response from the result of an applied write. */
export function writeResultToResponse(result: TxnResult, resp: coordV1.Response): void {
  if (!result.ok) {
    resp.error = result.code;
    if (result.results) resp.multi = { results: result.results.map(subResultToProto) };
    return;
  }
  switch (result.type) {
    case 'create':
      resp.create = { path: result.path, stat: result.stat };
      return;
    case 'delete':
      resp.delete = {};
      return;
    case 'setData':
      resp.setData = { stat: result.stat };
      return;
    case 'check':
      // A lone check is only reachable inside a multi; nothing to fill.
      return;
    case 'multi':
      resp.multi = { results: result.results.map(subResultToProto) };
      return;
    default:
      return;
  }
}

export const ERROR_MESSAGES: Partial<Record<ErrorCode, string>> = {
  NO_NODE: 'node does not exist',
  NODE_EXISTS: 'node already exists',
  BAD_VERSION: 'version does not match',
  NOT_EMPTY: 'node has children',
  NO_CHILDREN_FOR_EPHEMERALS: 'ephemeral nodes may not have children',
  SESSION_EXPIRED: 'session expired',
  RUNTIME_INCONSISTENCY: 'an earlier operation of the multi failed',
  NO_WATCHER: 'no such watch',
  TOO_MANY_WATCHES: 'too many watches for this session',
};
