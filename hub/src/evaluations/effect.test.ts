import { describe, expect, it } from 'vitest';
import { compare, differenceInDifferences, periodTotal } from './effect.ts';

/*
 * The hand-computed case used throughout (two cells A and B):
 *   baseline     A: 10 12 14 → mean 12, squares 4+0+4 = 8   B: 20 22 → mean 21, squares 1+1 = 2
 *   intervention A: 15 17 19 → mean 17, squares 8            B: 26 28 → mean 27, squares 2
 *   N = 5, K = 2, df = 3, s² = (8+2)/3 = 10/3, Σ 1/n = 1/3 + 1/2 = 5/6
 *   T_b = 12+21 = 33, Var_b = 10/3 · 5/6 = 25/9;  T_i = 17+27 = 44, Var_i = 25/9
 *   change = 11, SE = sqrt(50/9) = 2.35702, 1.96·SE = 4.61976 → [6.38024, 15.61976]
 *   relative = 44/33 − 1 = 1/3; Var(log) = (25/9)/33² + (25/9)/44² = 0.0039856,
 *   1.96·sqrt = 0.123739, log(4/3) = 0.287682 → exp(0.163943) − 1 = 0.178149, exp(0.411421) − 1 = 0.508958
 */
const baseline = periodTotal([
  [10, 12, 14],
  [20, 22],
]);
const intervention = periodTotal([
  [15, 17, 19],
  [26, 28],
]);

describe('periodTotal', () => {
  it('sums cell means and pools the within-cell variance (df = N − K)', () => {
    expect(baseline.total).toBe(33);
    expect(baseline.variance).toBeCloseTo(25 / 9, 12);
    expect(baseline).toMatchObject({ samples: 5, cells: 2 });
    expect(intervention.total).toBe(44);
  });

  it('a cell seen more often weighs no more in T: T is a typical week, not a sum of hours', () => {
    // A: 12 (once) vs 12 ×4 → the same T = 12 + 21
    expect(periodTotal([[12, 12, 12, 12], [21]]).total).toBe(33);
  });

  it('has no variance when no cell has a second sample (df = 0)', () => {
    expect(periodTotal([[5], [7]])).toEqual({ total: 12, variance: null, samples: 2, cells: 2 });
  });

  it('refuses an empty cell (cells must be matched first)', () => {
    expect(() => periodTotal([[1], []])).toThrow(/matched cell has no sample/);
  });
});

describe('compare', () => {
  it('change, its interval, relative change and its log-scale interval', () => {
    const c = compare(baseline, intervention);
    expect(c.change).toBe(11);
    expect(c.changeCi95![0]).toBeCloseTo(6.38024, 4);
    expect(c.changeCi95![1]).toBeCloseTo(15.61976, 4);
    expect(c.relativeChange).toBeCloseTo(1 / 3, 12);
    expect(c.relativeCi95![0]).toBeCloseTo(0.178149, 5);
    expect(c.relativeCi95![1]).toBeCloseTo(0.508958, 5);
  });

  it('T_b = 0: the change is defined, the relative change is not (null, not Infinity)', () => {
    // baseline all 0 → T_b = 0, Var_b = 0; intervention as above → change 44 ± 1.96·sqrt(25/9) = 44 ± 3.26667
    const zero = periodTotal([
      [0, 0, 0],
      [0, 0],
    ]);
    const c = compare(zero, intervention);
    expect(c.change).toBe(44);
    expect(c.changeCi95![0]).toBeCloseTo(44 - 1.96 * (5 / 3), 10);
    expect(c.relativeChange).toBeNull();
    expect(c.relativeCi95).toBeNull();
  });

  it('T_i = 0: relative change −1 but no log interval', () => {
    const c = compare(baseline, periodTotal([[0, 0], [0]]));
    expect(c.relativeChange).toBe(-1);
    expect(c.relativeCi95).toBeNull();
    expect(c.change).toBe(-33);
  });

  it('unknown variance leaves the intervals null, the point estimates stand', () => {
    const c = compare(periodTotal([[10]]), periodTotal([[15]]));
    expect(c).toEqual({ change: 5, changeCi95: null, relativeChange: 0.5, relativeCi95: null });
  });
});

describe('differenceInDifferences', () => {
  it('a control that moved by the same amount gives change 0', () => {
    /*
     * control baseline     A: 5 7 → 6, squares 2    B: 9 11 → 10, squares 2   C_b = 16, s² = 4/2 = 2, Var = 2·(1/2+1/2) = 2
     * control intervention A: 10 12 → 11            B: 15 17 → 16             C_i = 27, Var = 2
     * DiD = (44 − 33) − (27 − 16) = 0; Var = 25/9 + 25/9 + 2 + 2 = 86/9, 1.96·sqrt = 6.058764
     * relative = (44/33)/(27/16) − 1 = −0.209877 (same amount is not the same ratio);
     * Var(log) = 0.0039856 + 2/16² + 2/27² = 0.0145415, 1.96·sqrt = 0.236353 → [−0.376196, 0.000787]
     */
    const control = {
      baseline: periodTotal([
        [5, 7],
        [9, 11],
      ]),
      intervention: periodTotal([
        [10, 12],
        [15, 17],
      ]),
    };
    const d = differenceInDifferences({ baseline, intervention }, control);
    expect(d.change).toBe(0);
    expect(d.changeCi95![0]).toBeCloseTo(-6.058764, 5);
    expect(d.changeCi95![1]).toBeCloseTo(6.058764, 5);
    expect(d.relativeChange).toBeCloseTo(-0.209877, 5);
    expect(d.relativeCi95![0]).toBeCloseTo(-0.376196, 5);
    expect(d.relativeCi95![1]).toBeCloseTo(0.000787, 5);
  });

  it('a control that moved by the same ratio gives relative change 0', () => {
    // control A: 6 6 → 8 8, B: 3 3 → 4 4: C_b = 9, C_i = 12 (×4/3 like 33 → 44), no variance of its own
    const control = { baseline: periodTotal([[6, 6], [3, 3]]), intervention: periodTotal([[8, 8], [4, 4]]) };
    const d = differenceInDifferences({ baseline, intervention }, control);
    expect(d.relativeChange).toBeCloseTo(0, 12);
    expect(d.change).toBe(11 - 3);
    // the control adds no variance: the same widths as the subject's own comparison (log scale for the ratio)
    const own = compare(baseline, intervention);
    const logWidth = (ci: [number, number]) => Math.log(1 + ci[1]) - Math.log(1 + ci[0]);
    expect(logWidth(d.relativeCi95!)).toBeCloseTo(logWidth(own.relativeCi95!), 10);
    expect(d.changeCi95![1] - d.changeCi95![0]).toBeCloseTo(own.changeCi95![1] - own.changeCi95![0], 10);
  });

  it('a control with nobody in one period has no relative DiD', () => {
    const d = differenceInDifferences({ baseline, intervention }, { baseline: periodTotal([[0, 0], [0, 0]]), intervention: periodTotal([[1, 1], [1, 1]]) });
    expect(d.change).toBe(11 - 2);
    expect(d.relativeChange).toBeNull();
    expect(d.relativeCi95).toBeNull();
  });
});
