/**
 * Sign-in throttle. An attempt is counted when it starts, before the (slow, async) password
 * check, against its username and against its client address; when either is at its limit the
 * attempt is refused and nothing is checked. So 500 guesses sent at once for one user reach the
 * hash check at most `perUsername.maxAttempts` times, and the right password sent in the same
 * burst is refused like the rest.
 *
 * Per username, so rotating addresses does not help a guesser; unknown usernames count too, so
 * a refusal does not reveal which accounts exist. Per address, so one client cannot spray a few
 * guesses at each of many usernames. A right password forgets the username's attempts and takes
 * its own back from the address (an office behind one address is not locked out by its own
 * sign-ins). Pure: the caller gives the time; sign-in-throttle.ts keeps it in the store.
 */
export interface ThrottleLimit {
  maxAttempts: number;
  windowMs: number;
}

export interface ThrottleOptions {
  perUsername: ThrottleLimit;
  perAddress: ThrottleLimit;
  /** How many usernames (and, apart, addresses) are remembered at most; the stalest are forgotten first. */
  maxKeys: number;
}

const MINUTES_15 = 15 * 60 * 1000;
export const SIGN_IN_THROTTLE: ThrottleOptions = {
  perUsername: { maxAttempts: 5, windowMs: MINUTES_15 },
  perAddress: { maxAttempts: 20, windowMs: MINUTES_15 },
  maxKeys: 10_000,
};

/** The keys attempts are stored under. */
export const usernameKey = (username: string) => `user:${username}`;
export const addressKey = (address: string) => `address:${address}`;

/** An attempt that was let through to the password check. */
export interface Attempt {
  username: string;
  address: string;
  atMs: number;
}

export type Admission = { admitted: true; attempt: Attempt } | { admitted: false; retryAfterSeconds: number; limitedBy: 'username' | 'address' };

/** Per key, the times of its attempts within the window (at most maxAttempts of them). */
class AttemptWindow {
  private readonly times = new Map<string, number[]>();

  constructor(
    private readonly limit: ThrottleLimit,
    private readonly maxKeys: number,
  ) {}

  /** 0 when the key may try at `now`, else the whole seconds until it may. */
  waitSeconds(key: string, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length < this.limit.maxAttempts) return 0;
    const freeAt = recent[recent.length - this.limit.maxAttempts] + this.limit.windowMs;
    return Math.max(1, Math.ceil((freeAt - now) / 1000));
  }

  add(key: string, at: number): void {
    const recent = [...this.recent(key, at), at].sort((a, b) => a - b);
    // Re-inserting moves the key to the end of the Map's order: the stalest key is first.
    this.times.delete(key);
    this.times.set(key, recent.slice(-this.limit.maxAttempts));
    while (this.times.size > this.maxKeys) this.times.delete(this.times.keys().next().value!);
  }

  /** Takes one attempt at `at` back. */
  remove(key: string, at: number): void {
    const times = this.times.get(key);
    const i = times?.indexOf(at) ?? -1;
    if (i >= 0) times!.splice(i, 1);
  }

  forget(key: string): void {
    this.times.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.times.get(key) ?? []).filter((t) => t > now - this.limit.windowMs);
  }
}

export class LoginThrottle {
  private readonly usernames: AttemptWindow;
  private readonly addresses: AttemptWindow;

  constructor(readonly options: ThrottleOptions = SIGN_IN_THROTTLE) {
    this.usernames = new AttemptWindow(options.perUsername, options.maxKeys);
    this.addresses = new AttemptWindow(options.perAddress, options.maxKeys);
  }

  /** Counts an attempt against both, or refuses it (counting nothing) when either is at its limit. */
  admit(username: string, address: string, now: Date): Admission {
    const at = now.getTime();
    const byUsername = this.usernames.waitSeconds(username, at);
    const byAddress = this.addresses.waitSeconds(address, at);
    if (byUsername > 0 || byAddress > 0) {
      return { admitted: false, retryAfterSeconds: Math.max(byUsername, byAddress), limitedBy: byUsername >= byAddress ? 'username' : 'address' };
    }
    this.usernames.add(username, at);
    this.addresses.add(address, at);
    return { admitted: true, attempt: { username, address, atMs: at } };
  }

  /** The right password: the username starts afresh, and the attempt no longer counts against the address. */
  succeeded(attempt: Attempt): void {
    this.usernames.forget(attempt.username);
    this.addresses.remove(attempt.address, attempt.atMs);
  }

  /** An attempt counted before a restart (read back from the store by its key). */
  restore(key: string, atMs: number): void {
    if (key.startsWith('user:')) this.usernames.add(key.slice('user:'.length), atMs);
    else if (key.startsWith('address:')) this.addresses.add(key.slice('address:'.length), atMs);
  }
}
