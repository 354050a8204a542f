/**
 * The login throttle kept in the store, so a restart does not hand a guesser fresh tries.
 * The decision stays in memory (LoginThrottle.admit is synchronous: no other sign-in can slip
 * in between the check and the count); each counted attempt is then written through before its
 * password is checked, and the hub reads the recent ones back on its first sign-in. Several
 * hubs on one PostgreSQL database each read the others' attempts only when they start.
 */
import type { HubStore } from '../store/index.ts';
import { LoginThrottle, SIGN_IN_THROTTLE, addressKey, usernameKey, type Admission, type Attempt, type ThrottleOptions } from './login-throttle.ts';

export interface StoredAttempt extends Attempt {
  ids: [username: number, address: number];
}

export type StoredAdmission = { admitted: true; attempt: StoredAttempt } | Extract<Admission, { admitted: false }>;

export class SignInThrottle {
  private readonly throttle: LoginThrottle;
  private restored: Promise<void> | undefined;
  private readonly windowMs: number;

  constructor(
    private readonly store: HubStore,
    options: ThrottleOptions = SIGN_IN_THROTTLE,
  ) {
    this.throttle = new LoginThrottle(options);
    this.windowMs = Math.max(options.perUsername.windowMs, options.perAddress.windowMs);
  }

  async admit(username: string, address: string, now: Date): Promise<StoredAdmission> {
    await (this.restored ??= this.restore(now));
    const admission = this.throttle.admit(username, address, now);
    if (!admission.admitted) return admission;
    const { atMs } = admission.attempt;
    const attempts = this.store.signInAttempts;
    await attempts.purge(atMs - this.windowMs);
    const ids: [number, number] = [await attempts.add(usernameKey(username), atMs), await attempts.add(addressKey(address), atMs)];
    return { admitted: true, attempt: { ...admission.attempt, ids } };
  }

  async succeeded(attempt: StoredAttempt): Promise<void> {
    this.throttle.succeeded(attempt);
    await this.store.signInAttempts.removeKey(usernameKey(attempt.username));
    await this.store.signInAttempts.remove(attempt.ids[1]);
  }

  private async restore(now: Date): Promise<void> {
    try {
      for (const row of await this.store.signInAttempts.since(now.getTime() - this.windowMs)) this.throttle.restore(row.key, row.atMs);
    } catch (error) {
      // Let the next sign-in try again rather than run without what was counted.
      this.restored = undefined;
      throw error;
    }
  }
}
