import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Scene } from '@byliv/protocol';
import type { HubStore, Role } from '../store/index.ts';
import { newApiToken, tokenHash } from '../auth/index.ts';
import { hourlyRecords } from '../indicators/index.ts';
import { createApi } from './app.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { openTestStore } from '../../test/stores.ts';

const now = new Date('2026-11-25T12:00:00Z');
let store: HubStore;
let dispose: () => Promise<void>;
let api: ReturnType<typeof createApi>;
const tokens = {} as Record<Role, string>;

/**
 * park/cam1 sees all of Tuesday 2026-11-17 (local; 23:00 UTC the day before to 23:00 UTC) in
 * 15-minute bins, each with line l1 crossed by 2 people and 1 cyclist and one visit of
 * 30–60 s to the zone `bench` (1 entry, 45 person-seconds); someone sits on the bench from
 * 12:00 to 14:00 local. Of Wednesday it sees only the first half of 00:00 local. park/cam2 is
 * registered but never sent a bin.
 */
async function seed() {
  const at = new Date('2026-11-01T00:00:00Z');
  await store.installations.upsert({ id: 'bench-1', site: 'park', name: 'Bænk / Bench', kind: 'bench', installedAt: '2026-11-10T00:00:00Z', removedAt: null }, at);
  await store.scenes.add(
    Scene.parse({
      site: 'park',
      camera: 'cam1',
      lines: [{ id: 'l1', name: 'Main path', a: [0, 0], b: [10, 0] }],
      zones: [{ id: 'bench', name: 'Bench', installation: 'bench-1', polygon: [[0, 0], [1, 0], [1, 1]] }],
    }),
    at,
  );
  const start = Date.parse('2026-11-16T23:00:00Z');
  const bins = [...Array.from({ length: 96 }, (_, i) => i), 96, 97];
  for (const i of bins) {
    const batch = makeBatch({
      seq: i,
      binStart: new Date(start + i * 900_000).toISOString(),
      binSeconds: 900,
      lines: { l1: [1, 1, 1, 0] },
      // bins 48..55: 12:00–14:00 local (UTC+1)
      zones: { bench: { entries: 1, exits: 1, personSeconds: 45, occupancyMax: i >= 48 && i < 56 ? 1 : 0 } },
    });
    batch.zones.bench.dwellHistogram = [0, 0, 0, 1, 0, 0, 0, 0, 0];
    await store.bins.insert(batch, now);
  }
}

beforeEach(async () => {
  ({ store, dispose } = await openTestStore());
  await store.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, now);
  await store.cameras.register({ site: 'park', camera: 'cam2', mqttUsername: 'park/cam2', passwordHash: 'x' }, now);
  for (const role of ['admin', 'planner', 'researcher'] as const) {
    tokens[role] = newApiToken();
    await store.tokens.add({ role, tokenHash: tokenHash(tokens[role]) }, now);
  }
  api = createApi({ store, clock: () => now });
  await seed();
});
afterEach(async () => {
  await dispose();
});

const get = async (path: string, role: Role | null = 'planner') => {
  const res = await api.request(`/api/v1${path}`, { headers: role ? { authorization: `Bearer ${tokens[role]}` } : {} });
  return { status: res.status, body: (await res.json()) as any };
};

