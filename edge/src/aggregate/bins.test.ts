import { describe, expect, it } from 'vitest';
import { CountBatch, DWELL_BIN_EDGES_SECONDS, dwellBucket } from '@byliv/protocol';
import { BinAggregator, type BinAggregatorOptions, type CountStep } from './bins.ts';
import type { Crossing, ZoneEvent } from '../types.ts';

const ORIGIN = new Date('2024-05-01T12:00:00Z');
const opts = (o: Partial<BinAggregatorOptions> = {}): BinAggregatorOptions => ({
  site: 'square',
  camera: 'cam-1',
  binSeconds: 60,
  origin: ORIGIN,
  lineIds: ['north', 'south'],
  zoneIds: ['bench', 'fountain'],
  framesPerSecond: 10,
  ...o,
});
const step = (time: number, extra: Partial<CountStep> = {}): CountStep => ({
  time,
  duration: 0.1,
  crossings: [],
  zoneEvents: [],
  occupancy: { time, duration: 0.1, byZone: { bench: 0, fountain: 0 } },
  ...extra,
});

/** Feed frames at 10 fps for stream times [from, to), then flush; every batch is schema-checked. */
function runFrames(agg: BinAggregator, times: number[], extra: (t: number) => Partial<CountStep> = () => ({})): CountBatch[] {
  const out: CountBatch[] = [];
  for (const t of times) out.push(...agg.add(step(t, extra(t))));
  out.push(...agg.flush());
  for (const b of out) expect(() => CountBatch.parse(b)).not.toThrow();
  return out;
}
const frames = (from: number, to: number): number[] => {
  const n = Math.round((to - from) * 10);
  return Array.from({ length: n }, (_, i) => Math.round((from + i / 10) * 10) / 10);
};

