// The Wing & Gong search (1993) with Lowe's memoisation, over one partition, as Porcupine does
// it: walk the event list from its head; at a call, try to linearize that operation next
// (its output must be legal in the current state, and the configuration must be new); at a
// return, the operation it closes was not linearized before everything after it, so undo the
// last choice and try the next call instead.
// Two additions: operations that change nothing are linearized greedily (see `isForced`), and
// the partition is linearizable as soon as every operation with a known outcome is, since
// those with an unknown outcome may never take effect.

import { assert } from './assert';
import { type EventEntry, buildEventList, lift, unlift } from './event-list';
import { Bitset, MemoCache } from './memo-cache';
import type { Model } from './model';
import type { PartitionOp } from './partition';
import type { BudgetLimit, StepBudget } from './step-budget';

/** The deepest point the search reached: an order of partition ids and the states after it. */
export interface Deepest<S> {
  readonly order: readonly number[];
  readonly states: readonly S[];
}

export type SearchOutcome<S> =
  | { readonly kind: 'linearizable'; readonly cacheSize: number }
  | { readonly kind: 'illegal'; readonly deepest: Deepest<S>; readonly cacheSize: number }
  | { readonly kind: 'budget'; readonly limit: BudgetLimit };

interface Frame<S> {
  readonly call: EventEntry;
  /** The states before `call` was linearized. */
  readonly states: readonly S[];
  /** Linearized greedily (see `isForced`): no alternative at this point needs trying. */
  readonly forced: boolean;
  /** The frames form a persistent stack, so the deepest one is kept in O(1). */
  readonly parent: Frame<S> | null;
  readonly depth: number;
}

interface Search<S, I, O> {
  readonly ops: readonly PartitionOp<I, O>[];
  readonly model: Model<S, I, O>;
  readonly linearized: Bitset;
  readonly cache: MemoCache<S>;
  top: Frame<S> | null;
  states: readonly S[];
  /** Operations with a known outcome not yet linearized: the search is done at zero, since
   *  the others may all never take effect. */
  knownLeft: number;
}

function depthOf<S>(frame: Frame<S> | null): number {
  return frame === null ? 0 : frame.depth;
}

function orderOf<S>(frame: Frame<S> | null): number[] {
  const order: number[] = [];
  for (let f = frame; f !== null; f = f.parent) order.push(f.call.id);
  return order.reverse();
}

export function searchPartition<S, I, O>(ops: readonly PartitionOp<I, O>[], model: Model<S, I, O>,
  initial: S, budget: StepBudget): SearchOutcome<S> {
  const head = buildEventList(ops);
  const search: Search<S, I, O> = {
    ops, model, linearized: new Bitset(ops.length), cache: new MemoCache<S>(model as Model<S, unknown, unknown>),
    top: null, states: [initial], knownLeft: ops.filter((p) => p.op.output !== null).length,
  };
  let deepest = { top: search.top, states: search.states };
  let entry = head.next;
  while (search.knownLeft > 0) {
    const limit = budget.spend();
    if (limit !== null) return { kind: 'budget', limit };
    assert(entry !== null, 'search: ran off the event list without meeting a return');
    const verdict = entry.kind === 'return' ? 'backtrack' : tryLinearize(search, entry);
    if (verdict === 'backtrack') {
      // The stack only grows between backtracks, so its longest versions are all seen here.
      if (depthOf(search.top) > depthOf(deepest.top)) deepest = { top: search.top, states: search.states };
      const resumeAt = backtrack(search);
      if (resumeAt === null) {
        return { kind: 'illegal', deepest: { order: orderOf(deepest.top), states: deepest.states }, cacheSize: search.cache.size };
      }
      entry = resumeAt;
    } else {
      entry = verdict === 'linearized' ? head.next : entry.next;
    }
  }
  return { kind: 'linearizable', cacheSize: search.cache.size };
}

/** Tries `call`'s operation next: 'linearized' (pushed and lifted), 'skip' to try the next
 *  call, or 'backtrack' when this configuration is known to lead nowhere. */
function tryLinearize<S, I, O>(search: Search<S, I, O>, call: EventEntry): 'linearized' | 'skip' | 'backtrack' {
  const { ops, model, linearized, cache, states } = search;
  const op = ops[call.id];
  if (!mayGoNext(op, linearized)) return 'skip';
  const next = stepAll(model, states, op);
  if (next.length === 0) return 'skip';
  const forced = isForced(model, states, op);
  if (forced) {
    assert(next.length === 1 && model.equal(next[0], states[0]),
      () => `model: ${model.describeOperation(op.op.input, op.op.output)} claims to change nothing but did`);
  }
  linearized.set(op.id);
  if (!cache.add(linearized, next)) {
    linearized.clear(op.id);
    // A forced operation goes first without loss of generality, so if the configuration after
    // it was explored already and failed, so does this one.
    return forced ? 'backtrack' : 'skip';
  }
  search.top = { call, states, forced, parent: search.top, depth: depthOf(search.top) + 1 };
  lift(call);
  search.states = next;
  if (op.op.output !== null) search.knownLeft--;
  return 'linearized';
}

/**
 * An operation that changes nothing, legal now from a single state, can be linearized now
 * without loss of generality: any completion that places it later stays legal with it moved
 * here, since it leaves the state alone and everything that must precede it (every operation
 * that returned before its call, and a sequential read's client predecessors) already has.
 * This prunes the reorderings of concurrent reads, the bulk of the search otherwise.
 */
function isForced<S, I, O>(model: Model<S, I, O>, states: readonly S[], op: PartitionOp<I, O>): boolean {
  return states.length === 1 && model.changesNothing(op.op.input, op.op.output);
}

/** Undoes the last choice and returns the call after it, or null when none is left. A forced
 *  choice had no alternative, so undoing it undoes the one before it as well. */
function backtrack<S, I, O>(search: Search<S, I, O>): EventEntry | null {
  for (;;) {
    const frame = search.top;
    if (frame === null) return null;
    search.top = frame.parent;
    search.linearized.clear(frame.call.id);
    unlift(frame.call);
    search.states = frame.states;
    if (search.ops[frame.call.id].op.output !== null) search.knownLeft++;
    if (!frame.forced) return frame.call.next;
  }
}

/** A sequential read waits for its own client's earlier operations (see partition.ts). */
function mayGoNext<I, O>(op: PartitionOp<I, O>, linearized: Bitset): boolean {
  for (const id of op.mustFollow) if (!linearized.has(id)) return false;
  return true;
}

/** Steps every possible state, keeping one copy of each result (a nondeterministic model's
 *  set of states stands for all of them at once, as in Porcupine). */
function stepAll<S, I, O>(model: Model<S, I, O>, states: readonly S[], op: PartitionOp<I, O>): readonly S[] {
  const next: S[] = [];
  for (const state of states) {
    for (const s of model.step(state, op.op.input, op.op.output)) {
      if (!next.some((t) => model.equal(s, t))) next.push(s);
    }
  }
  return next;
}
