import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubStore } from '../store/index.ts';
import { rawSql } from '../store/testing.ts';
import { hashPassword, newApiToken, tokenHash, verifyPassword } from '../auth/index.ts';
import { createApi } from './app.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { openTestStore } from '../../test/stores.ts';

const t0 = new Date('2025-05-07T12:00:00Z');
let now = t0;
let store: HubStore;
let dispose: () => Promise<void>;
let api: ReturnType<typeof createApi>;
const PASSWORDS = { anna: 'anna-has-a-long-password', bo: 'bo-is-a-planner-here', cai: 'cai-does-research-1' };

beforeEach(async () => {
  now = t0;
  ({ store, dispose } = await openTestStore());
  await store.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, t0);
  await store.bins.insert(makeBatch({ binStart: '2025-05-07T10:00:00Z', lines: { l1: [3, 1, 2, 0] } }), t0);
  // A cheap scrypt cost keeps the tests quick; the hashes are read the same way.
  const cost = { N: 1024, r: 8, p: 1 };
  await store.users.add({ username: 'anna', role: 'admin', passwordHash: await hashPassword(PASSWORDS.anna, cost) }, t0);
  await store.users.add({ username: 'bo', role: 'planner', passwordHash: await hashPassword(PASSWORDS.bo, cost) }, t0);
  await store.users.add({ username: 'cai', role: 'researcher', passwordHash: await hashPassword(PASSWORDS.cai, cost) }, t0);
  api = createApi({ store, clock: () => now });
});
afterEach(async () => {
  await dispose();
});

const json = { 'content-type': 'application/json' };
const signIn = (username: string, password: string, headers: Record<string, string> = {}, app = api) =>
  app.request('/api/v1/session', { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify({ username, password }) });

/** Signs in and returns the Cookie header to send back. */
async function cookieOf(username: keyof typeof PASSWORDS): Promise<string> {
  const res = await signIn(username, PASSWORDS[username]);
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0];
}
const as = (cookie: string, path: string, init: RequestInit = {}) => api.request(path, { ...init, headers: { cookie, ...(init.headers as Record<string, string>) } });

