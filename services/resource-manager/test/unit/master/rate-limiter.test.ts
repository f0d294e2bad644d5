import { TokenBucket, parseRateLimit } from '../../../src/master/rate-limiter';

describe('agent-unreachable rate limit', () => {
  it('parses N/duration in Mesos\'s forms, and none', () => {
    expect(parseRateLimit('10/1m')).toEqual({ ok: true, limit: { permits: 10, perMs: 60_000 } });
    expect(parseRateLimit('1/10mins')).toEqual({ ok: true, limit: { permits: 1, perMs: 600_000 } });
    expect(parseRateLimit('5/s')).toEqual({ ok: true, limit: { permits: 5, perMs: 1000 } });
    expect(parseRateLimit('none')).toEqual({ ok: true, limit: undefined });
    for (const bad of ['10', '0/1m', 'x/1m', '10/1 fortnight', '-1/1s']) expect(parseRateLimit(bad).ok).toBe(false);
  });

  it('allows a burst of N, then one permit every period/N', () => {
    const bucket = new TokenBucket({ permits: 2, perMs: 1000 }, 0);
    expect(bucket.tryTake(0)).toBe(true);
    expect(bucket.tryTake(0)).toBe(true);
    expect(bucket.tryTake(0)).toBe(false);
    expect(bucket.nextAtMs(0)).toBe(500);
    expect(bucket.tryTake(499)).toBe(false);
    expect(bucket.tryTake(500)).toBe(true);
    // Never more than the burst, however long it was idle.
    expect([bucket.tryTake(100_000), bucket.tryTake(100_000), bucket.tryTake(100_000)]).toEqual([true, true, false]);
  });

  it('without a limit every take succeeds', () => {
    const bucket = new TokenBucket(undefined, 0);
    for (let i = 0; i < 100; i++) expect(bucket.tryTake(0)).toBe(true);
    expect(bucket.nextAtMs(5)).toBe(5);
  });
});
