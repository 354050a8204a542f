import { describe, expect, it } from 'vitest';
import { MatchTotals, matchFrame, type Box } from './detection-match.ts';

const d = (box: Box, score: number) => ({ box, score });

describe('matchFrame', () => {
  it.each([
    { name: 'nothing at all', dets: [], truth: [], want: [0, 0, 0] },
    { name: 'a miss', dets: [], truth: [[0, 0, 10, 20]], want: [0, 0, 1] },
    { name: 'a false positive', dets: [d([0, 0, 10, 20], 0.9)], truth: [], want: [0, 1, 0] },
    { name: 'a hit', dets: [d([1, 0, 11, 20], 0.9)], truth: [[0, 0, 10, 20]], want: [1, 0, 0] },
    { name: 'overlap below 0.5 is no hit', dets: [d([5, 0, 15, 20], 0.9)], truth: [[0, 0, 10, 20]], want: [0, 1, 1] },
    { name: 'a duplicate is a false positive', dets: [d([0, 0, 10, 20], 0.9), d([1, 0, 11, 20], 0.8)], truth: [[0, 0, 10, 20]], want: [1, 1, 0] },
    {
      name: 'the higher score claims first, the other still finds its own',
      dets: [d([3, 0, 13, 20], 0.5), d([0, 0, 10, 20], 0.9)],
      truth: [[0, 0, 10, 20], [4, 0, 14, 20]],
      want: [2, 0, 0],
    },
  ] as { name: string; dets: { box: Box; score: number }[]; truth: Box[]; want: number[] }[])('$name', ({ dets, truth, want }) => {
    const m = matchFrame(dets, truth);
    expect([m.truePositives, m.falsePositives, m.misses]).toEqual(want);
  });

  it('totals give precision, recall and mean IoU', () => {
    const t = new MatchTotals();
    t.add(matchFrame([d([0, 0, 10, 20], 0.9), d([50, 0, 60, 20], 0.3)], [[0, 0, 10, 20], [100, 0, 110, 20]]));
    t.add(matchFrame([d([1, 0, 11, 20], 0.9)], [[0, 0, 10, 20]]));
    expect(t.precision).toBeCloseTo(2 / 3);
    expect(t.recall).toBeCloseTo(2 / 3);
    expect(t.meanIou).toBeCloseTo((1 + 180 / 220) / 2);
  });
});
