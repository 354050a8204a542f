import { describe, expect, it } from 'vitest';
import { cellKey, groupByCell, matchedCells } from './matching.ts';
import { evaluate, NoMatchedCellsError, type EvaluationHour, type PeriodHours } from './evaluate.ts';
import { localParts } from '../indicators/index.ts';

const HOUR = 3_600_000;

/** Copenhagen weekday (Mon 1) and hour of a UTC instant, straight from Intl (independent of the code under test). */
const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', weekday: 'short', hour: '2-digit', hourCycle: 'h23' });
function localCell(ms: number): { weekday: number; hour: number } {
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday) + 1, hour: Number(p.hour) };
}

/** Every UTC hour of [from, to) with the same value in all three measures (null → unobserved). */
function hours(from: string, to: string, value: (ms: number) => number | null): EvaluationHour[] {
  const out: EvaluationHour[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += HOUR) {
    const v = value(t);
    out.push({ hourStartMs: t, ...localCell(t), observed: v !== null, passers: v, stayingVisits: v, personMinutes: v });
  }
  return out;
}

/** A hand-made hour in a given cell (weekday/hour given directly). */
const h = (weekday: number, hour: number, value: number | null, i = 0): EvaluationHour => ({
  hourStartMs: i * HOUR,
  weekday,
  hour,
  observed: value !== null,
  passers: value,
  stayingVisits: value === null ? null : value / 2,
  personMinutes: value === null ? null : value * 3,
});

describe('matching', () => {
  it('groups observed values by local weekday × hour; null is no sample (never a 0)', () => {
    const cells = groupByCell([
      { hourStartMs: 0, weekday: 1, hour: 10, value: 4 },
      { hourStartMs: 1, weekday: 1, hour: 10, value: null },
      { hourStartMs: 2, weekday: 1, hour: 10, value: 0 },
      { hourStartMs: 3, weekday: 7, hour: 23, value: null },
    ]);
    expect([...cells.entries()]).toEqual([[cellKey(1, 10), [4, 0]]]);
  });

  it('keeps the cells observed in every period', () => {
    const a = groupByCell([{ hourStartMs: 0, weekday: 1, hour: 10, value: 1 }, { hourStartMs: 0, weekday: 2, hour: 10, value: 1 }]);
    const b = groupByCell([{ hourStartMs: 0, weekday: 2, hour: 10, value: 1 }, { hourStartMs: 0, weekday: 3, hour: 10, value: 1 }]);
    expect(matchedCells(a, b)).toEqual([cellKey(2, 10)]);
  });

  it('refuses a weekday or hour out of range', () => {
    expect(() => groupByCell([{ hourStartMs: 0, weekday: 0, hour: 10, value: 1 }])).toThrow(/weekday 0/);
  });
});

