// The children of one znode: lookup by name, plus their names in lexicographic order for paged
// getChildren and snapshots. The sorted list is built on the first ordered read; later changes
// are only noted (O(1) each) and folded in on the next ordered read — a few by binary insertion
// and removal, many by one merge — so neither mass creation nor mass deletion in a directory of
// 100k children turns quadratic, and a queue's delete-head/append/read cycle stays cheap.

const NO_NAMES: readonly string[] = Object.freeze([]);

export class ChildSet<T> {
  private byName: Map<string, T> | null = null; // allocated on the first child: most znodes are leaves
  private sorted: string[] | null = null;
  // Changes since `sorted` was last brought up to date (only kept while `sorted` exists).
  private added: Set<string> | null = null;
  private removed: Set<string> | null = null;

  get size(): number {
    return this.byName === null ? 0 : this.byName.size;
  }

  get(name: string): T | undefined {
    return this.byName?.get(name);
  }

  has(name: string): boolean {
    return this.byName !== null && this.byName.has(name);
  }

  add(name: string, child: T): void {
    if (this.byName === null) this.byName = new Map();
    if (this.byName.has(name)) throw new Error(`child already present: ${name}`);
    this.byName.set(name, child);
    if (this.sorted === null) return;
    // A name removed since the last merge is still in `sorted`: it only stops being removed.
    if (this.removed !== null && this.removed.delete(name)) return;
    (this.added ??= new Set()).add(name);
  }

  delete(name: string): void {
    if (this.byName === null || !this.byName.delete(name)) throw new Error(`child not present: ${name}`);
    if (this.sorted === null) return;
    if (this.added !== null && this.added.delete(name)) return;
    (this.removed ??= new Set()).add(name);
  }

  /** Children in insertion order (no sorting). */
  entries(): IterableIterator<[string, T]> {
    return (this.byName ?? new Map<string, T>()).entries();
  }

  /**
   * Names in lexicographic (UTF-16 code unit) order. The array is owned by the set and valid
   * until the next change: do not modify or keep it.
   */
  sortedNames(): readonly string[] {
    if (this.byName === null || this.byName.size === 0) return NO_NAMES;
    if (this.sorted === null) {
      this.sorted = [...this.byName.keys()].sort();
    } else if (this.added !== null || this.removed !== null) {
      this.sorted = foldChanges(this.sorted, this.added, this.removed);
      this.added = null;
      this.removed = null;
    }
    return this.sorted;
  }
}

/** Up to this many changes are applied one by one (binary search + splice); more, by one merge. */
const SPLICE_CHANGES_MAX = 32;

/** `sorted` without `removed`, plus `added` (none of which is in `sorted`), in order. */
function foldChanges(sorted: string[], added: Set<string> | null, removed: Set<string> | null): string[] {
  const changes = (added?.size ?? 0) + (removed?.size ?? 0);
  if (changes <= SPLICE_CHANGES_MAX) {
    // The common case of a few changes between reads (a queue's head taken, a member added).
    for (const name of removed ?? []) removeSorted(sorted, name);
    for (const name of added ?? []) insertSorted(sorted, name);
    return sorted;
  }
  const kept = removed === null || removed.size === 0 ? sorted : sorted.filter((name) => !removed.has(name));
  if (added === null || added.size === 0) return kept;
  const extra = [...added].sort();
  const out: string[] = new Array<string>(kept.length + extra.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < kept.length && j < extra.length) out[k++] = kept[i] < extra[j] ? kept[i++] : extra[j++];
  while (i < kept.length) out[k++] = kept[i++];
  while (j < extra.length) out[k++] = extra[j++];
  return out;
}

function insertSorted(names: string[], name: string): void {
  // Sequential children arrive in increasing order: the common case is an append.
  if (names.length === 0 || names[names.length - 1] < name) names.push(name);
  else names.splice(upperBound(names, name), 0, name);
}

function removeSorted(names: string[], name: string): void {
  const at = upperBound(names, name) - 1;
  if (at < 0 || names[at] !== name) throw new Error(`sorted children out of step: ${name}`);
  names.splice(at, 1);
}

/** Index of the first element > `name` in sorted `names`. */
export function upperBound(names: readonly string[], name: string): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (names[mid] <= name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
