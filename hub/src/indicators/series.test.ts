import { describe, expect, it } from 'vitest';
import type { HourRecord } from './hourly.ts';
import { dayHours, dayStartMs } from './local-time.ts';
import { dwellSummary, heatmap, seriesPoints } from './series.ts';
import { parseSubject, formatSubject } from './subject.ts';

const iso = (ms: number) => new Date(ms).toISOString();
function hour(hourStartMs: number, passers: number | null, raw?: number[]): HourRecord {
  const seen = passers !== null;
  return {
    hourStartMs,
    observedSeconds: seen ? 3600 : 0,
    observed: seen,
    passers,
    forward: passers,
    backward: seen ? 0 : null,
    entries: seen ? 0 : null,
    exits: seen ? 0 : null,
    stayingVisits: seen ? 0 : null,
    personMinutes: seen ? 0 : null,
    occupied: seen ? false : null,
    dwellHistogram: seen ? (raw ?? [0, 0, 0, 0, 0, 0, 0, 0, 0]) : null,
    rawDwellHistogram: seen ? (raw ?? [0, 0, 0, 0, 0, 0, 0, 0, 0]) : null,
    seen: { passers: passers ?? 0, forward: passers ?? 0, backward: 0, entries: 0, exits: 0, stayingVisits: 0, personMinutes: 0 },
  };
}

describe('series', () => {
  it('day buckets are local days: 24, 25 and 24 hours around 2026-10-25', () => {
    const hours = [...dayHours('2026-10-24'), ...dayHours('2026-10-25'), ...dayHours('2026-10-26')];
    const records = hours.map((t) => hour(t, 2));
    const points = seriesPoints(records, dayStartMs('2026-10-24'), dayStartMs('2026-10-27'), 'passers', 'day');
    expect(points).toEqual([
      { startMs: Date.parse('2026-10-23T22:00:00Z'), endMs: Date.parse('2026-10-24T22:00:00Z'), value: 48, observedHours: 24, totalHours: 24, observedSeconds: 86400, seen: 48 },
      { startMs: Date.parse('2026-10-24T22:00:00Z'), endMs: Date.parse('2026-10-25T23:00:00Z'), value: 50, observedHours: 25, totalHours: 25, observedSeconds: 90000, seen: 50 },
      { startMs: Date.parse('2026-10-25T23:00:00Z'), endMs: Date.parse('2026-10-26T23:00:00Z'), value: 48, observedHours: 24, totalHours: 24, observedSeconds: 86400, seen: 48 },
    ]);
  });

  it('a bucket sums its observed hours; one with none observed is null, not 0', () => {
    const d1 = dayHours('2026-06-01').map((t, i) => hour(t, i < 6 ? null : 1));
    const d2 = dayHours('2026-06-02').map((t) => hour(t, null));
    const points = seriesPoints([...d1, ...d2], dayStartMs('2026-06-01'), dayStartMs('2026-06-03'), 'passers', 'day');
    expect(points.map((p) => [p.value, p.observedHours, p.totalHours])).toEqual([
      [18, 18, 24],
      [null, 0, 24],
    ]);
    const hourly = seriesPoints(d1.slice(4, 8), d1[4].hourStartMs, d1[8].hourStartMs, 'passers', 'hour');
    expect(hourly.map((p) => [iso(p.startMs), p.value])).toEqual([
      ['2026-06-01T02:00:00.000Z', null],
      ['2026-06-01T03:00:00.000Z', null],
      ['2026-06-01T04:00:00.000Z', 1],
      ['2026-06-01T05:00:00.000Z', 1],
    ]);
  });

  it('week and month buckets are local and clipped to the range', () => {
    // Sunday 2026-11-22 to Tuesday 2026-11-24: the end of W47 and the start of W48
    const records = [...dayHours('2026-11-22'), ...dayHours('2026-11-23'), ...dayHours('2026-11-24')].map((t) => hour(t, 1));
    const weeks = seriesPoints(records, dayStartMs('2026-11-22'), dayStartMs('2026-11-25'), 'passers', 'week');
    expect(weeks.map((p) => [iso(p.startMs), iso(p.endMs), p.value, p.totalHours])).toEqual([
      ['2026-11-21T23:00:00.000Z', '2026-11-22T23:00:00.000Z', 24, 24],
      ['2026-11-22T23:00:00.000Z', '2026-11-24T23:00:00.000Z', 48, 48],
    ]);
    const months = seriesPoints(records, dayStartMs('2026-11-22'), dayStartMs('2026-11-25'), 'passers', 'month');
    expect(months.map((p) => [iso(p.startMs), p.value])).toEqual([['2026-11-21T23:00:00.000Z', 72]]);
  });

  it('heat map: mean per observed hour by local weekday and hour; the doubled 02:00 of 2026-10-25 lands in one cell', () => {
    const records = dayHours('2026-10-25').map((t, i) => hour(t, i === 2 ? 4 : i === 3 ? 8 : i === 10 ? null : 1));
    const cells = heatmap(records, 'passers');
    expect(cells.length).toBe(168);
    expect(cells[0]).toEqual({ weekday: 1, hour: 0, mean: null, hours: 0 });
    const sunday = (h: number) => cells[6 * 24 + h];
    expect(sunday(2)).toEqual({ weekday: 7, hour: 2, mean: 6, hours: 2 });
    expect(sunday(1)).toEqual({ weekday: 7, hour: 1, mean: 1, hours: 1 });
    // index 10 of the 25-hour day is 09:00 local
    expect(sunday(9)).toEqual({ weekday: 7, hour: 9, mean: null, hours: 0 });
  });

  it('dwell: visits of observed hours only, with their median', () => {
    const [a, b, c] = dayHours('2026-06-01');
    const d = dwellSummary([hour(a, 0, [0, 1, 1, 0, 0, 0, 0, 0, 0]), hour(b, 0, [0, 0, 1, 1, 0, 0, 0, 0, 0]), hour(c, null)]);
    expect(d).toEqual({ edges: [5, 15, 30, 60, 120, 300, 600, 1800], counts: [0, 1, 2, 1, 0, 0, 0, 0, 0], visits: 4, medianSeconds: 22.5 });
  });
});

