import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

const t0 = Date.parse('2025-05-07T12:00:00Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000);

describe('sign-in throttle', () => {
  it('allows 5 failures in 15 minutes, then blocks until the oldest of them is 15 minutes old', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 5; i++) {
      expect(throttle.retryAfterSeconds('anna', at(i * 60))).toBe(0);
      throttle.fail('anna', at(i * 60));
    }
    expect(throttle.retryAfterSeconds('anna', at(5 * 60))).toBe(10 * 60);
    expect(throttle.retryAfterSeconds('bo', at(5 * 60))).toBe(0); // per username
    expect(throttle.retryAfterSeconds('anna', at(15 * 60 - 1))).toBe(1);
    // the first failure has aged out: one more try, and a failure blocks again until the second ages out
    expect(throttle.retryAfterSeconds('anna', at(15 * 60))).toBe(0);
    throttle.fail('anna', at(15 * 60));
    expect(throttle.retryAfterSeconds('anna', at(15 * 60))).toBe(60);
  });

  it('forgets failures older than the window and after a success', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 4; i++) throttle.fail('anna', at(i));
    throttle.fail('anna', at(16 * 60)); // the first four are older than 15 minutes by now
    expect(throttle.retryAfterSeconds('anna', at(16 * 60))).toBe(0);
    for (let i = 0; i < 4; i++) throttle.fail('anna', at(16 * 60 + i));
    expect(throttle.retryAfterSeconds('anna', at(16 * 60 + 5))).toBeGreaterThan(0);
    throttle.succeed('anna');
    expect(throttle.retryAfterSeconds('anna', at(16 * 60 + 5))).toBe(0);
  });

  it('remembers at most maxKeys usernames, forgetting the stalest', () => {
    const throttle = new LoginThrottle({ maxFailures: 1, windowMs: 60_000, maxKeys: 2 });
    throttle.fail('a', at(0));
    throttle.fail('b', at(1));
    throttle.fail('a', at(2)); // a is fresh again
    throttle.fail('c', at(3)); // b goes
    expect(throttle.retryAfterSeconds('a', at(4))).toBeGreaterThan(0);
    expect(throttle.retryAfterSeconds('b', at(4))).toBe(0);
    expect(throttle.retryAfterSeconds('c', at(4))).toBeGreaterThan(0);
  });
});
