/**
 * Issue 15 row 14: parameters an attacker or a typo gets wrong are a 400, never a 500 or a
 * different action: token ids in hex or with a sign, years outside 1900–2100, a range whose
 * `from` is after its `to`, on every route that takes them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubStore, Role } from '../store/index.ts';
import { newApiToken, tokenHash } from '../auth/index.ts';
import { createApi } from './app.ts';
import { openTestStore } from '../../test/stores.ts';

const now = new Date('2025-05-07T12:00:00Z');
let store: HubStore;
let dispose: () => Promise<void>;
let api: ReturnType<typeof createApi>;
const tokens = {} as Record<Role, string>;

beforeEach(async () => {
  ({ store, dispose } = await openTestStore());
  await store.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, now);
  for (const role of ['admin', 'planner', 'researcher'] as const) {
    tokens[role] = newApiToken();
    await store.tokens.add({ role, tokenHash: tokenHash(tokens[role]) }, now);
  }
  api = createApi({ store, clock: () => now });
});
afterEach(async () => {
  await dispose();
});

const as = (path: string, init: RequestInit = {}) => api.request(path, { ...init, headers: { authorization: `Bearer ${tokens.admin}`, ...init.headers } });

describe('token ids', () => {
  it.each(['0x1', '1e0', '+1', '01', '1.0', ' 1', '-1', '9007199254740993'])('DELETE /tokens/%s is a 400 and revokes nothing', async (id) => {
    const res = await as(`/api/v1/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { reason: string }).reason).toMatch(/id/);
    expect((await store.tokens.list()).every((t) => t.revokedAt === null)).toBe(true);
  });

  it('a plain id still revokes; an unknown one is a 404', async () => {
    // Token 1 is the admin's own; 2 is the planner's.
    expect((await as('/api/v1/tokens/2', { method: 'DELETE' })).status).toBe(204);
    expect((await store.tokens.get(2))?.revokedAt).not.toBeNull();
    expect((await as('/api/v1/tokens/99', { method: 'DELETE' })).status).toBe(404);
  });
});

const RANGE_ROUTES = [
  '/api/v1/counts?site=park',
  '/api/v1/summary?camera=cam1',
  '/api/v1/health/completeness?camera=cam1',
  '/api/v1/export?site=park',
  '/api/v1/series?subject=site:park',
  '/api/v1/series/heatmap?subject=site:park',
  '/api/v1/series/dwell?subject=zone:park/cam1/z1',
  '/api/v1/indicators/urban?subject=site:park',
];

describe('dates', () => {
  const cases: [string, string][] = [
    ['a year before 1900', '&from=0999-01-01'],
    ['a year before 1900 (time)', '&from=1899-12-31T23:59:59Z'],
    ['a year after 2100', '&to=2101-01-01T00:00:01Z'],
    ['a year after 2100 (date)', '&to=9999-12-31'],
    ['from after to', '&from=2025-05-08&to=2025-05-01'],
    ['from equal to to', '&from=2025-05-08T00:00:00Z&to=2025-05-08T00:00:00Z'],
  ];
  for (const route of RANGE_ROUTES) {
    it.each(cases)(`${route.split('?')[0]}: %s is a 400 with a reason`, async (_, query) => {
      const res = await as(route + query);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { reason: string }).reason).toMatch(/from|to/);
    });
  }

  it('the edges themselves are accepted', async () => {
    expect((await as('/api/v1/summary?camera=cam1&from=1900-01-01&to=2100-12-31T23:59:59Z')).status).toBe(200);
  });
});
