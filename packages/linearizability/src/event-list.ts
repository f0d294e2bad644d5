// The call and return events of a partition, sorted by time, as a doubly linked list with a
// head sentinel. Linearizing an operation lifts its two events out of the list; backtracking
// puts them back in place (Knuth's dancing links), both in O(1) (Porcupine's `lift`/`unlift`).

import { assert } from './assert';

export interface EventEntry {
  readonly kind: 'call' | 'return' | 'head';
  /** The operation's partition id; -1 for the head. */
  readonly id: number;
  readonly time: number;
  /** A call's return event. */
  match: EventEntry | null;
  prev: EventEntry | null;
  next: EventEntry | null;
}

export interface Interval {
  readonly id: number;
  readonly callTime: number;
  readonly returnTime: number;
}

/** At equal times calls sort first: operations that touch in time count as concurrent, which
 *  never rejects a history a finer clock would have accepted. */
function compareEntries(a: EventEntry, b: EventEntry): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  if (a.kind !== b.kind) return a.kind === 'call' ? -1 : 1;
  return a.id - b.id;
}

export function buildEventList(intervals: readonly Interval[]): EventEntry {
  const entries: EventEntry[] = [];
  for (const { id, callTime, returnTime } of intervals) {
    assert(callTime <= returnTime, () => `event list: operation ${id} returns before its call`);
    const ret: EventEntry = { kind: 'return', id, time: returnTime, match: null, prev: null, next: null };
    entries.push({ kind: 'call', id, time: callTime, match: ret, prev: null, next: null }, ret);
  }
  entries.sort(compareEntries);
  const head: EventEntry = { kind: 'head', id: -1, time: -Infinity, match: null, prev: null, next: null };
  let last = head;
  for (const entry of entries) {
    last.next = entry;
    entry.prev = last;
    last = entry;
  }
  return head;
}

/** Removes a call and its return. A call always has a successor: at least its own return. */
export function lift(call: EventEntry): void {
  const ret = call.match as EventEntry;
  (call.prev as EventEntry).next = call.next;
  (call.next as EventEntry).prev = call.prev;
  (ret.prev as EventEntry).next = ret.next;
  if (ret.next !== null) ret.next.prev = ret.prev;
}

/** Undoes the `lift` of `call`; lifts are undone in the reverse order they were done. */
export function unlift(call: EventEntry): void {
  const ret = call.match as EventEntry;
  (ret.prev as EventEntry).next = ret;
  if (ret.next !== null) ret.next.prev = ret;
  (call.prev as EventEntry).next = call;
  (call.next as EventEntry).prev = call;
}
