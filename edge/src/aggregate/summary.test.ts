import { describe, expect, it } from 'vitest';
import { CountSummary, type CountBatch } from '@byliv/protocol';
import { BinAggregator } from './bins.ts';
import { RunSummary, runSummary, SummaryAccumulator, summarizeBatches } from './summary.ts';

function replay(frameCount: number): CountBatch[] {
  const agg = new BinAggregator({
    site: 's',
    camera: 'c',
    binSeconds: 30,
    origin: new Date('2009-01-01T00:00:00Z'),
    lineIds: ['l1'],
    zoneIds: ['z1'],
    framesPerSecond: 10,
  });
  const out: CountBatch[] = [];
  for (let f = 0; f < frameCount; f++) {
    const t = f / 10;
    out.push(
      ...agg.add({
        time: t,
        duration: 0.1,
        crossings: f % 100 === 5 ? [{ lineId: 'l1', direction: f % 200 === 5 ? 'forward' : 'backward', cls: f % 300 === 5 ? 'cyclist' : 'person', time: t }] : [],
        zoneEvents: f % 50 === 0 ? [{ kind: 'entry', zoneId: 'z1', cls: 'person', time: t }] : [],
        occupancy: { time: t, duration: 0.1, byZone: { z1: f % 7 } },
      }),
    );
  }
  return [...out, ...agg.flush()];
}

describe('summary', () => {
  it('totals a run from its batches: frames, covered seconds, line and zone totals', () => {
    const batches = replay(795); // the PETS clip: 795 frames at 10 fps
    const s = summarizeBatches(batches);
    expect(() => CountSummary.parse(s)).not.toThrow();
    expect(s.frames).toBe(795);
    expect(s.seconds).toBe(79.5);
    expect(s.lines).toEqual({ l1: { forward: 4, backward: 4 } }); // crossings at frames 5, 105, …, 705
    expect(s.zones.z1.entries).toBe(16);
    expect(s.zones.z1.exits).toBe(0);
    expect(s.zones.z1.maxOccupancy).toBe(6);
    // Σ over frames of (f mod 7) × 0.1 s
    let want = 0;
    for (let f = 0; f < 795; f++) want += (f % 7) * 0.1;
    expect(s.zones.z1.personSeconds).toBeCloseTo(want, 2);
  });

  it('is the same whether batches come one by one, all at once, or split between two accumulators and re-summed', () => {
    const batches = replay(2000);
    const one = new SummaryAccumulator();
    for (const b of batches) one.add(b);
    expect(one.summary()).toEqual(summarizeBatches(batches));
    expect(new SummaryAccumulator().add(batches.slice(0, 3)).add(batches.slice(3)).summary()).toEqual(summarizeBatches(batches));
  });

  it('lists configured lines and zones even without batches', () => {
    expect(new SummaryAccumulator({ lineIds: ['a'], zoneIds: ['z'] }).summary()).toEqual({
      frames: 0,
      seconds: 0,
      lines: { a: { forward: 0, backward: 0 } },
      // No ended visits: an all-zero histogram and no median.
      zones: { z: { entries: 0, exits: 0, personSeconds: 0, maxOccupancy: 0, visits: 0, dwellHistogram: [0, 0, 0, 0, 0, 0, 0, 0, 0], stayingVisits: 0, medianDwellSeconds: null } },
    });
  });
});

describe('the run summary file', () => {
  const totals = summarizeBatches(replay(30));
  it('is exactly the CountSummary (what the hub gives) when the source was read whole', () => {
    const s = runSummary(totals, { partial: false, framesRead: 30, framesExpected: 30 });
    expect(s).toEqual(totals);
    expect(() => CountSummary.parse(s)).not.toThrow();
  });
  it('says it is partial, with frames read and expected, when the source ended early', () => {
    const s = runSummary(totals, { partial: true, framesRead: 30, framesExpected: 795 });
    expect(RunSummary.parse(s)).toMatchObject({ frames: 30, partial: true, framesRead: 30, framesExpected: 795 });
    expect(RunSummary.parse(runSummary(totals, { partial: true, framesRead: 0, framesExpected: null })).framesExpected).toBeNull();
    // The hub's strict shape refuses it, so a partial file cannot pass for a whole run's totals.
    expect(() => CountSummary.parse(s)).toThrow();
    expect(() => RunSummary.parse({ ...s, extra: 1 })).toThrow();
  });
});