describe('BinAggregator', () => {
  it('closes wall-clock aligned bins as time passes them, and the last on flush', () => {
    const agg = new BinAggregator(opts());
    const closedAt: number[] = [];
    for (const t of frames(0, 125)) if (agg.add(step(t)).length) closedAt.push(t);
    expect(closedAt).toEqual([60, 120]);
    const all = runFrames(new BinAggregator(opts()), frames(0, 125));
    expect(all.map((b) => [b.seq, b.binStart, b.batchId])).toEqual([
      [0, '2024-05-01T12:00:00Z', 'square/cam-1/2024-05-01T12:00:00Z'],
      [1, '2024-05-01T12:01:00Z', 'square/cam-1/2024-05-01T12:01:00Z'],
      [2, '2024-05-01T12:02:00Z', 'square/cam-1/2024-05-01T12:02:00Z'],
    ]);
    expect(all.map((b) => b.quality)).toEqual([
      { framesProcessed: 600, framesExpected: 600, gapSeconds: 0 },
      { framesProcessed: 600, framesExpected: 600, gapSeconds: 0 },
      // 5 s of frames, the rest of the bin after the stream ended is a gap
      { framesProcessed: 50, framesExpected: 600, gapSeconds: 55 },
    ]);
  });

  it('starts counting seq at firstSeq', () => {
    const all = runFrames(new BinAggregator(opts({ firstSeq: 41 })), frames(0, 61));
    expect(all.map((b) => b.seq)).toEqual([41, 42]);
  });

  it('an origin in the middle of a bin gives a partial first bin, its start a gap', () => {
    const all = runFrames(new BinAggregator(opts({ origin: new Date('2024-05-01T12:00:45.5Z') })), frames(0, 20));
    expect(all.map((b) => [b.binStart, b.quality.framesProcessed, b.quality.gapSeconds])).toEqual([
      ['2024-05-01T12:00:00Z', 145, 45.5],
      ['2024-05-01T12:01:00Z', 55, 54.5],
    ]);
  });

  it('counts holes longer than 3 frames as gaps, across bins, and emits bins without frames', () => {
    // frames 0..49.9 s, none until 200 s, then 200..209.9 s; short 2-frame drops at 10 s are not gaps
    const times = [...frames(0, 50).filter((t) => t !== 10 && t !== 10.1), ...frames(200, 210)];
    const all = runFrames(new BinAggregator(opts()), times);
    expect(all.map((b) => [b.seq, b.quality.framesProcessed, b.quality.gapSeconds])).toEqual([
      [0, 498, 10], // hole from 50.0 (last frame 49.9 + one period) to the bin end
      [1, 0, 60],
      [2, 0, 60],
      [3, 100, 50], // 180..200 before, 210..240 after the end of the stream
    ]);
  });

  it('folds crossings and zone events by line, zone, direction and class; unused lines are zeros', () => {
    const crossings: Record<number, Crossing[]> = {
      1: [{ lineId: 'north', direction: 'forward', cls: 'person', time: 1 }],
      2: [
        { lineId: 'north', direction: 'forward', cls: 'cyclist', time: 2 },
        { lineId: 'north', direction: 'backward', cls: 'person', time: 2 },
      ],
      61: [{ lineId: 'north', direction: 'backward', cls: 'person', time: 61 }],
    };
    const events: Record<number, ZoneEvent[]> = {
      3: [
        { kind: 'entry', zoneId: 'bench', cls: 'person', time: 3 },
        { kind: 'exit', zoneId: 'fountain', cls: 'cyclist', time: 3, dwellSeconds: 4.99 },
        { kind: 'exit', zoneId: 'fountain', cls: 'person', time: 3, dwellSeconds: 5 },
        { kind: 'exit', zoneId: 'fountain', cls: 'person', time: 3, dwellSeconds: 4000 },
        { kind: 'flow', from: 'fountain', to: 'bench', time: 3 },
      ],
      4: [
        { kind: 'flow', from: 'bench', to: 'fountain', time: 4 },
        { kind: 'flow', from: 'fountain', to: 'bench', time: 4 },
      ],
    };
    const all = runFrames(new BinAggregator(opts()), frames(0, 62), (t) => ({ crossings: crossings[t] ?? [], zoneEvents: events[t] ?? [] }));
    const [b0, b1] = all;
    expect(b0.lines).toEqual({
      north: { forward: { person: 1, cyclist: 1 }, backward: { person: 1, cyclist: 0 } },
      south: { forward: { person: 0, cyclist: 0 }, backward: { person: 0, cyclist: 0 } },
    });
    expect(b1.lines.north.backward.person).toBe(1);
    expect(b0.zones.bench.entries).toEqual({ person: 1, cyclist: 0 });
    expect(b0.zones.fountain.exits).toEqual({ person: 2, cyclist: 1 });
    expect(b0.zones.fountain.dwellHistogram).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 1]);
    expect(b0.flows).toEqual([
      { from: 'bench', to: 'fountain', count: 1 },
      { from: 'fountain', to: 'bench', count: 2 },
    ]);
    expect(b1.flows).toEqual([]);
  });

  it('weights occupancy by frame duration: person-seconds, time-weighted mean, max', () => {
    // 2 people on the bench for the first 20 s, 1 for the next 40 s; fountain 3 for one frame
    const all = runFrames(new BinAggregator(opts()), frames(0, 60), (t) => ({
      occupancy: { time: t, duration: 0.1, byZone: { bench: t < 20 ? 2 : 1, fountain: t === 30 ? 3 : 0 } },
    }));
    const z = all[0].zones;
    expect(z.bench.personSeconds).toBe(80);
    expect(z.bench.occupancyMean).toBeCloseTo(80 / 60, 3);
    expect(z.bench.occupancyMax).toBe(2);
    expect(z.fountain).toMatchObject({ personSeconds: 0.3, occupancyMax: 3, occupancyMean: 0.005 });
  });

  it('folds a frame whose time went back into the open bin, never reopening a closed one', () => {
    const agg = new BinAggregator(opts());
    const out = [...agg.add(step(59.9)), ...agg.add(step(60)), ...agg.add(step(10)), ...agg.flush()];
    expect(out.map((b) => [b.seq, b.quality.framesProcessed])).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });

  it('names what is wrong in a step or in the options', () => {
    const agg = new BinAggregator(opts());
    expect(() => agg.add(step(1, { crossings: [{ lineId: 'east', direction: 'forward', cls: 'person', time: 1 }] }))).toThrow(
      /unknown line "east"/,
    );
    expect(() => agg.add(step(1, { zoneEvents: [{ kind: 'entry', zoneId: 'pond', cls: 'person', time: 1 }] }))).toThrow(/unknown zone "pond"/);
    expect(() => agg.add(step(1, { duration: -1 }))).toThrow(/duration/);
    expect(() => new BinAggregator(opts({ binSeconds: 7.5 }))).toThrow(/binSeconds/);
    expect(() => new BinAggregator(opts({ framesPerSecond: 0 }))).toThrow(/framesPerSecond/);
    expect(() => new BinAggregator(opts({ origin: new Date('nope') }))).toThrow(/origin/);
  });

  it('a bin closed early (the agent stopped) is marked partial under the id the complete bin will have', () => {
    const stopped = new BinAggregator(opts());
    for (const t of frames(0, 90)) stopped.add(step(t));
    const [early] = stopped.flush({ early: true });
    const full = runFrames(new BinAggregator(opts()), frames(0, 125));
    expect(CountBatch.parse(early)).toMatchObject({ batchId: full[1].batchId, partial: true, quality: { framesProcessed: 300 } });
    // Bins closed by time, and one cut short by the end of its stream, are complete.
    for (const b of full) expect(b).not.toHaveProperty('partial');
  });

  it('flush with nothing added returns nothing', () => {
    expect(new BinAggregator(opts()).flush()).toEqual([]);
  });
});

