import * as grpc from '@grpc/grpc-js';
import type { healthV1 } from '@ensemble/proto';

// grpc.health.v1 as specified in grpc/doc/health-checking.md: Check answers NOT_FOUND for an
// unknown service, Watch sends the current status at once (SERVICE_UNKNOWN if unknown) and then
// every change, List returns every known service. '' is the status of the server as a whole.

export type ServingStatus = 'SERVING' | 'NOT_SERVING';
type WireStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
type WatchCall = grpc.ServerWritableStream<healthV1.HealthCheckRequest__Output, healthV1.HealthCheckResponse>;

/** Concurrent Watch streams per server, so a misbehaving prober cannot pin unbounded memory. */
export const HEALTH_WATCHERS_MAX = 1000;

export class HealthReporter {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly watchers = new Map<string, Set<WatchCall>>();
  private watcherCount = 0;
  private closed = false;

  constructor(initial: Record<string, ServingStatus> = { '': 'SERVING' }) {
    for (const [service, status] of Object.entries(initial)) this.statuses.set(service, status);
  }

  setStatus(service: string, status: ServingStatus): void {
    if (this.closed || this.statuses.get(service) === status) return;
    this.statuses.set(service, status);
    for (const call of this.watchers.get(service) ?? []) call.write({ status });
  }

  getStatus(service: string): ServingStatus | undefined {
    return this.statuses.get(service);
  }

  list(): Record<string, ServingStatus> {
    return Object.fromEntries(this.statuses);
  }

  /** Marks everything NOT_SERVING, tells the watchers, then ends their streams so shutdown can finish. */
  shutdown(): void {
    for (const service of this.statuses.keys()) this.setStatus(service, 'NOT_SERVING');
    this.closed = true;
    for (const calls of this.watchers.values()) for (const call of calls) call.end();
    this.watchers.clear();
    this.watcherCount = 0;
  }

  implementation(): healthV1.HealthHandlers {
    return {
      Check: (call, callback) => {
        const status = this.statuses.get(call.request.service);
        if (status === undefined) callback({ code: grpc.status.NOT_FOUND, details: `unknown service '${call.request.service}'` });
        else callback(null, { status });
      },
      List: (_call, callback) => {
        const statuses = Object.fromEntries([...this.statuses].map(([name, status]) => [name, { status }]));
        callback(null, { statuses });
      },
      Watch: (call) => this.watch(call),
    };
  }

  private watch(call: WatchCall): void {
    if (this.closed || this.watcherCount >= HEALTH_WATCHERS_MAX) {
      // grpc-js turns an 'error' on a server stream into the call's final status.
      call.emit('error', { code: grpc.status.RESOURCE_EXHAUSTED, details: `health watchers limit ${HEALTH_WATCHERS_MAX} reached` });
      return;
    }
    const service = call.request.service;
    const set = this.watchers.get(service) ?? new Set<WatchCall>();
    this.watchers.set(service, set);
    set.add(call);
    this.watcherCount++;
    const current: WireStatus = this.statuses.get(service) ?? 'SERVICE_UNKNOWN';
    call.write({ status: current });
    call.on('cancelled', () => {
      if (set.delete(call)) this.watcherCount--;
    });
  }
}
