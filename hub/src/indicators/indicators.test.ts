import { describe, expect, it } from 'vitest';
import type { HourRecord } from './hourly.ts';
import { dwellMedian } from '@byliv/protocol';
import { periodIndicators } from './indicators.ts';
import { dayHours } from './local-time.ts';

/** An observed hour with `passers` passers and the rest given. */
function hour(hourStartMs: number, over: Partial<HourRecord> = {}): HourRecord {
  return {
    hourStartMs,
    observedSeconds: 3600,
    observed: true,
    passers: 1,
    forward: 1,
    backward: 0,
    entries: 0,
    exits: 0,
    stayingVisits: 0,
    personMinutes: 0,
    occupied: false,
    dwellHistogram: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    rawDwellHistogram: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    seen: { passers: 0, forward: 0, backward: 0, entries: 0, exits: 0, stayingVisits: 0, personMinutes: 0 },
    ...over,
  };
}
const missing = (hourStartMs: number): HourRecord => ({
  ...hour(hourStartMs),
  observedSeconds: 0,
  observed: false,
  passers: null,
  forward: null,
  backward: null,
  entries: null,
  exits: null,
  stayingVisits: null,
  personMinutes: null,
  occupied: null,
  dwellHistogram: null,
  rawDwellHistogram: null,
});

describe('median dwell', () => {
  it('interpolates linearly inside the bucket holding the middle visit', () => {
    // 4 visits: 1 in [5,15), 2 in [15,30), 1 in [30,60): the 2nd visit is half way through [15,30)
    expect(dwellMedian([0, 1, 2, 1, 0, 0, 0, 0, 0])).toBe(22.5);
    expect(dwellMedian([1, 0, 0, 0, 0, 0, 0, 0, 0])).toBe(2.5);
    expect(dwellMedian([0, 0, 0, 0, 0, 0, 10, 0, 0])).toBe(450);
  });

  it('the open last bucket gives its lower edge; no visits give null', () => {
    expect(dwellMedian([0, 0, 0, 0, 0, 0, 0, 1, 3])).toBe(1800);
    expect(dwellMedian([0, 0, 0, 0, 0, 0, 0, 0, 0])).toBeNull();
  });
});

describe('period indicators', () => {
  it('the 23-hour day of 2026-03-29: 23 passers a day, 6 of them in the evening', () => {
    const records = dayHours('2026-03-29').map((t) => hour(t));
    const p = periodIndicators(records, '2026-03-29', '2026-03-30');
    expect(p.hours).toEqual({ observed: 23, total: 23 });
    expect(p.days).toEqual({ complete: 1, total: 1 });
    expect(p.values.passersPerDay).toBe(23);
    expect(p.values.eveningShare).toBe(6 / 23);
  });

  it('the 25-hour day of 2026-10-25 is complete only with all 25 hours', () => {
    const hours = dayHours('2026-10-25');
    const all = periodIndicators(hours.map((t) => hour(t)), '2026-10-25', '2026-10-26');
    expect(all.hours).toEqual({ observed: 25, total: 25 });
    expect(all.values.passersPerDay).toBe(25);
    expect(all.values.eveningShare).toBe(6 / 25);
    // the second 02:00 missing: no complete day
    const holed = periodIndicators(hours.filter((_, i) => i !== 3).map((t) => hour(t)), '2026-10-25', '2026-10-26');
    expect(holed.hours).toEqual({ observed: 24, total: 25 });
    expect(holed.days).toEqual({ complete: 0, total: 1 });
    expect(holed.values.passersPerDay).toBeNull();
    expect(holed.values.eveningShare).toBeNull();
  });

  it('an incomplete day is left out of the per-day means, not counted low', () => {
    const day1 = dayHours('2026-06-01').map((t) => hour(t, { passers: 10, stayingVisits: 2, personMinutes: 3 }));
    // day 2: every hour busy, but 12:00 local is missing
    const day2 = dayHours('2026-06-02').map((t, i) => (i === 12 ? missing(t) : hour(t, { passers: 100, stayingVisits: 50, personMinutes: 60 })));
    const p = periodIndicators([...day1, ...day2], '2026-06-01', '2026-06-03');
    expect(p.hours).toEqual({ observed: 47, total: 48 });
    expect(p.days).toEqual({ complete: 1, total: 2 });
    expect(p.values.passersPerDay).toBe(240);
    expect(p.values.stayingVisitsPerDay).toBe(48);
    expect(p.values.personMinutesPerDay).toBe(72);
    expect(p.values.eveningShare).toBe(60 / 240);
  });

  it('two complete days: the mean of their sums; hours with no record are unobserved', () => {
    const d1 = dayHours('2026-06-01').map((t) => hour(t, { passers: 1 }));
    const d2 = dayHours('2026-06-02').map((t) => hour(t, { passers: 3 }));
    const p = periodIndicators([...d1, ...d2], '2026-06-01', '2026-06-04');
    expect(p.days).toEqual({ complete: 2, total: 3 });
    expect(p.hours).toEqual({ observed: 48, total: 72 });
    expect(p.values.passersPerDay).toBe(48);
  });

  it('installation use and median dwell use every observed hour, complete day or not', () => {
    const hours = dayHours('2026-06-01');
    const records = hours.slice(0, 10).map((t, i) =>
      hour(t, { occupied: i < 3, rawDwellHistogram: i === 0 ? [0, 1, 2, 1, 0, 0, 0, 0, 0] : [0, 0, 0, 0, 0, 0, 0, 0, 0], dwellHistogram: [9, 9, 9, 9, 9, 9, 9, 9, 9] }),
    );
    const p = periodIndicators([...records, missing(hours[10])], '2026-06-01', '2026-06-02');
    expect(p.days.complete).toBe(0);
    expect(p.values.installationUse).toBe(0.3);
    expect(p.values.medianDwellSeconds).toBe(22.5);
    expect(p.values.passersPerDay).toBeNull();
  });

  it('nothing observed: every value null', () => {
    const p = periodIndicators([], '2026-06-01', '2026-06-08');
    expect(p.hours).toEqual({ observed: 0, total: 168 });
    expect(Object.values(p.values)).toEqual([null, null, null, null, null, null]);
  });

  it('complete days with no passers: evening share null, not 0', () => {
    const p = periodIndicators(dayHours('2026-06-01').map((t) => hour(t, { passers: 0 })), '2026-06-01', '2026-06-02');
    expect(p.values.passersPerDay).toBe(0);
    expect(p.values.eveningShare).toBeNull();
  });
});

describe('what a period saw', () => {
  it('sums the seen counts and seconds of every hour, observed or not, while the values stay null', () => {
    const [first, second] = dayHours('2026-06-01');
    const short = { ...missing(first), observedSeconds: 80, seen: { passers: 9, forward: 5, backward: 4, entries: 2, exits: 2, stayingVisits: 1, personMinutes: 1.5 } };
    const p = periodIndicators([short, missing(second)], '2026-06-01', '2026-06-02');
    expect(p.values.passersPerDay).toBeNull();
    expect(p.seen).toEqual({ seconds: 80, passers: 9, stayingVisits: 1, personMinutes: 1.5 });
  });
});
