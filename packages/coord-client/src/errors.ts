import type { coordV1 } from '@ensemble/proto';

/** An error code as the wire names it (coord.v1.ErrorCode), e.g. 'NO_NODE'. */
export type ErrorCodeName = coordV1.ErrorCode__Output;

// ZooKeeper: KeeperException subclass names without the "Exception" suffix, as its Java client
// and zkCli print them. Codes beyond ZooKeeper's list get names in the same style.
const ZK_NAMES: Record<ErrorCodeName, string> = {
  OK: 'Ok',
  SYSTEM_ERROR: 'SystemError',
  RUNTIME_INCONSISTENCY: 'RuntimeInconsistency',
  DATA_INCONSISTENCY: 'DataInconsistency',
  CONNECTION_LOSS: 'ConnectionLoss',
  MARSHALLING_ERROR: 'MarshallingError',
  UNIMPLEMENTED: 'Unimplemented',
  OPERATION_TIMEOUT: 'OperationTimeout',
  BAD_ARGUMENTS: 'BadArguments',
  UNKNOWN_SESSION: 'UnknownSession',
  NEW_CONFIG_NO_QUORUM: 'NewConfigNoQuorum',
  RECONFIG_IN_PROGRESS: 'ReconfigInProgress',
  API_ERROR: 'APIError',
  NO_NODE: 'NoNode',
  NO_AUTH: 'NoAuth',
  BAD_VERSION: 'BadVersion',
  NO_CHILDREN_FOR_EPHEMERALS: 'NoChildrenForEphemerals',
  NODE_EXISTS: 'NodeExists',
  NOT_EMPTY: 'NotEmpty',
  SESSION_EXPIRED: 'SessionExpired',
  INVALID_CALLBACK: 'InvalidCallback',
  INVALID_ACL: 'InvalidACL',
  AUTH_FAILED: 'AuthFailed',
  SESSION_MOVED: 'SessionMoved',
  NOT_READ_ONLY: 'NotReadOnly',
  EPHEMERAL_ON_LOCAL_SESSION: 'EphemeralOnLocalSession',
  NO_WATCHER: 'NoWatcher',
  REQUEST_TIMEOUT: 'RequestTimeout',
  RECONFIG_DISABLED: 'ReconfigDisabled',
  QUOTA_EXCEEDED: 'QuotaExceeded',
  THROTTLED_OP: 'ThrottledOp',
  INVALID_PATH: 'InvalidPath',
  TOO_LARGE: 'TooLarge',
  TOO_MANY_WATCHES: 'TooManyWatches',
  TOO_MANY_SESSIONS: 'TooManySessions',
  NOT_LEADER: 'NotLeader',
};

/** ZooKeeper's Java name of an error code: 'NO_NODE' → 'NoNode'. Unknown codes map to 'SystemError'. */
export function zkErrorName(code: string): string {
  return Object.prototype.hasOwnProperty.call(ZK_NAMES, code) ? ZK_NAMES[code as ErrorCodeName] : 'SystemError';
}

/** True when `code` is one of the wire's error code names. */
export function isErrorCodeName(code: string): code is ErrorCodeName {
  return Object.prototype.hasOwnProperty.call(ZK_NAMES, code);
}

/** One result of a failed or successful multi, as attached to a CoordError's `results`. */
export interface OpErrorResult {
  type: 'error';
  code: ErrorCodeName;
}

/**
 * Every failure of a coordination call. Test `err.code` (the wire name, e.g. 'NO_NODE'), never
 * `instanceof`: errors cross process and package boundaries. The message reads like ZooKeeper's
 * ("NoNode: /missing"); the server's own explanation, if any, is in `detail`.
 */
export class CoordError extends Error {
  readonly code: ErrorCodeName;
  readonly zkName: string;
  readonly path?: string;
  readonly detail?: string;
  /** For a failed multi: one entry per op, in order. */
  results?: unknown[];

  constructor(code: ErrorCodeName, opts: { path?: string; detail?: string; cause?: unknown } = {}) {
    const zkName = zkErrorName(code);
    super(formatMessage(zkName, opts.path, opts.detail), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CoordError';
    this.code = code;
    this.zkName = zkName;
    if (opts.path !== undefined) this.path = opts.path;
    if (opts.detail) this.detail = opts.detail;
  }
}

function formatMessage(zkName: string, path?: string, detail?: string): string {
  if (path !== undefined && detail) return `${zkName}: ${path} (${detail})`;
  if (path !== undefined) return `${zkName}: ${path}`;
  return detail ? `${zkName}: ${detail}` : zkName;
}

/** True when `err` is a coordination error with one of `codes` (duck-typed on `code`). */
export function hasCode(err: unknown, ...codes: ErrorCodeName[]): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (codes as string[]).includes(code);
}
