/**
 * Distractors in MOTChallenge ground truth: a GT box whose `flag` (column 7, `MotBox.score`)
 * is 0 marks a region or person to ignore (KITTI-17 has 99): a track box on it is neither a
 * true nor a false positive. Run this before `evaluateMot` / `evaluateHota`.
 *
 * Rule, TrackEval's MOT16/17 preprocessing with "flag 0" in place of its distractor classes:
 * per frame, hypothesis boxes are matched to all GT boxes (flag 0 and 1) by the assignment
 * of greatest total IoU among pairs with IoU >= threshold; a hypothesis matched to a flag-0
 * box is dropped, then every flag-0 GT box is dropped.
 *
 * Note: official TrackEval with `BENCHMARK=MOT15` (KITTI-17's benchmark) and py-motmetrics'
 * `eval_motchallenge` only drop the flag-0 GT boxes, so there a track box on one is a FP.
 */
import { linearAssignment } from '../../edge/src/track/assignment.ts';
import { byFrame, iou, type MotBox } from './gt.ts';

export interface DistractorResult {
  /** The GT boxes to score (flag ≠ 0), in input order. */
  gt: MotBox[];
  /** The hypothesis boxes not matched to a flag-0 box, in input order. */
  hyp: MotBox[];
  removedHyp: number;
  removedGt: number;
}

export function applyDistractors(gt: readonly MotBox[], hyp: readonly MotBox[], iouThreshold = 0.5): DistractorResult {
  const gtFrames = byFrame(gt);
  const drop = new Set<MotBox>();
  for (const [f, h] of byFrame(hyp)) {
    const g = gtFrames.get(f);
    if (!g || !g.some((b) => b.score === 0)) continue; // nothing to ignore in this frame
    // Greatest total IoU = least total −IoU; cost limit 0 with the 'threshold' objective takes
    // every pair that adds IoU. TrackEval's ε: IoU >= threshold − ε qualifies.
    const cost = g.map((gb) =>
      h.map((hb) => {
        const s = iou(gb, hb);
        return s > 0 && s >= iouThreshold - Number.EPSILON ? -s : Infinity;
      }),
    );
    for (const [i, j] of linearAssignment(cost, 0, { objective: 'threshold' }).matches) {
      if (g[i].score === 0) drop.add(h[j]);
    }
  }
  const keptGt = gt.filter((b) => b.score !== 0);
  const keptHyp = hyp.filter((b) => !drop.has(b));
  return { gt: keptGt, hyp: keptHyp, removedHyp: hyp.length - keptHyp.length, removedGt: gt.length - keptGt.length };
}
