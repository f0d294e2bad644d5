// Backoff between connection attempts. Pure: randomness is injected.

export interface RetryPolicy {
  /** Delay after the first round of servers fails. */
  initialDelayMs: number;
  /** Cap on the delay. */
  maxDelayMs: number;
  /** Growth per failed round. */
  multiplier: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { initialDelayMs: 50, maxDelayMs: 1000, multiplier: 2 };

/**
 * Delay before round `round` (1 = after the first full round failed): exponential, capped, with
 * "equal jitter" (half fixed, half random) so many clients of a restarted server do not reconnect
 * in lockstep.
 */
export function backoffDelayMs(policy: RetryPolicy, round: number, random: () => number): number {
  if (round <= 0) return 0;
  const exp = policy.initialDelayMs * Math.pow(policy.multiplier, Math.min(round - 1, 30));
  const capped = Math.min(policy.maxDelayMs, exp);
  return Math.round(capped / 2 + (capped / 2) * random());
}
