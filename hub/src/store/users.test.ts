import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { HubStore } from './index.ts';
import { tempDir } from '../../test/fixtures.ts';

const at = new Date('2025-05-01T12:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);
let cleanup: (() => void)[] = [];
afterEach(() => {
  cleanup.forEach((f) => f());
  cleanup = [];
});

function freshStore(): HubStore {
  const dir = tempDir();
  const store = HubStore.open(join(dir.path, 'hub.sqlite'));
  cleanup.push(() => store.close(), dir.remove);
  return store;
}

describe('users and sessions', () => {
  it('keep a username once; credentials only for enabled users; disabling ends their sessions', () => {
    const store = freshStore();
    expect(store.users.add({ username: 'anna', role: 'admin', passwordHash: 'scrypt$h' }, at)).toEqual({ username: 'anna', role: 'admin', createdAt: at.toISOString(), disabledAt: null });
    expect(store.users.add({ username: 'anna', role: 'planner', passwordHash: 'scrypt$other' }, at)).toBeUndefined();
    expect(store.users.credentials('anna')).toMatchObject({ role: 'admin', passwordHash: 'scrypt$h' });
    store.sessions.create({ tokenHash: 'h1', username: 'anna', expiresAt: later(3600_000) }, at);
    expect(store.sessions.lookup('h1', at)).toEqual({ username: 'anna', role: 'admin', expiresAt: later(3600_000).toISOString() });
    expect(store.users.disable('anna', later(1))).toBe(true);
    expect(store.users.disable('anna', later(2))).toBe(false);
    expect(store.users.get('anna')?.disabledAt).toBe(later(1).toISOString());
    expect(store.users.credentials('anna')).toBeUndefined();
    expect(store.sessions.countFor('anna')).toBe(0);
    expect(store.users.list().map((u) => u.username)).toEqual(['anna']);
  });

  it('a session works until its expiry, not at or after it; expired ones are purged; sign-out deletes one', () => {
    const store = freshStore();
    store.users.add({ username: 'bo', role: 'planner', passwordHash: 'x' }, at);
    store.sessions.create({ tokenHash: 'a', username: 'bo', expiresAt: later(1000) }, at);
    store.sessions.create({ tokenHash: 'b', username: 'bo', expiresAt: later(5000) }, at);
    expect(store.sessions.lookup('a', later(999))?.username).toBe('bo');
    expect(store.sessions.lookup('a', later(1000))).toBeUndefined();
    expect(store.sessions.lookup('unknown', at)).toBeUndefined();
    expect(store.sessions.purgeExpired(later(1000))).toBe(1);
    expect(store.sessions.delete('b')).toBe(true);
    expect(store.sessions.delete('b')).toBe(false);
    expect(store.sessions.countFor('bo')).toBe(0);
  });

  it('tokens are listed without their hashes and revoked once; the audit log names the user', () => {
    const store = freshStore();
    const t = store.tokens.add({ role: 'researcher', tokenHash: 'secret-hash', label: 'AAU' }, at);
    expect(store.tokens.list()).toEqual([{ id: t.id, role: 'researcher', label: 'AAU', createdAt: at.toISOString(), revokedAt: null }]);
    expect(store.tokens.revoke(t.id, later(1))).toBe(true);
    expect(store.tokens.revoke(t.id, later(2))).toBe(false);
    expect(store.tokens.get(t.id)?.revokedAt).toBe(later(1).toISOString());
    store.audit.add({ tokenId: null, username: 'anna', role: 'admin', action: 'token.revoke', detail: { id: t.id } }, at);
    store.audit.add({ tokenId: t.id, role: 'researcher', action: 'export', detail: {} }, at);
    expect(store.audit.list().map((a) => [a.action, a.tokenId, a.username])).toEqual([['export', t.id, null], ['token.revoke', null, 'anna']]);
  });
});
