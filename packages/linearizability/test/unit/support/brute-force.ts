// A reference checker straight from the definitions, for small histories: try every order.
// No event list, no memo, no greedy reads: its verdicts are the ones the checker must give.
//
// An order is legal when every operation's output is legal in the state the operations before
// it leave, and it respects:
// - real time: A precedes B when A returned before B was called (A's outcome known);
// - except that a 'sequential' read B only has to follow its own client's such operations;
// An operation with an unknown outcome may be left out (it never took effect).

import type { Operation, ZnodeInput, ZnodeOutput, ZnodeState } from '../../../src/history';
import type { Model } from '../../../src/model';
import { znodeModel } from '../../../src/znode-model';

type ZnodeModel = Model<ZnodeState, ZnodeInput, ZnodeOutput>;

export const BRUTE_FORCE_OPERATIONS_MAX = 8;

function mustPrecede(a: Operation, b: Operation): boolean {
  if (a.output === null || !(a.returnMs < b.callMs)) return false;
  return b.consistency !== 'sequential' || a.clientId === b.clientId;
}

export function bruteForceLinearizable(history: readonly Operation[], model: ZnodeModel = znodeModel): boolean {
  if (history.length > BRUTE_FORCE_OPERATIONS_MAX) throw new Error('brute force: history too long');
  const keys = [...new Set(history.map((op) => op.key))];
  return keys.every((key) => orderExists(history.filter((op) => op.key === key), model.init(key), model));
}

function orderExists(ops: readonly Operation[], initial: ZnodeState, model: ZnodeModel): boolean {
  const placed = new Array<boolean>(ops.length).fill(false);
  const visit = (state: ZnodeState, count: number): boolean => {
    // Every operation still out is an unknown outcome: leaving them all out is allowed.
    if (ops.every((op, i) => placed[i] || op.output === null)) return true;
    if (count === ops.length) return false;
    for (let i = 0; i < ops.length; i++) {
      if (placed[i] || ops.some((a, j) => !placed[j] && j !== i && mustPrecede(a, ops[i]))) continue;
      for (const next of model.step(state, ops[i].input, ops[i].output)) {
        placed[i] = true;
        const found = visit(next, count + 1);
        placed[i] = false;
        if (found) return true;
      }
    }
    return false;
  };
  return visit(initial, 0);
}
