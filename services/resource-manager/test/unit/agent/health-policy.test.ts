import { HealthState, initialHealth, onHealthResult } from '../../../src/agent/health/health-policy';

const policy = { consecutiveFailures: 3, gracePeriodMs: 1000 };
const ok = { ok: true } as const;
const failed = { ok: false, message: 'exited 1' } as const;

function run(results: Array<[number, boolean]>): { reports: Array<boolean>; killedAt: number | undefined } {
  let state: HealthState = initialHealth(0);
  const reports: boolean[] = [];
  for (const [at, good] of results) {
    const step = onHealthResult(state, policy, good ? ok : failed, at);
    state = step.state;
    if (step.report) reports.push(step.report.healthy);
    if (step.kill !== undefined) return { reports, killedAt: at };
  }
  return { reports, killedAt: undefined };
}

describe('health policy (Mesos health checks)', () => {
  it('reports healthy on the first success, and not again while it stays healthy', () => {
    expect(run([[0, true], [100, true], [200, true]])).toEqual({ reports: [true], killedAt: undefined });
  });

  it('ignores failures in the grace period until the first success', () => {
    expect(run([[0, false], [500, false], [900, false], [1100, true]])).toEqual({ reports: [true], killedAt: undefined });
  });

  it('after the first success the grace period no longer hides failures', () => {
    expect(run([[0, true], [100, false], [200, false], [300, false]])).toEqual({ reports: [true, false], killedAt: 300 });
  });

  it('kills after the configured consecutive failures once the grace period is over', () => {
    expect(run([[1000, false], [1100, false], [1200, false]])).toEqual({ reports: [false], killedAt: 1200 });
  });

  it('a success in between starts the count over, and is reported as healthy again', () => {
    expect(run([[1000, false], [1100, false], [1200, true], [1300, false], [1400, false], [1500, true]])).toEqual({ reports: [false, true, false, true], killedAt: undefined });
  });

  it('a kill message names the failures and the last error', () => {
    let state = initialHealth(0);
    let step = onHealthResult(state, { consecutiveFailures: 1, gracePeriodMs: 0 }, failed, 0);
    state = step.state;
    expect(step.kill).toBe('health check failed 1 times in a row (last: exited 1)');
    step = onHealthResult(state, { consecutiveFailures: 1, gracePeriodMs: 0 }, ok, 1);
    expect(step.report).toEqual({ healthy: true, message: 'health check passed' });
  });
});
