// What a health-check result means for a task (Mesos: HealthChecker and the command executor),
// pure: failures during the grace period after the task started are ignored until the first
// success; a change between healthy and unhealthy is reported (a TASK_RUNNING update with
// `healthy`); `consecutiveFailures` failures in a row kill the task. Time is an argument.

export interface HealthPolicy {
  readonly consecutiveFailures: number;
  readonly gracePeriodMs: number;
}

export interface HealthState {
  /** The last verdict reported; undefined until the first one. */
  readonly healthy: boolean | undefined;
  readonly failuresInRow: number;
  /** A check has succeeded since the task started: the grace period no longer applies. */
  readonly succeededOnce: boolean;
  readonly startedAtMs: number;
}

export type HealthResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

export interface HealthStep {
  readonly state: HealthState;
  /** A new verdict to report. */
  readonly report?: { readonly healthy: boolean; readonly message: string };
  /** Kill the task as failed, with this message. */
  readonly kill?: string;
}

export function initialHealth(startedAtMs: number): HealthState {
  return { healthy: undefined, failuresInRow: 0, succeededOnce: false, startedAtMs };
}

export function onHealthResult(state: HealthState, policy: HealthPolicy, result: HealthResult, nowMs: number): HealthStep {
  if (result.ok) {
    const next: HealthState = { ...state, failuresInRow: 0, succeededOnce: true, healthy: true };
    return state.healthy === true ? { state: next } : { state: next, report: { healthy: true, message: 'health check passed' } };
  }
  // Mesos: "failures during the grace period are ignored" — only until the check first passes.
  if (!state.succeededOnce && nowMs - state.startedAtMs < policy.gracePeriodMs) return { state };
  const failuresInRow = state.failuresInRow + 1;
  const next: HealthState = { ...state, failuresInRow, healthy: false };
  const message = `health check failed ${failuresInRow} time(s) in a row: ${result.message}`;
  const report = state.healthy === false ? undefined : { healthy: false, message };
  if (failuresInRow >= policy.consecutiveFailures) {
    return { state: next, ...(report ? { report } : {}), kill: `health check failed ${failuresInRow} times in a row (last: ${result.message})` };
  }
  return { state: next, ...(report ? { report } : {}) };
}