describe('GET /indicators/urban', () => {
  it('a week: per-day means over the one complete day, evening share, median dwell, installation use', async () => {
    const { status, body } = await get('/indicators/urban?subject=site:park&period=week&from=2026-11-16&to=2026-11-23');
    expect(status).toBe(200);
    expect(body).toEqual({
      subject: { kind: 'site', id: 'park', name: 'park' },
      period: 'week',
      timeZone: 'Europe/Copenhagen',
      stayMinSeconds: 30,
      class: 'all',
      periods: [
        {
          key: '2026-W47',
          start: '2026-11-16',
          end: '2026-11-23',
          // Tuesday's 24 hours and Wednesday's half-seen first hour
          hours: { observed: 25, total: 168 },
          days: { complete: 1, total: 7 },
          values: {
            passersPerDay: 288,
            stayingVisitsPerDay: 96,
            personMinutesPerDay: 72,
            medianDwellSeconds: 45,
            eveningShare: 0.25,
            installationUse: 0.08,
          },
          seen: { seconds: 88200, passers: 294, stayingVisits: 98, personMinutes: 73.5 },
        },
      ],
    });
  });

  it('other subjects, class and stayMinSeconds', async () => {
    const values = async (q: string) => (await get(`/indicators/urban?period=week&from=2026-11-16&to=2026-11-23&${q}`)).body.periods[0].values;
    // a zone's passers are its entries
    expect(await values('subject=zone:park/cam1/bench')).toMatchObject({ passersPerDay: 96, stayingVisitsPerDay: 96 });
    // a line has no zone: staying figures unknown, not 0
    expect(await values('subject=line:park/cam1/l1')).toEqual({ passersPerDay: 288, stayingVisitsPerDay: null, personMinutesPerDay: null, medianDwellSeconds: null, eveningShare: 0.25, installationUse: null });
    // the installation has only the bench zone
    expect(await values('subject=installation:bench-1')).toMatchObject({ passersPerDay: 96, installationUse: 0.08 });
    expect(await values('subject=site:park&class=person')).toMatchObject({ passersPerDay: 192 });
    expect(await values('subject=site:park&stayMinSeconds=60')).toMatchObject({ stayingVisitsPerDay: 0 });
    await store.districts.upsert([{ id: 'north', name: 'Nord', geometry: null }], new Date('2026-11-01T00:00:00Z'));
    await store.districts.assignSite('park', 'north');
    const d = await get('/indicators/urban?subject=district:north&period=week&from=2026-11-16&to=2026-11-23');
    expect(d.body.subject).toEqual({ kind: 'district', id: 'north', name: 'Nord' });
    expect(d.body.periods[0].values.passersPerDay).toBe(288);
  });

  it('by default the six periods up to the current one; quarters and months', async () => {
    const weeks = await get('/indicators/urban?subject=site:park&period=week');
    expect(weeks.body.periods.map((p: { key: string }) => p.key)).toEqual(['2026-W43', '2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48']);
    const months = await get('/indicators/urban?subject=site:park&period=month&from=2026-10-01&to=2026-12-01');
    expect(months.body.periods.map((p: any) => [p.key, p.hours.total, p.days.total])).toEqual([
      ['2026-10', 31 * 24 + 1, 31],
      ['2026-11', 30 * 24, 30],
    ]);
    expect(months.body.periods[0].values.passersPerDay).toBeNull();
    const quarter = await get('/indicators/urban?subject=site:park&period=quarter&from=2026-11-01&to=2026-11-02');
    expect(quarter.body.periods.map((p: any) => [p.key, p.start, p.end])).toEqual([['2026-Q4', '2026-10-01', '2027-01-01']]);
  });
});

