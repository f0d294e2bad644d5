import type { rmV1 } from '@ensemble/proto';
import { HEALTH_CHECK_DEFAULTS, parseHealthCheck } from '../../src/health-check';

const base = (over: Partial<rmV1.HealthCheck__Output>): rmV1.HealthCheck__Output => ({ type: 'HEALTH_CHECK_TCP', command: null, port: 0, path: '', ...over });

describe('health check specs', () => {
  it('no health check is fine', () => {
    expect(parseHealthCheck(null, 0)).toEqual({ ok: true, spec: undefined });
  });

  it('absent durations take Mesos\'s defaults; given ones (0 included) are kept', () => {
    expect(parseHealthCheck(base({ port: 8080 }), 0)).toEqual({ ok: true, spec: { kind: 'tcp', port: 8080, path: '', ...HEALTH_CHECK_DEFAULTS } });
    const spec = parseHealthCheck(base({ type: 'HEALTH_CHECK_HTTP', delayMs: 0, intervalMs: 200, timeoutMs: 100, consecutiveFailures: 2, gracePeriodMs: 0 }), 1);
    expect(spec).toEqual({ ok: true, spec: { kind: 'http', port: 0, path: '/', delayMs: 0, intervalMs: 200, timeoutMs: 100, consecutiveFailures: 2, gracePeriodMs: 0 } });
  });

  it('a command check needs a valid command', () => {
    expect(parseHealthCheck(base({ type: 'HEALTH_CHECK_COMMAND', command: { command: 'shell', shell: 'true', env: {} } }), 0)).toMatchObject({ ok: true, spec: { kind: 'command', command: { shell: 'true' } } });
    expect(parseHealthCheck(base({ type: 'HEALTH_CHECK_COMMAND' }), 0)).toMatchObject({ ok: false, message: 'health check: task has no command' });
  });

  it('refuses what cannot work, with a clear message', () => {
    expect(parseHealthCheck(base({ type: 'HEALTH_CHECK_TYPE_UNSPECIFIED' }), 1)).toMatchObject({ ok: false, message: expect.stringMatching(/COMMAND, TCP or HTTP/) });
    expect(parseHealthCheck(base({ port: 0 }), 0)).toMatchObject({ ok: false, message: expect.stringMatching(/has no ports/) });
    expect(parseHealthCheck(base({ port: 70000 }), 1)).toMatchObject({ ok: false });
    expect(parseHealthCheck(base({ type: 'HEALTH_CHECK_HTTP', path: 'no-slash' }), 1)).toMatchObject({ ok: false });
    expect(parseHealthCheck(base({ intervalMs: 1 }), 1)).toMatchObject({ ok: false, message: expect.stringMatching(/interval_ms/) });
    expect(parseHealthCheck(base({ consecutiveFailures: 0 }), 1)).toMatchObject({ ok: false, message: expect.stringMatching(/consecutive_failures/) });
    expect(parseHealthCheck(base({ delayMs: -1 }), 1)).toMatchObject({ ok: false, message: expect.stringMatching(/delay_ms/) });
  });
});
