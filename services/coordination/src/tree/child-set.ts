// The children of one znode: lookup by name, plus their names in lexicographic order for paged
// getChildren and snapshots. The sorted list is built on the first ordered read; later changes
// are only noted (O(1) each) and folded in on the next ordered read — a few by binary insertion
// and removal, many by one merge — so neither mass creation nor mass deletion in a directory of
// 100k children turns quadratic, and a queue's delete-head/append/read cycle stays cheap.
// Snapshots do not need the order (they take the map's own, see DataTree.beginSnapshot).

const NO_NAMES: readonly string[] = Object.freeze([]);

export class ChildSet<T> {
  private byName: Map<string, T> | null = null; // allocated on the first child: most znodes are leaves
  private sorted: string[] | null = null;
  // Changes since `sorted` was last brought up to date (only kept while `sorted` exists). A name
  // removed and added again is in both: its old child leaves the lists and the new one enters.
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
    (this.added ??= new Set()).add(name);
  }

  delete(name: string): void {
    if (this.byName === null || !this.byName.delete(name)) throw new Error(`child not present: ${name}`);
    if (this.sorted === null) return;
    if (this.added !== null && this.added.delete(name)) return;
    (this.removed ??= new Set()).add(name);
  }

  /** Children in insertion order (no sorting); like any Map iterator, it survives changes. */
  entries(): IterableIterator<[string, T]> {
    return (this.byName ?? new Map<string, T>()).entries();
  }

  /**
   * Names in lexicographic (UTF-16 code unit) order. The array is owned by the set and valid
   * until the next change: do not modify or keep it.
   */
  sortedNames(): readonly string[] {
    if (this.byName === null || this.byName.size === 0) return NO_NAMES;
    return this.bringUpToDate();
  }

  private bringUpToDate(): string[] {
    const byName = this.byName as Map<string, T>;
    if (this.sorted === null) {
      this.sorted = [...byName.keys()].sort();
    } else if (this.added !== null || this.removed !== null) {
      this.foldChanges(this.sorted, this.added, this.removed);
      this.added = null;
      this.removed = null;
    }
    return this.sorted;
  }

  /** Brings `sorted` up to date with `added` and `removed`. */
  private foldChanges(sorted: string[], added: Set<string> | null, removed: Set<string> | null): void {
    const changes = (added?.size ?? 0) + (removed?.size ?? 0);
    if (changes <= SPLICE_CHANGES_MAX) {
      // The common case of a few changes between reads (a queue's head taken, a member added).
      for (const name of removed ?? []) {
        const at = upperBound(sorted, name) - 1;
        if (at < 0 || sorted[at] !== name) throw new Error(`sorted children out of step: ${name}`);
        sorted.splice(at, 1);
      }
      for (const name of added ?? []) {
        // Sequential children arrive in increasing order: the common case is an append.
        const at = sorted.length === 0 || sorted[sorted.length - 1] < name ? sorted.length : upperBound(sorted, name);
        sorted.splice(at, 0, name);
      }
      return;
    }
    const extra = added === null ? [] : [...added].sort();
    const total = sorted.length - (removed?.size ?? 0) + extra.length;
    const out: string[] = new Array<string>(total);
    let i = 0;
    let j = 0;
    let k = 0;
    for (;;) {
      // Removed names are skipped where they stand; an added name goes in before the first greater one.
      while (i < sorted.length && removed !== null && removed.has(sorted[i])) i++;
      if (i < sorted.length && (j >= extra.length || sorted[i] < extra[j])) out[k++] = sorted[i++];
      else if (j < extra.length) out[k++] = extra[j++];
      else break;
    }
    if (k !== total) throw new Error(`sorted children out of step: ${k} of ${total}`);
    this.sorted = out;
  }
}

/** Up to this many changes are applied one by one (binary search + splice); more, by one merge. */
const SPLICE_CHANGES_MAX = 32;

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