describe('sign-in', () => {
  it('answers the user and role and sets an HttpOnly, SameSite=Strict session cookie for 12 hours; the cookie opens the API', async () => {
    const res = await signIn('Anna ', PASSWORDS.anna); // usernames are lower case; the form may not be
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ username: 'anna', role: 'admin' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^byliv_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=43200/);
    expect(cookie).not.toMatch(/Secure/);
    const session = cookie.split(';')[0];
    expect(await (await as(session, '/api/v1/session')).json()).toEqual({ username: 'anna', role: 'admin' });
    expect((await as(session, '/api/v1/sites')).status).toBe(200);
    expect((await store.audit.list())[0]).toMatchObject({ action: 'session.create', username: 'anna', role: 'admin', tokenId: null });

    const secure = createApi({ store, clock: () => now, secureCookies: true });
    expect((await signIn('bo', PASSWORDS.bo, {}, secure)).headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('gives the same 401 for a wrong password, an unknown user and a disabled one', async () => {
    await store.users.disable('bo', t0);
    for (const [username, password] of [['anna', 'not-the-password'], ['nobody', 'whatever-password'], ['bo', PASSWORDS.bo]]) {
      const res = await signIn(username, password);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'unauthorized', reason: 'wrong username or password' });
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    expect((await api.request('/api/v1/session')).status).toBe(401);
    expect((await api.request('/api/v1/session', { method: 'POST', headers: json, body: '{"username":"anna"}' })).status).toBe(400);
  });

  it('after 5 wrong passwords for a username in 15 minutes answers 429 with Retry-After, even to the right password, until they age out', async () => {
    for (let i = 0; i < 5; i++) {
      now = new Date(t0.getTime() + i * 60_000);
      expect((await signIn('anna', `wrong-guess-${i}`)).status).toBe(401);
    }
    now = new Date(t0.getTime() + 5 * 60_000);
    const blocked = await signIn('anna', PASSWORDS.anna);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe(String(10 * 60));
    expect((await blocked.json()) as object).toMatchObject({ error: 'too_many_requests' });
    expect((await signIn('bo', PASSWORDS.bo)).status).toBe(200); // other users are not affected
    // unknown usernames are throttled alike, so 429 does not reveal who exists
    for (let i = 0; i < 5; i++) await signIn('nobody', 'wrong-password');
    expect((await signIn('nobody', 'wrong-password')).status).toBe(429);
    now = new Date(t0.getTime() + 15 * 60_000);
    expect((await signIn('anna', PASSWORDS.anna)).status).toBe(200);
  });

  it('sign-out ends the session and clears the cookie; a session also ends 12 hours after sign-in', async () => {
    const cookie = await cookieOf('bo');
    const out = await as(cookie, '/api/v1/session', { method: 'DELETE' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^byliv_session=; Max-Age=0; Path=\//);
    expect((await as(cookie, '/api/v1/session')).status).toBe(401);
    expect((await rawSql(store).get<{ n: number }>('SELECT COUNT(*) AS n FROM sessions'))!.n).toBe(0);
    expect((await api.request('/api/v1/session', { method: 'DELETE' })).status).toBe(204); // signed out already: still fine

    const again = await cookieOf('bo');
    now = new Date(t0.getTime() + 12 * 3600_000 - 1000);
    expect((await as(again, '/api/v1/sites')).status).toBe(200);
    now = new Date(t0.getTime() + 12 * 3600_000);
    const expired = await as(again, '/api/v1/sites');
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { reason: string }).reason).toMatch(/sign in again/);
  });

  it('stores neither passwords nor session cookies in plain text', async () => {
    const cookie = await cookieOf('anna');
    const rows = await rawSql(store).all<{ username: string; password_hash: string }>('SELECT username, password_hash FROM users');
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.password_hash).toMatch(/^scrypt\$\d+\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(row.password_hash).not.toContain(PASSWORDS[row.username as keyof typeof PASSWORDS]);
    }
    const value = cookie.split('=')[1];
    const stored = (await rawSql(store).all<{ token_hash: string }>('SELECT token_hash FROM sessions')).map((r) => r.token_hash);
    expect(stored).toEqual([tokenHash(value)]);
    const dump = JSON.stringify(await rawSql(store).all('SELECT * FROM users')) + JSON.stringify(await rawSql(store).all('SELECT * FROM sessions')) + JSON.stringify(await store.audit.list());
    for (const secret of [...Object.values(PASSWORDS), value]) expect(dump).not.toContain(secret);
  });
});