describe('subjects', () => {
  it('reads each kind and writes it back', () => {
    for (const text of ['site:park', 'zone:park/cam1/bench', 'line:park/cam1/l1', 'installation:bench-1', 'district:north']) {
      const p = parseSubject(text);
      expect(p.ok).toBe(true);
      if (p.ok) expect(formatSubject(p.subject)).toBe(text);
    }
    expect(parseSubject('zone:park/cam1/bench')).toEqual({ ok: true, subject: { kind: 'zone', site: 'park', camera: 'cam1', feature: 'bench' } });
  });

  it('says what is wrong', () => {
    expect(parseSubject('park')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a subject: use site:<site>/) });
    expect(parseSubject('zone:park/bench')).toMatchObject({ ok: false, reason: 'a zone subject is zone:<site>/<camera>/<zone>, got "zone:park/bench"' });
    expect(parseSubject('site:pa rk')).toMatchObject({ ok: false, reason: expect.stringMatching(/"pa rk" .* not a valid id/) });
  });
});

describe('series coverage', () => {
  it('a bucket tells its coverage to the second and what was seen, however little', () => {
    const day = dayHours('2026-06-01');
    // 80 s seen in one hour (not observed: under half), one whole hour observed
    const records = [
      { ...hour(day[10], null), observedSeconds: 80, seen: { passers: 9, forward: 5, backward: 4, entries: 0, exits: 0, stayingVisits: 0, personMinutes: 0 } },
      hour(day[11], 3),
    ];
    const [p] = seriesPoints(records, dayStartMs('2026-06-01'), dayStartMs('2026-06-02'), 'passers', 'day');
    expect(p).toMatchObject({ value: 3, observedHours: 1, totalHours: 24, observedSeconds: 3680, seen: 12 });
  });
});
