import { describe, expect, it } from 'vitest';
import { formatProgress, throttle } from './progress.ts';
import { motLines } from './tracks-file.ts';

describe('progress', () => {
  it('gives rate, people and time left for a file', () => {
    expect(formatProgress({ frames: 200, totalFrames: 800, elapsedSeconds: 10, tracked: 1, batches: 0 })).toBe(
      'frame 200/800 (25%), 20.0 fps, 1 person in view, 0 bins closed, about 30 s left',
    );
  });
  it('has no end for a live stream and shows the backlog when publishing', () => {
    expect(formatProgress({ frames: 50, elapsedSeconds: 5, tracked: 3, batches: 2, queued: 1 })).toBe('frame 50, 10.0 fps, 3 people in view, 2 bins closed, 1 awaiting the broker');
  });
  it('throttles but never swallows the final report', () => {
    let t = 0;
    const seen: number[] = [];
    const report = throttle<number>(1000, (v) => seen.push(v), () => t);
    report(1);
    t = 500;
    report(2);
    t = 1000;
    report(3);
    t = 1100;
    report(4, true);
    expect(seen).toEqual([1, 3, 4]);
  });
});

describe('MOTChallenge track lines', () => {
  it('writes 1-based frames and left, top, width, height', () => {
    const line = motLines({ index: 0, time: 0, tracks: [{ id: 7, box: [10, 20, 40, 100], score: 0.91234, foot: [25, 100], cls: 'person' }] });
    expect(line).toBe('1,7,10.00,20.00,30.00,80.00,0.912,-1,-1,-1\n');
  });
});
