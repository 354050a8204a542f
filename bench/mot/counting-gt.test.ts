import { describe, expect, it } from 'vitest';
import type { SceneLine, SceneZone } from '@byliv/protocol';
import { countTrajectories, insidePolygon, lineCrossings, side } from './counting-gt.ts';
import type { MotBox } from './gt.ts';

/** A 10×20 box whose foot (bottom centre) is at (x, y). */
const at = (frame: number, id: number, x: number, y = 50): MotBox => ({ frame, id, left: x - 5, top: y - 20, width: 10, height: 20, score: 1 });

// A vertical line at x = 50 from y = 0 down to y = 100. side(p) = (0)(p.y) − (100)(p.x − 50):
// positive left of the line, negative right of it, so forward (side < 0 → side > 0) is
// walking right → left.
const line: SceneLine = { id: 'door', a: [50, 0], b: [50, 100] };
const reversed: SceneLine = { id: 'door-reversed', a: [50, 100], b: [50, 0] };
// The strip left of x = 40 between y = 0 and y = 100.
const zone: SceneZone = { id: 'left', polygon: [[0, 0], [40, 0], [40, 100], [0, 100]] };

// Foot x per frame (y = 50 unless said):
// P1 frames 1-6: 70, 60, 35, 50, 60, 30 → crosses forward (60→35), steps onto the line (50),
//    leaves it on the right (backward: it had come from the left), crosses forward again (60→30).
//    Zone: inside at 3, out at 4 (exit), inside at 6 and its track ends at 6 < 8 (exit).
// P2 frames 1-2: (70,150) → (30,150): walks round the end of the line, below y = 100; never in the zone.
// P3 frames 1-3: 60, 50, 60: touches the line and goes back: nothing.
// P4 frames 1 and 5-8: 80, then 20 (a gap of three frames: one step, one forward crossing);
//    inside from frame 5 to the sequence's last frame 8: an entry, no exit.
// P5 frames 2-4: 10, 10, 60: starts inside (entry at frame 2), leaves at 4 (exit),
//    crossing left → right (backward).
const boxes: MotBox[] = [
  ...[70, 60, 35, 50, 60, 30].map((x, k) => at(k + 1, 1, x)),
  at(1, 2, 70, 150), at(2, 2, 30, 150),
  ...[60, 50, 60].map((x, k) => at(k + 1, 3, x)),
  at(1, 4, 80), ...[5, 6, 7, 8].map((f) => at(f, 4, 20)),
  ...[10, 10, 60].map((x, k) => at(k + 2, 5, x)),
];

describe('counting from trajectories', () => {
  it('uses the architecture side rule (y down)', () => {
    const ab: SceneLine = { id: 'l', a: [0, 0], b: [10, 0] };
    expect(side(ab, [5, 5])).toBe(50); // below a left→right line is the positive side
    expect(lineCrossings(ab, [[5, -5], [5, 5]])).toEqual(['forward']);
    expect(lineCrossings(ab, [[5, 5], [5, -5]])).toEqual(['backward']);
  });

  it('counts line crossings of the hand-made paths', () => {
    // forward: P1 twice + P4 once = 3; backward: P1 once + P5 once = 2.
    const s = countTrajectories(boxes, { lines: [line, reversed], zones: [] }, { framesPerSecond: 10, frames: 8 });
    expect(s.lines).toEqual({ door: { forward: 3, backward: 2 }, 'door-reversed': { forward: 2, backward: 3 } });
  });

  it('counts zone entries, exits, person-seconds and the busiest frame', () => {
    // Inside per frame: f2 P5; f3 P1, P5; f5 P4; f6 P1, P4; f7 P4; f8 P4 → 8 person-frames.
    // At 10 fps that is 0.8 s; at 5 fps 1.6 s. Busiest frame: 2 people.
    // Entries: P1 ×2, P4, P5 = 4. Exits: P1 ×2 (frame 4, end of its track), P5 = 3.
    const s = countTrajectories(boxes, { lines: [], zones: [zone] }, { framesPerSecond: 10, frames: 8 });
    // Ended visits: P1 twice (1 frame each: exited at frame 4, and its track ends at frame 6),
    // P5 frames 2-3 (0.2 s); P4 is still inside at the last frame, an open visit.
    expect(s.zones.left).toEqual({ entries: 4, exits: 3, personSeconds: 0.8, maxOccupancy: 2, visits: 3, dwellHistogram: [3, 0, 0, 0, 0, 0, 0, 0, 0], stayingVisits: 0, medianDwellSeconds: 2.5 });
    expect(s).toMatchObject({ frames: 8, seconds: 0.8 });
    const slow = countTrajectories(boxes, { lines: [], zones: [zone] }, { framesPerSecond: 5, frames: 8 });
    expect(slow.zones.left.personSeconds).toBeCloseTo(1.6, 12);
    expect(slow.seconds).toBeCloseTo(1.6, 12);
  });

  it('counts a track ending inside at the last frame as still there, not as an exit', () => {
    // Without `frames`, the sequence ends at the last annotated frame (8): P4 is still inside.
    // P1 ends at frame 6, before the end: it walked out of view, so that is an exit.
    const s = countTrajectories(boxes, { lines: [], zones: [zone] }, { framesPerSecond: 10 });
    expect(s.zones.left.exits).toBe(3);
    // If the sequence went on to frame 9, P4's track ending at 8 would be an exit too.
    const longer = countTrajectories(boxes, { lines: [], zones: [zone] }, { framesPerSecond: 10, frames: 9 });
    expect(longer.zones.left.exits).toBe(4);
  });

  it('tells inside from outside for a concave polygon', () => {
    const ell: [number, number][] = [[0, 0], [20, 0], [20, 10], [10, 10], [10, 20], [0, 20]];
    expect(insidePolygon(ell, [5, 15])).toBe(true);
    expect(insidePolygon(ell, [15, 5])).toBe(true);
    expect(insidePolygon(ell, [15, 15])).toBe(false);
    expect(insidePolygon(ell, [25, 5])).toBe(false);
  });

  it('rejects a frame rate that is not a positive number', () => {
    expect(() => countTrajectories(boxes, { lines: [line], zones: [] }, { framesPerSecond: 0 })).toThrow(/framesPerSecond/);
  });
});
