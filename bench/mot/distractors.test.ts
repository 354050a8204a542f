/**
 * Distractor (flag 0) handling on tiny hand cases and on the real KITTI-17 ground truth.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyDistractors } from './distractors.ts';
import { evaluateMot } from './evaluate.ts';
import { parseMot, type MotBox } from './gt.ts';
import { evaluateHota } from './hota.ts';
import { REPO_ROOT } from './paths.ts';

/** A 10×10 box at (left, 0); `score` is the GT flag. */
const box = (frame: number, id: number, left: number, score = 1): MotBox => ({ frame, id, left, top: 0, width: 10, height: 10, score });

describe('applyDistractors on hand cases', () => {
  it('drops hypotheses on flag-0 boxes and the flag-0 boxes themselves', () => {
    const person = box(1, 1, 0);
    const ignored = box(1, 2, 100, 0);
    const onPerson = box(1, 7, 1); // IoU 9/11 with the person
    const onIgnored = box(1, 8, 101); // IoU 9/11 with the ignored box
    const stray = box(1, 9, 300); // overlaps nothing: stays, a false positive
    const r = applyDistractors([person, ignored], [onPerson, onIgnored, stray]);
    expect(r.gt).toEqual([person]);
    expect(r.hyp).toEqual([onPerson, stray]);
    expect(r).toMatchObject({ removedGt: 1, removedHyp: 1 });
  });

  it('keeps a hypothesis the assignment gives to a scored person', () => {
    // One hypothesis between a person (IoU 9/11 = 0.82) and an ignored box (IoU 8/12 = 0.67):
    // the single best pair is with the person, so it stays.
    const r = applyDistractors([box(1, 1, 0), box(1, 2, 3, 0)], [box(1, 7, 1)]);
    expect(r).toMatchObject({ removedHyp: 0, removedGt: 1 });
  });

  it('uses the greatest total IoU, not each hypothesis’s best box', () => {
    // Person P at 0, ignored D at 3. X at 1: IoU(X,P) = 9/11 = 0.82, IoU(X,D) = 8/12 = 0.67.
    // Y at −1: IoU(Y,P) = 9/11 = 0.82, IoU(Y,D) = 6/14 = 0.43 < 0.5.
    // X–D + Y–P = 1.48 beats X–P alone (0.82), so X is on the ignored box and goes.
    const X = box(1, 7, 1);
    const Y = box(1, 8, -1);
    const r = applyDistractors([box(1, 1, 0), box(1, 2, 3, 0)], [X, Y]);
    expect(r.hyp).toEqual([Y]);
  });

  it('needs IoU >= the threshold, frame by frame', () => {
    // IoU 6/14 = 0.43 with the ignored box: below 0.5 it stays (a false positive), at 0.4 it goes.
    const gt = [box(1, 2, 0, 0), box(2, 1, 0)];
    const hyp = [box(1, 7, 4), box(2, 7, 0)];
    expect(applyDistractors(gt, hyp).removedHyp).toBe(0);
    expect(applyDistractors(gt, hyp, 0.4).hyp).toEqual([box(2, 7, 0)]);
    // A flag-0 box in frame 1 does not touch the same place in frame 2.
    expect(applyDistractors([box(1, 2, 0, 0)], [box(2, 7, 0)]).removedHyp).toBe(0);
  });

  it('changes nothing without flag-0 boxes', () => {
    const gt = [box(1, 1, 0), box(2, 1, 0)];
    const hyp = [box(1, 5, 0), box(2, 5, 50)];
    expect(applyDistractors(gt, hyp)).toEqual({ gt, hyp, removedGt: 0, removedHyp: 0 });
  });
});

const KITTI17_GT = resolve(REPO_ROOT, '../shared/datasets/kitti-17/gt.txt');

describe.skipIf(!existsSync(KITTI17_GT))('applyDistractors on KITTI-17 gt.txt', () => {
  const text = existsSync(KITTI17_GT) ? readFileSync(KITTI17_GT, 'utf8') : '';
  const gt = parseMot(text, KITTI17_GT);
  // Flag-0 lines counted straight from the text, independently of the parser.
  const flagZero = text.split('\n').filter((l) => l.trim() !== '' && Number(l.split(',')[6]) === 0).length;

  it('removes the 99 flag-0 boxes of 782', () => {
    expect(gt.length).toBe(782);
    expect(flagZero).toBe(99);
    const r = applyDistractors(gt, []);
    expect(r).toMatchObject({ removedGt: 99, removedHyp: 0 });
    expect(r.gt.length).toBe(683);
  });

  it('treats the ground truth as a tracker: its flag-0 boxes are ignored, the rest are perfect', () => {
    const r = applyDistractors(gt, gt);
    expect(r).toMatchObject({ removedGt: 99, removedHyp: 99 });
    expect(r.hyp).toEqual(r.gt);
    expect(evaluateMot(r.gt, r.hyp)).toMatchObject({ mota: 1, idf1: 1, fp: 0, fn: 0 });
    expect(evaluateHota(r.gt, r.hyp)).toMatchObject({ hota: 1, detA: 1, assA: 1 });
  });
});

if (!existsSync(KITTI17_GT)) console.warn(`distractors.test.ts: ${KITTI17_GT} is missing; skipping the KITTI-17 checks`);