describe('evaluate', () => {
  /*
   * Two cells, Mon 10 (A) and Mon 11 (B), the effect.test.ts case:
   * baseline A 10 12 14, B 20 22 → T_b 33; intervention A 15 17 19, B 26 28 → T_i 44; change 11 ± 4.61976.
   * Plus hours that must not count: unobserved hours in A and B (null, if read as 0 the mean of A
   * would drop to 36/4 = 9), and Tue 09 observed only in the baseline (no partner → not matched).
   */
  const subject: PeriodHours = {
    baseline: [h(1, 10, 10), h(1, 10, 12), h(1, 10, 14), h(1, 10, null), h(1, 11, 20), h(1, 11, 22), h(1, 11, null), h(2, 9, 1000)],
    intervention: [h(1, 10, 15), h(1, 10, 17), h(1, 10, 19), h(1, 11, 26), h(1, 11, 28), h(1, 11, null), h(3, 9, null)],
  };

  it('compares matched cells only; missing hours are excluded, not zeros', () => {
    const r = evaluate(subject, null);
    expect(r.matchedCells).toBe(2);
    expect(r.baseline).toEqual({ hours: 6, totalHours: 8 });
    expect(r.intervention).toEqual({ hours: 5, totalHours: 7 });
    const p = r.measures.passers!;
    expect(p).toMatchObject({ baselinePerWeek: 33, interventionPerWeek: 44, change: 11, relativeChange: 0.3333, did: null, cells: 2 });
    expect(p.changeCi95).toEqual([6.3802, 15.6198]);
    expect(p.relativeCi95).toEqual([0.1781, 0.509]);
    // the other measures are the same hours scaled: ½ and ×3
    expect(r.measures.stayingVisits).toMatchObject({ baselinePerWeek: 16.5, interventionPerWeek: 22, change: 5.5 });
    expect(r.measures.personMinutes).toMatchObject({ baselinePerWeek: 99, interventionPerWeek: 132, change: 33 });
    expect(r.caveats).toEqual(['hours_treated_independent', 'no_control', 'few_matched_cells', 'short_baseline', 'short_intervention']);
  });

  it('difference in differences: a control that moved by the same amount → change 0', () => {
    // control A 5 7 → 10 12, B 9 11 → 15 17: C_b 16, C_i 27, +11 like the subject (see effect.test.ts)
    const control: PeriodHours = {
      baseline: [h(1, 10, 5), h(1, 10, 7), h(1, 11, 9), h(1, 11, 11), h(2, 9, 3)],
      intervention: [h(1, 10, 10), h(1, 10, 12), h(1, 11, 15), h(1, 11, 17)],
    };
    const r = evaluate(subject, control);
    expect(r.caveats).not.toContain('no_control');
    const p = r.measures.passers!;
    expect(p.change).toBe(11);
    expect(p.did).toEqual({ change: 0, changeCi95: [-6.0588, 6.0588], relativeChange: -0.2099, relativeCi95: [-0.3762, 0.0008] });
  });

  it('cells the control did not observe drop out of the comparison for everyone', () => {
    // the control saw only Mon 11 (B): subject T_b = 21, T_i = 27 over that one cell
    const control: PeriodHours = { baseline: [h(1, 10, null), h(1, 11, 9), h(1, 11, 11)], intervention: [h(1, 11, 15), h(1, 11, 17)] };
    const r = evaluate(subject, control);
    expect(r.matchedCells).toBe(1);
    expect(r.measures.passers).toMatchObject({ baselinePerWeek: 21, interventionPerWeek: 27, change: 6, did: { change: 0 } });
  });

  it('T_b = 0: relative change and its interval are null', () => {
    const r = evaluate({ baseline: [h(1, 10, 0), h(1, 10, 0)], intervention: [h(1, 10, 3), h(1, 10, 5)] }, null);
    // T_b 0, T_i 4, s²_i = (1+1)/1 = 2, Var_i = 2/2 = 1 → 4 ± 1.96
    expect(r.measures.passers).toMatchObject({ baselinePerWeek: 0, interventionPerWeek: 4, change: 4, changeCi95: [2.04, 5.96], relativeChange: null, relativeCi95: null });
  });

  it('a measure missing in observed hours is left out (null), with a caveat', () => {
    const noZones = (x: EvaluationHour): EvaluationHour => ({ ...x, stayingVisits: null, personMinutes: null });
    const r = evaluate({ baseline: subject.baseline.map(noZones), intervention: subject.intervention.map(noZones) }, null);
    expect(r.measures.passers?.change).toBe(11);
    expect(r.measures.stayingVisits).toBeNull();
    expect(r.measures.personMinutes).toBeNull();
    expect(r.caveats).toContain('measure_unavailable');
  });

  it('a control without the measure (a line: no staying visits) leaves that DiD null, the own comparison stands', () => {
    const line = (x: EvaluationHour): EvaluationHour => ({ ...x, stayingVisits: null, personMinutes: null });
    const control: PeriodHours = {
      baseline: [h(1, 10, 5), h(1, 10, 7), h(1, 11, 9), h(1, 11, 11)].map(line),
      intervention: [h(1, 10, 10), h(1, 10, 12), h(1, 11, 15), h(1, 11, 17)].map(line),
    };
    const r = evaluate(subject, control);
    expect(r.measures.passers?.did?.change).toBe(0);
    expect(r.measures.stayingVisits).toMatchObject({ change: 5.5, did: null });
    expect(r.caveats).toContain('control_measure_unavailable');
  });

  it('one sample per cell: no interval, caveat no_variance', () => {
    const r = evaluate({ baseline: [h(1, 10, 4)], intervention: [h(1, 10, 6)] }, null);
    expect(r.measures.passers).toMatchObject({ change: 2, changeCi95: null, relativeChange: 0.5, relativeCi95: null });
    expect(r.caveats).toContain('no_variance');
  });

  it('no matched cell: an error that says which period lacks hours', () => {
    expect(() => evaluate({ baseline: [h(1, 10, null)], intervention: [h(1, 10, 1)] }, null)).toThrow(new NoMatchedCellsError('the baseline has no observed hours (the cameras of the installation saw less than half of every hour)'));
    expect(() => evaluate({ baseline: [h(1, 10, 1)], intervention: [h(1, 11, null)] }, null)).toThrow(/intervention period has no observed hours/);
    expect(() => evaluate({ baseline: [h(1, 10, 1)], intervention: [h(1, 11, 1)] }, null)).toThrow(/no local weekday and hour was observed in both/);
    expect(() => evaluate({ baseline: [h(1, 10, 1)], intervention: [h(1, 10, 1)] }, { baseline: [], intervention: [h(1, 10, 1)] })).toThrow(/control has no observed hours in the baseline/);
  });
});

