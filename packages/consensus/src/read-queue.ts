// Linearizable reads without a log write (Raft thesis §6.4, etcd ReadIndex): the leader notes
// its commit index, confirms it is still leader with one heartbeat round answered by a majority,
// and then answers with that index. Requests that arrive before the leader has committed an entry
// of its own term wait, because until then its commit index may lag the cluster's (§6.4 step 1).
import { assert } from './assert';
import type { NodeId } from './types';

export interface ReadRequest {
  ctx: string;
  /** Who asked: this node, or a follower that forwarded the request. */
  from: NodeId;
}

export interface PendingRead extends ReadRequest {
  index: number;
  /** Heartbeat round that confirms it; rounds are numbered within the leader's term. */
  seq: number;
}

export class ReadQueue {
  private deferred: ReadRequest[] = [];
  private queue: PendingRead[] = [];

  size(): number {
    return this.deferred.length + this.queue.length;
  }

  defer(request: ReadRequest): void {
    this.deferred.push(request);
  }

  takeDeferred(): ReadRequest[] {
    const out = this.deferred;
    this.deferred = [];
    return out;
  }

  enqueue(read: PendingRead): void {
    const last = this.queue[this.queue.length - 1];
    assert(last === undefined || (last.seq <= read.seq && last.index <= read.index), 'read queue out of order');
    this.queue.push(read);
  }

  /** Removes and returns the oldest reads whose round a majority has confirmed. */
  popConfirmed(isConfirmed: (seq: number) => boolean): PendingRead[] {
    let k = 0;
    while (k < this.queue.length && isConfirmed((this.queue[k] as PendingRead).seq)) k++;
    return k === 0 ? [] : this.queue.splice(0, k);
  }

  clear(): void {
    this.deferred = [];
    this.queue = [];
  }
}
