// The sequential specification of one znode: what ZooKeeper's data tree does to a single path.
// Deterministic: an input has one real outcome in a state. An operation with an unknown
// outcome takes that real effect when it is linearized; the checker lets it linearize at any
// point after its call, last of all included, which is the same as never (Porcupine).

import type { ZnodeInput, ZnodeOutput, ZnodeState } from './history';
import type { Model } from './model';

export const ABSENT: ZnodeState = { exists: false, data: '', version: 0 };

export interface ZnodeModelOptions {
  /** Keys that exist before the history starts; every other key starts absent. */
  readonly initialStates?: Readonly<Record<string, ZnodeState>>;
}

export function createZnodeModel(options: ZnodeModelOptions = {}): Model<ZnodeState, ZnodeInput, ZnodeOutput> {
  const initial = options.initialStates ?? {};
  return {
    init: (key) => (Object.hasOwn(initial, key) ? normalise(initial[key] as ZnodeState) : ABSENT),
    step: stepZnode,
    equal: equalZnode,
    hash: hashZnode,
    isReadOnly,
    // A failed write changes nothing: ZooKeeper checks before it applies.
    changesNothing: (input, output) => isReadOnly(input) || (output !== null && !output.ok),
    values: {
      // A create or set that failed wrote nothing; one with an unknown outcome may have.
      written: (input, output) => ((input.op === 'create' || input.op === 'set') && output?.ok !== false ? input.data : undefined),
      observed: (input, output) => (input.op === 'get' && output.ok ? output.data : undefined),
      held: (state) => (state.exists ? state.data : undefined),
      overwrites: (input, output) => output.ok && !isReadOnly(input),
    },
    describeOperation: describeZnodeOperation,
    describeState: describeZnodeState,
  };
}

export const znodeModel = createZnodeModel();

function isReadOnly(input: ZnodeInput): boolean {
  return input.op === 'get' || input.op === 'exists';
}

/** What the server does: the output it gives and the state it leaves. */
export function applyZnode(state: ZnodeState, input: ZnodeInput): { output: ZnodeOutput; next: ZnodeState } {
  switch (input.op) {
    case 'create': // ZooKeeper: a new node starts at version 0
      if (state.exists) return { output: { ok: false, code: 'NODE_EXISTS' }, next: state };
      return { output: { ok: true, exists: true, version: 0, data: input.data }, next: { exists: true, data: input.data, version: 0 } };
    case 'delete':
      if (!state.exists) return { output: { ok: false, code: 'NO_NODE' }, next: state };
      if (!versionMatches(state, input.version)) return { output: { ok: false, code: 'BAD_VERSION' }, next: state };
      return { output: { ok: true, exists: false }, next: ABSENT };
    case 'set': { // ZooKeeper: setData bumps the data version by one
      if (!state.exists) return { output: { ok: false, code: 'NO_NODE' }, next: state };
      if (!versionMatches(state, input.version)) return { output: { ok: false, code: 'BAD_VERSION' }, next: state };
      const next = { exists: true, data: input.data, version: state.version + 1 };
      return { output: { ok: true, exists: true, version: next.version, data: next.data }, next };
    }
    case 'get':
      if (!state.exists) return { output: { ok: false, code: 'NO_NODE' }, next: state };
      return { output: { ok: true, exists: true, version: state.version, data: state.data }, next: state };
    case 'exists':
      if (!state.exists) return { output: { ok: true, exists: false }, next: state };
      return { output: { ok: true, exists: true, version: state.version }, next: state };
  }
}

function stepZnode(state: ZnodeState, input: ZnodeInput, observed: ZnodeOutput | null): readonly ZnodeState[] {
  const actual = applyZnode(state, input);
  if (observed === null || outputMatches(observed, actual.output)) return [actual.next];
  if (!observed.ok && actual.output.ok && leavesUnchanged(input, observed.code, state)) return [state];
  return [];
}

/** Errors decided by other znodes: the parent of a create (ZooKeeper checks it before the node
 *  itself, so the node is absent) and the children of a delete (checked after the version). */
function leavesUnchanged(input: ZnodeInput, code: string, state: ZnodeState): boolean {
  if (input.op === 'create' && code === 'NO_NODE') return !state.exists;
  if (input.op === 'delete' && code === 'NOT_EMPTY') return state.exists;
  if (input.op === 'exists' && code === 'NO_NODE') return !state.exists;
  return false;
}

/** Fields the client left out are not checked; fields it recorded must be what the server gave. */
function outputMatches(observed: ZnodeOutput, actual: ZnodeOutput): boolean {
  if (!observed.ok || !actual.ok) return !observed.ok && !actual.ok && observed.code === actual.code;
  return (observed.data === undefined || observed.data === actual.data)
    && (observed.version === undefined || observed.version === actual.version)
    && (observed.exists === undefined || observed.exists === actual.exists);
}

function versionMatches(state: ZnodeState, version: number): boolean {
  return version === -1 || version === state.version; // ZooKeeper: -1 matches any version
}

function normalise(state: ZnodeState): ZnodeState {
  return state.exists ? state : ABSENT;
}

export function equalZnode(a: ZnodeState, b: ZnodeState): boolean {
  if (!a.exists || !b.exists) return a.exists === b.exists;
  return a.version === b.version && a.data === b.data;
}

export function hashZnode(state: ZnodeState): number {
  if (!state.exists) return 0x2545f491;
  return hashString(state.data, Math.imul(state.version + 1, 0x9e3779b1) >>> 0);
}

/** FNV-1a over UTF-16 code units, seeded. */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function describeZnodeState(state: ZnodeState): string {
  return state.exists ? `exists data=${JSON.stringify(state.data)} version=${state.version}` : 'absent';
}

export function describeZnodeOperation(input: ZnodeInput, output: ZnodeOutput | null): string {
  return `${describeInput(input)} -> ${output === null ? 'unknown outcome' : describeOutput(output)}`;
}

function describeInput(input: ZnodeInput): string {
  switch (input.op) {
    case 'create': return `create(${JSON.stringify(input.data)})`;
    case 'delete': return `delete(version=${input.version})`;
    case 'set': return `set(${JSON.stringify(input.data)}, version=${input.version})`;
    case 'get': return 'get()';
    case 'exists': return 'exists()';
  }
}

function describeOutput(output: ZnodeOutput): string {
  if (!output.ok) return output.code;
  const fields: string[] = [];
  if (output.exists !== undefined) fields.push(`exists=${output.exists}`);
  if (output.data !== undefined) fields.push(`data=${JSON.stringify(output.data)}`);
  if (output.version !== undefined) fields.push(`version=${output.version}`);
  return fields.length === 0 ? 'ok' : `ok ${fields.join(' ')}`;
}
