import { describe, expect, it } from 'vitest';
import { describePartial, expectedFrames, judgeCompleteness } from './completeness.ts';

const file = { live: false };

describe('expected frames', () => {
  it.each([
    ['the container count', { frames: 795, fps: 10, durationSeconds: 79.5 }, {}, 795],
    ['duration × rate without a count', { fps: 25, durationSeconds: 12.02 }, {}, 301],
    ['--max-frames below the count', { frames: 795, fps: 10 }, { maxFrames: 60 }, 60],
    ['the count below --max-frames', { frames: 795, fps: 10 }, { maxFrames: 5000 }, 795],
    ['nothing without count or duration, whatever --max-frames says', { fps: 25 }, { maxFrames: 100 }, null],
  ])('%s', (_, info, opts, want) => {
    expect(expectedFrames(info, { ...file, ...opts })).toBe(want);
  });
  it('has none for a live stream', () => {
    expect(expectedFrames({ frames: 795, fps: 10 }, { live: true })).toBeNull();
  });
});

describe('completeness', () => {
  const user = { live: false, stoppedByUser: false };
  it.each([
    ['every frame', 795, 795, user, false],
    ['a frame or two short of the count is fine', 793, 795, user, false],
    ['exactly 95 %', 95, 100, user, false],
    ['just under 95 %', 94, 100, user, true],
    ['the truncated PETS file: 3 of 795', 3, 795, user, true],
    ['nothing decoded', 0, 795, user, true],
    ['nothing decoded from a file of unknown length', 0, null, user, true],
    ['some frames of a file of unknown length', 40, null, user, false],
    ['stopped by the operator (Ctrl-C) half way', 300, 795, { live: false, stoppedByUser: true }, false],
    ['a live stream, even with nothing', 0, null, { live: true, stoppedByUser: false }, false],
  ])('%s', (_, read, expected, opts, partial) => {
    expect(judgeCompleteness(read, expected, opts)).toEqual({ framesRead: read, framesExpected: expected, damagedFrames: 0, partial });
  });
});

describe('the partial-run message', () => {
  it('says how many frames were read of how many', () => {
    expect(describePartial('cut.avi', { framesRead: 3, framesExpected: 795, damagedFrames: 0, partial: true })).toBe(
      'cut.avi ended early: 3 frames read of the 795 expected (the file is probably truncated or damaged); the counts cover only what was read',
    );
  });
  it('calls a file that gave nothing empty or undecodable, with or without a count', () => {
    expect(describePartial('h.avi', { framesRead: 0, framesExpected: 795, damagedFrames: 0, partial: true })).toContain('0 frames read of the 795 expected (the file is empty, truncated or not decodable)');
    expect(describePartial('h.mkv', { framesRead: 1, framesExpected: null, damagedFrames: 0, partial: true })).toContain('ended early: 1 frame read (');
  });
});
