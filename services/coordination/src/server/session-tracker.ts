// Session liveness, decided by the server that orders writes (ZooKeeper: the leader's
// SessionTracker). Pure: time is passed in. Deadlines are rounded up to the next tick and kept
// in buckets (ZooKeeper's ExpiryQueue), so a tick looks only at the sessions due in it.

export interface TrackedSession {
  sessionId: number;
  timeoutMs: number;
  deadlineMs: number;
}

/** A gap between expiry ticks shorter than this never counts as the process having been held up. */
const STALL_MIN_MS = 1000;

export class SessionTracker {
  private readonly sessions = new Map<number, TrackedSession>();
  private readonly buckets = new Map<number, Set<number>>();
  private nextBucketMs: number;
  private lastTickMs: number;

  constructor(
    private readonly tickMs: number,
    nowMs: number,
  ) {
    if (!(tickMs > 0)) throw new Error(`tickMs must be positive, got ${tickMs}`);
    this.nextBucketMs = this.roundUp(nowMs);
    this.lastTickMs = nowMs;
  }

  /**
   * Called on every expiry tick; false when the tick comes more than two ticks (and at least
   * STALL_MIN_MS) after the last one. The process was held up meanwhile (a long GC pause, a
   * disk that stalled an fdatasync made on the event loop, a starved host), so the pings of that
   * time are still unread in their sockets: expiring now would close sessions that were alive
   * all along. The next tick comes after they are read. Shorter delays are a timer's ordinary
   * lateness on a busy host, not worth postponing expiry for.
   */
  tick(nowMs: number): boolean {
    const gapMs = nowMs - this.lastTickMs;
    this.lastTickMs = nowMs;
    return gapMs <= Math.max(2 * this.tickMs, STALL_MIN_MS);
  }

  get size(): number {
    return this.sessions.size;
  }

  has(sessionId: number): boolean {
    return this.sessions.has(sessionId);
  }

  get(sessionId: number): TrackedSession | undefined {
    return this.sessions.get(sessionId);
  }

  ids(): number[] {
    return [...this.sessions.keys()];
  }

  /** Starts tracking (or re-tracks) a session with a full timeout from now. */
  add(sessionId: number, timeoutMs: number, nowMs: number): void {
    this.remove(sessionId);
    const s: TrackedSession = { sessionId, timeoutMs, deadlineMs: 0 };
    this.sessions.set(sessionId, s);
    this.place(s, nowMs);
  }

  /**
   * Forgets everything and tracks exactly `sessions`, each with a full timeout from `nowMs`
   * (a new leader, or a state replaced by a snapshot). Expiry resumes from `nowMs`.
   */
  reset(nowMs: number, sessions: ReadonlyArray<{ sessionId: number; timeoutMs: number }>): void {
    this.sessions.clear();
    this.buckets.clear();
    this.nextBucketMs = this.roundUp(nowMs);
    this.lastTickMs = nowMs;
    for (const s of sessions) this.add(s.sessionId, s.timeoutMs, nowMs);
  }

  /** The session showed life: push its deadline. Returns false for an unknown session. */
  touch(sessionId: number, nowMs: number): boolean {
    const s = this.sessions.get(sessionId);
    if (!s) return false;
    const deadline = this.roundUp(nowMs + s.timeoutMs);
    if (deadline === s.deadlineMs) return true;
    this.unplace(s);
    this.place(s, nowMs);
    return true;
  }

  remove(sessionId: number): void {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    this.unplace(s);
    this.sessions.delete(sessionId);
  }

  /**
   * Sessions whose deadline has passed at `nowMs`. They stay tracked until `remove` (the caller
   * removes them once their close is committed), but are not reported twice.
   */
  expire(nowMs: number): number[] {
    const out: number[] = [];
    while (this.nextBucketMs <= nowMs) {
      const bucket = this.buckets.get(this.nextBucketMs);
      if (bucket) {
        for (const id of bucket) {
          const s = this.sessions.get(id);
          if (s) s.deadlineMs = Number.POSITIVE_INFINITY;
          out.push(id);
        }
        this.buckets.delete(this.nextBucketMs);
      }
      this.nextBucketMs += this.tickMs;
    }
    return out;
  }

  private roundUp(ms: number): number {
    return Math.ceil(ms / this.tickMs) * this.tickMs;
  }

  private place(s: TrackedSession, nowMs: number): void {
    // Never place before the next bucket to be examined, or the session would be missed.
    s.deadlineMs = Math.max(this.roundUp(nowMs + s.timeoutMs), this.nextBucketMs);
    let bucket = this.buckets.get(s.deadlineMs);
    if (!bucket) {
      bucket = new Set();
      this.buckets.set(s.deadlineMs, bucket);
    }
    bucket.add(s.sessionId);
  }

  private unplace(s: TrackedSession): void {
    const bucket = this.buckets.get(s.deadlineMs);
    if (!bucket) return;
    bucket.delete(s.sessionId);
    if (bucket.size === 0) this.buckets.delete(s.deadlineMs);
  }
}
