// The frameworks the leading master knows: subscribed ones (with their event stream), ones
// within their failover timeout after a disconnect, placeholders for frameworks whose tasks a
// new leader learned about before they re-subscribed, and ones being torn down.
import type { rmV1 } from '@ensemble/proto';
import type { StreamSink } from './stream-sink';
import type { UpdateOutbox } from './update-outbox';

export interface FrameworkEntry {
  readonly frameworkId: string;
  info: rmV1.FrameworkInfo__Output;
  sink: StreamSink<rmV1.Event> | undefined;
  registeredAtMs: number;
  /** Known only from its tasks (failover): not subscribed yet on this leader. */
  placeholder: boolean;
  /** A placeholder whose FrameworkInfo (and so failover timeout) an agent reported. */
  infoKnown: boolean;
  /** Updates held until acknowledged (agents') or delivered (the master's own). */
  readonly outbox: UpdateOutbox;
  /** TEARDOWN or failover timeout: its tasks are being killed; removed when the last ends. */
  tearingDown: boolean;
  failoverTimer: NodeJS.Timeout | undefined;
}

export class FrameworkBook {
  private readonly entries = new Map<string, FrameworkEntry>();

  get size(): number {
    return this.entries.size;
  }

  get(frameworkId: string): FrameworkEntry | undefined {
    return this.entries.get(frameworkId);
  }

  add(entry: FrameworkEntry): void {
    this.entries.set(entry.frameworkId, entry);
  }

  delete(frameworkId: string): void {
    const entry = this.entries.get(frameworkId);
    if (entry) clearTimeout(entry.failoverTimer);
    this.entries.delete(frameworkId);
  }

  all(): FrameworkEntry[] {
    return [...this.entries.values()];
  }

  /** Sends an event if the framework is connected; false when it is not. */
  send(frameworkId: string, event: rmV1.Event): boolean {
    const sink = this.entries.get(frameworkId)?.sink;
    return sink !== undefined && sink.send(event);
  }

  broadcast(event: rmV1.Event): void {
    for (const entry of this.entries.values()) entry.sink?.send(event);
  }

  clear(): void {
    for (const entry of this.entries.values()) clearTimeout(entry.failoverTimer);
    this.entries.clear();
  }
}
