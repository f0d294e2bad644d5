// Splits a history per key and turns each operation into the interval the search works on.
// Per-key partitioning is sound because every operation touches exactly one key and
// linearizability is compositional (Herlihy & Wing 1990, "locality").

import { assert } from './assert';
import type { Operation } from './history';
import type { Model } from './model';

/** One operation of a partition, as the search sees it. `id` indexes the partition, in call order. */
export interface PartitionOp<I, O> {
  readonly id: number;
  /** Position in the history given to the checker. */
  readonly index: number;
  readonly op: Operation<I, O>;
  /** Where its call event sorts: the real call, or earlier for a sequential read. */
  readonly callTime: number;
  /** Infinity for an unknown outcome: it may linearize any time after its call, or never. */
  readonly returnTime: number;
  /** Partition ids that must be linearized before it (a sequential read's client order). */
  readonly mustFollow: readonly number[];
}

export interface Partition<I, O> {
  readonly key: string;
  readonly ops: readonly PartitionOp<I, O>[];
}

interface Indexed<I, O> {
  readonly op: Operation<I, O>;
  readonly index: number;
}

/** Keys in the order they first appear. Unknown-outcome reads are dropped: they change nothing
 *  and observed nothing. */
export function partitionByKey<S, I, O>(history: readonly Operation<I, O>[], model: Model<S, I, O>): Partition<I, O>[] {
  const byKey = new Map<string, Indexed<I, O>[]>();
  history.forEach((op, index) => {
    const readOnly = model.isReadOnly(op.input);
    checkTimes(op, index, readOnly);
    if (op.output === null && readOnly) return;
    let list = byKey.get(op.key);
    if (list === undefined) byKey.set(op.key, (list = []));
    list.push({ op, index });
  });
  return [...byKey].map(([key, list]) => ({ key, ops: toPartitionOps(list) }));
}

/** Ids follow call order, so the linearized set is mostly a prefix of ids (see memo-cache). */
function checkTimes<I, O>(op: Operation<I, O>, index: number, readOnly: boolean): void {
  const where = (): string => `history: operation ${index}`;
  assert(Number.isFinite(op.callMs), () => `${where()}: callMs is not a finite number`);
  assert(op.output === null || op.returnMs >= op.callMs, () => `${where()}: returns before it is called`);
  assert(op.consistency !== 'sequential' || readOnly, () => `${where()}: only reads may be 'sequential'; writes are linearizable`);
}

function toPartitionOps<I, O>(list: readonly Indexed<I, O>[]): PartitionOp<I, O>[] {
  const sorted = [...list].sort((a, b) => (a.op.callMs - b.op.callMs) || a.index - b.index);
  const clients = new Map<number, ClientOrder<I, O>>();
  return sorted.map(({ op, index }, id) => {
    let client = clients.get(op.clientId);
    if (client === undefined) clients.set(op.clientId, (client = new ClientOrder()));
    client.advanceTo(op.callMs);
    const base = { id, index, op, returnTime: op.output === null ? Infinity : op.returnMs };
    const partitionOp: PartitionOp<I, O> = op.consistency === 'sequential'
      ? { ...base, callTime: client.latestCallTime(), mustFollow: client.latest.map((p) => p.id) }
      : { ...base, callTime: op.callMs, mustFollow: [] };
    client.add(partitionOp);
    return partitionOp;
  });
}

/**
 * ZooKeeper: a read served by the connected server sees a committed prefix that includes every
 * write of its own session (FIFO client order) and never goes back from what the session saw.
 * So a sequential read must follow the same client's operations that returned before its call
 * (its predecessors), but it may precede other clients' writes that returned before its call.
 * Its return bound stays real.
 *
 * Only the latest predecessors are kept: one that returned before another's call precedes it
 * already (by real time, or by that one's own client order). The read's call event sorts at
 * the latest call event among them: every operation that returned before that point must
 * precede that predecessor, hence the read, so sorting there adds no constraint.
 */
class ClientOrder<I, O> {
  /** Predecessors that no other predecessor follows. */
  latest: PartitionOp<I, O>[] = [];
  private latestCallMs = -Infinity;
  /** Called but not yet returned at the current time; unknown outcomes never return. */
  private open: PartitionOp<I, O>[] = [];

  add(op: PartitionOp<I, O>): void {
    if (Number.isFinite(op.returnTime) && op.op.output !== null) this.open.push(op);
  }

  /** Makes every operation that returned before `callMs` a predecessor. */
  advanceTo(callMs: number): void {
    if (!this.open.some((p) => p.returnTime < callMs)) return;
    const returned = this.open.filter((p) => p.returnTime < callMs);
    this.open = this.open.filter((p) => !(p.returnTime < callMs));
    for (const p of returned) this.latestCallMs = Math.max(this.latestCallMs, p.op.callMs);
    this.latest = [...this.latest, ...returned].filter((p) => !(p.returnTime < this.latestCallMs));
  }

  latestCallTime(): number {
    return this.latest.reduce((t, p) => Math.max(t, p.callTime), -Infinity);
  }
}
