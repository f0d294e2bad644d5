// Status updates the agent has not yet seen acknowledged by a master, in the order they were
// made (Mesos: the agent's status update manager). Sent as they happen, and all of them again in
// the next REGISTER after a reconnect or failover. Bounded: past the limit the oldest
// non-terminal update goes first (a later one of the same task supersedes it).
import type { rmV1 } from '@ensemble/proto';
import { isTerminalState } from '../task-state';

export class StatusQueue {
  private readonly pending = new Map<string, rmV1.TaskStatus>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.pending.size;
  }

  add(status: rmV1.TaskStatus & { uuid: string }): void {
    this.pending.set(status.uuid, status);
    if (this.pending.size <= this.max) return;
    for (const [uuid, s] of this.pending) {
      if (!isTerminalState(String(s.state))) {
        this.pending.delete(uuid);
        return;
      }
    }
    this.pending.delete(this.pending.keys().next().value as string);
  }

  /** The master stored it: forget it. Returns the update, if it was pending. */
  ack(uuid: string): rmV1.TaskStatus | undefined {
    const status = this.pending.get(uuid);
    this.pending.delete(uuid);
    return status;
  }

  all(): rmV1.TaskStatus[] {
    return [...this.pending.values()];
  }
}
