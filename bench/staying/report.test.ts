import { describe, expect, it } from 'vitest';
import type { SceneZone } from '@byliv/protocol';
import type { MotBox } from '../mot/gt.ts';
import type { ZoneVisits } from '../mot/visits-gt.ts';
import { formatTruth, stayingSummary, stayingTruth } from './report.ts';

describe('stayingSummary', () => {
  const of = (durations: number[]): ZoneVisits => ({
    ended: durations.map((seconds, k) => ({ id: k, firstFrame: 1, lastFrame: 1, frames: 1, seconds })),
    durations,
    open: [],
  });

  it('adds the median of the staying visits (>= 30 s) to visitStats', () => {
    expect(stayingSummary(of([1, 2, 30, 61]))).toEqual({ visits: 4, staying: 2, medianSeconds: 16, open: 0, medianStayingSeconds: 45.5 });
    expect(stayingSummary(of([1, 2])).medianStayingSeconds).toBeNaN();
    expect(stayingSummary(of([1, 2]), 2)).toMatchObject({ staying: 1, medianStayingSeconds: 2 });
  });
});

describe('stayingTruth / formatTruth', () => {
  // A 10×20 box whose foot (bottom centre) is at (x, 50); the zone is x < 40.
  const at = (frame: number, id: number, x: number): MotBox => ({ frame, id, left: x - 5, top: 30, width: 10, height: 20, score: 1 });
  const zone: SceneZone = { id: 'left', polygon: [[0, 0], [40, 0], [40, 100], [0, 100]] };
  // id 1 inside 2-4 then out; id 2 inside 3-5 to the last frame (5): open, not an ended visit.
  const boxes = [...[60, 20, 20, 20, 60].map((x, k) => at(k + 1, 1, x)), ...[20, 20, 20].map((x, k) => at(k + 3, 2, x))];

  it('counts a visit still inside at the last frame as open, and lists it marked', () => {
    const t = stayingTruth(boxes, { lines: [], zones: [zone] }, { fps: 10, frames: 5, holdFrame: 1, holdFrames: 0 });
    expect(t.summary.left).toMatchObject({ visits: 1, open: 1, staying: 0 });
    expect(t.summary.left.medianSeconds).toBeCloseTo(0.3, 9);
    expect(t.counts.zones.left).toMatchObject({ entries: 2, exits: 1 });
    expect(formatTruth(t)).toContain('| left | 1: 2–4, 0.3 s; 2: 3–5, 0.3 s (open at the end) |');
  });
});
