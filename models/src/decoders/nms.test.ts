import { describe, expect, it } from 'vitest';
import { boxIou, nms } from './nms.ts';
import type { InputBox, RawDetection } from './types.ts';

const det = (box: InputBox, score: number, classIndex = 0): RawDetection => ({ box, score, classIndex, label: `c${classIndex}` });

describe('boxIou', () => {
  it.each([
    { a: [0, 0, 10, 10], b: [0, 0, 10, 10], want: 1 },
    { a: [0, 0, 10, 10], b: [5, 0, 15, 10], want: 50 / 150 },
    { a: [0, 0, 10, 10], b: [10, 0, 20, 10], want: 0 }, // touching edges
    { a: [0, 0, 10, 10], b: [2, 2, 4, 4], want: 4 / 100 }, // nested
    { a: [0, 0, 0, 10], b: [0, 0, 10, 10], want: 0 }, // degenerate
  ] as { a: InputBox; b: InputBox; want: number }[])('$a vs $b -> $want', ({ a, b, want }) => {
    expect(boxIou(a, b)).toBeCloseTo(want, 10);
    expect(boxIou(b, a)).toBeCloseTo(want, 10);
  });
});

describe('nms', () => {
  const cases: { name: string; dets: RawDetection[]; iou: number; keep: number[] }[] = [
    { name: 'empty', dets: [], iou: 0.5, keep: [] },
    { name: 'one box', dets: [det([0, 0, 10, 10], 0.3)], iou: 0.5, keep: [0] },
    {
      name: 'overlap above the threshold: the higher score wins whatever the order',
      dets: [det([1, 0, 11, 10], 0.6), det([0, 0, 10, 10], 0.9)],
      iou: 0.5,
      keep: [1],
    },
    {
      name: 'overlap below the threshold: both stay',
      dets: [det([0, 0, 10, 10], 0.9), det([5, 0, 15, 10], 0.8)], // IoU 1/3
      iou: 0.5,
      keep: [0, 1],
    },
    {
      name: 'overlap exactly at the threshold is kept (strictly greater suppresses)',
      dets: [det([0, 0, 10, 10], 0.9), det([5, 0, 15, 10], 0.8)],
      iou: 1 / 3,
      keep: [0, 1],
    },
    {
      name: 'classes do not suppress each other (rider on a bicycle)',
      dets: [det([0, 0, 10, 20], 0.9, 0), det([0, 2, 10, 20], 0.7, 1)],
      iou: 0.5,
      keep: [0, 1],
    },
    {
      name: 'a suppressed box does not suppress others (chain a > b > c)',
      // a overlaps b (IoU 0.82), b overlaps c (0.82), a and c only 0.67
      dets: [det([0, 0, 10, 10], 0.9), det([1, 0, 11, 10], 0.8), det([2, 0, 12, 10], 0.7)],
      iou: 0.7,
      keep: [0, 2],
    },
    {
      name: 'two separate people each keep their best box',
      dets: [det([0, 0, 10, 20], 0.5), det([100, 0, 110, 20], 0.95), det([1, 1, 10, 20], 0.55), det([101, 0, 111, 20], 0.4)],
      iou: 0.5,
      keep: [1, 2],
    },
  ];
  it.each(cases)('$name', ({ dets, iou, keep }) => {
    const before = JSON.stringify(dets);
    const kept = nms(dets, iou);
    expect(kept).toEqual(keep.map((i) => dets[i])); // sorted by score, highest first
    expect(JSON.stringify(dets)).toBe(before); // input untouched
  });
});
