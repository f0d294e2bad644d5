// The history format: what concurrent clients of the coordination service did, per operation,
// with the real-time interval in which it happened. One operation touches one znode (its key),
// so histories partition per key (Porcupine, etcd robustness tests).

import { assert } from './assert';

/** Inputs on one znode. `version: -1` matches any version (ZooKeeper: setData/delete with -1). */
export type ZnodeInput =
  | { readonly op: 'create'; readonly data: string }
  | { readonly op: 'delete'; readonly version: number }
  | { readonly op: 'set'; readonly data: string; readonly version: number }
  | { readonly op: 'get' }
  | { readonly op: 'exists' };

/** NOT_EMPTY is accepted for delete: it depends on other keys (children), so it only
 *  tells that the node existed with a matching version and was left unchanged. */
export type ZnodeErrorCode = 'NO_NODE' | 'NODE_EXISTS' | 'BAD_VERSION' | 'NOT_EMPTY';

/** A field left out of a successful output is not checked. */
export type ZnodeOutput =
  | { readonly ok: true; readonly data?: string; readonly version?: number; readonly exists?: boolean }
  | { readonly ok: false; readonly code: ZnodeErrorCode };

/** 'sequential': a read served locally by the server the client is connected to (ZooKeeper's
 *  default); see README.md for exactly what is checked. Writes are always linearizable. */
export type Consistency = 'linearizable' | 'sequential';

export interface Operation<I = ZnodeInput, O = ZnodeOutput> {
  readonly clientId: number;
  /** The znode path. */
  readonly key: string;
  readonly input: I;
  /** null: unknown outcome (timeout, connection lost): it may take effect at any time after
   *  its call, or never. */
  readonly output: O | null;
  readonly callMs: number;
  /** Ignored (taken as Infinity) when the output is unknown. */
  readonly returnMs: number;
  readonly consistency?: Consistency;
}

export type History<I = ZnodeInput, O = ZnodeOutput> = readonly Operation<I, O>[];

export const znodeInput = {
  create: (data: string): ZnodeInput => ({ op: 'create', data }),
  delete: (version = -1): ZnodeInput => ({ op: 'delete', version }),
  set: (data: string, version = -1): ZnodeInput => ({ op: 'set', data, version }),
  get: (): ZnodeInput => ({ op: 'get' }),
  exists: (): ZnodeInput => ({ op: 'exists' }),
};

export const znodeOutput = {
  ok: (fields: { data?: string; version?: number; exists?: boolean } = {}): ZnodeOutput => ({ ok: true, ...fields }),
  fail: (code: ZnodeErrorCode): ZnodeOutput => ({ ok: false, code }),
};

/** A history as saved to a file: JSON has no Infinity, so unknown returns are null. */
export interface SavedHistory {
  readonly format: typeof HISTORY_FORMAT;
  readonly operations: readonly SavedOperation[];
  /** States of keys that existed before the history started; absent keys start absent. */
  readonly initialStates?: Readonly<Record<string, ZnodeState>>;
}

export interface SavedOperation extends Omit<Operation, 'returnMs'> {
  readonly returnMs: number | null;
}

/** The sequential state of one znode. An absent node's data and version mean nothing. */
export interface ZnodeState {
  readonly exists: boolean;
  readonly data: string;
  readonly version: number;
}

export const HISTORY_FORMAT = 'ensemble-linearizability-history/1';
/** A bound on what a saved file may hold, so a corrupt file fails clearly rather than slowly. */
export const SAVED_OPERATIONS_MAX = 10_000_000;

export function historyToJson(history: History, initialStates?: Readonly<Record<string, ZnodeState>>): string {
  const operations = history.map((op): SavedOperation => ({
    ...op,
    returnMs: op.output === null || !Number.isFinite(op.returnMs) ? null : op.returnMs,
  }));
  const saved: SavedHistory = initialStates === undefined
    ? { format: HISTORY_FORMAT, operations }
    : { format: HISTORY_FORMAT, operations, initialStates };
  return JSON.stringify(saved, null, 1);
}

/** Parses and validates a saved history; a malformed file throws with the offending index. */
export function historyFromJson(text: string): { history: History; initialStates?: Record<string, ZnodeState> } {
  const saved = JSON.parse(text) as Partial<SavedHistory>;
  assert(saved !== null && typeof saved === 'object', 'history: not a JSON object');
  assert(saved.format === HISTORY_FORMAT, `history: format is not ${HISTORY_FORMAT}`);
  assert(Array.isArray(saved.operations), 'history: operations is not an array');
  assert(saved.operations.length <= SAVED_OPERATIONS_MAX, `history: more than ${SAVED_OPERATIONS_MAX} operations`);
  const history = saved.operations.map((op, i): Operation => {
    const restored = { ...op, returnMs: op.returnMs === null ? Infinity : op.returnMs };
    validateOperation(restored, i);
    return restored;
  });
  if (saved.initialStates === undefined) return { history };
  for (const [key, state] of Object.entries(saved.initialStates)) validateState(state, key);
  return { history, initialStates: { ...saved.initialStates } };
}

/** Throws on an operation no real client could have recorded. */
export function validateOperation(op: Operation, index: number): void {
  const where = `history: operation ${index}`;
  assert(Number.isInteger(op.clientId), `${where}: clientId is not an integer`);
  assert(typeof op.key === 'string' && op.key.length > 0, `${where}: key is not a non-empty string`);
  assert(Number.isFinite(op.callMs), `${where}: callMs is not a finite number`);
  assert(typeof op.returnMs === 'number' && !Number.isNaN(op.returnMs), `${where}: returnMs is not a number`);
  assert(op.output === null || op.returnMs >= op.callMs, `${where}: returns before it is called`);
  assert(op.consistency === undefined || op.consistency === 'linearizable' || op.consistency === 'sequential',
    `${where}: consistency is neither 'linearizable' nor 'sequential'`);
  validateInput(op.input, where);
  if (op.output !== null) validateOutput(op.output, where);
}

function validateInput(input: ZnodeInput, where: string): void {
  assert(input !== null && typeof input === 'object', `${where}: input is not an object`);
  switch (input.op) {
    case 'create': assert(typeof input.data === 'string', `${where}: create without string data`); return;
    case 'delete': assert(Number.isInteger(input.version), `${where}: delete without an integer version`); return;
    case 'set':
      assert(typeof input.data === 'string', `${where}: set without string data`);
      assert(Number.isInteger(input.version), `${where}: set without an integer version`);
      return;
    case 'get': case 'exists': return;
    default: assert(false, `${where}: unknown op ${JSON.stringify((input as { op?: unknown }).op)}`);
  }
}

const ERROR_CODES: readonly string[] = ['NO_NODE', 'NODE_EXISTS', 'BAD_VERSION', 'NOT_EMPTY'];

function validateOutput(output: ZnodeOutput, where: string): void {
  assert(output !== null && typeof output === 'object', `${where}: output is not an object`);
  if (!output.ok) {
    assert(output.ok === false && ERROR_CODES.includes(output.code), `${where}: unknown error code`);
    return;
  }
  assert(output.data === undefined || typeof output.data === 'string', `${where}: output data is not a string`);
  assert(output.version === undefined || Number.isInteger(output.version), `${where}: output version is not an integer`);
  assert(output.exists === undefined || typeof output.exists === 'boolean', `${where}: output exists is not a boolean`);
}

function validateState(state: ZnodeState, key: string): void {
  assert(typeof state?.exists === 'boolean' && typeof state.data === 'string' && Number.isInteger(state.version),
    `history: initial state of ${key} is not {exists, data, version}`);
}
