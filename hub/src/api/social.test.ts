import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HubStore, Role } from '../store/index.ts';
import { newApiToken, tokenHash } from '../auth/index.ts';
import { createApi } from './app.ts';
import { SAMPLE_DIR, loadSampleData } from '../social/sample.ts';
import { openTestStore } from '../../test/stores.ts';

const now = new Date('2026-12-01T12:00:00Z');
let store: HubStore;
let dispose: () => Promise<void>;
let api: ReturnType<typeof createApi>;
const tokens = {} as Record<Role, string>;
const sample = (name: string) => readFileSync(join(SAMPLE_DIR, name), 'utf8');

beforeEach(async () => {
  ({ store, dispose } = await openTestStore());
  for (const role of ['admin', 'planner', 'researcher'] as const) {
    tokens[role] = newApiToken();
    await store.tokens.add({ role, tokenHash: tokenHash(tokens[role]) }, now);
  }
  api = createApi({ store, clock: () => now });
});
afterEach(async () => {
  await dispose();
});

const auth = (role: Role) => ({ authorization: `Bearer ${tokens[role]}` });
const get = async (path: string, role: Role = 'researcher') => {
  const res = await api.request(`/api/v1${path}`, { headers: auth(role) });
  return { status: res.status, body: (await res.json()) as any };
};
const post = async (path: string, body: string, type: string, role: Role = 'admin') => {
  const res = await api.request(`/api/v1${path}`, { method: 'POST', headers: { ...auth(role), 'content-type': type }, body });
  return { status: res.status, body: (await res.json()) as any };
};

/** The shipped sample, imported through the API in the order a user would. */
async function importSample() {
  expect((await post('/imports/districts?source=sample', sample('districts.geojson'), 'application/geo+json')).status).toBe(200);
  expect((await post('/imports/social-catalogue?sample=true', sample('catalogue.json'), 'application/json')).status).toBe(200);
  const values = await post('/imports/social-indicators?sample=true&source=Eksempel', sample('social-indicators.csv'), 'text/csv');
  expect(values.status, JSON.stringify(values.body)).toBe(200);
  const map = await post('/imports/site-map', sample('site-map.geojson'), 'application/geo+json');
  expect(map.status, JSON.stringify(map.body)).toBe(200);
  return { values: values.body, map: map.body };
}

