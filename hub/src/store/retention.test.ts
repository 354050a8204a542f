/**
 * Retention on a real store (SQLite, or PostgreSQL with BYLIV_TEST_STORE=postgres): a week of
 * 15-minute bins rolled up into hours and days reads the same through every reader — the
 * summary, the rollups, the export's measures, the hourly indicator records — and
 * exactly-once survives it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchIdFor, CountBatch, DWELL_BIN_EDGES_SECONDS } from '@byliv/protocol';
import { scheduleCompaction, type CompactionResult, type HubStore, type Rollup } from './index.ts';
import { summarizeBatches } from '../report/index.ts';
import { hourlyRecords } from '../indicators/index.ts';
import { openTestStore } from '../../test/stores.ts';
import { rawSql } from './testing.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SITE = 'park';
const CAMERA = 'cam1';
const WEEK_START = Date.parse('2025-03-03T00:00:00Z');
const WEEK_END = WEEK_START + 7 * DAY;
/** Raw kept 3 days, hourly 5: hours before 03-07T06:00 are rolled up, days before 03-05. */
const NOW = new Date('2025-03-10T06:30:00Z');
const POLICY = { rawDays: 3, hourlyDays: 5 };
const RAW_HORIZON = Date.parse('2025-03-07T06:00:00Z');
const HOURLY_HORIZON = Date.parse('2025-03-05T00:00:00Z');
/** No bins at all for these two hours (the agent was down). */
const OUTAGE = [Date.parse('2025-03-06T02:00:00Z'), Date.parse('2025-03-06T04:00:00Z')];
/** Line l3 is drawn at 10:30 on 03-04 (in the days' range): that hour stays raw, that day stays hourly. */
const LINE_ADDED = Date.parse('2025-03-04T10:30:00Z');
/** Zone z2 is removed at 14:45 on 03-06 (in the hours' range): that hour stays raw. */
const ZONE_REMOVED = Date.parse('2025-03-06T14:45:00Z');
const at = new Date('2025-03-10T06:00:00Z');

let store: HubStore;
let dispose: () => Promise<void>;
beforeEach(async () => {
  ({ store, dispose } = await openTestStore());
  await store.cameras.register({ site: SITE, camera: CAMERA, mqttUsername: `${SITE}/${CAMERA}`, passwordHash: 'x' }, at);
});
afterEach(() => dispose());

/** Deterministic numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** One 15-minute bin the way the edge makes it: every feature of the scene, zeros included. */
function makeBin(startMs: number, seq: number, lines: string[], zones: string[], rand: () => number, binSeconds = 900, camera = CAMERA): CountBatch {
  const n = (max: number) => Math.floor(rand() * max);
  const dark = rand() < 0.03; // no frames at all
  const gap = dark ? binSeconds : rand() < 0.25 ? round3(rand() * binSeconds * 0.6) : 0;
  const observed = binSeconds - gap;
  const classes = (max: number) => (dark ? { person: 0, cyclist: 0 } : { person: n(max), cyclist: n(max / 4) });
  const zoneBins = Object.fromEntries(
    zones.map((id) => {
      const personSeconds = dark ? 0 : round3(n(20_000) / 10);
      return [
        id,
        {
          entries: classes(12),
          exits: classes(12),
          personSeconds,
          occupancyMax: dark ? 0 : n(7),
          occupancyMean: observed > 0 ? round3(personSeconds / observed) : 0,
          dwellHistogram: Array.from({ length: DWELL_BIN_EDGES_SECONDS.length + 1 }, () => (dark ? 0 : n(4))),
        },
      ];
    }),
  );
  const flows = dark || zones.length < 2 ? [] : [{ from: zones[0], to: zones[1], count: 1 + n(3) }, ...(rand() < 0.3 ? [{ from: zones[1], to: zones[0], count: 1 + n(2) }] : [])];
  // the protocol allows the same pair twice: they add up
  if (flows.length > 0 && rand() < 0.1) flows.push({ from: zones[0], to: zones[1], count: 1 });
  return CountBatch.parse({
    v: 1,
    batchId: batchIdFor(SITE, camera, iso(startMs)),
    site: SITE,
    camera,
    seq,
    binStart: iso(startMs),
    binSeconds,
    lines: Object.fromEntries(lines.map((id) => [id, { forward: classes(30), backward: classes(30) }])),
    zones: zoneBins,
    flows,
    quality: { framesProcessed: dark ? 0 : Math.max(0, Math.round(observed * 10) - n(5)), framesExpected: binSeconds * 10, gapSeconds: gap },
  });
}

