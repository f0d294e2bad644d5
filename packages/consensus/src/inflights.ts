// The window of AppendEntries messages sent to one follower and not yet acknowledged
// (etcd-io/raft tracker/inflights.go): pipelining with a bound.
import { assert } from './assert';

export class Inflights {
  /** Last index carried by each message in flight, oldest first (strictly increasing). */
  private lastIndexes: number[] = [];

  constructor(private readonly capacity: number) {}

  full(): boolean {
    return this.lastIndexes.length >= this.capacity;
  }

  count(): number {
    return this.lastIndexes.length;
  }

  add(lastIndex: number): void {
    assert(!this.full(), 'inflight window overflow');
    const newest = this.lastIndexes[this.lastIndexes.length - 1];
    assert(newest === undefined || lastIndex > newest, `inflight ${lastIndex} not after ${newest}`);
    this.lastIndexes.push(lastIndex);
  }

  /** The follower acknowledged everything up to `index`. */
  freeLE(index: number): void {
    let k = 0;
    while (k < this.lastIndexes.length && (this.lastIndexes[k] as number) <= index) k++;
    if (k > 0) this.lastIndexes.splice(0, k);
  }

  /** Opens one slot when acknowledgements may have been lost (etcd: on heartbeat response). */
  freeFirstOne(): void {
    this.lastIndexes.shift();
  }

  reset(): void {
    this.lastIndexes = [];
  }
}
