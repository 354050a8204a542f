import { describe, expect, it } from 'vitest';
import { LoginThrottle, type Admission } from './login-throttle.ts';

const t0 = Date.parse('2025-05-07T12:00:00Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000);
const wait = (a: Admission) => (a.admitted ? 0 : a.retryAfterSeconds);

describe('sign-in throttle', () => {
  it('admits 5 attempts per username in 15 minutes, then refuses until the oldest of them is 15 minutes old', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 5; i++) expect(throttle.admit('anna', 'a1', at(i * 60)).admitted).toBe(true);
    const refused = throttle.admit('anna', 'a1', at(5 * 60));
    expect(refused).toEqual({ admitted: false, retryAfterSeconds: 10 * 60, limitedBy: 'username' });
    expect(throttle.admit('bo', 'a1', at(5 * 60)).admitted).toBe(true); // per username
    expect(wait(throttle.admit('anna', 'a2', at(15 * 60 - 1)))).toBe(1); // another address does not help
    // the first attempt has aged out: one more, and then refused until the second ages out
    expect(throttle.admit('anna', 'a1', at(15 * 60)).admitted).toBe(true);
    expect(wait(throttle.admit('anna', 'a1', at(15 * 60)))).toBe(60);
  });

  it('counts an attempt when it is admitted, before its outcome is known: a burst gets 5 through', () => {
    const throttle = new LoginThrottle();
    const burst = Array.from({ length: 500 }, () => throttle.admit('anna', 'a1', at(0)));
    expect(burst.filter((a) => a.admitted)).toHaveLength(5);
  });

  it('forgets the username’s attempts after the right password, and takes that attempt back from the address', () => {
    const throttle = new LoginThrottle({ perUsername: { maxAttempts: 3, windowMs: 60_000 }, perAddress: { maxAttempts: 3, windowMs: 60_000 }, maxKeys: 100 });
    throttle.admit('anna', 'office', at(0));
    throttle.admit('anna', 'office', at(1));
    const right = throttle.admit('anna', 'office', at(2));
    if (!right.admitted) throw new Error('expected admitted');
    throttle.succeeded(right.attempt);
    // anna is afresh; the office has 2 of 3 used (the two wrong ones), not 3
    expect(throttle.admit('bo', 'office', at(3)).admitted).toBe(true);
    expect(throttle.admit('cai', 'office', at(4))).toMatchObject({ admitted: false, limitedBy: 'address' });
    expect(throttle.admit('anna', 'home', at(4)).admitted).toBe(true);
  });

  it('refuses an address after 20 attempts on any usernames, counting nothing for the refused ones', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 20; i++) expect(throttle.admit(`user${i}`, 'sprayer', at(i)).admitted).toBe(true);
    expect(throttle.admit('user99', 'sprayer', at(20))).toMatchObject({ admitted: false, limitedBy: 'address' });
    // the refusal did not count against user99
    for (let i = 0; i < 5; i++) expect(throttle.admit('user99', `elsewhere${i}`, at(21)).admitted).toBe(true);
  });

  it('restores attempts read back from the store', () => {
    const before = new LoginThrottle();
    const after = new LoginThrottle();
    for (let i = 0; i < 5; i++) {
      before.admit('anna', 'a1', at(i));
      after.restore('user:anna', t0 + i * 1000);
      after.restore('address:a1', t0 + i * 1000);
    }
    expect(after.admit('anna', 'a9', at(10))).toEqual(before.admit('anna', 'a9', at(10)));
    expect(after.admit('anna', 'a9', at(10)).admitted).toBe(false);
  });

  it('remembers at most maxKeys usernames, forgetting the stalest', () => {
    const throttle = new LoginThrottle({ perUsername: { maxAttempts: 1, windowMs: 60_000 }, perAddress: { maxAttempts: 100, windowMs: 60_000 }, maxKeys: 2 });
    throttle.admit('a', 'x', at(0));
    throttle.admit('b', 'x', at(1));
    throttle.admit('c', 'x', at(3)); // a goes
    expect(throttle.admit('a', 'x', at(4)).admitted).toBe(true);
    expect(throttle.admit('c', 'x', at(4)).admitted).toBe(false);
  });
});
