// Runs each task's health check (Mesos: the executor's HealthChecker): after the delay, one probe
// at a time, the next `interval` after the previous ended; results go through the pure policy,
// whose verdicts (healthy/unhealthy, kill) are handed to the agent. Stopped when the task ends.
import type { HealthCheckSpec } from '../../health-check';
import { HealthPolicy, HealthState, initialHealth, onHealthResult } from './health-policy';
import { Probe, runProbe } from './health-probe';

export interface HealthListener {
  /** healthy/unhealthy changed. */
  verdict(taskId: string, healthy: boolean, message: string): void;
  /** consecutive failures reached: kill the task as failed. */
  failed(taskId: string, message: string): void;
}

interface Checked {
  readonly spec: HealthCheckSpec;
  readonly probe: Probe;
  state: HealthState;
  timer: NodeJS.Timeout | undefined;
  stopped: boolean;
}

export class HealthChecker {
  private readonly tasks = new Map<string, Checked>();

  constructor(
    private readonly listener: HealthListener,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Starts checking a task; `startedAtMs` begins its grace period (for a re-attached task, its launch). */
  start(taskId: string, spec: HealthCheckSpec, probe: Probe, startedAtMs: number, delayMs = spec.delayMs): void {
    this.stop(taskId);
    const checked: Checked = { spec, probe, state: initialHealth(startedAtMs), timer: undefined, stopped: false };
    this.tasks.set(taskId, checked);
    checked.timer = setTimeout(() => void this.check(taskId, checked), delayMs);
  }

  healthy(taskId: string): boolean | undefined {
    return this.tasks.get(taskId)?.state.healthy;
  }

  stop(taskId: string): void {
    const checked = this.tasks.get(taskId);
    if (!checked) return;
    checked.stopped = true;
    clearTimeout(checked.timer);
    this.tasks.delete(taskId);
  }

  stopAll(): void {
    for (const taskId of [...this.tasks.keys()]) this.stop(taskId);
  }

  private async check(taskId: string, checked: Checked): Promise<void> {
    const result = await runProbe(checked.probe, checked.spec.timeoutMs);
    if (checked.stopped) return;
    const policy: HealthPolicy = { consecutiveFailures: checked.spec.consecutiveFailures, gracePeriodMs: checked.spec.gracePeriodMs };
    const step = onHealthResult(checked.state, policy, result, this.clock());
    checked.state = step.state;
    if (step.report) this.listener.verdict(taskId, step.report.healthy, step.report.message);
    if (step.kill !== undefined) {
      this.stop(taskId);
      this.listener.failed(taskId, step.kill);
      return;
    }
    checked.timer = setTimeout(() => void this.check(taskId, checked), checked.spec.intervalMs);
  }
}
