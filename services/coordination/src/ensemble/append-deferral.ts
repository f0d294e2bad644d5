// Quorum-first replication, on the leader. A write is committed once a majority has it on
// disk: with three servers, the leader and one follower. The other follower's fdatasync,
// started at the same moment on the same disk, only slows the two that count (three
// concurrent fdatasyncs took 285 µs each here, two 190 µs). So a new entry goes at once to
// the followers its quorum needs — the follower whose client sent it, then the others in id
// order — and an append that carries only entries a follower is not needed for waits up to
// delayMs, to leave with the next ones: that follower then syncs once per batch, mostly while
// the disk is idle, instead of once per write. An append the follower is needed for sends the
// held ones first, in order. Raft allows any delay of any message; only when the entries
// reach that follower changes, never what is committed.
import type { Message } from '@ensemble/consensus';

export interface AppendDeferralOptions {
  selfId: number;
  voters: readonly number[];
  /** How long an append may wait; 0 turns deferral off. */
  delayMs: number;
  /** Whether the link to `peer` is up: a follower that cannot answer is never counted on. */
  isUp(peer: number): boolean;
  /** Queues held messages for `peer`, oldest first. */
  release(peer: number, messages: readonly Message[]): void;
  /**
   * Sends what was queued. Not called when an append sends the held ones before it: they must
   * leave together, or the follower would sync them on their own, and then the new one.
   */
  flush(): void;
  /** Runs `fn` after `ms`; returns what cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

interface Held {
  messages: Message[];
  cancel: () => void;
}

export class AppendDeferral {
  /** The server whose client sent each entry this leader proposed and has not yet seen committed. */
  private readonly origins = new Map<number, number>();
  private readonly held = new Map<number, Held>();
  private readonly followers: readonly number[];
  /** Followers a quorum needs besides the leader. */
  private readonly needed: number;
  /** Off with a zero delay, or when every follower is needed (two servers). */
  private readonly enabled: boolean;

  constructor(private readonly opts: AppendDeferralOptions) {
    this.followers = [...opts.voters].filter((id) => id !== opts.selfId).sort((a, b) => a - b);
    this.needed = Math.floor(opts.voters.length / 2);
    this.enabled = opts.delayMs > 0 && this.followers.length > this.needed;
  }

  /** The leader appended entry `index` for a client of server `origin`. */
  proposed(index: number, origin: number): void {
    if (this.enabled) this.origins.set(index, origin);
  }

  /** Entries up to `index` are committed: no append of them is held back any more. */
  committed(index: number): void {
    for (const key of this.origins.keys()) {
      if (key > index) break; // keys were added in index order
      this.origins.delete(key);
    }
  }

  /**
   * Whether `message` is kept back (to leave later through release) instead of sent now. A
   * 'persisted' notice to a follower whose appends are held waits behind them: it is about
   * those entries, and with it the follower commits them as soon as it has synced them.
   */
  hold(message: Message): boolean {
    const held = this.held.get(message.to);
    if (message.type === 'persisted') {
      held?.messages.push(message);
      return held !== undefined;
    }
    if (message.type === 'readIndexResponse') {
      // The follower's client waits until the follower has applied up to the read point.
      if (held) this.release(message.to);
      return false;
    }
    if (message.type !== 'append') return false; // order does not matter to Raft; these need not wait
    if (this.deferrable(message)) {
      if (held) {
        held.messages.push(message);
      } else {
        const cancel = this.opts.setTimer(() => {
          this.release(message.to);
          this.opts.flush();
        }, this.opts.delayMs);
        this.held.set(message.to, { messages: [message], cancel });
      }
      return true;
    }
    if (held) this.release(message.to);
    return false;
  }

  /** Queues what is held for `peer`. */
  private release(peer: number): void {
    const held = this.held.get(peer);
    if (!held) return;
    this.held.delete(peer);
    held.cancel();
    this.opts.release(peer, held.messages);
  }

  /** Sends everything held (leadership lost, stopping). */
  releaseAll(): void {
    for (const peer of [...this.held.keys()]) this.release(peer);
    this.origins.clear();
    this.opts.flush();
  }

  private deferrable(message: Message & { type: 'append' }): boolean {
    if (!this.enabled || message.entries.length === 0 || !this.opts.isUp(message.to)) return false;
    for (const entry of message.entries) {
      const origin = this.origins.get(entry.index);
      if (origin === undefined || this.needs(origin, message.to)) return false;
    }
    return true;
  }

  /** Whether an entry sent by a client of `origin` needs `peer`'s acknowledgement for its quorum. */
  private needs(origin: number, peer: number): boolean {
    if (origin === peer) return true;
    let wanted = this.needed;
    if (origin !== this.opts.selfId && this.opts.isUp(origin)) wanted -= 1; // the origin acknowledges it
    for (const id of this.followers) {
      if (wanted === 0) return false;
      if (id === origin || !this.opts.isUp(id)) continue;
      if (id === peer) return true;
      wanted -= 1;
    }
    return false;
  }
}
