// Port ranges, Mesos's "ranges" resource type (`ports:[31000-32000]`). A list is *normalised*
// when it is sorted by `begin`, every range has begin <= end, and no two ranges overlap or touch
// (Mesos: Value::Ranges are coalesced). Every function here takes and returns normalised lists
// unless its name says otherwise; the allocator stores nothing else.

import assert from 'node:assert/strict';

/** An inclusive range of ports. */
export interface PortRange {
  readonly begin: number;
  readonly end: number;
}

/** Lowest and highest valid port numbers. */
export const PORT_MIN = 0;
export const PORT_MAX = 65_535;

export const NO_PORTS: readonly PortRange[] = Object.freeze([]);

/** Why `ranges` is not a valid (not necessarily normalised) list of port ranges, or undefined. */
export function portRangesProblem(ranges: readonly PortRange[]): string | undefined {
  for (const range of ranges) {
    const { begin, end } = range;
    if (!Number.isInteger(begin) || !Number.isInteger(end)) return `port range ${begin}-${end} is not integral`;
    if (begin < PORT_MIN || end > PORT_MAX) return `port range ${begin}-${end} is outside ${PORT_MIN}-${PORT_MAX}`;
    if (begin > end) return `port range ${begin}-${end} has begin > end`;
  }
  return undefined;
}

/** Sorts and coalesces overlapping or adjacent ranges. Asserts every range is valid. */
export function normalisePortRanges(ranges: readonly PortRange[]): readonly PortRange[] {
  const problem = portRangesProblem(ranges);
  assert(problem === undefined, problem);
  if (ranges.length === 0) return NO_PORTS;
  const sorted = [...ranges].sort((a, b) => a.begin - b.begin || a.end - b.end);
  const out: PortRange[] = [];
  let begin = sorted[0].begin;
  let end = sorted[0].end;
  for (let i = 1; i < sorted.length; i++) {
    const next = sorted[i];
    if (next.begin <= end + 1) {
      end = Math.max(end, next.end);
    } else {
      out.push(Object.freeze({ begin, end }));
      begin = next.begin;
      end = next.end;
    }
  }
  out.push(Object.freeze({ begin, end }));
  return Object.freeze(out);
}

/** True when `ranges` is already normalised (sorted, valid, not overlapping, not adjacent). */
export function isNormalisedPortRanges(ranges: readonly PortRange[]): boolean {
  if (portRangesProblem(ranges) !== undefined) return false;
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i].begin <= ranges[i - 1].end + 1) return false;
  }
  return true;
}

/** Number of ports in a normalised list. */
export function portCount(ranges: readonly PortRange[]): number {
  let count = 0;
  for (const range of ranges) count += range.end - range.begin + 1;
  return count;
}

/** Union of two normalised lists. */
export function addPortRanges(a: readonly PortRange[], b: readonly PortRange[]): readonly PortRange[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  // Linear merge of two sorted lists, coalescing as we go (this runs on every offer answer).
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  let current: { begin: number; end: number } | undefined;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i].begin <= b[j].begin) ? a[i++] : b[j++];
    if (current !== undefined && next.begin <= current.end + 1) {
      current.end = Math.max(current.end, next.end);
      continue;
    }
    if (current !== undefined) out.push(Object.freeze(current));
    current = { begin: next.begin, end: next.end };
  }
  if (current !== undefined) out.push(Object.freeze(current));
  return Object.freeze(out);
}

/** True when every port of `inner` is in `outer` (two-pointer walk over both lists). */
export function containsPortRanges(outer: readonly PortRange[], inner: readonly PortRange[]): boolean {
  let o = 0;
  for (const range of inner) {
    while (o < outer.length && outer[o].end < range.begin) o++;
    if (o === outer.length) return false;
    const cover = outer[o];
    // Normalised lists never touch, so one range of `outer` must cover `range` whole.
    if (cover.begin > range.begin || cover.end < range.end) return false;
  }
  return true;
}

/** `outer` minus `inner`; asserts `inner` is contained in `outer`. */
export function subtractPortRanges(outer: readonly PortRange[], inner: readonly PortRange[]): readonly PortRange[] {
  if (inner.length === 0) return outer;
  assert(containsPortRanges(outer, inner), 'subtracting ports that are not there');
  const out: PortRange[] = [];
  let i = 0;
  for (const range of outer) {
    let begin = range.begin;
    while (i < inner.length && inner[i].end <= range.end) {
      const hole = inner[i];
      if (hole.begin > begin) out.push(Object.freeze({ begin, end: hole.begin - 1 }));
      begin = hole.end + 1;
      i++;
    }
    if (begin <= range.end) out.push(Object.freeze({ begin, end: range.end }));
  }
  return out.length === 0 ? NO_PORTS : Object.freeze(out);
}

/** True when both normalised lists hold the same ports. */
export function portRangesEqual(a: readonly PortRange[], b: readonly PortRange[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].begin !== b[i].begin || a[i].end !== b[i].end) return false;
  }
  return true;
}
