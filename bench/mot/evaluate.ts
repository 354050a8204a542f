/**
 * Multi-object tracking accuracy of hypothesis tracks against ground truth:
 * CLEAR-MOT (MOTA, MOTP, ID switches; Bernardin & Stiefelhagen 2008) and the identity
 * measures (IDF1, IDP, IDR; Ristani et al. 2016), with the conventions py-motmetrics and
 * TrackEval use for MOTChallenge: a GT box and a hypothesis box may correspond when their
 * IoU is at least 0.5. Pure: boxes in, numbers out.
 */
import { linearAssignment } from '../../edge/src/track/assignment.ts';
import { byFrame, iou, trajectories, type MotBox } from './gt.ts';

export interface MotMetrics {
  /** Frames that hold at least one GT or hypothesis box. */
  frames: number;
  numGt: number;
  numHyp: number;
  gtIds: number;
  hypIds: number;
  /** GT boxes matched to a hypothesis (CLEAR-MOT true positives). */
  matches: number;
  fp: number;
  fn: number;
  idsw: number;
  /** 1 − (FN + FP + IDSW) / numGT; can be negative. */
  mota: number;
  /** Mean IoU of the matched pairs (TrackEval's convention; py-motmetrics reports 1 − this). */
  motp: number;
  idtp: number;
  idfp: number;
  idfn: number;
  idf1: number;
  idp: number;
  idr: number;
}

export interface EvaluateOptions {
  /** Lowest IoU at which a GT box and a hypothesis box may correspond (default 0.5). */
  iouThreshold?: number;
}

/** a / b, or NaN where the ratio is undefined (nothing to divide). */
const ratio = (a: number, b: number): number => (b === 0 ? NaN : a / b);

export function evaluateMot(gt: readonly MotBox[], hyp: readonly MotBox[], options: EvaluateOptions = {}): MotMetrics {
  const threshold = options.iouThreshold ?? 0.5;
  const gtFrames = byFrame(gt);
  const hypFrames = byFrame(hyp);
  const frames = [...new Set([...gtFrames.keys(), ...hypFrames.keys()])].sort((a, b) => a - b);

  // Per-frame IoU tables, shared by both measures.
  const clear = { matches: 0, fp: 0, fn: 0, idsw: 0, iouSum: 0 };
  /** GT id → the hypothesis id it was last matched to, and in which frame. */
  const lastMatch = new Map<number, { hyp: number; frame: number }>();
  /** `${gtId}/${hypId}` → frames in which the pair is within the IoU threshold (IDF1). */
  const overlaps = new Map<string, number>();

  for (const f of frames) {
    const g = gtFrames.get(f) ?? [];
    const h = hypFrames.get(f) ?? [];
    const ious = g.map((gb) => h.map((hb) => iou(gb, hb)));
    const close = (i: number, j: number): boolean => ious[i][j] >= threshold;

    for (let i = 0; i < g.length; i++) {
      for (let j = 0; j < h.length; j++) {
        if (close(i, j)) {
          const key = `${g[i].id}/${h[j].id}`;
          overlaps.set(key, (overlaps.get(key) ?? 0) + 1);
        }
      }
    }

    // CLEAR-MOT step 1: a correspondence made in the previous frame is kept while it stays
    // within the threshold, even if another pairing would be slightly cheaper now — so a
    // tracker is not charged a switch for a jittery but correct identity.
    const gtMatched = new Array<number>(g.length).fill(-1);
    const hypTaken = new Array<boolean>(h.length).fill(false);
    const hypIndex = new Map(h.map((b, j) => [b.id, j]));
    for (let i = 0; i < g.length; i++) {
      const last = lastMatch.get(g[i].id);
      if (!last || last.frame !== f - 1) continue;
      const j = hypIndex.get(last.hyp);
      if (j === undefined || hypTaken[j] || !close(i, j)) continue;
      gtMatched[i] = j;
      hypTaken[j] = true;
    }

    // Step 2: the rest by minimum total distance (1 − IoU), as many pairs as possible.
    const freeRows = g.map((_, i) => i).filter((i) => gtMatched[i] < 0);
    const freeCols = h.map((_, j) => j).filter((j) => !hypTaken[j]);
    if (freeRows.length > 0 && freeCols.length > 0) {
      const cost = freeRows.map((i) => freeCols.map((j) => (close(i, j) ? 1 - ious[i][j] : Infinity)));
      for (const [r, c] of linearAssignment(cost, Infinity).matches) {
        const i = freeRows[r];
        const j = freeCols[c];
        const last = lastMatch.get(g[i].id);
        if (last && last.hyp !== h[j].id) clear.idsw++;
        gtMatched[i] = j;
        hypTaken[j] = true;
      }
    }

    for (let i = 0; i < g.length; i++) {
      const j = gtMatched[i];
      if (j < 0) continue;
      clear.matches++;
      clear.iouSum += ious[i][j];
      lastMatch.set(g[i].id, { hyp: h[j].id, frame: f });
    }
    clear.fn += g.length - gtMatched.filter((j) => j >= 0).length;
    clear.fp += h.length - hypTaken.filter(Boolean).length;
  }

  const identity = identityMeasures(gt, hyp, overlaps);
  return {
    frames: frames.length,
    numGt: gt.length,
    numHyp: hyp.length,
    gtIds: identity.gtIds,
    hypIds: identity.hypIds,
    matches: clear.matches,
    fp: clear.fp,
    fn: clear.fn,
    idsw: clear.idsw,
    mota: 1 - ratio(clear.fn + clear.fp + clear.idsw, gt.length),
    motp: ratio(clear.iouSum, clear.matches),
    idtp: identity.idtp,
    idfp: hyp.length - identity.idtp,
    idfn: gt.length - identity.idtp,
    idf1: ratio(2 * identity.idtp, gt.length + hyp.length),
    idp: ratio(identity.idtp, hyp.length),
    idr: ratio(identity.idtp, gt.length),
  };
}

