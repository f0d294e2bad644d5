// A task's health check (Mesos HealthCheck): what the wire message asks for, validated, with
// Mesos's defaults filled in. Pure; the master validates it at ACCEPT (a bad one is TASK_ERROR)
// and the agent runs it (src/agent/health).
import type { rmV1 } from '@ensemble/proto';
import { DEFAULT_EXECUTOR_LIMITS, TaskCommand, validateCommand } from './agent/executor';
import { toCommand } from './command-codec';

export type HealthCheckKind = 'command' | 'tcp' | 'http';

export interface HealthCheckSpec {
  readonly kind: HealthCheckKind;
  /** command checks only. */
  readonly command?: TaskCommand;
  /** tcp and http: on 127.0.0.1; 0 means the task's first assigned port. */
  readonly port: number;
  /** http only. */
  readonly path: string;
  readonly delayMs: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly consecutiveFailures: number;
  readonly gracePeriodMs: number;
}

/** Mesos's defaults (HealthCheck in mesos.proto). */
export const HEALTH_CHECK_DEFAULTS = {
  delayMs: 15_000,
  intervalMs: 10_000,
  timeoutMs: 20_000,
  consecutiveFailures: 3,
  gracePeriodMs: 10_000,
} as const;

export const HEALTH_CHECK_LIMITS = {
  /** Shortest interval and timeout: a check every few milliseconds would be a load, not a check. */
  intervalMsMin: 10,
  timeoutMsMin: 10,
  /** Longest delay, interval, timeout or grace period. */
  durationMsMax: 24 * 60 * 60 * 1000,
  consecutiveFailuresMax: 1000,
  pathBytesMax: 2048,
} as const;

export type HealthCheckParse = { ok: true; spec: HealthCheckSpec | undefined } | { ok: false; message: string };

const KIND: Record<string, HealthCheckKind | undefined> = { HEALTH_CHECK_COMMAND: 'command', HEALTH_CHECK_TCP: 'tcp', HEALTH_CHECK_HTTP: 'http' };

/** The task's health check, or undefined when it has none. `portsCount`: ports the task was given. */
export function parseHealthCheck(wire: rmV1.HealthCheck__Output | null | undefined, portsCount: number): HealthCheckParse {
  if (!wire) return { ok: true, spec: undefined };
  const kind = KIND[wire.type];
  if (!kind) return bad(`health check type ${wire.type} is not COMMAND, TCP or HTTP`);
  const durations = readDurations(wire);
  if (typeof durations === 'string') return bad(durations);
  if (kind === 'command') {
    const command = toCommand(wire.command);
    if (typeof command === 'string') return bad(`health check: ${command}`);
    const valid = validateCommand(command, DEFAULT_EXECUTOR_LIMITS);
    if (!valid.ok) return bad(`health check: ${valid.message}`);
    return { ok: true, spec: { kind, command, port: 0, path: '', ...durations } };
  }
  const port = Number(wire.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return bad(`health check port ${wire.port} is not in 0..65535`);
  if (port === 0 && portsCount === 0) return bad('health check port 0 means the task\'s first port, but the task has no ports');
  const path = wire.path || '/';
  // eslint-disable-next-line no-control-regex
  if (kind === 'http' && (!path.startsWith('/') || Buffer.byteLength(path) > HEALTH_CHECK_LIMITS.pathBytesMax || /[\s\u0000-\u001f\u007f]/.test(path))) {
    return bad(`health check path must start with / and be at most ${HEALTH_CHECK_LIMITS.pathBytesMax} bytes without spaces`);
  }
  return { ok: true, spec: { kind, port, path: kind === 'http' ? path : '', ...durations } };
}

type Durations = Pick<HealthCheckSpec, 'delayMs' | 'intervalMs' | 'timeoutMs' | 'consecutiveFailures' | 'gracePeriodMs'>;

function readDurations(wire: rmV1.HealthCheck__Output): Durations | string {
  const d = HEALTH_CHECK_DEFAULTS;
  const L = HEALTH_CHECK_LIMITS;
  const out: Durations = {
    delayMs: wire.delayMs !== undefined ? Number(wire.delayMs) : d.delayMs,
    intervalMs: wire.intervalMs !== undefined ? Number(wire.intervalMs) : d.intervalMs,
    timeoutMs: wire.timeoutMs !== undefined ? Number(wire.timeoutMs) : d.timeoutMs,
    consecutiveFailures: wire.consecutiveFailures !== undefined ? Number(wire.consecutiveFailures) : d.consecutiveFailures,
    gracePeriodMs: wire.gracePeriodMs !== undefined ? Number(wire.gracePeriodMs) : d.gracePeriodMs,
  };
  const inRange = (v: number, min: number, max: number) => Number.isSafeInteger(v) && v >= min && v <= max;
  if (!inRange(out.delayMs, 0, L.durationMsMax)) return `health check delay_ms must be in 0..${L.durationMsMax}`;
  if (!inRange(out.intervalMs, L.intervalMsMin, L.durationMsMax)) return `health check interval_ms must be in ${L.intervalMsMin}..${L.durationMsMax}`;
  if (!inRange(out.timeoutMs, L.timeoutMsMin, L.durationMsMax)) return `health check timeout_ms must be in ${L.timeoutMsMin}..${L.durationMsMax}`;
  if (!inRange(out.gracePeriodMs, 0, L.durationMsMax)) return `health check grace_period_ms must be in 0..${L.durationMsMax}`;
  if (!inRange(out.consecutiveFailures, 1, L.consecutiveFailuresMax)) return `health check consecutive_failures must be in 1..${L.consecutiveFailuresMax}`;
  return out;
}

function bad(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
