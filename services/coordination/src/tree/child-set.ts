// The children of one znode: lookup by name, plus their names in lexicographic order for paged
// getChildren and snapshots. The sorted list is built on the first ordered read; later changes
// are only noted (O(1) each) and folded in on the next ordered read — a few by binary insertion
// and removal, many by one merge — so neither mass creation nor mass deletion in a directory of
// 100k children turns quadratic, and a queue's delete-head/append/read cycle stays cheap.
// The children themselves are kept in the same order beside the names: a snapshot takes both
// lists as they are (frozenEntries) instead of looking up every child, and the next change
// copies them rather than changing them under it.

const NO_NAMES: readonly string[] = Object.freeze([]);
const NO_ENTRIES: SortedEntries<never> = Object.freeze({ names: NO_NAMES, children: Object.freeze([]) });

/** The children in name order, as two lists of the same length that never change. */
export interface SortedEntries<T> {
  readonly names: readonly string[];
  readonly children: readonly T[];
}

export class ChildSet<T> {
  private byName: Map<string, T> | null = null; // allocated on the first child: most znodes are leaves
  private sorted: string[] | null = null;
  /** The child of each name in `sorted`, at the same position. */
  private sortedChildren: T[] = [];
  /** `sorted` and `sortedChildren` were handed out by frozenEntries: copy before changing them. */
  private shared = false;
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
    return this.bringUpToDate();
  }

  /**
   * Names and children in name order, as they are now; the lists never change afterwards (a
   * later change works on copies), so a snapshot written over several turns may keep them.
   */
  frozenEntries(): SortedEntries<T> {
    if (this.byName === null || this.byName.size === 0) return NO_ENTRIES;
    const names = this.bringUpToDate();
    this.shared = true;
    return { names, children: this.sortedChildren };
  }

  private bringUpToDate(): string[] {
    const byName = this.byName as Map<string, T>;
    if (this.sorted === null) {
      this.sorted = [...byName.keys()].sort();
      this.sortedChildren = this.sorted.map((name) => byName.get(name) as T);
      this.shared = false;
    } else if (this.added !== null || this.removed !== null) {
      this.foldChanges(this.sorted, byName, this.added, this.removed);
      this.added = null;
      this.removed = null;
    }
    return this.sorted;
  }

  /** Brings `sorted` (and the children beside it) up to date with `added` and `removed`. */
  private foldChanges(sorted: string[], byName: Map<string, T>, added: Set<string> | null, removed: Set<string> | null): void {
    const changes = (added?.size ?? 0) + (removed?.size ?? 0);
    if (changes <= SPLICE_CHANGES_MAX) {
      // The common case of a few changes between reads (a queue's head taken, a member added).
      if (this.shared) {
        this.sorted = sorted = sorted.slice();
        this.sortedChildren = this.sortedChildren.slice();
        this.shared = false;
      }
      const children = this.sortedChildren;
      for (const name of removed ?? []) {
        const at = upperBound(sorted, name) - 1;
        if (at < 0 || sorted[at] !== name) throw new Error(`sorted children out of step: ${name}`);
        sorted.splice(at, 1);
        children.splice(at, 1);
      }
      for (const name of added ?? []) {
        // Sequential children arrive in increasing order: the common case is an append.
        const at = sorted.length === 0 || sorted[sorted.length - 1] < name ? sorted.length : upperBound(sorted, name);
        sorted.splice(at, 0, name);
        children.splice(at, 0, byName.get(name) as T);
      }
      return;
    }
    const extra = added === null ? [] : [...added].sort();
    const total = sorted.length - (removed?.size ?? 0) + extra.length;
    const outNames: string[] = new Array<string>(total);
    const outChildren: T[] = new Array<T>(total);
    const children = this.sortedChildren;
    let i = 0;
    let j = 0;
    let k = 0;
    for (;;) {
      // Removed names are skipped where they stand; an added name goes in before the first greater one.
      while (i < sorted.length && removed !== null && removed.has(sorted[i])) i++;
      if (i < sorted.length && (j >= extra.length || sorted[i] < extra[j])) {
        outNames[k] = sorted[i];
        outChildren[k++] = children[i++];
      } else if (j < extra.length) {
        outNames[k] = extra[j];
        outChildren[k++] = byName.get(extra[j++]) as T;
      } else {
        break;
      }
    }
    if (k !== total) throw new Error(`sorted children out of step: ${k} of ${total}`);
    this.sorted = outNames;
    this.sortedChildren = outChildren;
    this.shared = false;
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
