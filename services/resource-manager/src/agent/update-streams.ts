// The decisions of the agent's status update manager (Mesos: StatusUpdateManager), pure: one
// stream per task holding its updates not yet acknowledged by the framework, oldest first.
// Only the head of a stream travels; the next goes once the head is acknowledged, so a
// framework sees every task's updates in order (duplicates of the head carry its uuid). The
// head is resent with exponential backoff until acknowledged. Time is an argument.
import { isTerminalState } from '../task-state';

export interface StreamUpdate {
  readonly taskId: string;
  readonly uuid: string;
  readonly state: string;
}

export interface UpdateStreamLimits {
  /** Updates held per task; past it the oldest that is neither the head nor terminal is dropped. */
  readonly updatesPerTaskMax: number;
  /** First resend after this long; each later one waits twice as long, up to retryMaxMs (Mesos: 10 s, 10 min). */
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
}

export type AckOutcome<T> = { ok: true; acked: T; next: T | undefined; done: boolean } | { ok: false; code: 'UNKNOWN_TASK' | 'NOT_HEAD'; message: string };

interface Stream<T> {
  readonly pending: T[];
  latest: T | undefined;
  /** Resends of the current head so far. */
  attempt: number;
  /** When the head is due again; undefined: not sent yet (due at once). */
  retryAtMs: number | undefined;
}

export class UpdateStreams<T extends StreamUpdate> {
  private readonly streams = new Map<string, Stream<T>>();

  constructor(private readonly limits: UpdateStreamLimits) {
    if (!(limits.updatesPerTaskMax >= 2)) throw new Error('assertion: updatesPerTaskMax must be at least 2');
  }

  /**
   * Appends an update; `head` means it travels now, `dropped` is an older update it superseded.
   * Nothing follows a terminal update (a late health verdict, say): that is refused.
   */
  add(update: T): { ok: true; head: boolean; dropped: T | undefined } | { ok: false; code: 'AFTER_TERMINAL'; message: string } {
    const stream = this.streamOf(update.taskId);
    if (stream.latest !== undefined && isTerminalState(stream.latest.state)) {
      return { ok: false, code: 'AFTER_TERMINAL', message: `task ${update.taskId} already ended ${stream.latest.state}` };
    }
    stream.pending.push(update);
    stream.latest = update;
    let dropped: T | undefined;
    if (stream.pending.length > this.limits.updatesPerTaskMax) {
      // Index 0 is the head (it may be in flight); the last is the newest. Drop the oldest between.
      const i = stream.pending.findIndex((u, index) => index > 0 && !isTerminalState(u.state));
      if (i > 0) dropped = stream.pending.splice(i, 1)[0];
    }
    return { ok: true, head: stream.pending.length === 1, dropped };
  }

  /** The framework acknowledged `uuid`: only the head can be; the next update becomes the head. */
  ack(taskId: string, uuid: string): AckOutcome<T> {
    const stream = this.streams.get(taskId);
    if (!stream || stream.pending.length === 0) return { ok: false, code: 'UNKNOWN_TASK', message: `no pending update of task ${taskId}` };
    if (stream.pending[0].uuid !== uuid) return { ok: false, code: 'NOT_HEAD', message: `update ${uuid} of task ${taskId} is not the one awaiting acknowledgement` };
    const acked = stream.pending.shift() as T;
    stream.attempt = 0;
    stream.retryAtMs = undefined;
    const next = stream.pending[0];
    return { ok: true, acked, next, done: next === undefined && stream.latest !== undefined && isTerminalState(stream.latest.state) };
  }

  /** Restores a stream from its log: every update in order, and the uuids acknowledged. */
  restore(taskId: string, updates: readonly T[], acked: ReadonlySet<string>): void {
    const stream = this.streamOf(taskId);
    for (const update of updates) {
      stream.latest = update;
      if (!acked.has(update.uuid)) stream.pending.push(update);
    }
  }

  head(taskId: string): T | undefined {
    return this.streams.get(taskId)?.pending[0];
  }

  latest(taskId: string): T | undefined {
    return this.streams.get(taskId)?.latest;
  }

  pendingCount(taskId: string): number {
    return this.streams.get(taskId)?.pending.length ?? 0;
  }

  /** Every pending update across all tasks (for counting and tests). */
  totalPending(): number {
    let total = 0;
    for (const stream of this.streams.values()) total += stream.pending.length;
    return total;
  }

  /** Its last update is terminal and acknowledged: nothing more will come. */
  isDone(taskId: string): boolean {
    const stream = this.streams.get(taskId);
    return stream !== undefined && stream.pending.length === 0 && stream.latest !== undefined && isTerminalState(stream.latest.state);
  }

  taskIds(): string[] {
    return [...this.streams.keys()];
  }

  /** The head was just sent: it is due again after the backoff. */
  sent(taskId: string, nowMs: number): void {
    const stream = this.streams.get(taskId);
    if (!stream || stream.pending.length === 0) return;
    const waitMs = Math.min(this.limits.retryMaxMs, this.limits.retryInitialMs * 2 ** Math.min(stream.attempt, 30));
    stream.attempt++;
    stream.retryAtMs = nowMs + waitMs;
  }

  /** Heads never sent or whose backoff has run out, in task order. */
  due(nowMs: number): T[] {
    const out: T[] = [];
    for (const stream of this.streams.values()) {
      if (stream.pending.length > 0 && (stream.retryAtMs === undefined || stream.retryAtMs <= nowMs)) out.push(stream.pending[0]);
    }
    return out;
  }

  /** A new master link: every head is due at once, and backoffs start over. */
  resetRetries(): void {
    for (const stream of this.streams.values()) {
      stream.attempt = 0;
      stream.retryAtMs = undefined;
    }
  }

  remove(taskId: string): void {
    this.streams.delete(taskId);
  }

  private streamOf(taskId: string): Stream<T> {
    let stream = this.streams.get(taskId);
    if (!stream) this.streams.set(taskId, (stream = { pending: [], latest: undefined, attempt: 0, retryAtMs: undefined }));
    return stream;
  }
}
