/**
 * Per-camera pacing of what a camera publishes to the embedded broker: a token bucket per
 * camera, `perSecond` sustained with `burst` at once. A message beyond the rate is not
 * refused but held back: its ingest (and so its PUBACK) waits for its turn, which slows the
 * sender's in-flight window down to the rate, so nothing is lost and one camera cannot fill
 * the database or the ingest path at the others' expense. A sender that keeps publishing
 * without waiting for PUBACKs builds a line; past `maxWaitMs` the connection is closed
 * (without PUBACK, so an honest agent resends later).
 *
 * The defaults are far above an agent's pace (one batch a bin, a status every half minute)
 * and let an agent drain a week of queued bins (10,080 at 1-min bins) in under ten minutes.
 * Pure: the caller gives the time.
 */
export interface PaceLimits {
  perSecond: number;
  burst: number;
  /** Longest a message may be held back; beyond it the sender is cut off. */
  maxWaitMs: number;
}

export const DEFAULT_PACE_LIMITS: PaceLimits = { perSecond: 20, burst: 200, maxWaitMs: 10_000 };

interface Bucket {
  /** Tokens at `at` (may be negative: messages already promised a later turn). */
  tokens: number;
  at: number;
}

export class CameraPacer {
  private readonly buckets = new Map<string, Bucket>();

  constructor(readonly limits: PaceLimits = DEFAULT_PACE_LIMITS) {
    if (!(limits.perSecond > 0 && limits.burst >= 1 && limits.maxWaitMs >= 0)) throw new Error(`pace limits must be positive, got ${JSON.stringify(limits)}`);
  }

  /**
   * Takes a turn for one message of `camera` at `nowMs`: how many ms to hold it back (0: at
   * once), or null when it would wait longer than maxWaitMs (nothing is taken then).
   */
  take(camera: string, nowMs: number): number | null {
    const { perSecond, burst, maxWaitMs } = this.limits;
    const b = this.buckets.get(camera) ?? { tokens: burst, at: nowMs };
    const tokens = Math.min(burst, b.tokens + ((nowMs - b.at) * perSecond) / 1000);
    const wait = tokens >= 1 ? 0 : ((1 - tokens) * 1000) / perSecond;
    if (wait > maxWaitMs) return null;
    this.buckets.set(camera, { tokens: tokens - 1, at: nowMs });
    return wait;
  }

  /** Forgets cameras whose bucket has been full again for a while (memory stays bounded). */
  sweep(nowMs: number): void {
    const { perSecond, burst } = this.limits;
    for (const [camera, b] of this.buckets) if (b.tokens + ((nowMs - b.at) * perSecond) / 1000 >= burst) this.buckets.delete(camera);
  }
}
