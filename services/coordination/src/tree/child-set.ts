// The children of one znode: lookup by name, plus their names in lexicographic order for paged
// getChildren and snapshots. The sorted list is built on the first ordered read; later changes
// are only noted (O(1) each) and folded in on the next ordered read with one merge, so neither
// mass creation nor mass deletion in a directory of 100k children turns quadratic.

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

  /** Names in lexicographic (UTF-16 code unit) order. The array is owned by the set: do not modify it. */
  sortedNames(): readonly string[] {
    if (this.byName === null || this.byName.size === 0) return NO_NAMES;
    if (this.sorted === null) {
      this.sorted = [...this.byName.keys()].sort();
    } else if (this.added !== null || this.removed !== null) {
      this.sorted = mergeChanges(this.sorted, this.added, this.removed);
      this.added = null;
      this.removed = null;
    }
    return this.sorted;
  }
}

/** `sorted` without `removed`, merged with `added` (none of which is in `sorted`). */
function mergeChanges(sorted: readonly string[], added: Set<string> | null, removed: Set<string> | null): string[] {
  const kept = removed === null || removed.size === 0 ? sorted : sorted.filter((name) => !removed.has(name));
  if (added === null || added.size === 0) return kept as string[];
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
