// What the leader knows about one follower's log (etcd-io/raft tracker/progress.go):
// probe — one message at a time until the match point is found; replicate — a pipelined window;
// snapshot — waiting for an InstallSnapshot to land.
import { Inflights } from './inflights';
import type { PeerStatus, ProgressState } from './types';

export class Progress {
  match = 0;
  next: number;
  state: ProgressState = 'probe';
  /** Probe state: a message was sent and we wait for its answer or the next heartbeat answer. */
  probeSent = false;
  /** Snapshot state: the index of the snapshot being sent. */
  pendingSnapshot = 0;
  /** Heard from since the last check-quorum round (thesis §6.2). */
  recentActive = false;
  /** Highest read-confirmation sequence this follower acknowledged in this term (thesis §6.4). */
  readSeqAcked = 0;
  /** The highest index of the leader's own log write told to this follower (PersistedMessage). */
  persistedSent = 0;
  readonly inflights: Inflights;

  constructor(next: number, maxInflight: number) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  isPaused(): boolean {
    switch (this.state) {
      case 'probe': return this.probeSent;
      case 'replicate': return this.inflights.full();
      case 'snapshot': return true;
    }
  }

  becomeProbe(): void {
    const from = this.state;
    this.reset('probe');
    // After a snapshot, the follower has at least the snapshot (if it landed).
    this.next = from === 'snapshot' ? Math.max(this.match + 1, this.pendingSnapshot + 1) : this.match + 1;
    this.pendingSnapshot = 0;
  }

  becomeReplicate(): void {
    this.reset('replicate');
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.reset('snapshot');
    this.pendingSnapshot = snapshotIndex;
  }

  private reset(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.inflights.reset();
  }

  /** An acceptance up to `index` arrived; false if it tells nothing new. */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /**
   * A rejection of `rejected` (the prevIndex we sent) with the follower's hint; false if stale.
   * Raft §5.3: decrement nextIndex and retry — here by a whole term at a time.
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.probeSent = false;
    return true;
  }

  /** Bookkeeping after an AppendEntries carrying entries up to `lastIndex` (or none) went out. */
  sentEntries(count: number, lastIndex: number): void {
    if (this.state === 'replicate') {
      if (count > 0) {
        this.next = lastIndex + 1;
        this.inflights.add(lastIndex);
      }
    } else if (this.state === 'probe') {
      this.probeSent = true;
    }
  }

  status(): PeerStatus {
    return { match: this.match, next: this.next, state: this.state, recentActive: this.recentActive, persistedSent: this.persistedSent };
  }
}
