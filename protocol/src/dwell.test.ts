import { describe, expect, it } from 'vitest';
import { DWELL_BIN_EDGES_SECONDS } from './classes.ts';
import { STAYING_SECONDS, dwellBucket, dwellHistogramOf, dwellMedian, stayingVisits, sumHistograms } from './dwell.ts';

// Edges 5, 15, 30, 60, 120, 300, 600, 1800 s: buckets [0,5) [5,15) [15,30) [30,60) [60,120)
// [120,300) [300,600) [600,1800) [1800,∞), indices 0..8.
const zeros = (): number[] => [0, 0, 0, 0, 0, 0, 0, 0, 0];

describe('dwellBucket', () => {
  it('puts each edge in the bucket it opens (lower edge inclusive, upper exclusive)', () => {
    expect(DWELL_BIN_EDGES_SECONDS).toEqual([5, 15, 30, 60, 120, 300, 600, 1800]);
    const cases: [seconds: number, bucket: number][] = [
      [0, 0], [4.999, 0], [5, 1], [14.9, 1], [15, 2], [29.999, 2], [30, 3], [59.9, 3],
      [60, 4], [119.9, 4], [120, 5], [300, 6], [599.9, 6], [600, 7], [1799.9, 7], [1800, 8], [86400, 8],
    ];
    for (const [seconds, bucket] of cases) expect(dwellBucket(seconds), `${seconds} s`).toBe(bucket);
  });
});

describe('dwellHistogramOf', () => {
  it('counts each duration in its bucket', () => {
    // 0 and 4.9 → [0,5); 5 → [5,15); 29.9 → [15,30); 30 twice → [30,60); 1800 and 7200 → [1800,∞)
    expect(dwellHistogramOf([0, 4.9, 5, 29.9, 30, 30, 1800, 7200])).toEqual([2, 1, 1, 2, 0, 0, 0, 0, 2]);
  });

  it('gives all nine buckets at zero for no visits, and reads any iterable', () => {
    expect(dwellHistogramOf([])).toEqual(zeros());
    expect(dwellHistogramOf(new Set([61, 62]))).toEqual([0, 0, 0, 0, 2, 0, 0, 0, 0]);
  });
});

describe('stayingVisits', () => {
  it('counts the visits of 30 s or more, 30 s itself included', () => {
    expect(STAYING_SECONDS).toBe(30);
    expect(stayingVisits(dwellHistogramOf([30]))).toBe(1);
    expect(stayingVisits(dwellHistogramOf([29.999]))).toBe(0);
    // [2,1,1,2,0,0,0,0,2]: 2 in [30,60) + 2 in [1800,∞)
    expect(stayingVisits([2, 1, 1, 2, 0, 0, 0, 0, 2])).toBe(4);
    expect(stayingVisits([1, 1, 1, 0, 0, 0, 0, 0, 0])).toBe(0);
    expect(stayingVisits([0, 0, 0, 1, 1, 1, 1, 1, 1])).toBe(6);
    expect(stayingVisits(zeros())).toBe(0);
  });
});

describe('dwellMedian', () => {
  it('interpolates linearly inside the bucket holding the middle visit', () => {
    // 4 visits: 1 in [5,15), 2 in [15,30), 1 in [30,60): the 2nd visit is half way through [15,30)
    expect(dwellMedian([0, 1, 2, 1, 0, 0, 0, 0, 0])).toBe(22.5);
    expect(dwellMedian([1, 0, 0, 0, 0, 0, 0, 0, 0])).toBe(2.5);
    expect(dwellMedian([0, 0, 0, 0, 0, 0, 10, 0, 0])).toBe(450);
    // 6 visits, half = 3: 2 before [30,60), so 1 of its 3 visits in: 30 + (1/3)·30 = 40
    expect(dwellMedian([1, 0, 1, 3, 0, 1, 0, 0, 0])).toBe(40);
  });

  it('lands on the top edge of a bucket when the half fills it exactly; empty buckets are skipped', () => {
    // 2 visits, half = 1 = all of [0,5): its top edge, 5 s (not the midpoint of the two buckets)
    expect(dwellMedian([1, 1, 0, 0, 0, 0, 0, 0, 0])).toBe(5);
    // [0,5) empty: the whole half is in [5,15): 5 + (1/2)·10 = 10
    expect(dwellMedian([0, 2, 0, 0, 0, 0, 0, 0, 0])).toBe(10);
  });

  it('the open last bucket gives its lower edge; no visits give null', () => {
    expect(dwellMedian([0, 0, 0, 0, 0, 0, 0, 1, 3])).toBe(1800);
    expect(dwellMedian(zeros())).toBeNull();
    expect(dwellMedian([])).toBeNull();
  });
});

describe('sumHistograms', () => {
  it('adds bucket by bucket, skipping nulls, without touching its inputs', () => {
    const a = [1, 0, 2, 0, 0, 0, 0, 0, 0];
    const b = [0, 3, 1, 0, 0, 0, 0, 0, 4];
    expect(sumHistograms([a, null, b, null])).toEqual([1, 3, 3, 0, 0, 0, 0, 0, 4]);
    expect(a).toEqual([1, 0, 2, 0, 0, 0, 0, 0, 0]);
    expect(sumHistograms([null, null])).toEqual(zeros());
    expect(sumHistograms([])).toEqual(zeros());
  });
});