describe('GET /series', () => {
  it('local days: Tuesday whole, Wednesday one scaled hour', async () => {
    const { status, body } = await get('/series?subject=site:park&measure=passers&rollup=day&from=2026-11-17&to=2026-11-19');
    expect(status).toBe(200);
    expect(body).toEqual({
      subject: { kind: 'site', id: 'park', name: 'park' },
      measure: 'passers',
      rollup: 'day',
      class: 'all',
      timeZone: 'Europe/Copenhagen',
      from: '2026-11-16T23:00:00.000Z',
      to: '2026-11-18T23:00:00.000Z',
      points: [
        { start: '2026-11-16T23:00:00.000Z', end: '2026-11-17T23:00:00.000Z', value: 288, observedHours: 24, totalHours: 24, observedSeconds: 86400, seen: 288 },
        { start: '2026-11-17T23:00:00.000Z', end: '2026-11-18T23:00:00.000Z', value: 12, observedHours: 1, totalHours: 24, observedSeconds: 1800, seen: 6 },
      ],
    });
  });

  it('hours: the half-seen hour is scaled ×2, an unseen hour is null', async () => {
    const { body } = await get('/series?subject=line:park/cam1/l1&measure=forward&rollup=hour&from=2026-11-17T22:00:00Z&to=2026-11-18T01:00:00Z');
    expect(body.points.map((p: any) => [p.start, p.value])).toEqual([
      ['2026-11-17T22:00:00.000Z', 8],
      ['2026-11-17T23:00:00.000Z', 8],
      ['2026-11-18T00:00:00.000Z', null],
    ]);
  });

  it('the 25-hour day of 2026-10-25 is one local day with nothing observed', async () => {
    const { body } = await get('/series?subject=site:park&rollup=day&from=2026-10-25&to=2026-10-26');
    expect(body.points).toEqual([{ start: '2026-10-24T22:00:00.000Z', end: '2026-10-25T23:00:00.000Z', value: null, observedHours: 0, totalHours: 25, observedSeconds: 0, seen: 0 }]);
  });

  it('heat map and dwell histogram', async () => {
    const heat = await get('/series/heatmap?subject=site:park&from=2026-11-16&to=2026-11-23');
    expect(heat.status).toBe(200);
    const cell = (weekday: number, hour: number) => heat.body.cells.find((c: any) => c.weekday === weekday && c.hour === hour);
    expect(cell(2, 18)).toEqual({ weekday: 2, hour: 18, mean: 12, hours: 1 });
    expect(cell(3, 0)).toEqual({ weekday: 3, hour: 0, mean: 12, hours: 1 });
    expect(cell(3, 1)).toEqual({ weekday: 3, hour: 1, mean: null, hours: 0 });
    const dwell = await get('/series/dwell?subject=zone:park/cam1/bench&from=2026-11-16&to=2026-11-23');
    expect(dwell.body).toMatchObject({ edges: [5, 15, 30, 60, 120, 300, 600, 1800], counts: [0, 0, 0, 98, 0, 0, 0, 0, 0], visits: 98, medianSeconds: 45 });
  });
});

describe('GET /subjects', () => {
  it('lists the site, its zones and lines (scene names) and installations', async () => {
    const { body } = await get('/subjects?site=park');
    expect(body.subjects).toEqual([
      { subject: 'site:park', kind: 'site', name: 'park', site: 'park' },
      { subject: 'zone:park/cam1/bench', kind: 'zone', name: 'Bench', site: 'park', camera: 'cam1', installation: 'bench-1' },
      { subject: 'line:park/cam1/l1', kind: 'line', name: 'Main path', site: 'park', camera: 'cam1' },
      { subject: 'installation:bench-1', kind: 'installation', name: 'Bænk / Bench', site: 'park' },
    ]);
    expect((await get('/subjects?site=nowhere')).status).toBe(404);
  });
});

