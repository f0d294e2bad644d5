// A binary min-heap over a reusable array. The allocator keeps one and clears it every cycle, so
// picking the lowest-share framework costs O(log frameworks) and allocates nothing per pick.
// (MESOS-4694: Mesos's allocation cycle slowed badly with many frameworks because the DRF sorter
// redid work over all clients on every allocation change; here one pick touches one entry.)

export class BinaryHeap<T> {
  private readonly items: T[] = [];

  /** `less(a, b)`: a comes out before b. Must be a strict total order for determinism. */
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  clear(): void {
    this.items.length = 0;
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(item, items[parent])) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = item;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop() as T;
    if (items.length > 0) this.siftDown(last);
    return top;
  }

  private siftDown(item: T): void {
    const items = this.items;
    const n = items.length;
    let i = 0;
    while (true) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.less(items[child + 1], items[child])) child++;
      if (!this.less(items[child], item)) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = item;
  }
}