describe('DST weeks (Europe/Copenhagen)', () => {
  it('autumn 2026-10-25: local 02 happens twice → two samples of the Sunday 02 cell; the 25-hour day adds no hour to the week', () => {
    // baseline: the local week Mon 2026-10-19 00:00 CEST (= 10-18T22:00Z) to Mon 10-26 00:00 CET (= 10-25T23:00Z): 169 hours.
    // Every hour is 1, except the two Sunday-02 hours (UTC 00:00 and 01:00 on 10-25): 3 and 5 → cell mean 4, squares 1+1 = 2.
    const sunday02 = [Date.parse('2026-10-25T00:00:00Z'), Date.parse('2026-10-25T01:00:00Z')];
    expect(sunday02.map(localCell)).toEqual([{ weekday: 7, hour: 2 }, { weekday: 7, hour: 2 }]);
    const baseline = hours('2026-10-18T22:00:00Z', '2026-10-25T23:00:00Z', (t) => (t === sunday02[0] ? 3 : t === sunday02[1] ? 5 : 1));
    expect(baseline).toHaveLength(169);
    // intervention: the next local week (168 hours, CET), all 2
    const intervention = hours('2026-10-25T23:00:00Z', '2026-11-01T23:00:00Z', () => 2);
    expect(intervention).toHaveLength(168);
    const r = evaluate({ baseline, intervention }, null);
    expect(r.matchedCells).toBe(168);
    // T_b = 167 cells × 1 + 4 = 171 (the cell mean, not 3 + 5); T_i = 168 × 2 = 336
    // s²_b = 2 / (169 − 168) = 2, Σ 1/n = 167 + 1/2 → Var_b = 335; the intervention has N_i = K (df 0) → Var_i unknown
    const p = r.measures.passers!;
    expect(p.baselinePerWeek).toBe(171);
    expect(p.interventionPerWeek).toBe(336);
    expect(p.change).toBe(165);
    // the intervention has one sample per cell: no within-cell variance, so no interval
    expect(p.changeCi95).toBeNull();
    expect(r.caveats).toContain('no_variance');
  });

  it('spring 2026-03-29: local 02 does not exist → the Sunday 02 cell has no sample that week and is not matched', () => {
    // baseline: local week Mon 2026-03-23 00:00 CET (= 03-22T23:00Z) to Mon 03-30 00:00 CEST (= 03-29T22:00Z): 167 hours
    const baseline = hours('2026-03-22T23:00:00Z', '2026-03-29T22:00:00Z', () => 1);
    expect(baseline).toHaveLength(167);
    expect(baseline.some((x) => x.weekday === 7 && x.hour === 2)).toBe(false);
    // UTC 01:00 on 03-29 is local 03:00 (CEST), right after local 01:00
    expect(localCell(Date.parse('2026-03-29T01:00:00Z'))).toEqual({ weekday: 7, hour: 3 });
    // intervention: two ordinary weeks, 3 then 5 in every hour → each cell mean 4, squares 1+1 = 2
    const intervention = hours('2026-03-29T22:00:00Z', '2026-04-12T22:00:00Z', (t) => (t < Date.parse('2026-04-05T22:00:00Z') ? 3 : 5));
    const r = evaluate({ baseline, intervention }, null);
    expect(r.matchedCells).toBe(167);
    // T_b = 167, T_i = 167 × 4 = 668; Var_i = s² Σ 1/n = (167·2 / (334 − 167)) · 167/2 = 2 · 83.5 = 167; Var_b unknown (one sample per cell)
    const p = r.measures.passers!;
    expect(p).toMatchObject({ baselinePerWeek: 167, interventionPerWeek: 668, change: 501, changeCi95: null });
  });

  it('the route places hours with the indicators\' localParts, which agrees with these cells across both DST nights', () => {
    for (let t = Date.parse('2026-03-28T20:00:00Z'); t < Date.parse('2026-03-29T04:00:00Z'); t += HOUR) expect(localParts(t)).toMatchObject(localCell(t));
    for (let t = Date.parse('2026-10-24T20:00:00Z'); t < Date.parse('2026-10-25T04:00:00Z'); t += HOUR) expect(localParts(t)).toMatchObject(localCell(t));
  });

  it('a DST week with variance on both sides gives an interval from the pooled variances', () => {
    // baseline: the autumn week twice over, as two series of the same cells (weeks 10-12 and 10-19),
    // 1 in the first, 3 in the second: every cell mean 2, squares 1+1 = 2; the Sunday-02 cell has 3 samples
    // in the second week's double hour: values 3, 3 and 1 → mean 7/3, squares (2/3)²·2 + (4/3)² = 24/9.
    const baseline = [...hours('2026-10-11T22:00:00Z', '2026-10-18T22:00:00Z', () => 1), ...hours('2026-10-18T22:00:00Z', '2026-10-25T23:00:00Z', () => 3)];
    expect(baseline).toHaveLength(168 + 169);
    const intervention = [...hours('2026-10-25T23:00:00Z', '2026-11-01T23:00:00Z', () => 2), ...hours('2026-11-01T23:00:00Z', '2026-11-08T23:00:00Z', () => 4)];
    const r = evaluate({ baseline, intervention }, null);
    const p = r.measures.passers!;
    // T_b = 167 · 2 + 7/3 = 336.3333; N_b = 337, K = 168, df 169, SS = 167·2 + 24/9 = 336.6667, s² = 1.992110,
    // Σ 1/n = 167/2 + 1/3 = 83.8333, Var_b = 167.0053; T_i = 168 · 3 = 504, s²_i = 336/168 = 2, Var_i = 2 · 84 = 168
    // change = 167.6667 ± 1.96 · sqrt(335.0053) = ± 35.8743
    expect(p.baselinePerWeek).toBeCloseTo(336.3333, 4);
    expect(p.interventionPerWeek).toBe(504);
    expect(p.change).toBeCloseTo(167.6667, 4);
    expect(p.changeCi95![0]).toBeCloseTo(167.6667 - 35.8743, 3);
    expect(p.changeCi95![1]).toBeCloseTo(167.6667 + 35.8743, 3);
  });
});
