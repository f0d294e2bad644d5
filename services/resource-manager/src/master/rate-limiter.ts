// A token bucket (Mesos: --agent_removal_rate_limit, e.g. "1/10mins"): at most `permits` actions
// per `perMs`, with bursts up to `permits`. The master spends one to mark an agent unreachable,
// so that a wide outage (a switch, the master's own network) cannot mark the whole cluster at
// once. Pure: time is an argument.

export interface RateLimit {
  readonly permits: number;
  readonly perMs: number;
}

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, secs: 1000, m: 60_000, min: 60_000, mins: 60_000, h: 3_600_000, hr: 3_600_000, hrs: 3_600_000 };

/** "N/duration" (e.g. "10/1m", "1/10mins"); "none" or "" for no limit. */
export function parseRateLimit(text: string): { ok: true; limit: RateLimit | undefined } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return { ok: true, limit: undefined };
  const match = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)?\s*([a-z]+)$/.exec(trimmed);
  const unit = match ? UNITS_MS[match[3]] : undefined;
  if (!match || unit === undefined) return { ok: false, message: `rate limit "${text}" is not N/duration, e.g. 10/1m or 1/10mins (or none)` };
  const permits = Number(match[1]);
  const perMs = Number(match[2] ?? '1') * unit;
  if (permits < 1 || permits > 1_000_000 || !(perMs >= 1)) return { ok: false, message: `rate limit "${text}": permits must be 1..1000000 per at least 1ms` };
  return { ok: true, limit: { permits, perMs } };
}

export class TokenBucket {
  private tokens: number;
  private updatedAtMs: number;

  constructor(
    private readonly limit: RateLimit | undefined,
    nowMs: number,
  ) {
    this.tokens = limit?.permits ?? 0;
    this.updatedAtMs = nowMs;
  }

  /** Takes a permit if one is available now. */
  tryTake(nowMs: number): boolean {
    if (!this.limit) return true;
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** When the next permit will be available (nowMs if one is). */
  nextAtMs(nowMs: number): number {
    if (!this.limit) return nowMs;
    this.refill(nowMs);
    if (this.tokens >= 1) return nowMs;
    return nowMs + Math.ceil(((1 - this.tokens) * this.limit.perMs) / this.limit.permits);
  }

  private refill(nowMs: number): void {
    if (!this.limit) return;
    const elapsed = Math.max(0, nowMs - this.updatedAtMs);
    this.tokens = Math.min(this.limit.permits, this.tokens + (elapsed * this.limit.permits) / this.limit.perMs);
    this.updatedAtMs = Math.max(this.updatedAtMs, nowMs);
  }
}