function week(): CountBatch[] {
  const rand = random(12);
  const batches: CountBatch[] = [];
  let seq = 0;
  for (let t = WEEK_START; t < WEEK_END; t += 900_000) {
    if (t >= OUTAGE[0] && t < OUTAGE[1]) continue;
    const lines = t >= LINE_ADDED ? ['l1', 'l2', 'l3'] : ['l1', 'l2'];
    const zones = t >= ZONE_REMOVED ? ['z1'] : ['z1', 'z2'];
    batches.push(makeBin(t, seq++, lines, zones, rand));
  }
  return batches;
}

/** Every number to 6 decimals: float sums in another order differ in the last bits only. */
function rounded<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v)));
}

const range = (fromMs = WEEK_START, toMs = WEEK_END) => ({ site: SITE, camera: CAMERA, from: new Date(fromMs), to: new Date(toMs) });

/** What the readers make of a time range at one rollup level (coverage without its bin count, which compaction changes by design). */
async function readers(store: HubStore, rollup: Rollup, fromMs: number, toMs: number) {
  const r = range(fromMs, toMs);
  const measures = [];
  for await (const m of store.rollups.measures(r, rollup)) measures.push(m);
  return rounded({
    lines: await store.rollups.lines(r, rollup, 'all'),
    cyclists: await store.rollups.lines(r, rollup, 'cyclist'),
    zones: await store.rollups.zones(r, rollup, 'all'),
    persons: await store.rollups.zones(r, rollup, 'person'),
    coverage: (await store.rollups.coverage(r, rollup)).map(({ bins: _bins, ...rest }) => rest),
    measures,
  });
}

const SUBJECTS = ['site:park', 'line:park/cam1/l1', 'line:park/cam1/l3', 'zone:park/cam1/z1', 'zone:park/cam1/z2'];

async function hours(store: HubStore, fromMs: number, toMs: number, subjects = SUBJECTS) {
  const out: Record<string, unknown> = {};
  for (const s of subjects) out[s] = rounded(await hourlyRecords(store, s, fromMs, toMs));
  return out;
}

async function perDaySummaries(store: HubStore) {
  const out = [];
  for (let d = WEEK_START; d < WEEK_END; d += DAY) out.push(summarizeBatches(await store.bins.batches(range(d, d + DAY))));
  return rounded(out);
}

