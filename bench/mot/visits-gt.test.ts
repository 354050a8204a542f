import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SceneZone } from '@byliv/protocol';
import { loadSceneFile } from '../../edge/src/config/scene-file.ts';
import { countTrajectories } from './counting-gt.ts';
import { parseMot, type MotBox } from './gt.ts';
import { findSequences } from './sequences.ts';
import { visitStats, zoneVisits, type ZoneVisits } from './visits-gt.ts';

/** A 10×20 box whose foot (bottom centre) is at (x, 50). */
const at = (frame: number, id: number, x: number): MotBox => ({ frame, id, left: x - 5, top: 30, width: 10, height: 20, score: 1 });
// The strip left of x = 40 between y = 0 and y = 100.
const zone: SceneZone = { id: 'left', polygon: [[0, 0], [40, 0], [40, 100], [0, 100]] };
const scene = { zones: [zone] };

// Foot x per frame; inside the zone means x < 40. The sequence has 10 frames.
// P1 frames 1-8:  60, 60, 30, 30, 30, 60, 30, 60 → in 3-5 (3 frames), in 7-7 (1 frame).
// P2 frames 2-4:  10, 10, 10 → starts inside (enters at 2), track ends inside at 4 < 10: ended, 3 frames.
// P3 frames 6-10: 60, 20, 20, 20, 20 → inside 7 to the last frame (10): open, 4 frames so far.
// P4 frames 1, 2 and 6, 7: 20, 20, (gap), 20, 60 → inside 1-6 across the gap: one visit, 6 frames.
// P5 frames 1-3: 80, 80, 80 → never inside.
const boxes: MotBox[] = [
  ...[60, 60, 30, 30, 30, 60, 30, 60].map((x, k) => at(k + 1, 1, x)),
  ...[10, 10, 10].map((x, k) => at(k + 2, 2, x)),
  ...[60, 20, 20, 20, 20].map((x, k) => at(k + 6, 3, x)),
  at(1, 4, 20), at(2, 4, 20), at(6, 4, 20), at(7, 4, 60),
  ...[80, 80, 80].map((x, k) => at(k + 1, 5, x)),
];

describe('zoneVisits', () => {
  it('lists each stay from the first frame inside to the last, k frames = k / fps s', () => {
    const v = zoneVisits(boxes, scene, { framesPerSecond: 10, frames: 10 }).left;
    // Ended, by last frame then id: P2 2-4, P1 3-5, P4 1-6, P1 7-7.
    expect(v.ended.map((e) => [e.id, e.firstFrame, e.lastFrame, e.frames])).toEqual([
      [2, 2, 4, 3],
      [1, 3, 5, 3],
      [4, 1, 6, 6],
      [1, 7, 7, 1],
    ]);
    expect(v.durations).toEqual([0.3, 0.3, 0.6, 0.1]);
    expect(v.open).toEqual([{ id: 3, firstFrame: 7, lastFrame: 10, frames: 4, seconds: 0.4 }]);
  });

  it('uses the frame rate for seconds', () => {
    const v = zoneVisits(boxes, scene, { framesPerSecond: 25, frames: 10 }).left;
    expect(v.durations).toEqual([3 / 25, 3 / 25, 6 / 25, 1 / 25]);
  });

  it('ends a visit whose track stops inside before the last frame; keeps one inside at the last frame open', () => {
    // Without `frames` the sequence ends at the last annotated frame (10): P3 is open.
    expect(zoneVisits(boxes, scene, { framesPerSecond: 10 }).left.open.map((v) => v.id)).toEqual([3]);
    // Were the sequence 11 frames long, P3's track ending at 10 would be a walk out of view.
    const longer = zoneVisits(boxes, scene, { framesPerSecond: 10, frames: 11 }).left;
    expect(longer.open).toEqual([]);
    expect(longer.ended.at(-1)).toMatchObject({ id: 3, firstFrame: 7, lastFrame: 10, frames: 4 });
  });

  it('leaves a visit open when its track goes on past a shortened sequence', () => {
    // Scored on frames 1-8 only: P3 is inside at 7 and 8 and its track goes on: open.
    // P4's gap (3-5) lies inside the range, so P4 is still one ended visit 1-6.
    const v = zoneVisits(boxes, scene, { framesPerSecond: 10, frames: 8 }).left;
    expect(v.open).toEqual([{ id: 3, firstFrame: 7, lastFrame: 8, frames: 2, seconds: 0.2 }]);
    expect(v.ended.map((e) => e.id)).toEqual([2, 1, 4, 1]);
    // Scored on frames 1-5: P1 is inside at 5 (the last frame): open; P4 was inside at 2 and
    // its next box is at 6, past the end: open too.
    const short = zoneVisits(boxes, scene, { framesPerSecond: 10, frames: 5 }).left;
    expect(short.ended.map((e) => [e.id, e.firstFrame, e.lastFrame])).toEqual([[2, 2, 4]]);
    expect(short.open.map((e) => [e.id, e.firstFrame, e.lastFrame])).toEqual([[1, 3, 5], [4, 1, 2]]);
  });

  it('agrees with countTrajectories: ended visits are exits, ended + open are entries', () => {
    const v = zoneVisits(boxes, scene, { framesPerSecond: 10, frames: 10 }).left;
    const c = countTrajectories(boxes, { lines: [], zones: [zone] }, { framesPerSecond: 10, frames: 10 }).zones.left;
    expect(c).toMatchObject({ entries: 5, exits: 4 });
    expect(v.ended.length).toBe(c.exits);
    expect(v.ended.length + v.open.length).toBe(c.entries);
  });

  it('gives every zone an entry, empty when nobody comes', () => {
    const empty: SceneZone = { id: 'far', polygon: [[500, 0], [600, 0], [600, 100]] };
    expect(zoneVisits(boxes, { zones: [zone, empty] }, { framesPerSecond: 10 }).far).toEqual({ ended: [], durations: [], open: [] });
    expect(zoneVisits([], scene, { framesPerSecond: 10 }).left).toEqual({ ended: [], durations: [], open: [] });
  });

  it('rejects a frame rate that is not a positive number', () => {
    expect(() => zoneVisits(boxes, scene, { framesPerSecond: 0 })).toThrow(/framesPerSecond/);
    expect(() => zoneVisits(boxes, scene, { framesPerSecond: Number.NaN })).toThrow(/framesPerSecond/);
  });
});

