import { describe, expect, it } from 'vitest';
import { hourlyFromBins, stayBucket, type BinCounts } from './hourly.ts';

const H = Date.parse('2026-06-01T10:00:00Z');
const MIN = 60_000;

/** A bin of camera `camera` starting `minute` minutes after 10:00 UTC. */
function bin(minute: number, over: Partial<BinCounts> = {}): BinCounts {
  return {
    camera: 'park/cam1',
    binStartMs: H + minute * MIN,
    binSeconds: 900,
    gapSeconds: 0,
    passers: 0,
    forward: 0,
    backward: 0,
    entries: 0,
    exits: 0,
    personSeconds: 0,
    occupied: false,
    dwellHistogram: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ...over,
  };
}

describe('hour records', () => {
  it('a fully seen hour sums its bins unscaled', () => {
    const bins = [0, 15, 30, 45].map((m) => bin(m, { passers: 3, forward: 2, backward: 1, entries: 1, exits: 1, personSeconds: 120, dwellHistogram: [1, 0, 0, 1, 0, 0, 0, 0, 0] }));
    const [h] = hourlyFromBins(bins, ['park/cam1'], H, H + 3_600_000);
    expect(h).toEqual({
      hourStartMs: H,
      observedSeconds: 3600,
      observed: true,
      passers: 12,
      forward: 8,
      backward: 4,
      entries: 4,
      exits: 4,
      stayingVisits: 4,
      personMinutes: 8,
      occupied: false,
      dwellHistogram: [4, 0, 0, 4, 0, 0, 0, 0, 0],
      rawDwellHistogram: [4, 0, 0, 4, 0, 0, 0, 0, 0],
      seen: { passers: 12, forward: 8, backward: 4, entries: 4, exits: 4, stayingVisits: 4, personMinutes: 8 },
    });
  });

  it('an hour seen too little to count keeps what was seen, unscaled, beside its null values', () => {
    // the demo's case: an 80-s clip, 48 s of it in this hour
    const short = { ...bin(0, { passers: 7, forward: 4, backward: 3, entries: 2, exits: 1, personSeconds: 90, dwellHistogram: [0, 0, 1, 1, 0, 0, 0, 0, 0] }), gapSeconds: 900 - 48 };
    const [h] = hourlyFromBins([short], ['park/cam1'], H, H + 3_600_000);
    expect(h.observed).toBe(false);
    expect(h.passers).toBeNull();
    expect(h.observedSeconds).toBe(48);
    expect(h.seen).toEqual({ passers: 7, forward: 4, backward: 3, entries: 2, exits: 1, stayingVisits: 1, personMinutes: 1.5 });
    const [none] = hourlyFromBins([], ['park/cam1'], H, H + 3_600_000);
    expect(none.seen.passers).toBe(0);
  });

  it('an hour seen 50 % is observed and scaled ×2; the raw dwell histogram stays as seen', () => {
    const bins = [bin(0, { passers: 5, personSeconds: 30, occupied: true, dwellHistogram: [0, 0, 0, 0, 1, 0, 0, 0, 0] }), bin(15, { passers: 2 })];
    const [h] = hourlyFromBins(bins, ['park/cam1'], H, H + 3_600_000);
    expect(h.observedSeconds).toBe(1800);
    expect(h.observed).toBe(true);
    expect(h.passers).toBe(14);
    expect(h.personMinutes).toBe(1);
    expect(h.stayingVisits).toBe(2);
    expect(h.occupied).toBe(true);
    expect(h.rawDwellHistogram).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
  });

  it('an hour seen under 50 % (gaps) and an hour with no bin are null, never 0', () => {
    const bins = [bin(0, { passers: 5 }), bin(15, { passers: 5, gapSeconds: 1 })];
    const [seen, none] = hourlyFromBins(bins, ['park/cam1'], H, H + 2 * 3_600_000);
    expect(seen).toMatchObject({ observedSeconds: 1799, observed: false, passers: null, stayingVisits: null, personMinutes: null, occupied: null, dwellHistogram: null });
    expect(none).toMatchObject({ hourStartMs: H + 3_600_000, observedSeconds: 0, observed: false, passers: null });
  });

  it('several cameras: the hour is as observed as its least-seeing camera; each camera is scaled by its own coverage', () => {
    const full = [0, 15, 30, 45].map((m) => bin(m, { passers: 1 }));
    const half = [0, 15].map((m) => bin(m, { camera: 'park/cam2', passers: 3 }));
    const [h] = hourlyFromBins([...full, ...half], ['park/cam1', 'park/cam2'], H, H + 3_600_000);
    expect(h.observedSeconds).toBe(1800);
    expect(h.passers).toBe(4 + 6 * 2);
    // a camera of the subject without any bin makes the hour unobserved
    expect(hourlyFromBins(full, ['park/cam1', 'park/cam2'], H, H + 3_600_000)[0].observed).toBe(false);
    // bins of cameras that are not the subject's are ignored
    expect(hourlyFromBins([...full, ...half], ['park/cam1'], H, H + 3_600_000)[0].passers).toBe(4);
  });

  it('a bin over several hours is spread in proportion to its overlap', () => {
    // 10:30–12:30, 8 passers: 2 in hour 10 (1800 s seen, ×2 → 4), 4 in hour 11, 2 in hour 12 (×2 → 4)
    const [h10, h11, h12] = hourlyFromBins([bin(30, { binSeconds: 7200, passers: 8 })], ['park/cam1'], H, H + 3 * 3_600_000);
    expect([h10.observedSeconds, h11.observedSeconds, h12.observedSeconds]).toEqual([1800, 3600, 1800]);
    expect([h10.passers, h11.passers, h12.passers]).toEqual([4, 4, 4]);
  });

  it('a second, partial batch of the same bin (agent restart) adds its seen time', () => {
    const bins = [bin(0, { binSeconds: 3600, gapSeconds: 2000, passers: 3 }), bin(0, { binSeconds: 3600, gapSeconds: 1600, passers: 5 })];
    const [h] = hourlyFromBins(bins, ['park/cam1'], H, H + 3_600_000);
    expect(h.observedSeconds).toBe(3600);
    expect(h.passers).toBe(8);
  });

  it('staying visits start at the stayMinSeconds edge', () => {
    const bins = [0, 15, 30, 45].map((m) => bin(m, { dwellHistogram: m === 0 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : [0, 0, 0, 0, 0, 0, 0, 0, 0] }));
    expect(hourlyFromBins(bins, ['park/cam1'], H, H + 3_600_000)[0].stayingVisits).toBe(4 + 5 + 6 + 7 + 8 + 9);
    expect(hourlyFromBins(bins, ['park/cam1'], H, H + 3_600_000, { stayMinSeconds: 60 })[0].stayingVisits).toBe(5 + 6 + 7 + 8 + 9);
    expect(hourlyFromBins(bins, ['park/cam1'], H, H + 3_600_000, { stayMinSeconds: 1800 })[0].stayingVisits).toBe(9);
    expect(stayBucket(5)).toBe(1);
    expect(() => stayBucket(31)).toThrow(/one of 5, 15, 30/);
  });

  it('a subject without cameras is never observed', () => {
    expect(hourlyFromBins([bin(0)], [], H, H + 3_600_000)).toMatchObject([{ observed: false, observedSeconds: 0 }]);
  });
});