/**
 * IDTP from the one-to-one matching of whole GT trajectories to whole hypothesis
 * trajectories that leaves the fewest frames unexplained. Matching GT i to hypothesis j
 * costs the frames where they do not coincide (len_i + len_j − 2·overlap_ij); leaving GT i
 * unmatched costs len_i (all false negatives), leaving j unmatched costs len_j (all false
 * positives). As a square problem: rows are GT trajectories then one "false positive"
 * slot per hypothesis, columns are hypotheses then one "false negative" slot per GT.
 */
function identityMeasures(
  gt: readonly MotBox[],
  hyp: readonly MotBox[],
  overlaps: ReadonlyMap<string, number>,
): { idtp: number; gtIds: number; hypIds: number } {
  const gtTracks = trajectories(gt);
  const hypTracks = trajectories(hyp);
  const G = gtTracks.length;
  const H = hypTracks.length;
  const n = G + H;
  const cost: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(Infinity));
  for (let i = 0; i < G; i++) {
    for (let j = 0; j < H; j++) {
      const overlap = overlaps.get(`${gtTracks[i].id}/${hypTracks[j].id}`) ?? 0;
      // A pair that never coincides explains nothing: leaving both unmatched costs the same.
      if (overlap > 0) cost[i][j] = gtTracks[i].boxes.length + hypTracks[j].boxes.length - 2 * overlap;
    }
    cost[i][H + i] = gtTracks[i].boxes.length;
  }
  for (let j = 0; j < H; j++) {
    cost[G + j][j] = hypTracks[j].boxes.length;
    for (let i = 0; i < G; i++) cost[G + j][H + i] = 0;
  }
  let idtp = 0;
  for (const [r, c] of linearAssignment(cost, Infinity).matches) {
    if (r < G && c < H) idtp += overlaps.get(`${gtTracks[r].id}/${hypTracks[c].id}`) ?? 0;
  }
  return { idtp, gtIds: G, hypIds: H };
}