describe('retention: compaction into hourly and daily bins', () => {
  it('keeps every count, the observed time and what every reader computes; shrinks the bins as planned', async () => {
    const batches = week();
    expect(batches).toHaveLength(7 * 96 - 8);
    expect(await store.bins.insertMany(batches, at)).toEqual({ stored: batches.length, duplicates: 0 });

    const summary = rounded(summarizeBatches(await store.bins.batches(range())));
    const days = await perDaySummaries(store);
    const byDay = await readers(store, 'day', WEEK_START, WEEK_END);
    const byHour = await readers(store, 'hour', HOURLY_HORIZON, WEEK_END);
    const hourly = await hours(store, HOURLY_HORIZON, WEEK_END);

    const result = await store.retention.compact(POLICY, NOW);
    // hours with bins before 03-07T06:00: 4 days and 6 hours, less the 2 of the outage; 2 of them stay raw
    expect(result).toEqual({ hoursCompacted: 98, daysCompacted: 1, rawBinsRemoved: 98 * 4, hourlyBinsRemoved: 24, hoursLeftRaw: 2, daysLeftHourly: 1 });
    // 03-03: 1 day; 03-04: 23 hours + the raw hour; 03-05: 24 hours; 03-06: 21 hours + the raw hour;
    // 03-07: 6 hours + 72 raw bins; 03-08 and 03-09 raw
    expect(await store.bins.count()).toBe(1 + (23 + 4) + 24 + (21 + 4) + (6 + 72) + 2 * 96);
    expect(await store.retention.horizons()).toEqual([{ site: SITE, camera: CAMERA, rawBeforeMs: RAW_HORIZON, hourlyBeforeMs: HOURLY_HORIZON }]);
    // the removed bins' rows went with them
    for (const table of ['line_counts', 'zone_counts', 'zone_bins', 'flows']) {
      expect(await rawSql(store).get(`SELECT COUNT(*) AS n FROM ${table} WHERE batch_id NOT IN (SELECT batch_id FROM count_bins)`), table).toEqual({ n: 0 });
    }

    expect(rounded(summarizeBatches(await store.bins.batches(range())))).toEqual(summary);
    expect(await perDaySummaries(store)).toEqual(days);
    expect(await readers(store, 'day', WEEK_START, WEEK_END)).toEqual(byDay);
    expect(await readers(store, 'hour', HOURLY_HORIZON, WEEK_END)).toEqual(byHour);
    expect(await hours(store, HOURLY_HORIZON, WEEK_END)).toEqual(hourly);

    // a second run with the same clock has nothing to do
    const before = await store.bins.batches(range());
    expect(await store.retention.compact(POLICY, NOW)).toEqual({ hoursCompacted: 0, daysCompacted: 0, rawBinsRemoved: 0, hourlyBinsRemoved: 0, hoursLeftRaw: 0, daysLeftHourly: 0 });
    expect(await store.bins.batches(range())).toEqual(before);
  });

  it('writes roll-ups as CountBatches: sums, max, the weighted mean, and the unobserved time kept unobserved', async () => {
    const batches = week();
    await store.bins.insertMany(batches, at);
    await store.retention.compact(POLICY, NOW);

    const hourStart = Date.parse('2025-03-05T13:00:00Z');
    const raw = batches.filter((b) => Date.parse(b.binStart) >= hourStart && Date.parse(b.binStart) < hourStart + HOUR);
    expect(raw).toHaveLength(4);
    const [rollup] = await store.bins.batches(range(hourStart, hourStart + HOUR));
    expect(CountBatch.parse(rollup)).toEqual(rollup);
    const observed = raw.reduce((s, b) => s + b.binSeconds - b.quality.gapSeconds, 0);
    const sum = (f: (b: CountBatch) => number) => raw.reduce((s, b) => s + f(b), 0);
    expect(rollup).toMatchObject({ batchId: 'rollup/hour/park/cam1/2025-03-05T13:00:00Z', seq: 0, binStart: '2025-03-05T13:00:00Z', binSeconds: 3600 });
    expect(rollup.quality.framesProcessed).toBe(sum((b) => b.quality.framesProcessed));
    expect(rollup.quality.framesExpected).toBe(36_000);
    expect(rollup.quality.gapSeconds).toBeCloseTo(3600 - observed, 9);
    expect(rollup.lines.l3.forward).toEqual({ person: sum((b) => b.lines.l3.forward.person), cyclist: sum((b) => b.lines.l3.forward.cyclist) });
    expect(rollup.zones.z2.exits.person).toBe(sum((b) => b.zones.z2.exits.person));
    expect(rollup.zones.z1.personSeconds).toBeCloseTo(sum((b) => b.zones.z1.personSeconds), 9);
    expect(rollup.zones.z1.occupancyMax).toBe(Math.max(...raw.map((b) => b.zones.z1.occupancyMax)));
    expect(rollup.zones.z1.occupancyMean).toBeCloseTo(sum((b) => b.zones.z1.personSeconds) / observed, 3);
    expect(rollup.zones.z2.dwellHistogram).toEqual(raw[0].zones.z2.dwellHistogram.map((_, i) => sum((b) => b.zones.z2.dwellHistogram[i])));
    const flow = (from: string, to: string) => rollup.flows.find((f) => f.from === from && f.to === to)?.count ?? 0;
    expect(flow('z1', 'z2')).toBe(sum((b) => b.flows.filter((f) => f.from === 'z1' && f.to === 'z2').reduce((s, f) => s + f.count, 0)));
    expect(new Set(rollup.flows.map((f) => `${f.from}>${f.to}`)).size).toBe(rollup.flows.length);

    const [day] = await store.bins.batches(range(WEEK_START, WEEK_START + DAY));
    expect(day).toMatchObject({ batchId: 'rollup/day/park/cam1/2025-03-03T00:00:00Z', binSeconds: 86_400 });
    const dayRaw = batches.filter((b) => Date.parse(b.binStart) < WEEK_START + DAY);
    expect(86_400 - day.quality.gapSeconds).toBeCloseTo(dayRaw.reduce((s, b) => s + b.binSeconds - b.quality.gapSeconds, 0), 6);
  });

  it('leaves an hour with a scene change mid-hour raw, and its day hourly', async () => {
    const batches = week();
    await store.bins.insertMany(batches, at);
    await store.retention.compact(POLICY, NOW);
    const rawOf = (from: number) => batches.filter((b) => Date.parse(b.binStart) >= from && Date.parse(b.binStart) < from + HOUR);
    for (const hour of [Date.parse('2025-03-04T10:00:00Z'), Date.parse('2025-03-06T14:00:00Z')]) {
      expect(await store.bins.batches(range(hour, hour + HOUR))).toEqual(rawOf(hour));
    }
    const day = await store.bins.batches(range(WEEK_START + DAY, WEEK_START + 2 * DAY));
    expect(day.map((b) => b.binSeconds)).toEqual([...new Array(10).fill(3600), 900, 900, 900, 900, ...new Array(13).fill(3600)]);
  });

  it('refuses a late raw batch before the horizon (too-old), still answers duplicate for a bin kept raw, and stores what is newer', async () => {
    const batches = week();
    await store.bins.insertMany(batches, at);
    await store.retention.compact(POLICY, NOW);
    const horizon = new Date(RAW_HORIZON).toISOString();
    const rand = random(99);

    // a bin of a compacted hour sent again: its batchId is gone, but it must not count twice
    const resent = batches.find((b) => b.binStart === '2025-03-05T10:15:00Z')!;
    expect(await store.bins.insert(resent, at)).toEqual({ kind: 'too-old', horizon });
    // a bin never seen, of an hour of the outage, from an edge that was offline: too late as well
    const late = makeBin(OUTAGE[0], 5000, ['l1', 'l2', 'l3'], ['z1', 'z2'], rand);
    expect(await store.bins.insert(late, at)).toEqual({ kind: 'too-old', horizon });
    // the same through the ingest path
    expect(await store.ingestWrites.apply([{ kind: 'batch', batch: late }], at)).toEqual([{ kind: 'batch', outcome: { kind: 'too-old', horizon } }]);
    // a bin of an hour left raw is still there: a duplicate, as before compaction
    const kept = batches.find((b) => b.binStart === '2025-03-06T14:30:00Z')!;
    expect(await store.bins.insert(kept, at)).toEqual({ kind: 'duplicate', sameContent: true });
    // after the horizon nothing changes
    const newer = { ...makeBin(RAW_HORIZON, 5001, ['l1', 'l2', 'l3'], ['z1'], rand), batchId: `${batchIdFor(SITE, CAMERA, iso(RAW_HORIZON))}@restart` };
    expect(await store.bins.insert(newer, at)).toEqual({ kind: 'stored' });
    expect(await store.bins.insert(batches.at(-1)!, at)).toEqual({ kind: 'duplicate', sameContent: true });
  });

  it('runs beside ingest: a resend is a duplicate before its hour is compacted and too-old after, never stored twice', async () => {
    const batches = week();
    await store.bins.insertMany(batches.filter((b) => Date.parse(b.binStart) < RAW_HORIZON), at);
    const summary = rounded(summarizeBatches(batches));
    // while compaction runs: the edge's resends of old bins, and the newer bins arriving
    const resends = batches.filter((b) => Date.parse(b.binStart) < RAW_HORIZON && b.binStart.endsWith(':45:00Z'));
    const arriving = batches.filter((b) => Date.parse(b.binStart) >= RAW_HORIZON);
    const ingest = (async () => {
      const outcomes: string[] = [];
      for (let i = 0; i < Math.max(resends.length, arriving.length); i++) {
        if (resends[i]) outcomes.push((await store.bins.insert(resends[i], at)).kind);
        if (arriving[i]) expect(await store.bins.insert(arriving[i], at)).toEqual({ kind: 'stored' });
      }
      return outcomes;
    })();
    const [result, outcomes] = await Promise.all([store.retention.compact(POLICY, NOW), ingest]);
    expect(result).toMatchObject({ hoursCompacted: 98, daysCompacted: 1, hoursLeftRaw: 2 });
    expect(outcomes.filter((k) => k !== 'duplicate' && k !== 'too-old')).toEqual([]);
    expect(rounded(summarizeBatches(await store.bins.batches(range())))).toEqual(summary);
  });

  it('keeps the horizon at the last bin of a camera gone quiet, so its outbox is still taken when it is back; then compacts that too', async () => {
    const rand = random(5);
    const first = Array.from({ length: 8 }, (_, i) => makeBin(WEEK_START + i * 900_000, i, ['l1'], [], rand));
    await store.bins.insertMany(first, at);
    expect(await store.retention.compact(POLICY, NOW)).toMatchObject({ hoursCompacted: 2, daysCompacted: 1, rawBinsRemoved: 8, hourlyBinsRemoved: 2 });
    expect(await store.retention.horizons()).toEqual([{ site: SITE, camera: CAMERA, rawBeforeMs: WEEK_START + DAY, hourlyBeforeMs: WEEK_START + DAY }]);
    // the edge comes back with 03-05 in its outbox: taken, and rolled up into hours by the next run
    const outbox = Array.from({ length: 4 }, (_, i) => makeBin(HOURLY_HORIZON + 9 * HOUR + i * 900_000, 100 + i, ['l1'], [], rand));
    for (const b of outbox) expect(await store.bins.insert(b, at)).toEqual({ kind: 'stored' });
    expect(await store.retention.compact(POLICY, NOW)).toMatchObject({ hoursCompacted: 1, rawBinsRemoved: 4 });
    expect(rounded(summarizeBatches(await store.bins.batches(range())))).toEqual(rounded(summarizeBatches([...first, ...outbox])));
    expect((await store.retention.horizons())[0].rawBeforeMs).toBe(HOURLY_HORIZON + 10 * HOUR);
  });

  it('leaves hours raw whose bins run past the hour (bins that do not divide it), without changing a count', async () => {
    const rand = random(7);
    // 40-minute bins on the wall clock: 00:00, 00:40 (to 01:20), 01:20, 02:00, …
    const bins = Array.from({ length: 36 }, (_, i) => makeBin(WEEK_START + i * 2400_000, i, ['l1'], ['z1'], rand, 2400));
    await store.bins.insertMany(bins, at);
    const summary = rounded(summarizeBatches(await store.bins.batches(range())));
    const subjects = ['site:park', 'line:park/cam1/l1', 'zone:park/cam1/z1'];
    const hourly = await hours(store, WEEK_START, WEEK_START + DAY, subjects);
    const result = await store.retention.compact({ rawDays: 3, hourlyDays: Infinity }, NOW);
    // of every 2 hours (3 bins), the one holding a bin that runs into the next stays raw
    expect(result).toEqual({ hoursCompacted: 12, daysCompacted: 0, rawBinsRemoved: 12, hourlyBinsRemoved: 0, hoursLeftRaw: 12, daysLeftHourly: 0 });
    expect(rounded(summarizeBatches(await store.bins.batches(range())))).toEqual(summary);
    expect(await hours(store, WEEK_START, WEEK_START + DAY, subjects)).toEqual(hourly);
  });

  it('runs on a timer in the hub, logs what it did, and stops after the run in progress', async () => {
    const rand = random(3);
    await store.bins.insertMany(Array.from({ length: 8 }, (_, i) => makeBin(HOURLY_HORIZON + i * 900_000, i, ['l1'], [], rand)), at);
    const results: CompactionResult[] = [];
    const lines: string[] = [];
    let twice!: () => void;
    const ranTwice = new Promise<void>((resolve) => (twice = resolve));
    const schedule = scheduleCompaction(store.retention, POLICY, {
      firstAfterMs: 5,
      everyMs: 5,
      clock: () => NOW,
      log: (line) => lines.push(line),
      onResult: (r) => {
        results.push(r);
        if (results.length === 2) twice();
      },
    });
    await ranTwice;
    await schedule.stop();
    expect(results[0]).toMatchObject({ hoursCompacted: 2, rawBinsRemoved: 8 });
    expect(results[1]).toMatchObject({ hoursCompacted: 0, daysCompacted: 0 });
    expect(lines).toEqual([expect.stringMatching(/^compaction: 2 hours \(from 8 bins\) and 0 days/)]);
    const count = results.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(results.length).toBe(count);
  });

  it('refuses a policy out of range', async () => {
    await expect(store.retention.compact({ rawDays: 0, hourlyDays: 10 }, NOW)).rejects.toThrow(RangeError);
    await expect(store.retention.compact({ rawDays: 10, hourlyDays: 5 }, NOW)).rejects.toThrow(/hourlyDays must be at least rawDays/);
    await expect(store.retention.compact({ rawDays: Infinity, hourlyDays: Infinity }, NOW)).resolves.toMatchObject({ hoursCompacted: 0, daysCompacted: 0 });
  });
});