describe('errors and roles', () => {
  it('400 naming the parameter', async () => {
    const cases: [string, RegExp][] = [
      ['/indicators/urban', /subject/],
      ['/indicators/urban?subject=bogus', /subject: .*not a subject/],
      ['/indicators/urban?subject=site:park&stayMinSeconds=31', /stayMinSeconds: must be one of the dwell histogram edges/],
      ['/indicators/urban?subject=site:park&period=year', /period/],
      ['/indicators/urban?subject=site:park&from=2026-02-30', /from: expected a local date/],
      ['/indicators/urban?subject=site:park&from=2026-11-20&to=2026-11-10', /from .* must be before to/],
      ['/indicators/urban?subject=site:park&colour=red', /colour/],
      ['/series?subject=site:park&measure=forward', /measure: forward is only for line subjects/],
      ['/series?subject=line:park/cam1/l1&measure=stayingVisits', /measure: stayingVisits is counted in zones/],
      ['/series?subject=site:park&rollup=hour&from=2024-01-01&to=2026-01-01', /rollup: an hourly series/],
      ['/series?subject=site:park&from=yesterday', /from: expected a local date YYYY-MM-DD or an ISO 8601 time/],
      ['/series/heatmap?subject=site:park&measure=sum', /measure/],
      ['/series/dwell?subject=line:park/cam1/l1', /subject: dwell times are measured in zones/],
    ];
    for (const [path, reason] of cases) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(body.error).toBe('bad_request');
      expect(body.reason, path).toMatch(reason);
    }
  });

  it('404 for an unknown site, camera, zone, line, installation or district', async () => {
    for (const subject of ['site:nowhere', 'zone:park/cam1/nope', 'line:park/cam9/l1', 'line:park/cam2/l1', 'installation:nope', 'district:nope']) {
      const { status, body } = await get(`/indicators/urban?subject=${subject}`);
      expect(status, subject).toBe(404);
      expect(body.error).toBe('not_found');
    }
  });

  it('every role reads the indicators; without a token 401', async () => {
    for (const role of ['admin', 'planner', 'researcher'] as const) expect((await get('/series?subject=site:park', role)).status).toBe(200);
    for (const path of ['/indicators/urban?subject=site:park', '/series?subject=site:park', '/series/heatmap?subject=site:park', '/series/dwell?subject=site:park', '/subjects']) {
      expect((await get(path, null)).status, path).toBe(401);
    }
  });
});

describe('hourlyRecords (for evaluations)', () => {
  it('gives one scaled record per UTC hour, null where unobserved', async () => {
    const records = await hourlyRecords(store, 'zone:park/cam1/bench', Date.parse('2026-11-17T22:00:00Z'), Date.parse('2026-11-18T01:00:00Z'));
    expect(records.map((r) => [new Date(r.hourStartMs).toISOString(), r.observedSeconds, r.passers, r.stayingVisits, r.personMinutes])).toEqual([
      ['2026-11-17T22:00:00.000Z', 3600, 4, 4, 3],
      ['2026-11-17T23:00:00.000Z', 1800, 4, 4, 3],
      ['2026-11-18T00:00:00.000Z', 0, null, null, null],
    ]);
  });

  it('bins without one of the subject\'s lines or zones (drawn later) observed nothing of it: null, not 0', async () => {
    // Friday 2026-11-20: the kiosk zone exists only from 12:00 UTC
    for (let i = 0; i < 12; i++) {
      const binStart = new Date(Date.parse('2026-11-20T10:00:00Z') + i * 900_000).toISOString();
      await store.bins.insert(makeBatch({ seq: 200 + i, binStart, binSeconds: 900, lines: { l1: [1, 0, 0, 0] }, zones: i >= 8 ? { kiosk: { entries: 2 } } : {} }), now);
    }
    const kiosk = await hourlyRecords(store, 'zone:park/cam1/kiosk', Date.parse('2026-11-20T10:00:00Z'), Date.parse('2026-11-20T13:00:00Z'));
    expect(kiosk.map((r) => [r.observedSeconds, r.passers])).toEqual([
      [0, null],
      [0, null],
      [3600, 8],
    ]);
    const asZeros = await hourlyRecords(store, 'zone:park/cam1/kiosk', Date.parse('2026-11-20T10:00:00Z'), Date.parse('2026-11-20T13:00:00Z'), { featureMissing: 'zero' });
    expect(asZeros.map((r) => r.passers)).toEqual([0, 0, 8]);
    const line = await hourlyRecords(store, 'line:park/cam1/l1', Date.parse('2026-11-20T10:00:00Z'), Date.parse('2026-11-20T13:00:00Z'));
    expect(line.map((r) => r.passers)).toEqual([4, 4, 4]);
  });
});
