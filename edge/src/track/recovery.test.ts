import { describe, expect, it } from 'vitest';
import { ObservationTrail, extrapolatedCentre, recoveryCost, recoveryRule, walkedOut } from './recovery.ts';
import type { BoxXYXY } from '../types.ts';

/** A 40 × 100 box with its centre at (cx, cy). */
const box = (cx: number, cy: number, h = 100): BoxXYXY => [cx - 0.2 * h, cy - h / 2, cx + 0.2 * h, cy + h / 2];

/** A walker seen at 10 fps for `frames` frames moving (vx, vy) px/s from (x0, 300). */
function walked(frames: number, vx: number, vy = 0, x0 = 100): ObservationTrail {
  const trail = new ObservationTrail();
  for (let f = 0; f < frames; f++) trail.push(box(x0 + (vx * f) / 10, 300 + (vy * f) / 10), f / 10);
  return trail;
}

describe('ObservationTrail', () => {
  it('measures the walking velocity in px/s over the recent window only', () => {
    const trail = walked(20, 50, -20);
    const [vx, vy] = trail.velocity(1);
    expect(vx).toBeCloseTo(50, 9);
    expect(vy).toBeCloseTo(-20, 9);
    // The walker stops for 0.5 s: over a 0.5 s window the velocity is 0, over 1 s about half.
    for (let f = 20; f < 26; f++) trail.push(box(100 + 5 * 19, 300 - 2 * 19), f / 10);
    expect(trail.velocity(0.5)[0]).toBeCloseTo(0, 9);
    expect(trail.velocity(1)[0]).toBeGreaterThan(15);
    expect(trail.velocity(1)[0]).toBeLessThan(35);
  });

  it('says 0 with a single observation', () => {
    const trail = new ObservationTrail();
    trail.push(box(100, 300), 0);
    expect(trail.velocity(1)).toEqual([0, 0]);
    expect(trail.last).toEqual(box(100, 300));
    expect(trail.lastTime).toBe(0);
  });
});

describe('recovery', () => {
  const rule = recoveryRule({ radius: 0.5, radiusPerSecond: 0.5, maxHeightRatio: 1.3, velocityFadeSeconds: 1 });

  it('carries the last sighting on at a fading velocity', () => {
    const trail = walked(10, 100); // last seen at x 190, t 0.9, walking 100 px/s
    const [x1] = extrapolatedCentre(trail, 1.9, rule); // 1 s later
    expect(x1).toBeCloseTo(190 + 100 * (1 - Math.exp(-1)), 6);
    const [xFar] = extrapolatedCentre(trail, 100, rule); // long after: at most v · fade further
    expect(xFar).toBeCloseTo(190 + 100, 6);
  });

  it('accepts a box inside the gate, which grows with the time unseen', () => {
    const trail = walked(10, 0); // standing at x 100
    // 70 px away = 0.7 heights: outside the 0.5-height gate at once, inside after 0.5 s.
    expect(recoveryCost(trail, box(170, 300), 1.0, rule)).toBeGreaterThan(1);
    expect(recoveryCost(trail, box(170, 300), 1.4, rule)).toBeLessThanOrEqual(1);
    expect(recoveryCost(trail, box(100, 300), 1.4, rule)).toBe(0);
  });

  it('refuses a box of another height (someone nearer or further from the camera)', () => {
    const trail = walked(10, 0);
    expect(recoveryCost(trail, box(100, 300, 125), 1.0, rule)).toBeLessThanOrEqual(1);
    expect(recoveryCost(trail, box(100, 300, 140), 1.0, rule)).toBe(Infinity);
    expect(recoveryCost(trail, box(100, 300, 70), 1.0, rule)).toBe(Infinity);
  });

  it('says a walker heading out of the frame has left, one walking along inside it has not', () => {
    const frame = { width: 400, height: 600 };
    const out = walked(10, 100, 0, 250); // last box x 320..360, walking right at 100 px/s
    expect(walkedOut(out, 0.9, rule, frame, 4)).toBe(false); // at the last sighting: inside
    expect(walkedOut(out, 1.9, rule, frame, 4)).toBe(true); // 1 s on: about 63 px further, past x 396
    const along = walked(10, 0, 100, 250); // walking down the frame, far from its side edges
    expect(walkedOut(along, 1.9, rule, frame, 4)).toBe(false);
  });

  it('rejects nonsense settings with the option named', () => {
    expect(() => recoveryRule({ maxHeightRatio: 0.9 })).toThrow(/maxHeightRatio/);
    expect(() => recoveryRule({ radius: -1 })).toThrow(/radius/);
    expect(() => recoveryRule({ velocityFadeSeconds: 0 })).toThrow(/velocityFadeSeconds/);
  });
});
