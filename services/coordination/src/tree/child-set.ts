// The children of one znode: lookup by name, plus their names in lexicographic order for paged
// getChildren. The sorted list is built on the first ordered read and then kept up to date by
// binary insertion and removal, so a node with 100k children is sorted once, not on every read.

const NO_NAMES: readonly string[] = Object.freeze([]);

export class ChildSet<T> {
  private byName: Map<string, T> | null = null; // allocated on the first child: most znodes are leaves
  private sorted: string[] | null = null;

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
    if (this.sorted !== null) insertSorted(this.sorted, name);
  }

  delete(name: string): void {
    if (this.byName === null || !this.byName.delete(name)) throw new Error(`child not present: ${name}`);
    if (this.sorted !== null) removeSorted(this.sorted, name);
  }

  /** Children in insertion order (no sorting). */
  entries(): IterableIterator<[string, T]> {
    return (this.byName ?? new Map<string, T>()).entries();
  }

  /** Names in lexicographic (UTF-16 code unit) order. The array is owned by the set: do not modify it. */
  sortedNames(): readonly string[] {
    if (this.byName === null || this.byName.size === 0) return NO_NAMES;
    if (this.sorted === null) this.sorted = [...this.byName.keys()].sort();
    return this.sorted;
  }
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

function insertSorted(names: string[], name: string): void {
  // Sequential children arrive in increasing order: the common case is an append.
  if (names.length === 0 || names[names.length - 1] < name) {
    names.push(name);
    return;
  }
  names.splice(upperBound(names, name), 0, name);
}

function removeSorted(names: string[], name: string): void {
  const at = upperBound(names, name) - 1;
  if (at < 0 || names[at] !== name) throw new Error(`sorted children out of step: ${name}`);
  names.splice(at, 1);
}
