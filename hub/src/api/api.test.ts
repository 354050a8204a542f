import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CountSummary, type CountBatch } from '@byliv/protocol';
import type { HubStore, Role } from '../store/index.ts';
import { newApiToken, tokenHash } from '../auth/index.ts';
import { createApi } from './app.ts';
import { EXPORT_COLUMNS } from './routes/export-dictionary.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { openTestStore } from '../../test/stores.ts';

const now = new Date('2025-05-07T12:00:00Z');
let store: HubStore;
let dispose: () => Promise<void>;
let api: ReturnType<typeof createApi>;
const tokens = {} as Record<Role, string>;

beforeEach(async () => {
  ({ store, dispose } = await openTestStore());
  await store.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, now);
  await store.cameras.register({ site: 'park', camera: 'cam2', mqttUsername: 'park/cam2', passwordHash: 'x' }, now);
  for (const role of ['admin', 'planner', 'researcher'] as const) {
    tokens[role] = newApiToken();
    await store.tokens.add({ role, tokenHash: tokenHash(tokens[role]) }, now);
  }
  api = createApi({ store, clock: () => now });
});
afterEach(async () => {
  await dispose();
});

const get = (path: string, role?: Role) => api.request(path, { headers: role ? { authorization: `Bearer ${tokens[role]}` } : {} });

/** `batch` with zone `zone`'s dwell histogram set (one count per ended visit). */
function withDwell(batch: CountBatch, zone: string, dwellHistogram: number[]): CountBatch {
  return { ...batch, zones: { ...batch.zones, [zone]: { ...batch.zones[zone], dwellHistogram } } };
}

/** Three bins of cam1 on Wednesday 2025-05-07 and one of cam2. */
async function seed() {
  const batches = [
    // z1's 1 exit: a visit of 15–30 s.
    withDwell(makeBatch({ seq: 0, binStart: '2025-05-07T10:00:00Z', lines: { l1: [3, 1, 2, 0] }, zones: { z1: { entries: 2, exits: 1, personSeconds: 30, occupancyMax: 2 } } }), 'z1', [0, 0, 1, 0, 0, 0, 0, 0, 0]),
    // z1's 5 exits: visits of < 5 s, 3 × 30–60 s and one of 120–300 s.
    withDwell(
      makeBatch({ seq: 1, binStart: '2025-05-07T10:20:00Z', lines: { l1: [4, 0, 0, 2] }, zones: { z1: { entries: 4, cyclists: 1, exits: 5, personSeconds: 12.25, occupancyMax: 4 } }, gapSeconds: 15 }),
      'z1',
      [1, 0, 0, 3, 0, 1, 0, 0, 0],
    ),
    makeBatch({ seq: 2, binStart: '2025-05-07T11:05:00Z', lines: { l1: [1, 0, 0, 0] }, zones: { z1: { entries: 0, personSeconds: 0 } } }),
    makeBatch({ camera: 'cam2', binStart: '2025-05-07T10:00:00Z', lines: { l9: [7, 0, 0, 0] } }),
  ];
  for (const b of batches) await store.bins.insert(b, now);
  return batches;
}

