/** Reconnect delays for a dropped stream: exponential, capped, optionally finite. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Give up after this many failures in a row (Infinity: a camera is worth waiting for). */
  maxAttempts: number;
}

/** Delay before attempt `failures` (1-based), or null when it is time to give up. */
export function nextBackoffMs(policy: BackoffPolicy, failures: number): number | null {
  if (failures > policy.maxAttempts) return null;
  return Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, failures - 1));
}
