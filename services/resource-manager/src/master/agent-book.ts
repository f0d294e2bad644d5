// The agents the leading master knows: from the registry (after failover) and from
// registrations, with their link stream when connected.
import type { rmV1 } from '@ensemble/proto';
import type { RegistryAgentState } from './agent-registry';
import type { StreamSink } from './stream-sink';

export interface AgentEntry {
  readonly agentId: string;
  info: rmV1.AgentInfo__Output;
  state: RegistryAgentState;
  sink: StreamSink<rmV1.MasterMessage> | undefined;
  /** In the allocator (false while unreachable or gone). */
  allocated: boolean;
  registeredAtMs: number;
  lastHeartbeatMs: number;
  /** Running after a disconnect (or failover): the agent must come back before it fires. */
  reregisterTimer: NodeJS.Timeout | undefined;
  /** Known from the registry after a failover and not re-registered yet: its tasks are unknown, not lost. */
  recovering: boolean;
}

export class AgentBook {
  private readonly entries = new Map<string, AgentEntry>();

  get(agentId: string): AgentEntry | undefined {
    return this.entries.get(agentId);
  }

  add(entry: AgentEntry): void {
    this.entries.set(entry.agentId, entry);
  }

  all(): AgentEntry[] {
    return [...this.entries.values()];
  }

  /** Connected, admitted and in the allocator: may take new tasks. */
  isActive(agentId: string): boolean {
    const entry = this.entries.get(agentId);
    return entry !== undefined && entry.sink !== undefined && entry.state === 'admitted' && entry.allocated;
  }

  send(agentId: string, message: rmV1.MasterMessage): boolean {
    const sink = this.entries.get(agentId)?.sink;
    return sink !== undefined && sink.send(message);
  }

  clear(): void {
    for (const entry of this.entries.values()) clearTimeout(entry.reregisterTimer);
    this.entries.clear();
  }
}
