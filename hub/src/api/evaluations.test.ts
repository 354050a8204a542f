import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Scene, type CountBatch } from '@byliv/protocol';
import type { HubStore, Role } from '../store/index.ts';
import { newApiToken, tokenHash } from '../auth/index.ts';
import { createApi } from './app.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { openTestStore } from '../../test/stores.ts';

/*
 * A bench (zone z1 of park/cam1) installed Monday 2026-06-01T00:00Z; a control zone c1 on park/cam2.
 * One-hour bins. Week w = 0…3 of each 28-day period (every local weekday × hour once a week):
 *   z1 entries: baseline 2 + w%2 (2,3,2,3 → cell mean 2.5, squares 1), intervention 4 + w%2 (mean 4.5)
 *   c1 entries: baseline 1 + w%2 (mean 1.5),                        intervention 2 + w%2 (mean 2.5)
 *   personSeconds = 60 · entries (person-minutes = entries); no dwell → no staying visits.
 * The camera was off (gap = the whole bin) on Tuesday 10:00Z (local 12:00) in baseline weeks 0 and 1:
 * that cell keeps 2 samples (2, 3: mean 2.5, squares 0.5) — read as 0s its mean would be 1.25.
 *   T_b = 168 · 2.5 = 420; N_b = 670, df = 502, s² = 167.5/502, Σ1/n = 167/4 + 1/2 → Var_b = 14.09736
 *   T_i = 168 · 4.5 = 756; s² = 168/504 = 1/3, Σ1/n = 42 → Var_i = 14
 *   change 336 ± 1.96·sqrt(28.09736) → [325.6106, 346.3894]; relative 0.8, log CI → [0.7643, 0.8364]
 *   control C_b = 252, C_i = 420 (Var 14 each): DiD 336 − 168 = 168 ± 1.96·sqrt(56.09736) → [153.32, 182.68];
 *   relative (756/420)/(420/252) − 1 = 0.08 → [0.0383, 0.1234]
 * Line l1 of cam1 (not the installation's) counts 100 an hour: it must not leak into the bench.
 */
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const installedAt = Date.parse('2026-06-01T00:00:00Z');
const baselineFrom = installedAt - 4 * WEEK;
const now = new Date('2026-07-15T12:00:00Z');
const offHours = new Set([Date.parse('2026-05-05T10:00:00Z'), Date.parse('2026-05-12T10:00:00Z')]);

let store: HubStore;
let dispose: () => Promise<void>;
let api: ReturnType<typeof createApi>;
const tokens = {} as Record<Role, string>;

async function seed() {
  for (const camera of ['cam1', 'cam2']) await store.cameras.register({ site: 'park', camera, mqttUsername: `park/${camera}`, passwordHash: 'x' }, now);
  await store.installations.upsert({ id: 'bench1', site: 'park', name: 'Bænk ved springvandet', kind: 'bench', installedAt: '2026-06-01T00:00:00.000Z', removedAt: null }, now);
  await store.installations.upsert({ id: 'stage', site: 'park', name: 'Scene', kind: 'stage', installedAt: '2026-06-01T00:00:00.000Z', removedAt: null }, now);
  const square = [[0, 0], [10, 0], [10, 10]];
  await store.scenes.add(Scene.parse({ site: 'park', camera: 'cam1', lines: [{ id: 'l1', a: [0, 0], b: [5, 5] }], zones: [{ id: 'z1', installation: 'bench1', polygon: square }, { id: 'z2', installation: 'stage', polygon: square }] }), new Date('2026-05-01T00:00:00Z'));
  await store.scenes.add(Scene.parse({ site: 'park', camera: 'cam2', zones: [{ id: 'c1', name: 'Kontrol', polygon: square }] }), new Date('2026-05-01T00:00:00Z'));
  const batches: CountBatch[] = [];
  for (let t = baselineFrom; t < installedAt + 4 * WEEK; t += HOUR) {
    const after = t >= installedAt;
    const w = Math.floor((t - (after ? installedAt : baselineFrom)) / WEEK) % 2;
    const binStart = new Date(t).toISOString();
    const z1 = (after ? 4 : 2) + w;
    const c1 = (after ? 2 : 1) + w;
    const off = offHours.has(t);
    const zones: Record<string, { entries: number; personSeconds: number; occupancyMax: number }> = { z1: off ? { entries: 0, personSeconds: 0, occupancyMax: 0 } : { entries: z1, personSeconds: 60 * z1, occupancyMax: 1 } };
    // the stage's zone z2 was only drawn (and counted) from the installation on
    if (after) zones.z2 = { entries: 1, personSeconds: 60, occupancyMax: 1 };
    batches.push(makeBatch({ camera: 'cam1', binStart, binSeconds: 3600, lines: { l1: off ? [0, 0, 0, 0] : [100, 0, 0, 0] }, zones, ...(off ? { gapSeconds: 3600, framesProcessed: 0 } : {}) }));
    batches.push(makeBatch({ camera: 'cam2', binStart, binSeconds: 3600, zones: { c1: { entries: c1, personSeconds: 60 * c1, occupancyMax: 1 } } }));
  }
  // one transaction for the lot
  await store.bins.insertMany(batches, now);
}

