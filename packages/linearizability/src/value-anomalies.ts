// Refutations that need no search, for the two ways a read most often goes wrong, using the
// values that identify writes (ModelValues; a znode's data, unique per write in tests):
// - a read of a value that no operation may have written and the key did not hold at the
//   start (Jepsen's "phantom" read);
// - a read of a value whose only writer W was overwritten by a successful write X that was
//   called after W returned and returned before the read was called (a stale read; a lost
//   acknowledged write): W precedes X precedes the read, so the read cannot see W's value.
// For a sequential read, X must be of its own client. Both are exact: each only rejects
// histories the search would reject, but in O(n log n), however many outcomes are unknown.

import type { Model, ModelValues } from './model';
import type { PartitionOp } from './partition';

export type ValueAnomaly<I, O> =
  | { readonly cause: 'value-never-written'; readonly read: PartitionOp<I, O> }
  | { readonly cause: 'value-overwritten'; readonly read: PartitionOp<I, O>; readonly writer: PartitionOp<I, O>; readonly overwriter: PartitionOp<I, O> };

export function findValueAnomaly<S, I, O>(ops: readonly PartitionOp<I, O>[], model: Model<S, I, O>,
  initial: S): ValueAnomaly<I, O> | null {
  const values = model.values;
  if (values === undefined) return null;
  const writers = writersByValue(ops, values);
  const held = values.held(initial);
  const overwriters = new Overwriters(ops, values);
  for (const read of ops) {
    const v = read.op.output === null ? undefined : values.observed(read.op.input, read.op.output);
    if (v === undefined || v === held) continue;
    const ids = writers.get(v);
    if (ids === undefined) return { cause: 'value-never-written', read };
    if (ids.length !== 1) continue;
    const writer = ops[ids[0]];
    if (writer.op.output === null) continue; // no return time to order it by
    const overwriter = overwriters.between(writer.returnTime, read);
    if (overwriter !== null) return { cause: 'value-overwritten', read, writer, overwriter };
  }
  return null;
}

function writersByValue<S, I, O>(ops: readonly PartitionOp<I, O>[], values: ModelValues<S, I, O>): Map<string, number[]> {
  const writers = new Map<string, number[]>();
  for (const p of ops) {
    const v = values.written(p.op.input, p.op.output);
    if (v === undefined) continue;
    const ids = writers.get(v);
    if (ids === undefined) writers.set(v, [p.id]);
    else ids.push(p.id);
  }
  return writers;
}

/** Overwriting operations with a known outcome, by call time, with the earliest return among
 *  those called at or after each: all of them, and each client's own. */
class Overwriters<I, O> {
  private readonly all: CallOrder<I, O>;
  private readonly byClient = new Map<number, CallOrder<I, O>>();

  constructor(ops: readonly PartitionOp<I, O>[], values: ModelValues<unknown, I, O>) {
    const list = ops.filter((p) => p.op.output !== null && values.overwrites(p.op.input, p.op.output));
    this.all = new CallOrder(list);
    const clients = new Set(list.map((p) => p.op.clientId));
    for (const c of clients) this.byClient.set(c, new CallOrder(list.filter((p) => p.op.clientId === c)));
  }

  /** One called after `afterMs` that returned before `read` was called and must precede it. */
  between(afterMs: number, read: PartitionOp<I, O>): PartitionOp<I, O> | null {
    const order = read.op.consistency === 'sequential' ? this.byClient.get(read.op.clientId) : this.all;
    return order === undefined ? null : order.earliestReturnCalledAfter(afterMs, read.op.callMs);
  }
}

class CallOrder<I, O> {
  private readonly ops: readonly PartitionOp<I, O>[];
  /** suffix[i]: the op with the earliest return among ops[i..]. */
  private readonly suffix: PartitionOp<I, O>[];

  constructor(ops: readonly PartitionOp<I, O>[]) {
    this.ops = [...ops].sort((a, b) => a.op.callMs - b.op.callMs);
    this.suffix = new Array(this.ops.length);
    for (let i = this.ops.length - 1; i >= 0; i--) {
      const later = this.suffix[i + 1];
      this.suffix[i] = later !== undefined && later.returnTime < this.ops[i].returnTime ? later : this.ops[i];
    }
  }

  earliestReturnCalledAfter(afterMs: number, beforeMs: number): PartitionOp<I, O> | null {
    let lo = 0;
    let hi = this.ops.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ops[mid].op.callMs > afterMs) hi = mid;
      else lo = mid + 1;
    }
    const best = this.suffix[lo];
    return best !== undefined && best.returnTime < beforeMs ? best : null;
  }
}