describe('BinAggregator on random streams', () => {
  it('loses and invents nothing: totals, frames, consecutive seq and bin starts, valid batches', () => {
    let s = 99;
    const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    for (let trial = 0; trial < 20; trial++) {
      const agg = new BinAggregator(opts({ binSeconds: 10, origin: new Date(Date.UTC(2024, 0, 1, 0, 0, Math.floor(rand() * 60))) }));
      const out: CountBatch[] = [];
      let t = 0;
      let steps = 0;
      let forward = 0;
      let entries = 0;
      for (let i = 0; i < 500; i++) {
        t += rand() < 0.02 ? 0.5 + rand() * 40 : 0.1; // now and then a long hole
        const crossings: Crossing[] = rand() < 0.2 ? [{ lineId: 'south', direction: 'forward', cls: rand() < 0.5 ? 'person' : 'cyclist', time: t }] : [];
        const zoneEvents: ZoneEvent[] = rand() < 0.1 ? [{ kind: 'entry', zoneId: 'bench', cls: 'person', time: t }] : [];
        forward += crossings.length;
        entries += zoneEvents.length;
        steps++;
        out.push(...agg.add(step(t, { crossings, zoneEvents })));
      }
      out.push(...agg.flush());
      for (const b of out) CountBatch.parse(b);
      const sum = (f: (b: CountBatch) => number) => out.reduce((a, b) => a + f(b), 0);
      expect(sum((b) => b.quality.framesProcessed)).toBe(steps);
      expect(sum((b) => b.lines.south.forward.person + b.lines.south.forward.cyclist)).toBe(forward);
      expect(sum((b) => b.zones.bench.entries.person)).toBe(entries);
      out.forEach((b, i) => {
        expect(b.seq).toBe(i);
        if (i > 0) expect(Date.parse(b.binStart) - Date.parse(out[i - 1].binStart)).toBe(10_000);
        expect(b.quality.gapSeconds).toBeLessThanOrEqual(10);
      });
      // Frames come 0.1 s apart or after a long hole, so the time not counted as gap is exactly
      // one frame period per frame (up to the 3-decimal rounding of each bin's gap).
      const covered = sum((b) => b.binSeconds - b.quality.gapSeconds);
      expect(Math.abs(covered - steps * 0.1)).toBeLessThan(0.0005 * out.length + 1e-6);
    }
  });
});

describe('dwellBucket (the protocol rule the aggregator bins by)', () => {
  it('puts a dwell in [edge i−1, edge i), the last bin open', () => {
    expect(dwellBucket(0)).toBe(0);
    expect(dwellBucket(4.999)).toBe(0);
    expect(dwellBucket(5)).toBe(1);
    expect(dwellBucket(1799.9)).toBe(DWELL_BIN_EDGES_SECONDS.length - 1);
    expect(dwellBucket(1800)).toBe(DWELL_BIN_EDGES_SECONDS.length);
  });
});