beforeEach(async () => {
  ({ store, dispose } = await openTestStore());
  for (const role of ['admin', 'planner', 'researcher'] as const) {
    tokens[role] = newApiToken();
    await store.tokens.add({ role, tokenHash: tokenHash(tokens[role]) }, now);
  }
  await seed();
  api = createApi({ store, clock: () => now });
});
afterEach(async () => {
  await dispose();
});

const get = async (query: string, role: Role = 'planner') => {
  const res = await api.request(`/api/v1/evaluations?${query}`, { headers: { authorization: `Bearer ${tokens[role]}` } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('GET /evaluations', () => {
  it('default periods: four weeks before vs after, matched cells, missing hours excluded (hand-computed)', async () => {
    const { status, body } = await get('installation=bench1');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      installation: { id: 'bench1', name: 'Bænk ved springvandet', kind: 'bench', site: 'park', installedAt: '2026-06-01T00:00:00.000Z', removedAt: null },
      subject: 'installation:bench1',
      control: null,
      timeZone: 'Europe/Copenhagen',
      baseline: { from: '2026-05-04T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z', hours: 670, totalHours: 672 },
      intervention: { from: '2026-06-01T00:00:00.000Z', to: '2026-06-29T00:00:00.000Z', hours: 672, totalHours: 672 },
      matchedCells: 168,
      stayMinSeconds: 30,
      class: 'all',
    });
    const p = body.measures.passers;
    expect(p).toMatchObject({ baselinePerWeek: 420, interventionPerWeek: 756, change: 336, relativeChange: 0.8, did: null, cells: 168 });
    expect(p.changeCi95[0]).toBeCloseTo(325.6106, 3);
    expect(p.changeCi95[1]).toBeCloseTo(346.3894, 3);
    expect(p.relativeCi95[0]).toBeCloseTo(0.7643, 4);
    expect(p.relativeCi95[1]).toBeCloseTo(0.8364, 4);
    // person-minutes = entries here
    expect(body.measures.personMinutes).toMatchObject({ baselinePerWeek: 420, interventionPerWeek: 756, change: 336 });
    // no visit reached 30 s: T_b = 0 → no relative change
    expect(body.measures.stayingVisits).toMatchObject({ baselinePerWeek: 0, interventionPerWeek: 0, change: 0, relativeChange: null, relativeCi95: null });
    expect(body.caveats).toEqual(['hours_treated_independent', 'no_control']);
  });

  it('against a control zone: difference in differences (hand-computed)', async () => {
    const { status, body } = await get('installation=bench1&control=zone:park/cam2/c1');
    expect(status).toBe(200);
    expect(body.control).toBe('zone:park/cam2/c1');
    const did = body.measures.passers.did;
    expect(did.change).toBe(168);
    expect(did.changeCi95[0]).toBeCloseTo(153.32, 2);
    expect(did.changeCi95[1]).toBeCloseTo(182.68, 2);
    expect(did.relativeChange).toBeCloseTo(0.08, 4);
    expect(did.relativeCi95[0]).toBeCloseTo(0.0383, 4);
    expect(did.relativeCi95[1]).toBeCloseTo(0.1234, 4);
    expect(body.caveats).toEqual(['hours_treated_independent']);
  });

  it('given periods as local dates: one week each → fewer samples, short-period caveats', async () => {
    // local 2026-05-25 00:00 = 05-24T22:00Z (CEST); the baseline then ends at local 06-01 00:00 = 05-31T22:00Z
    const { status, body } = await get('installation=bench1&baselineFrom=2026-05-25&baselineTo=2026-06-01&interventionFrom=2026-06-08&interventionTo=2026-06-15');
    expect(status).toBe(200);
    expect(body.baseline).toMatchObject({ from: '2026-05-24T22:00:00.000Z', to: '2026-05-31T22:00:00.000Z', hours: 168 });
    expect(body.matchedCells).toBe(168);
    // the local week's first 2 hours (05-24T22Z, 23Z) lie in baseline week 2 (value 2), the other 166 in week 3 (value 3);
    // intervention 06-07T22Z–06-14T22Z: 2 hours of week 0 (4), 166 of week 1 (5). One sample per cell: no interval.
    expect(body.measures.passers).toMatchObject({ baselinePerWeek: 166 * 3 + 2 * 2, interventionPerWeek: 166 * 5 + 2 * 4, changeCi95: null });
    expect(body.caveats).toEqual(expect.arrayContaining(['short_baseline', 'short_intervention', 'no_variance']));
  });

  it('400 for a zone that was not counted during the baseline: those hours are missing, not zero, and the reason says so', async () => {
    const { status, body } = await get('installation=stage');
    expect(status).toBe(400);
    expect(body.reason).toMatch(/^no hours to compare: the baseline has no observed hours/);
    expect(body.reason).toMatch(/not counted during the baseline \(drawn into the scene later\?\)$/);
  });

  it('400 when no cell matches, saying why', async () => {
    const { status, body } = await get('installation=bench1&baselineFrom=2026-01-05&baselineTo=2026-01-19');
    expect(status).toBe(400);
    expect(body).toEqual({ error: 'bad_request', problem: 'no_matched_hours', reason: 'no hours to compare: the baseline has no observed hours (the cameras of the installation saw less than half of every hour)' });
  });

  it('400 naming the parameter; 404 for an unknown installation or control; 403 for researchers', async () => {
    const bad = await get('installation=bench1&stayMinSeconds=31');
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toMatch(/stayMinSeconds: must be one of the dwell histogram edges/);
    expect((await get('installation=bench1&baselineFrom=yesterday')).body.reason).toMatch(/baselineFrom: expected a local date/);
    expect((await get('installation=bench1&colour=red')).body.reason).toMatch(/colour/);
    expect((await get('')).body.reason).toMatch(/installation/);
    expect((await get('installation=bench1&control=zone:park')).body.reason).toMatch(/control: a zone subject is zone:<site>\/<camera>\/<zone>/);
    const order = await get('installation=bench1&baselineFrom=2026-05-20&baselineTo=2026-05-10');
    expect(order).toEqual({ status: 400, body: { error: 'bad_request', problem: 'period_empty', reason: expect.stringMatching(/^baselineFrom: the baseline must start before it ends/) } });
    expect((await get('installation=bench1&control=installation:bench1')).status).toBe(400);
    expect(await get('installation=nope')).toEqual({ status: 404, body: { error: 'not_found', problem: 'installation_unknown', reason: expect.stringMatching(/no installation nope/) } });
    expect(await get('installation=bench1&control=zone:park/cam2/zz')).toEqual({ status: 404, body: { error: 'not_found', problem: 'control_unknown', reason: expect.stringMatching(/^control: camera park\/cam2 has no zone zz/) } });
    expect((await get('installation=bench1', 'researcher')).status).toBe(403);
    expect((await get('installation=bench1', 'admin')).status).toBe(200);
  });

  it('400 for an installation with no line or zone in any scene', async () => {
    await store.installations.upsert({ id: 'lonely', site: 'park', name: 'Lonely', kind: 'bench', installedAt: '2026-06-01T00:00:00.000Z', removedAt: null }, now);
    const { status, body } = await get('installation=lonely');
    expect(status).toBe(400);
    expect(body.reason).toMatch(/has no line or zone in any camera scene/);
  });
});