describe('visitStats', () => {
  const of = (durations: number[], open = 0): ZoneVisits => ({
    ended: durations.map((seconds, k) => ({ id: k, firstFrame: 1, lastFrame: 1, frames: 1, seconds })),
    durations,
    open: Array.from({ length: open }, (_, k) => ({ id: 100 + k, firstFrame: 1, lastFrame: 1, frames: 1, seconds: 1 })),
  });

  it('counts ended visits, staying ones (>= 30 s, inclusive) and the median dwell', () => {
    expect(visitStats(of([40, 5, 30, 29.9, 2]), 30)).toEqual({ visits: 5, staying: 2, medianSeconds: 29.9, open: 0 });
    expect(visitStats(of([4, 1, 3, 2], 2))).toEqual({ visits: 4, staying: 0, medianSeconds: 2.5, open: 2 });
    expect(visitStats(of([10, 20]), 15).staying).toBe(1);
  });

  it('has no median without an ended visit', () => {
    expect(visitStats(of([], 3))).toEqual({ visits: 0, staying: 0, medianSeconds: Number.NaN, open: 3 });
  });
});

// The per-zone visit tables of bench/scenes/README.md, where the data sets are present:
// [ended visits, open at the end, staying (>= 30 s), median dwell (s)].
const TABLES: Record<string, Record<string, [number, number, number, number]>> = {
  'pets09-s2l1': { 'left-third': [12, 2, 0, 4.55], 'centre-diamond': [30, 1, 0, 3.3], 'right-third': [30, 3, 0, 3.9] },
  'tud-campus': { 'left-third': [5, 0, 0, 0.56], 'centre-diamond': [4, 1, 0, 0.32], 'right-third': [2, 3, 0, 0.98] },
  'tud-stadtmitte': { 'left-third': [2, 1, 0, 2.42], 'centre-diamond': [1, 3, 0, 0.64], 'right-third': [7, 1, 0, 2.56] },
  'kitti-17': { 'left-third': [3, 0, 0, 1.4], 'centre-diamond': [4, 0, 0, 4.35], 'right-third': [7, 2, 0, 1.5] },
};

describe('zone visits on the real sequences (../shared/datasets)', () => {
  const found = findSequences();
  for (const id of Object.keys(TABLES)) {
    const s = found.available.find((q) => q.id === id);
    const why = found.missing.find((m) => m.id === id)?.why;
    it.skipIf(!s)(`${id}: the README's visits table, consistent with the zone counts${s ? '' : ` (skipped: ${why})`}`, () => {
      const gt = parseMot(readFileSync(s!.gt, 'utf8'), s!.gt).filter((b) => b.score !== 0);
      const sc = loadSceneFile(s!.scene);
      const options = { framesPerSecond: s!.fps, frames: s!.frames };
      const visits = zoneVisits(gt, sc, options);
      const counts = countTrajectories(gt, sc, options);
      expect(Object.keys(visits)).toEqual(Object.keys(TABLES[id]));
      for (const [zoneId, [ended, open, staying, median]] of Object.entries(TABLES[id])) {
        const st = visitStats(visits[zoneId]);
        expect({ visits: st.visits, open: st.open, staying: st.staying }, zoneId).toEqual({ visits: ended, open, staying });
        expect(st.medianSeconds, zoneId).toBeCloseTo(median, 6);
        expect(st.visits, zoneId).toBe(counts.zones[zoneId].exits);
        expect(st.visits + st.open, zoneId).toBe(counts.zones[zoneId].entries);
      }
    });
  }
});
