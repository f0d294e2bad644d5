// Terse hand-written histories: `op(client, callMs, returnMs, input, output)` on key /a.

import type { Consistency, Operation, ZnodeInput, ZnodeOutput } from '../../../src/history';

export { znodeInput as zi, znodeOutput as zo } from '../../../src/history';

export function op(clientId: number, callMs: number, returnMs: number, input: ZnodeInput, output: ZnodeOutput | null,
  extra: { key?: string; consistency?: Consistency } = {}): Operation {
  return { clientId, key: extra.key ?? '/a', input, output, callMs, returnMs: output === null ? Infinity : returnMs,
    ...(extra.consistency === undefined ? {} : { consistency: extra.consistency }) };
}

/** A read served by the client's server (ZooKeeper's default). */
export function seqOp(clientId: number, callMs: number, returnMs: number, input: ZnodeInput, output: ZnodeOutput | null,
  key = '/a'): Operation {
  return op(clientId, callMs, returnMs, input, output, { key, consistency: 'sequential' });
}
