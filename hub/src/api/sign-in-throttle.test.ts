/** The sign-in throttle over real HTTP, against a real store: concurrency, addresses, a restart. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/index.ts';
import { openStore } from '../store/index.ts';
import { openTestStore, type TestStore } from '../../test/stores.ts';
import { serveApi, type ServedApi } from '../../test/http.ts';
import { createApi } from './app.ts';

const t0 = new Date('2025-05-07T12:00:00Z');
let now = t0;
const clock = () => now;
const PASSWORD = 'anna-has-a-long-password';
let test: TestStore;
let served: ServedApi;

beforeEach(async () => {
  now = t0;
  test = await openTestStore();
  // A cheap scrypt cost keeps the test quick; the throttle is what is measured, not the hash.
  const passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
  await test.store.users.add({ username: 'anna', role: 'admin', passwordHash }, t0);
  served = await serveApi(createApi({ store: test.store, clock }));
});
afterEach(async () => {
  await served.close();
  await test.dispose();
});

const signIn = (password: string, options: { username?: string; headers?: Record<string, string>; url?: string } = {}) =>
  fetch(`${options.url ?? served.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ username: options.username ?? 'anna', password }),
  });

describe('sign-in throttle under concurrency', () => {
  it('lets 5 of 500 concurrent wrong passwords reach the password check, and refuses the right one in the same burst', async () => {
    const burst = [...Array.from({ length: 500 }, (_, i) => signIn(`wrong-guess-${i}`)), signIn(PASSWORD)];
    const answers = await Promise.all(burst);
    const statuses = answers.map((r) => r.status);
    // 401 is an answer after the hash was checked; 429 one refused before it
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(496);
    expect(statuses.at(-1)).toBe(429);
    expect(answers.at(-1)!.headers.get('retry-after')).toBe(String(15 * 60));
    expect(answers.at(-1)!.headers.get('set-cookie')).toBeNull();
    await Promise.all(answers.map((r) => r.body?.cancel()));
  }, 60_000);

  it('still refuses after a restart (the attempts are in the store), until they age out', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn(`wrong-guess-${i}`)).status).toBe(401);
    await served.close();
    // A new hub process: a new API and throttle, over a new connection to the same store.
    const reopened = await openStore(test.location);
    served = await serveApi(createApi({ store: reopened, clock }));
    try {
      now = new Date(t0.getTime() + 60_000);
      const refused = await signIn(PASSWORD);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe(String(14 * 60));
      now = new Date(t0.getTime() + 15 * 60_000);
      expect((await signIn(PASSWORD)).status).toBe(200);
    } finally {
      await served.close();
      await reopened.close();
      served = await serveApi(createApi({ store: test.store, clock }));
    }
  });

  it('refuses one address after 20 attempts across usernames; an address a trusted proxy forwards counts on its own', async () => {
    for (let i = 0; i < 20; i++) expect((await signIn('some-password', { username: `nobody${i}` })).status).toBe(401);
    const refused = await signIn(PASSWORD);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { reason: string }).reason).toMatch(/too many sign-in attempts for your address/);
    // From loopback (a proxy on the hub's machine), X-Forwarded-For names the client.
    expect((await signIn(PASSWORD, { headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' } })).status).toBe(200);
  });
});
