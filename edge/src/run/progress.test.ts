import { describe, expect, it } from 'vitest';
import { ETA_AFTER_SECONDS, formatProgress } from './progress.ts';

describe('progress wording and ETA', () => {
  it('says "1 bin" and "1 person", and the plural otherwise', () => {
    expect(formatProgress({ frames: 50, elapsedSeconds: 10, tracked: 1, batches: 1 })).toBe('frame 50, 5.0 fps, 1 person in view, 1 bin closed');
    expect(formatProgress({ frames: 50, elapsedSeconds: 10, tracked: 0, batches: 0 })).toBe('frame 50, 5.0 fps, 0 people in view, 0 bins closed');
    expect(formatProgress({ frames: 50, elapsedSeconds: 10, tracked: 2, batches: 3 })).toBe('frame 50, 5.0 fps, 2 people in view, 3 bins closed');
  });

  it('gives no ETA until a few seconds of frames have set the rate', () => {
    const early = { frames: 3, totalFrames: 795, elapsedSeconds: 0.2, tracked: 0, batches: 0 };
    expect(formatProgress(early)).toBe('frame 3/795 (0%), 15.0 fps, 0 people in view, 0 bins closed');
    expect(formatProgress({ ...early, frames: 40, elapsedSeconds: ETA_AFTER_SECONDS - 0.1 })).not.toMatch(/left/);
    expect(formatProgress({ ...early, frames: 100, elapsedSeconds: ETA_AFTER_SECONDS })).toMatch(/, about 35 s left$/);
  });

  it('gives no ETA at the end or for a stream without a frame count', () => {
    expect(formatProgress({ frames: 795, totalFrames: 795, elapsedSeconds: 40, tracked: 0, batches: 1 })).not.toMatch(/left/);
    expect(formatProgress({ frames: 795, elapsedSeconds: 40, tracked: 0, batches: 1 })).not.toMatch(/left/);
  });
});
