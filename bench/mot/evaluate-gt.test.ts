/**
 * The evaluator on the real PETS09-S2L1 ground truth (4,650 boxes, 19 people): the file
 * against itself, and against a copy in which one person gets a new id halfway.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateMot } from './evaluate.ts';
import { parseMot, trajectories } from './gt.ts';
import { PETS09_GT } from './paths.ts';

const gt = parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT);

describe('evaluateMot on PETS09-S2L1 gt.txt', () => {
  it('reads the whole file', () => {
    expect(gt.length).toBe(4650);
    expect(trajectories(gt).length).toBe(19);
  });

  it('scores the ground truth against itself as perfect', () => {
    const m = evaluateMot(gt, gt);
    expect(m).toMatchObject({ mota: 1, motp: 1, idf1: 1, idsw: 0, fp: 0, fn: 0, matches: 4650, frames: 795 });
  });

  it('counts exactly one switch when one person is relabelled mid-sequence', () => {
    // The longest trajectory gets id 999 from its middle box on.
    const longest = trajectories(gt).sort((a, b) => b.boxes.length - a.boxes.length)[0];
    const cut = longest.boxes[Math.floor(longest.boxes.length / 2)].frame;
    const hyp = gt.map((b) => (b.id === longest.id && b.frame >= cut ? { ...b, id: 999 } : b));
    const m = evaluateMot(gt, hyp);
    expect(m).toMatchObject({ idsw: 1, fp: 0, fn: 0, matches: 4650 });
    expect(m.mota).toBeCloseTo(1 - 1 / 4650, 12);
    // Only the longer part of that person can keep its identity; the shorter part is
    // IDFN and IDFP at once.
    const after = longest.boxes.filter((b) => b.frame >= cut).length;
    const shorter = Math.min(after, longest.boxes.length - after);
    expect(m.idtp).toBe(4650 - shorter);
    expect(m.idf1).toBeCloseTo((4650 - shorter) / 4650, 12);
  });
});
