// A framework's status updates the master holds for it (pure): an agent's update (it has a uuid)
// until the framework acknowledges it, and one of the master's own per task (no uuid, no
// acknowledgement) until it has gone out on a stream. On re-subscription they are all sent
// again, in the order they came, so a framework that was away receives what it missed at once
// rather than at its agents' next resend. Bounded: past the limit the oldest goes (agents resend
// theirs anyway; reconciliation answers for the master's).
import type { rmV1 } from '@ensemble/proto';

export class UpdateOutbox {
  private readonly items = new Map<string, rmV1.TaskStatus__Output>();

  constructor(private readonly max: number) {}

  static keyOf(status: rmV1.TaskStatus__Output): string {
    return status.uuid ? `u:${status.uuid}` : `m:${status.taskId}`;
  }

  get size(): number {
    return this.items.size;
  }

  /** Holds an update (a resend of the same uuid keeps its place); returns one dropped to stay bounded. */
  put(status: rmV1.TaskStatus__Output): rmV1.TaskStatus__Output | undefined {
    const key = UpdateOutbox.keyOf(status);
    // The master's latest word on a task replaces its earlier one, and goes to the back.
    if (!status.uuid) this.items.delete(key);
    this.items.set(key, status);
    if (this.items.size <= this.max) return undefined;
    const oldest = this.items.keys().next().value as string;
    const dropped = this.items.get(oldest);
    this.items.delete(oldest);
    return dropped;
  }

  hasUuid(uuid: string): boolean {
    return this.items.has(`u:${uuid}`);
  }

  /** The framework acknowledged it. */
  acknowledge(uuid: string): boolean {
    return this.items.delete(`u:${uuid}`);
  }

  /** The master's own update went out on a stream: no need to keep it. */
  delivered(status: rmV1.TaskStatus__Output): void {
    if (!status.uuid) this.items.delete(UpdateOutbox.keyOf(status));
  }

  all(): rmV1.TaskStatus__Output[] {
    return [...this.items.values()];
  }
}
