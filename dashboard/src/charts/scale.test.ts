import { describe, expect, it } from 'vitest';
import { bucketCoverage, coverageOpacity, extent, legendClasses, linePath, linearScale, niceStep, niceTicks, rampColour, timeTicks } from './scale.ts';

describe('linearScale', () => {
  it('maps and inverts, flipped ranges for y', () => {
    const y = linearScale([0, 100], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(50)).toBe(100);
    expect(y.invert(50)).toBe(75);
  });
  it('a flat domain maps to the middle', () => {
    expect(linearScale([3, 3], [0, 10])(3)).toBe(5);
  });
});

describe('niceTicks', () => {
  it.each([
    [0, 97, 5, [0, 20, 40, 60, 80, 100]],
    [0, 1, 5, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [-3, 7, 5, [-4, -2, 0, 2, 4, 6, 8]],
    [0, 0, 5, [0, 1]],
    [12, 12, 4, [0, 2, 4, 6, 8, 10, 12]],
  ])('%d..%d', (min, max, count, ticks) => {
    expect(niceTicks(min, max, count).ticks).toEqual(ticks);
  });
  it('steps are 1, 2 or 5 × 10^k', () => {
    expect(niceStep(1000, 5)).toBe(200);
    expect(niceStep(0.07, 5)).toBe(0.01);
    expect(niceStep(3.5, 1)).toBe(5);
  });
});

describe('linePath', () => {
  it('breaks at nulls (a gap, not a zero) and draws lone points', () => {
    const d = linePath([{ x: 0, y: 10 }, { x: 1, y: 20 }, { x: 2, y: null }, { x: 3, y: 5 }, { x: 4, y: null }, { x: 5, y: 1 }, { x: 6, y: 2 }]);
    expect(d).toBe('M0,10L1,20M1.5,5h3M5,1L6,2');
    expect(d).not.toContain(',0');
  });
  it('empty when every value is missing', () => {
    expect(linePath([{ x: 0, y: null }])).toBe('');
  });
});

describe('extent, time ticks, colours', () => {
  it('extent skips missing', () => {
    expect(extent([null, 3, undefined, -1, Number.NaN])).toEqual([-1, 3]);
    expect(extent([null])).toBeNull();
  });
  it('time ticks pick a unit that gives a handful', () => {
    const from = Date.parse('2026-01-01T00:00:00Z');
    const day = timeTicks(from, from + 5 * 86_400_000, 6);
    expect(day.every((t) => t.unit === 'day')).toBe(true);
    expect(day).toHaveLength(6);
    const months = timeTicks(from, Date.parse('2026-07-01T00:00:00Z'), 8);
    expect(months.map((t) => new Date(t.ms).toISOString().slice(0, 7))).toEqual(['2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07'].slice(0, months.length));
    expect(timeTicks(from, from, 5)).toEqual([]);
  });
  it('ramp ends and missing', () => {
    expect(rampColour(0)).toBe('rgb(238,246,243)');
    expect(rampColour(1)).toBe('rgb(11,79,92)');
    expect(rampColour(null)).toBe('var(--missing)');
    expect(legendClasses(0, 10, 5).map((c) => c.from)).toEqual([0, 2, 4, 6, 8]);
  });
});

describe('bucket coverage', () => {
  it('is observed / total hours, and fades a partial bar without hiding it', () => {
    expect(bucketCoverage({ observedHours: 24, totalHours: 24 })).toBe(1);
    expect(bucketCoverage({ observedHours: 3, totalHours: 24 })).toBe(0.125);
    expect(bucketCoverage({ observedHours: 0, totalHours: 0 })).toBe(0);
    expect(coverageOpacity(1)).toBe(1);
    expect(coverageOpacity(0)).toBeCloseTo(0.3);
  });
});
