// Bookkeeping of `sync` and linearizable reads (Raft thesis §6.4, read-index): a waiter is
// released once this server has applied the leader's commit index as of some moment after the
// waiter arrived. Waiters that arrive together share one read-index request (batching); a
// request that gets no answer (leadership changed, message lost) is asked again; a waiter that
// waits too long fails with CONNECTION_LOSS. Pure: time is passed in.
import type { ErrorCode } from '../tree/types';

export type BarrierResult = { ok: true } | { ok: false; code: ErrorCode; message: string };
export type BarrierWaiter = (result: BarrierResult) => void;

interface Waiting {
  done: BarrierWaiter;
  addedMs: number;
}

interface Inflight {
  waiters: Waiting[];
  issuedMs: number;
}

export interface ReadBarrierOptions {
  /** Ask again when a read-index request has no answer after this long. */
  retryMs: number;
  /** Fail a waiter that has not been released after this long. */
  timeoutMs: number;
  /** Most waiters at once; more are refused. */
  waitersMax: number;
  /** Distinguishes this process's contexts from a previous incarnation's. */
  ctxPrefix: string;
}

export class ReadBarrier {
  private queued: Waiting[] = [];
  private readonly inflight = new Map<string, Inflight>();
  /** Answered, waiting for the apply to reach `index`; ascending by index. */
  private readonly answered: Array<{ index: number; waiters: Waiting[] }> = [];
  private counter = 0;
  private total = 0;

  constructor(private readonly opts: ReadBarrierOptions) {}

  get size(): number {
    return this.total;
  }

  /** Queues a waiter; false when the limit is reached (the caller answers THROTTLED_OP). */
  add(done: BarrierWaiter, nowMs: number): boolean {
    if (this.total >= this.opts.waitersMax) return false;
    this.queued.push({ done, addedMs: nowMs });
    this.total += 1;
    return true;
  }

  /** A context to request a read index for, covering every queued waiter; null when none wait. */
  nextRequest(nowMs: number): string | null {
    if (this.queued.length === 0) return null;
    this.counter += 1;
    const ctx = `${this.opts.ctxPrefix}.${this.counter}`;
    this.inflight.set(ctx, { waiters: this.queued, issuedMs: nowMs });
    this.queued = [];
    return ctx;
  }

  /** The request could not be made now (no leader known): its waiters wait for the next try. */
  requestFailed(ctx: string): void {
    const batch = this.inflight.get(ctx);
    if (!batch) return;
    this.inflight.delete(ctx);
    this.queued = [...batch.waiters, ...this.queued];
  }

  /** The leader's commit index for `ctx`: its waiters go once `index` is applied. */
  onAnswer(ctx: string, index: number): void {
    const batch = this.inflight.get(ctx);
    if (!batch) return; // retried meanwhile, or a previous incarnation's
    this.inflight.delete(ctx);
    let at = this.answered.length;
    while (at > 0 && this.answered[at - 1].index > index) at--;
    if (at > 0 && this.answered[at - 1].index === index) this.answered[at - 1].waiters.push(...batch.waiters);
    else this.answered.splice(at, 0, { index, waiters: batch.waiters });
  }

  /** Releases every waiter whose read index is applied. */
  release(appliedIndex: number): void {
    while (this.answered.length > 0 && this.answered[0].index <= appliedIndex) {
      const { waiters } = this.answered.shift()!;
      this.settle(waiters, { ok: true });
    }
  }

  /** Asks again for requests unanswered after retryMs; fails waiters older than timeoutMs. */
  expire(nowMs: number): void {
    for (const [ctx, batch] of this.inflight) {
      if (nowMs - batch.issuedMs >= this.opts.retryMs) this.requestFailed(ctx);
    }
    const timedOut = (w: Waiting): boolean => nowMs - w.addedMs >= this.opts.timeoutMs;
    const failure: BarrierResult = { ok: false, code: 'CONNECTION_LOSS', message: `no read index from a leader within ${this.opts.timeoutMs} ms` };
    const late = this.queued.filter(timedOut);
    if (late.length > 0) {
      this.queued = this.queued.filter((w) => !timedOut(w));
      this.settle(late, failure);
    }
    for (const group of this.answered) {
      const lateAnswered = group.waiters.filter(timedOut);
      if (lateAnswered.length === 0) continue;
      group.waiters = group.waiters.filter((w) => !timedOut(w));
      this.settle(lateAnswered, failure);
    }
  }

  failAll(code: ErrorCode, message: string): void {
    const all = [...this.queued, ...[...this.inflight.values()].flatMap((b) => b.waiters), ...this.answered.flatMap((g) => g.waiters)];
    this.queued = [];
    this.inflight.clear();
    this.answered.length = 0;
    this.settle(all, { ok: false, code, message });
  }

  private settle(waiters: Waiting[], result: BarrierResult): void {
    this.total -= waiters.length;
    for (const w of waiters) w.done(result);
  }
}
