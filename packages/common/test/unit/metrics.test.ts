import { createRegistry } from '@ensemble/common';

describe('createRegistry', () => {
  it('names counters, gauges and histograms consistently and labels every series', async () => {
    const registry = createRegistry('coord', { node: 'n1' });
    registry.counter({ name: 'requests', help: 'requests served', labelNames: ['op'] }).inc({ op: 'create' });
    registry.gauge({ name: 'sessions', help: 'open sessions' }).set(3);
    registry.gauge({ name: 'snapshot_size', help: 'last snapshot', unit: 'bytes' }).set(10);
    registry.histogram({ name: 'request_duration', help: 'latency' }).observe(0.002);
    const text = await registry.metrics();
    expect(text).toContain('coord_requests_total{op="create",node="n1"} 1');
    expect(text).toContain('coord_sessions{node="n1"} 3');
    expect(text).toContain('coord_snapshot_size_bytes{node="n1"} 10');
    expect(text).toContain('coord_request_duration_seconds_bucket{le="0.0025",node="n1"} 1');
    expect(text).toMatch(/^process_cpu_user_seconds_total\{node="n1"\} /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{node="n1"\} /m);
  });

  it('returns the same metric when asked twice and rejects bad names', () => {
    const registry = createRegistry('rm');
    const a = registry.counter({ name: 'offers_total', help: 'offers made' });
    const b = registry.counter({ name: 'offers', help: 'offers made' });
    expect(a).toBe(b);
    expect(() => registry.gauge({ name: 'Bad-Name', help: '' })).toThrow(/snake_case/);
    expect(() => createRegistry('bad prefix')).toThrow(/snake_case/);
  });
});