describe('social imports and reads', () => {
  it('imports the shipped sample: districts with their sites, indicators marked sample, lights, the map', async () => {
    const { values, map } = await importSample();
    expect(values.imported).toBe(180);
    expect(values.indicators).toHaveLength(6);
    // the sites did not exist: the site map made them
    expect(map.createdSites).toEqual(['eksempelpladsen', 'pets09']);
    expect(await store.cameras.hasSite('pets09')).toBe(true);

    const districts = await get('/districts');
    expect(districts.status).toBe(200);
    expect(districts.body.districts.find((d: any) => d.id === 'laerkevang')).toEqual({ id: 'laerkevang', name: 'Lærkevang', sites: ['pets09'] });
    expect(await store.districts.sitesOf('stationsbyen')).toEqual(['eksempelpladsen']);
    expect(await store.districts.districtOf('pets09')).toBe('laerkevang');

    const indicators = await get('/social/indicators', 'planner');
    expect(indicators.body.limits).toEqual({ yellow: 0.1, red: 0.3 });
    expect(indicators.body.indicators.every((i: any) => i.sample === true)).toBe(true);
    expect(indicators.body.indicators.find((i: any) => i.id === 'exam-grades')).toMatchObject({ higherIsBetter: true, nameDa: expect.any(String), nameEn: expect.any(String) });

    // Lærkevang's school absence 2023-H1: 9.8 % against the municipality's 6.90 % → 42 % worse → red
    const absence = await get('/social/values?district=laerkevang&indicator=school-absence');
    expect(absence.body.values).toHaveLength(7);
    expect(absence.body.values[0]).toMatchObject({ period: '2023-H1', value: 9.8, individuals: 650, suppressed: false, municipalAverage: 6.9, light: 'red' });
    expect(absence.body.values[0].deviation).toBeCloseTo((9.8 - 6.9) / 6.9, 12);

    const map2 = await get('/map');
    expect(map2.body.tileUrl).toBeNull();
    expect(map2.body.districts.features).toHaveLength(5);
    expect(map2.body.districts.features[0].properties).toEqual({ id: expect.any(String), name: expect.any(String) });
    const kinds = map2.body.features.features.map((f: any) => f.properties.kind);
    expect(kinds.filter((k: string) => k === 'zone')).toHaveLength(6);
    expect(map2.body.features.features.find((f: any) => f.properties.kind === 'site' && f.properties.site === 'pets09').properties.district).toBe('laerkevang');
  });

  it('never shows a value behind fewer than 5 individuals: Skovkanten’s 4 exam pupils are hidden, its 5 shown', async () => {
    await importSample();
    const { body } = await get('/social/values?district=skovkanten&indicator=exam-grades');
    expect(body.values.map((v: any) => [v.period, v.value, v.individuals, v.suppressed, v.light === null])).toEqual([
      ['2023', 8.1, 7, false, false],
      ['2024', null, null, true, true],
      ['2025', 7.9, 5, false, false],
    ]);
    expect(JSON.stringify(body)).not.toContain('7.4');
  });

  it('a broken CSV gives 400 with its rows and stores nothing; the values stay as they were', async () => {
    await importSample();
    const before = (await store.social.values()).length;
    const broken = 'district;indicator;period;value;individuals\nlaerkevang;unemployment;2026-H2;5,1;3300\nnowhere;unemployment;2026-H2;x;3300\n';
    const res = await post('/imports/social-indicators', broken, 'text/csv');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.reason).toContain('nothing was imported');
    expect(res.body.rows).toEqual([
      { line: 3, column: 'district', message: expect.stringContaining('nowhere') },
      { line: 3, column: 'value', message: expect.stringContaining('not a number') },
    ]);
    expect((await store.social.values()).length).toBe(before);
    expect((await store.social.values({ district: 'laerkevang', indicator: 'unemployment' })).some((v) => v.period === '2026-H2')).toBe(false);
  });

  it('bad GeoJSON gives 400 with the features', async () => {
    const res = await post('/imports/districts', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'x', name: 'X' }, geometry: { type: 'Polygon', coordinates: [[[12, 55], [13, 55], [13, 56], [12, 56]]] } }] }), 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.features).toEqual([{ index: 0, message: expect.stringContaining('not closed') }]);
    expect(await store.districts.list()).toEqual([]);
  });

  it('only an admin imports: 403 for a planner, 401 without a token; readers may read', async () => {
    expect((await post('/imports/social-indicators', sample('social-indicators.csv'), 'text/csv', 'planner')).status).toBe(403);
    expect((await post('/imports/districts', sample('districts.geojson'), 'application/json', 'researcher')).status).toBe(403);
    expect((await api.request('/api/v1/imports/site-map', { method: 'POST', body: '{}' })).status).toBe(401);
    expect(await store.social.values()).toEqual([]);
    for (const role of ['admin', 'planner', 'researcher'] as const) expect((await get('/social/indicators', role)).status).toBe(200);
  });

  it('audits every import', async () => {
    await importSample();
    const actions = (await store.audit.list(20)).map((e) => e.action);
    for (const action of ['districts.import', 'social.catalogue.import', 'social.values.import', 'site-map.import']) expect(actions).toContain(action);
  });

  it('real data replaces sample data; sample data never goes into a real indicator (409)', async () => {
    await importSample();
    const real = 'district,indicator,period,value,individuals\nkommune,unemployment,2026-H1,3.1,20000\n';
    expect((await post('/imports/social-indicators?source=Jobindsats', real, 'text/csv')).status).toBe(200);
    const values = await store.social.values({ indicator: 'unemployment' });
    expect(values.map((v) => [v.district, v.period, v.source])).toEqual([['kommune', '2026-H1', 'Jobindsats']]);
    expect((await store.social.indicator('unemployment'))!.sample).toBe(false);
    const again = await post('/imports/social-indicators?sample=true', sample('social-indicators.csv'), 'text/csv');
    expect(again.status).toBe(409);
    expect(again.body.reason).toContain('unemployment');
  });

  it('400 for unknown query parameters; 404 for an unknown district or indicator', async () => {
    expect((await get('/social/values?district=nowhere')).status).toBe(404);
    expect((await get('/social/values?indicator=nothing')).status).toBe(404);
    expect((await get('/social/values?colour=red')).status).toBe(400);
    expect((await post('/imports/social-indicators?sample=yes', 'x', 'text/csv')).status).toBe(400);
  });

  it('loadSampleData (byliv-hub sample load) gives the same store as the API import, and loading twice changes nothing', async () => {
    const first = await loadSampleData(store, now);
    const again = await loadSampleData(store, now);
    expect(again).toEqual(first);
    expect(await store.social.values()).toHaveLength(180);
    expect(await store.mapFeatures.list()).toHaveLength(10);
  });
});
