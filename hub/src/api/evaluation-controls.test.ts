import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Scene, type CountBatch } from '@byliv/protocol';
import type { HubStore } from '../store/index.ts';
import { newApiToken, tokenHash } from '../auth/index.ts';
import { createApi } from './app.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { openTestStore } from '../../test/stores.ts';

/*
 * A bench (zone z1 of park/cam1) installed 2026-06-01. park/cam1 also has line l1; park/cam2 has
 * zone c1 (counted in both periods). Site "street" (cam1, zone s1) was registered but sent
 * nothing in the periods. Districts: "inner" holds park, "outer" holds street.
 */
const HOUR = 3_600_000;
const installedAt = Date.parse('2026-06-01T00:00:00Z');
const now = new Date('2026-07-15T12:00:00Z');

let store: HubStore;
let dispose: () => Promise<void>;
let api: ReturnType<typeof createApi>;
let token: string;

async function seed() {
  for (const [site, camera] of [['park', 'cam1'], ['park', 'cam2'], ['street', 'cam1']]) await store.cameras.register({ site, camera, mqttUsername: `${site}/${camera}`, passwordHash: 'x' }, now);
  await store.installations.upsert({ id: 'bench1', site: 'park', name: 'Bænk', kind: 'bench', installedAt: '2026-06-01T00:00:00.000Z', removedAt: null }, now);
  const square = [[0, 0], [10, 0], [10, 10]];
  const drawn = new Date('2026-05-01T00:00:00Z');
  await store.scenes.add(Scene.parse({ site: 'park', camera: 'cam1', lines: [{ id: 'l1', a: [0, 0], b: [5, 5] }], zones: [{ id: 'z1', name: 'Bænkezone', installation: 'bench1', polygon: square }] }), drawn);
  await store.scenes.add(Scene.parse({ site: 'park', camera: 'cam2', zones: [{ id: 'c1', name: 'Kontrol', polygon: square }] }), drawn);
  await store.scenes.add(Scene.parse({ site: 'street', camera: 'cam1', zones: [{ id: 's1', name: 'Fortov', polygon: square }] }), drawn);
  await store.districts.upsert([{ id: 'inner', name: 'Indre by', geometry: null }, { id: 'outer', name: 'Ydre by', geometry: null }], drawn);
  await store.districts.assignSite('park', 'inner');
  await store.districts.assignSite('street', 'outer');
  const batches: CountBatch[] = [];
  // two days either side of the installation, every hour
  for (let t = installedAt - 48 * HOUR; t < installedAt + 48 * HOUR; t += HOUR) {
    const binStart = new Date(t).toISOString();
    batches.push(makeBatch({ camera: 'cam1', binStart, binSeconds: 3600, lines: { l1: [3, 0, 0, 0] }, zones: { z1: { entries: 2, personSeconds: 120, occupancyMax: 1 } } }));
    batches.push(makeBatch({ camera: 'cam2', binStart, binSeconds: 3600, zones: { c1: { entries: 1, personSeconds: 60, occupancyMax: 1 } } }));
  }
  await store.bins.insertMany(batches, now);
}

beforeEach(async () => {
  ({ store, dispose } = await openTestStore());
  token = newApiToken();
  await store.tokens.add({ role: 'planner', tokenHash: tokenHash(token) }, now);
  await seed();
  api = createApi({ store, clock: () => now });
});
afterEach(async () => {
  await dispose();
});

const get = async (query: string) => {
  const res = await api.request(`/api/v1/evaluations/controls?${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('GET /evaluations/controls', () => {
  it('offers each place once, never the installation, its site, its zone or its district, and names every site', async () => {
    const { status, body } = await get('installation=bench1');
    expect(status).toBe(200);
    const subjects = body.controls.map((c: { subject: string }) => c.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(subjects).not.toContain('site:park');
    expect(subjects).not.toContain('zone:park/cam1/z1');
    expect(subjects).not.toContain('installation:bench1');
    expect(subjects).not.toContain('district:inner');
    expect(subjects).toEqual(expect.arrayContaining(['zone:park/cam2/c1', 'line:park/cam1/l1', 'site:street', 'zone:street/cam1/s1', 'district:outer']));
    for (const c of body.controls) {
      expect(c.name).toBeTruthy();
      if (c.kind === 'district') expect(c).toMatchObject({ site: null, siteName: null });
      else expect(c.siteName).toBeTruthy();
    }
  });

  it('counts each control’s observed hours in the evaluation’s periods, so one without data can be told apart', async () => {
    const { body } = await get('installation=bench1');
    const by = Object.fromEntries(body.controls.map((c: { subject: string }) => [c.subject, c]));
    // the default periods are 28 days either side; the data covers the 48 hours either side
    expect(by['zone:park/cam2/c1']).toMatchObject({ baselineHours: 48, interventionHours: 48 });
    expect(by['site:street']).toMatchObject({ baselineHours: 0, interventionHours: 0 });
    expect(by['zone:street/cam1/s1']).toMatchObject({ baselineHours: 0, interventionHours: 0 });
    const narrow = await get('installation=bench1&baselineFrom=2026-05-31&baselineTo=2026-06-01&interventionFrom=2026-06-01&interventionTo=2026-06-02');
    const c1 = narrow.body.controls.find((c: { subject: string }) => c.subject === 'zone:park/cam2/c1');
    // local dates: 2026-05-31 00:00 CEST = 05-30 22:00Z → 24 hours each, all observed
    expect(c1).toMatchObject({ baselineHours: 24, interventionHours: 24 });
  });

  it('evaluation errors carry a problem code the dashboard words (beside the English reason)', async () => {
    const evaluation = async (query: string) => {
      const res = await api.request(`/api/v1/evaluations?${query}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    expect(await evaluation('installation=nope')).toMatchObject({ status: 404, body: { error: 'not_found', problem: 'installation_unknown' } });
    expect(await evaluation('installation=bench1&control=installation:bench1')).toMatchObject({ status: 400, body: { problem: 'control_is_installation' } });
    expect(await evaluation('installation=bench1&control=zone:park/cam9/x')).toMatchObject({ status: 404, body: { problem: 'control_unknown' } });
    expect(await evaluation('installation=bench1&baselineFrom=2026-05-25&baselineTo=2026-06-03')).toMatchObject({ status: 400, body: { problem: 'period_overlap' } });
    expect(await evaluation('installation=bench1&control=site:street')).toMatchObject({ status: 400, body: { problem: 'no_matched_hours', reason: expect.stringMatching(/no hours to compare/) } });
    // an error without a finer code has none
    expect((await evaluation('installation=bench1&bogus=1')).body.problem).toBeUndefined();
  });

  it('404 for an unknown installation, 400 naming a bad date', async () => {
    expect((await get('installation=nope')).status).toBe(404);
    const bad = await get('installation=bench1&baselineFrom=2026-06-10&baselineTo=2026-06-01');
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toMatch(/baseline/);
  });
});