describe('roles with a session', () => {
  it('a researcher gets 403 on counts and camera health but downloads the export, audited with the username', async () => {
    const cookie = await cookieOf('cai');
    const counts = await as(cookie, '/api/v1/counts?site=park');
    expect(counts.status).toBe(403);
    expect(await counts.json()).toEqual({ error: 'forbidden', reason: 'this route needs the role admin or planner; cai has the role researcher' });
    expect((await as(cookie, '/api/v1/health/cameras')).status).toBe(403);
    expect((await as(cookie, '/api/v1/users')).status).toBe(403);
    const csv = await as(cookie, '/api/v1/export?site=park');
    expect(csv.status).toBe(200);
    await csv.text();
    expect((await store.audit.list())[0]).toMatchObject({ action: 'export', username: 'cai', role: 'researcher', tokenId: null });
  });

  it('refuses a state change with the cookie from another origin or site; the same origin, and a bearer token, pass', async () => {
    const cookie = await cookieOf('anna');
    const installation = JSON.stringify({ id: 'bench1', site: 'park', name: 'Bænk', kind: 'bench', installedAt: '2025-05-01T00:00:00Z' });
    const post = (headers: Record<string, string>) => as(cookie, '/api/v1/installations', { method: 'POST', headers: { ...json, ...headers }, body: installation });
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, { origin: 'http://localhost:8080' }, { 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(((await res.json()) as { reason: string }).reason).toMatch(/cross-(origin|site) request refused/);
    }
    expect(await store.installations.get('bench1')).toBeUndefined();
    // sign-in and sign-out from another site are refused too
    expect((await signIn('anna', PASSWORDS.anna, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await as(cookie, '/api/v1/session', { method: 'DELETE', headers: { origin: 'https://evil.example' } })).status).toBe(403);
    // a cross-origin GET reads nothing it could not read anyway (no CORS headers): allowed
    expect((await as(cookie, '/api/v1/sites', { headers: { origin: 'https://evil.example' } })).status).toBe(200);

    expect((await post({ origin: 'http://localhost', 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect((await post({})).status).toBe(200); // no Origin: not a browser's cross-site form
    // behind a reverse proxy that rewrites Host, the forwarded host counts
    expect((await post({ origin: 'https://byliv.kommune.dk', host: '127.0.0.1:8080', 'x-forwarded-host': 'byliv.kommune.dk' })).status).toBe(200);
    expect((await post({ origin: 'https://evil.example', host: '127.0.0.1:8080', 'x-forwarded-host': 'byliv.kommune.dk' })).status).toBe(403);
    const token = newApiToken();
    await store.tokens.add({ role: 'admin', tokenHash: tokenHash(token) }, t0);
    const bearer = await api.request('/api/v1/installations', { method: 'POST', headers: { ...json, authorization: `Bearer ${token}`, origin: 'https://elsewhere.example' }, body: installation });
    expect(bearer.status).toBe(200);
  });

  it("ends a disabled user's sessions at once", async () => {
    const bo = await cookieOf('bo');
    const anna = await cookieOf('anna');
    expect((await as(bo, '/api/v1/counts?site=park')).status).toBe(200);
    const res = await as(anna, '/api/v1/users/bo', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ username: 'bo', role: 'planner', disabledAt: t0.toISOString() });
    expect((await as(bo, '/api/v1/counts?site=park')).status).toBe(401);
    expect((await signIn('bo', PASSWORDS.bo)).status).toBe(401);
    // even a session row left behind would not work: lookup checks the user
    await store.sessions.create({ tokenHash: tokenHash('left-behind'), username: 'bo', expiresAt: new Date(t0.getTime() + 3600_000) }, t0);
    expect((await as('byliv_session=left-behind', '/api/v1/sites')).status).toBe(401);
    expect((await as(anna, '/api/v1/users/anna', { method: 'DELETE' })).status).toBe(409);
    expect((await as(anna, '/api/v1/users/nobody', { method: 'DELETE' })).status).toBe(404);
  });
});

describe('admin: users, tokens, cameras', () => {
  it('adds users (password ≥ 12 characters, hashed), lists them without hashes, refuses a taken name; planners may not', async () => {
    const anna = await cookieOf('anna');
    const add = (body: object, cookie = anna) => as(cookie, '/api/v1/users', { method: 'POST', headers: json, body: JSON.stringify(body) });
    const short = await add({ username: 'dina', role: 'planner', password: 'too-short' });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { reason: string }).reason).toMatch(/password.*12 characters/);
    expect((await add({ username: 'Dina', role: 'planner', password: 'dina-long-password' })).status).toBe(400);
    expect((await add({ username: 'dina', role: 'boss', password: 'dina-long-password' })).status).toBe(400);
    const created = await add({ username: 'dina', role: 'planner', password: 'dina-long-password' });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ username: 'dina', role: 'planner', createdAt: t0.toISOString(), disabledAt: null });
    expect((await add({ username: 'dina', role: 'admin', password: 'another-long-password' })).status).toBe(409);
    expect((await signIn('dina', 'dina-long-password')).status).toBe(200);
    const list = (await (await as(anna, '/api/v1/users')).json()) as { users: object[] };
    expect(list.users.map((u) => Object.keys(u).sort())).toEqual(new Array(4).fill(['createdAt', 'disabledAt', 'role', 'username']));
    expect(JSON.stringify(list)).not.toContain('scrypt');
    expect((await add({ username: 'eve', role: 'admin', password: 'eve-long-password' }, await cookieOf('bo'))).status).toBe(403);
    expect((await store.audit.list()).find((a) => a.action === 'user.create')).toMatchObject({ username: 'anna', role: 'admin', detail: { username: 'dina', role: 'planner' } });
  });

  it('issues a token shown once, lists tokens without secrets, revokes one', async () => {
    const anna = await cookieOf('anna');
    const res = await as(anna, '/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ role: 'researcher', label: 'Aalborg Universitet' }) });
    expect(res.status).toBe(201);
    const issued = (await res.json()) as { id: number; token: string; role: string; label: string };
    expect(issued).toMatchObject({ role: 'researcher', label: 'Aalborg Universitet' });
    expect(issued.token).toMatch(/^byliv_/);
    const bearer = { authorization: `Bearer ${issued.token}` };
    expect((await api.request('/api/v1/export/dictionary', { headers: bearer })).status).toBe(200);
    const list = await (await as(anna, '/api/v1/tokens')).text();
    expect(JSON.parse(list)).toEqual({ tokens: [{ id: issued.id, role: 'researcher', label: 'Aalborg Universitet', createdAt: t0.toISOString(), revokedAt: null }] });
    expect(list).not.toContain(issued.token);
    expect(list).not.toContain(tokenHash(issued.token));
    expect((await as(anna, `/api/v1/tokens/${issued.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api.request('/api/v1/export/dictionary', { headers: bearer })).status).toBe(401);
    expect((await as(anna, '/api/v1/tokens/999', { method: 'DELETE' })).status).toBe(404);
    expect((await store.audit.list()).slice(0, 2).map((a) => [a.action, a.username, a.detail.id])).toEqual([['token.revoke', 'anna', issued.id], ['token.create', 'anna', issued.id]]);
  });

  it('registers a camera and shows its MQTT password once; the hub keeps only its hash', async () => {
    const anna = await cookieOf('anna');
    const res = await as(anna, '/api/v1/cameras', { method: 'POST', headers: json, body: JSON.stringify({ site: 'torv', camera: 'cam1', name: 'Torvet' }) });
    expect(res.status).toBe(201);
    const { username, password } = (await res.json()) as { username: string; password: string };
    expect(username).toBe('torv/cam1');
    const stored = (await store.cameras.byUsername('torv/cam1'))!;
    expect(stored.passwordHash).not.toContain(password);
    expect(await verifyPassword(password, stored.passwordHash)).toBe(true);
    expect((await store.cameras.sites()).find((s) => s.site === 'torv')?.name).toBe('Torvet');
    // A registered camera keeps its password unless the admin asks for a new one (issue 15 row 13).
    const refused = await as(anna, '/api/v1/cameras', { method: 'POST', headers: json, body: JSON.stringify({ site: 'torv', camera: 'cam1' }) });
    expect(refused.status).toBe(409);
    expect(await verifyPassword(password, (await store.cameras.byUsername('torv/cam1'))!.passwordHash)).toBe(true);
    const again = await as(anna, '/api/v1/cameras', { method: 'POST', headers: json, body: JSON.stringify({ site: 'torv', camera: 'cam1', rotatePassword: true }) });
    expect(again.status).toBe(200);
    expect(await verifyPassword(password, (await store.cameras.byUsername('torv/cam1'))!.passwordHash)).toBe(false);
    expect((await as(anna, '/api/v1/cameras', { method: 'POST', headers: json, body: JSON.stringify({ site: 'a/b', camera: 'cam1' }) })).status).toBe(400);
    expect((await store.audit.list()).slice(0, 2).map((a) => [a.action, a.username])).toEqual([['camera.password', 'anna'], ['camera.add', 'anna']]);
  });
});