describe('API tokens and roles', () => {
  it('401 without a token, with a malformed header, with an unknown or revoked token; errors are JSON with a reason', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: `Bearer ${newApiToken()}` }] as Record<string, string>[]) {
      const res = await api.request('/api/v1/sites', { headers });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: string; reason: string };
      expect(body.error).toBe('unauthorized');
      expect(body.reason.length).toBeGreaterThan(10);
    }
    const id = (await store.tokens.byHash(tokenHash(tokens.planner)))!.id;
    expect((await get('/api/v1/sites', 'planner')).status).toBe(200);
    await store.tokens.revoke(id, now);
    expect((await get('/api/v1/sites', 'planner')).status).toBe(401);
  });

  it('403 for a role the route does not allow, naming the roles', async () => {
    const res = await get('/api/v1/counts?site=park', 'researcher');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'forbidden', reason: 'this route needs the role admin or planner; the token has the role researcher' });
    const post = await api.request('/api/v1/installations', { method: 'POST', headers: { authorization: `Bearer ${tokens.planner}` }, body: '{}' });
    expect(post.status).toBe(403);
  });

  it('serves health and the OpenAPI document without a token, and the document lists every route', async () => {
    expect(await (await api.request('/healthz')).json()).toEqual({ ok: true });
    const doc = (await (await api.request('/api/v1/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    // The dashboard's files (/, /assets/…) are not the API.
    const routes = api.routes.filter((r) => r.method !== 'ALL' && (r.path.startsWith('/api/') || r.path === '/healthz')).map((r) => [r.path.replace(/:(\w+)/g, '{$1}'), r.method.toLowerCase()] as const);
    expect(routes.length).toBeGreaterThan(10);
    for (const [path, method] of routes) expect(doc.paths[path]?.[method], `${method} ${path} in openapi.json`).toBeDefined();
  });
});

describe('counts', () => {
  it('sums bins into hours, by line, over both classes, with the observed seconds of each hour', async () => {
    await seed();
    const res = await get('/api/v1/counts?site=park&camera=cam1&rollup=hour&by=line', 'planner');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: unknown[]; timeZone: string };
    expect(body.timeZone).toBe('UTC');
    expect(body.rows).toEqual([
      { start: '2025-05-07T10:00:00.000Z', end: '2025-05-07T11:00:00.000Z', site: 'park', camera: 'cam1', line: 'l1', class: 'all', forward: 8, backward: 4, observedSeconds: 105 },
      { start: '2025-05-07T11:00:00.000Z', end: '2025-05-07T12:00:00.000Z', site: 'park', camera: 'cam1', line: 'l1', class: 'all', forward: 1, backward: 0, observedSeconds: 60 },
    ]);
  });

  it('filters one class, rolls up to 15 minutes, days and Monday-based weeks, and covers every camera of the site', async () => {
    await seed();
    const q15 = (await (await get('/api/v1/counts?site=park&camera=cam1&rollup=15m&class=cyclist', 'planner')).json()) as { rows: { start: string; forward: number; backward: number }[] };
    expect(q15.rows.map((r) => [r.start.slice(11, 16), r.forward, r.backward])).toEqual([
      ['10:00', 1, 0],
      ['10:15', 0, 2],
      ['11:00', 0, 0],
    ]);
    const week = (await (await get('/api/v1/counts?site=park&rollup=week', 'admin')).json()) as { rows: { start: string; camera: string; line: string; forward: number }[] };
    expect(week.rows.map((r) => [r.start, r.camera, r.line, r.forward])).toEqual([
      ['2025-05-05T00:00:00.000Z', 'cam1', 'l1', 9], // Monday
      ['2025-05-05T00:00:00.000Z', 'cam2', 'l9', 7],
    ]);
    const day = (await (await get('/api/v1/counts?site=park&camera=cam1&rollup=day&from=2025-05-07T10:10:00Z&to=2025-05-08', 'admin')).json()) as { rows: { forward: number }[] };
    expect(day.rows.map((r) => r.forward)).toEqual([5]); // the 10:00 bin is before `from`
  });

  it('sums zones: entries and exits by class, person-seconds and the largest occupancy over both', async () => {
    await seed();
    const all = (await (await get('/api/v1/counts?site=park&camera=cam1&by=zone', 'planner')).json()) as { rows: object[] };
    expect(all.rows[0]).toMatchObject({ zone: 'z1', entries: 7, exits: 6, personSeconds: 42.25, occupancyMax: 4 });
    const persons = (await (await get('/api/v1/counts?site=park&camera=cam1&by=zone&class=person', 'planner')).json()) as { rows: object[] };
    expect(persons.rows[0]).toMatchObject({ zone: 'z1', class: 'person', entries: 6, exits: 6, personSeconds: 42.25 });
  });

  it('answers 400 naming each bad parameter, and 404 for an unknown site', async () => {
    const res = await get('/api/v1/counts?site=park&rollup=month&class=dog&from=yesterday', 'planner');
    expect(res.status).toBe(400);
    const { reason } = (await res.json()) as { reason: string };
    expect(reason).toMatch(/rollup/);
    expect(reason).toMatch(/class/);
    expect(reason).toMatch(/from/);
    expect((await get('/api/v1/counts?site=park&from=2025-05-08&to=2025-05-07', 'planner')).status).toBe(400);
    expect((await get('/api/v1/counts?site=nowhere', 'planner')).status).toBe(404);
    expect((await get('/api/v1/counts?site=park&extra=1', 'planner')).status).toBe(400);
  });
});

