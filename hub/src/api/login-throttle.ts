/**
 * Sign-in throttle: after `maxFailures` wrong passwords for one username within `windowMs`,
 * that username may not try again until the oldest of those failures is `windowMs` old. Keyed
 * by username (not by address) so a guesser cannot rotate addresses; unknown usernames are
 * counted too, so the answer does not reveal which accounts exist. Kept in memory: a restart
 * forgets it, which costs an attacker a hub restart per 5 guesses. Pure: the caller gives the time.
 */
export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** How many usernames are remembered at most; the stalest are forgotten first. */
  maxKeys: number;
}

export const SIGN_IN_THROTTLE: ThrottleOptions = { maxFailures: 5, windowMs: 15 * 60 * 1000, maxKeys: 10_000 };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly options: ThrottleOptions = SIGN_IN_THROTTLE) {}

  /** 0 when the username may try now, else the whole seconds to wait. */
  retryAfterSeconds(username: string, now: Date): number {
    const recent = this.recent(username, now.getTime());
    if (recent.length < this.options.maxFailures) return 0;
    const freeAt = recent[recent.length - this.options.maxFailures] + this.options.windowMs;
    return Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
  }

  fail(username: string, now: Date): void {
    const recent = this.recent(username, now.getTime());
    recent.push(now.getTime());
    // Only the last maxFailures matter; re-inserting moves the key to the end of the Map's order.
    this.failures.delete(username);
    this.failures.set(username, recent.slice(-this.options.maxFailures));
    while (this.failures.size > this.options.maxKeys) this.failures.delete(this.failures.keys().next().value!);
  }

  succeed(username: string): void {
    this.failures.delete(username);
  }

  private recent(username: string, now: number): number[] {
    return (this.failures.get(username) ?? []).filter((t) => t > now - this.options.windowMs);
  }
}
