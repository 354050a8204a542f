import { afterEach, describe, expect, it } from 'vitest';
import type { HubStore } from './index.ts';
import { openTestStore } from '../../test/stores.ts';

const at = new Date('2025-05-01T12:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup) await f();
  cleanup = [];
});

async function freshStore(): Promise<HubStore> {
  const { store, dispose } = await openTestStore();
  cleanup.push(dispose);
  return store;
}

describe('users and sessions', () => {
  it('keep a username once; credentials only for enabled users; disabling ends their sessions', async () => {
    const store = await freshStore();
    expect(await store.users.add({ username: 'anna', role: 'admin', passwordHash: 'scrypt$h' }, at)).toEqual({ username: 'anna', role: 'admin', createdAt: at.toISOString(), disabledAt: null });
    expect(await store.users.add({ username: 'anna', role: 'planner', passwordHash: 'scrypt$other' }, at)).toBeUndefined();
    expect(await store.users.credentials('anna')).toMatchObject({ role: 'admin', passwordHash: 'scrypt$h' });
    await store.sessions.create({ tokenHash: 'h1', username: 'anna', expiresAt: later(3600_000) }, at);
    expect(await store.sessions.lookup('h1', at)).toEqual({ username: 'anna', role: 'admin', expiresAt: later(3600_000).toISOString() });
    expect(await store.users.disable('anna', later(1))).toBe(true);
    expect(await store.users.disable('anna', later(2))).toBe(false);
    expect((await store.users.get('anna'))?.disabledAt).toBe(later(1).toISOString());
    expect(await store.users.credentials('anna')).toBeUndefined();
    expect(await store.sessions.countFor('anna')).toBe(0);
    expect((await store.users.list()).map((u) => u.username)).toEqual(['anna']);
  });

  it('a session works until its expiry, not at or after it; expired ones are purged; sign-out deletes one', async () => {
    const store = await freshStore();
    await store.users.add({ username: 'bo', role: 'planner', passwordHash: 'x' }, at);
    await store.sessions.create({ tokenHash: 'a', username: 'bo', expiresAt: later(1000) }, at);
    await store.sessions.create({ tokenHash: 'b', username: 'bo', expiresAt: later(5000) }, at);
    expect((await store.sessions.lookup('a', later(999)))?.username).toBe('bo');
    expect(await store.sessions.lookup('a', later(1000))).toBeUndefined();
    expect(await store.sessions.lookup('unknown', at)).toBeUndefined();
    expect(await store.sessions.purgeExpired(later(1000))).toBe(1);
    expect(await store.sessions.delete('b')).toBe(true);
    expect(await store.sessions.delete('b')).toBe(false);
    expect(await store.sessions.countFor('bo')).toBe(0);
  });

  it('tokens are listed without their hashes and revoked once; the audit log names the user', async () => {
    const store = await freshStore();
    const t = await store.tokens.add({ role: 'researcher', tokenHash: 'secret-hash', label: 'AAU' }, at);
    expect(await store.tokens.list()).toEqual([{ id: t.id, role: 'researcher', label: 'AAU', createdAt: at.toISOString(), revokedAt: null }]);
    expect(await store.tokens.revoke(t.id, later(1))).toBe(true);
    expect(await store.tokens.revoke(t.id, later(2))).toBe(false);
    expect((await store.tokens.get(t.id))?.revokedAt).toBe(later(1).toISOString());
    await store.audit.add({ tokenId: null, username: 'anna', role: 'admin', action: 'token.revoke', detail: { id: t.id } }, at);
    await store.audit.add({ tokenId: t.id, role: 'researcher', action: 'export', detail: {} }, at);
    expect((await store.audit.list()).map((a) => [a.action, a.tokenId, a.username])).toEqual([['export', t.id, null], ['token.revoke', null, 'anna']]);
  });
});