describe('summary and health', () => {
  it('gives the CountSummary of a camera: frames, observed seconds, lines and zones over classes', async () => {
    await seed();
    const res = await get('/api/v1/summary?camera=cam1', 'planner');
    const summary = CountSummary.parse(await res.json());
    expect(summary).toEqual({
      frames: 1800,
      seconds: 165,
      lines: { l1: { forward: 9, backward: 4 } },
      // Dwell: Σ histograms [1,0,1,3,0,1,0,0,0], 6 ended visits (= the exits); staying (≥ 30 s):
      // 3 + 1 = 4; the median (3rd of 6) lies 1 visit into the 3 of [30, 60): 30 + 30 / 3 = 40.
      zones: {
        z1: {
          entries: 7,
          exits: 6,
          personSeconds: 42.25,
          maxOccupancy: 4,
          visits: 6,
          dwellHistogram: [1, 0, 1, 3, 0, 1, 0, 0, 0],
          stayingVisits: 4,
          medianDwellSeconds: 40,
        },
      },
    });
    const ranged = CountSummary.parse(await (await get('/api/v1/summary?camera=cam1&site=park&from=2025-05-07T11:00:00Z', 'planner')).json());
    expect(ranged.lines.l1).toEqual({ forward: 1, backward: 0 });
    expect((await get('/api/v1/summary?camera=ghost', 'planner')).status).toBe(404);
  });

  it('shows every camera with its latest status and last-seen time', async () => {
    await seed();
    await store.statuses.add({ v: 1, site: 'park', camera: 'cam1', state: 'online', at: '2025-05-07T11:59:00Z', outboxDepth: 4 }, now);
    const body = (await (await get('/api/v1/health/cameras', 'planner')).json()) as { cameras: Record<string, unknown>[] };
    expect(body.cameras.map((c) => [c.camera, c.state, c.outboxDepth, c.batches, c.lastSeen])).toEqual([
      ['cam1', 'online', 4, 3, now.toISOString()],
      ['cam2', 'unknown', null, 1, now.toISOString()],
    ]);
  });

  it('gives the share of each hour observed, 0 for hours with no bins', async () => {
    await seed();
    const body = (await (await get('/api/v1/health/completeness?camera=cam1&from=2025-05-07T09:00:00Z&to=2025-05-07T12:00:00Z', 'planner')).json()) as {
      hours: { start: string; observedSeconds: number; share: number }[];
    };
    expect(body.hours.map((h) => [h.start.slice(11, 16), h.observedSeconds])).toEqual([
      ['09:00', 0],
      ['10:00', 105],
      ['11:00', 60],
    ]);
    expect(body.hours[2].share).toBeCloseTo(60 / 3600, 4);
  });
});

describe('installations', () => {
  it('lets an admin add and update one, audited; refuses a bad body with the field named', async () => {
    const post = (body: unknown) =>
      api.request('/api/v1/installations', { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bench = { id: 'bench-1', site: 'park', name: 'Red bench', kind: 'bench', installedAt: '2025-04-01T00:00:00Z' };
    expect((await post(bench)).status).toBe(201);
    expect((await post({ ...bench, removedAt: '2025-06-01T00:00:00Z' })).status).toBe(200);
    const bad = await post({ ...bench, removedAt: '2025-03-01T00:00:00Z' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { reason: string }).reason).toMatch(/removedAt: removedAt must be after installedAt/);
    const list = (await (await get('/api/v1/installations?site=park', 'researcher')).json()) as { installations: { removedAt: string }[] };
    expect(list.installations).toEqual([{ ...bench, removedAt: '2025-06-01T00:00:00Z' }]);
    expect((await store.audit.list()).map((a) => a.action)).toEqual(['installation.update', 'installation.create']);
  });
});

describe('researcher export', () => {
  async function seedExport() {
    // cam1, 10:00 hour: l1 forward person 3 (suppressed) + 4 = 7 (shown); cyclists 1 (suppressed)
    await store.bins.insert(makeBatch({ seq: 0, binStart: '2025-05-07T10:00:00Z', lines: { l1: [3, 1, 0, 0] }, zones: { z1: { entries: 3, personSeconds: 50 } } }), now);
    await store.bins.insert(makeBatch({ seq: 1, binStart: '2025-05-07T10:30:00Z', lines: { l1: [4, 0, 0, 0] }, zones: { z1: { entries: 3, personSeconds: 20 } } }), now);
  }

  it('streams CSV with counts under 5 blanked and flagged, and writes the download to the audit log', async () => {
    await seedExport();
    const res = await get('/api/v1/export?site=park&camera=cam1&rollup=hour&format=csv', 'researcher');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await res.text()).trim().split('\n').filter((l) => !l.startsWith('#'));
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [EXPORT_COLUMNS[i], v])));
    const pick = (feature: string, measure: string, cls: string) => rows.find((r) => r.feature_id === feature && r.measure === measure && r.class === cls);
    expect(pick('l1', 'forward', 'person')).toMatchObject({ value: '7', suppressed: 'false', period_start: '2025-05-07T10:00:00.000Z', period_end: '2025-05-07T11:00:00.000Z' });
    expect(pick('l1', 'forward', 'cyclist')).toMatchObject({ value: '', suppressed: 'true' });
    expect(pick('l1', 'backward', 'person')).toMatchObject({ value: '0', suppressed: 'false' });
    expect(pick('z1', 'entries', 'person')).toMatchObject({ value: '6', suppressed: 'false' });
    expect(pick('z1', 'person_seconds', 'all')).toMatchObject({ value: '70', suppressed: 'false' });
    expect(rows).toHaveLength(4 + 4 + 1); // l1 fwd/bwd × 2 classes, z1 entries/exits × 2 classes, z1 person-seconds
    const [audit] = await store.audit.list();
    expect(audit).toMatchObject({ action: 'export', role: 'researcher', tokenId: (await store.tokens.byHash(tokenHash(tokens.researcher)))!.id });
    expect(audit.detail).toMatchObject({ rows: 9, suppressed: 1, complete: true, query: { site: 'park', camera: 'cam1', rollup: 'hour', format: 'csv' } });
  });

  it('applies a configured threshold, and hides person-seconds where too few people entered', async () => {
    await seedExport();
    const strict = createApi({ store, clock: () => now, suppressBelow: 8 });
    const res = await strict.request('/api/v1/export?site=park&format=json', { headers: { authorization: `Bearer ${tokens.planner}` } });
    const body = (await res.json()) as { header: { citation: string; suppressBelow: number; columns: Record<string, string> }; rows: { feature_id: string; measure: string; class: string; value: number | null; suppressed: boolean }[] };
    expect(body.header.suppressBelow).toBe(8);
    expect(body.header.citation).toMatch(/cite/);
    expect(Object.keys(body.header.columns)).toEqual([...EXPORT_COLUMNS]);
    expect(body.rows.find((r) => r.feature_id === 'l1' && r.measure === 'forward' && r.class === 'person')).toMatchObject({ value: null, suppressed: true });
    expect(body.rows.find((r) => r.measure === 'person_seconds')).toMatchObject({ value: null, suppressed: true }); // 6 entries < 8
  });

  it('serves the data dictionary and the citation', async () => {
    const dict = (await (await get('/api/v1/export/dictionary', 'researcher')).json()) as { suppressBelow: number; columns: object };
    expect(dict.suppressBelow).toBe(5);
    expect(Object.keys(dict.columns)).toEqual([...EXPORT_COLUMNS]);
    expect(await (await get('/api/v1/export/citation', 'researcher')).text()).toMatch(/Byliv/);
  });
});
