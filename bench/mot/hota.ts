/**
 * HOTA, Higher Order Tracking Accuracy (Luiten et al., "HOTA: A Higher Order Metric for
 * Evaluating Multi-Object Tracking", IJCV 2021), with the definitions and guards of
 * TrackEval's `trackeval/metrics/hota.py`, so the numbers can be compared with the
 * official tool's. HOTA balances detection (DetA) and association (AssA) equally:
 * HOTA_α = √(DetA_α · AssA_α), averaged over 19 localisation thresholds α = 0.05 … 0.95.
 *
 * Per sequence:
 * 1. Over all frames, each GT-id/hypothesis-id pair accumulates a soft "potential match"
 *    count: its IoU normalised by everything else either box overlaps in that frame,
 *    sim / (row sum + column sum − sim). The pair's global alignment score is
 *    count / (GT id's boxes + hypothesis id's boxes − count).
 * 2. Each frame, one assignment maximises Σ alignment × IoU (so an id that follows a
 *    person over the sequence wins over a slightly better box of the moment); at each α a
 *    matched pair with IoU >= α is a TP, the other boxes are FN / FP.
 * 3. With TPA(c) = matches of pair c at α: AssA_α = Σ_c TPA(c)² / (GT id boxes + hyp id
 *    boxes − TPA(c)) / TP; AssRe and AssPr divide by the GT / hypothesis id's boxes only.
 *    DetA_α = TP / (TP + FN + FP), DetRe = TP / (TP + FN), DetPr = TP / (TP + FP),
 *    LocA_α = mean IoU of the TPs.
 *
 * Edge cases as TrackEval: denominators are floored at 1 (AssA of no TPs is 0, not NaN),
 * so with no hypothesis or no GT box every score is 0; LocA with no TP is 1 (its
 * 1e-10 / 1e-10 guard). GT boxes are taken as given: drop flag-0 boxes first
 * (`applyDistractors`). Pure: boxes in, numbers out.
 */
import { linearAssignment } from '../../edge/src/track/assignment.ts';
import { byFrame, iou, type MotBox } from './gt.ts';

/** α = 0.05, 0.10, …, 0.95, computed as numpy's `arange(0.05, 0.99, 0.05)` does. */
export const HOTA_ALPHAS: readonly number[] = Array.from({ length: 19 }, (_, i) => 0.05 + i * 0.05);

/** TrackEval's `np.finfo('float').eps`: IoU >= α − EPS counts at α (0.6 at α = 0.6000000000000001). */
const EPS = Number.EPSILON;

/** One value per α, in the order of `HOTA_ALPHAS`. */
export interface HotaPerAlpha {
  hota: number[];
  detA: number[];
  assA: number[];
  detRe: number[];
  detPr: number[];
  assRe: number[];
  assPr: number[];
  locA: number[];
  rHota: number[];
  tp: number[];
  fn: number[];
  fp: number[];
}

export interface HotaMetrics {
  /** Means over the 19 thresholds (what TrackEval prints as HOTA, DetA, …). */
  hota: number;
  detA: number;
  assA: number;
  detRe: number;
  detPr: number;
  assRe: number;
  assPr: number;
  locA: number;
  /** √(DetRe · AssA): HOTA without penalising false positives (TrackEval's RHOTA, renamed OWTA in later versions). */
  rHota: number;
  /** HOTA and LocA at the lowest threshold α = 0.05, and their product (TrackEval's HOTA(0), LocA(0), HOTALocA(0)). */
  hota0: number;
  locA0: number;
  hotaLocA0: number;
  perAlpha: HotaPerAlpha;
  numGt: number;
  numHyp: number;
  gtIds: number;
  hypIds: number;
}

export function evaluateHota(gt: readonly MotBox[], hyp: readonly MotBox[]): HotaMetrics {
  const A = HOTA_ALPHAS.length;
  const gtIndex = indexIds(gt);
  const hypIndex = indexIds(hyp);
  const H = hypIndex.size;
  const pair = (g: MotBox, h: MotBox): number => gtIndex.get(g.id)! * H + hypIndex.get(h.id)!;
  const gtCount = new Float64Array(gtIndex.size);
  const hypCount = new Float64Array(H);
  for (const b of gt) gtCount[gtIndex.get(b.id)!]++;
  for (const b of hyp) hypCount[hypIndex.get(b.id)!]++;

  const gtFrames = byFrame(gt);
  const hypFrames = byFrame(hyp);
  const frames = [...new Set([...gtFrames.keys(), ...hypFrames.keys()])].sort((a, b) => a - b);
  const sims = new Map<number, number[][]>();
  for (const f of frames) {
    const g = gtFrames.get(f) ?? [];
    const h = hypFrames.get(f) ?? [];
    sims.set(f, g.map((gb) => h.map((hb) => iou(gb, hb))));
  }

  // Pass 1: potential matches per id pair (sparse: key gtIndex·H + hypIndex).
  const potential = new Map<number, number>();
  for (const f of frames) {
    const g = gtFrames.get(f) ?? [];
    const h = hypFrames.get(f) ?? [];
    const sim = sims.get(f)!;
    const rowSum = sim.map((row) => row.reduce((s, v) => s + v, 0));
    const colSum = h.map((_, j) => sim.reduce((s, row) => s + row[j], 0));
    for (let i = 0; i < g.length; i++) {
      for (let j = 0; j < h.length; j++) {
        const denom = rowSum[i] + colSum[j] - sim[i][j];
        if (sim[i][j] > 0 && denom > EPS) {
          const k = pair(g[i], h[j]);
          potential.set(k, (potential.get(k) ?? 0) + sim[i][j] / denom);
        }
      }
    }
  }
  const alignment = (k: number): number => {
    const p = potential.get(k) ?? 0;
    return p / (gtCount[Math.floor(k / H)] + hypCount[k % H] - p);
  };

  // Pass 2: per-frame matching, counted at every α.
  const tp = new Array<number>(A).fill(0);
  const fn = new Array<number>(A).fill(0);
  const fp = new Array<number>(A).fill(0);
  const locSum = new Array<number>(A).fill(0);
  const matchCounts = Array.from({ length: A }, () => new Map<number, number>());
  for (const f of frames) {
    const g = gtFrames.get(f) ?? [];
    const h = hypFrames.get(f) ?? [];
    const sim = sims.get(f)!;
    if (g.length === 0 || h.length === 0) {
      for (let a = 0; a < A; a++) {
        fn[a] += g.length;
        fp[a] += h.length;
      }
      continue;
    }
    // Maximum total score = minimum total of −score. With cost limit 0 and the 'threshold'
    // objective a pair is taken only where it adds score, exactly like the full
    // linear_sum_assignment(−score) TrackEval runs (zero-score pairs count at no α anyway).
    const cost = g.map((gb, i) =>
      h.map((hb, j) => {
        const score = sim[i][j] > 0 ? alignment(pair(gb, hb)) * sim[i][j] : 0;
        return score > 0 ? -score : Infinity;
      }),
    );
    const { matches } = linearAssignment(cost, 0, { objective: 'threshold' });
    for (let a = 0; a < A; a++) {
      let n = 0;
      for (const [i, j] of matches) {
        if (sim[i][j] < HOTA_ALPHAS[a] - EPS) continue;
        n++;
        locSum[a] += sim[i][j];
        const k = pair(g[i], h[j]);
        matchCounts[a].set(k, (matchCounts[a].get(k) ?? 0) + 1);
      }
      tp[a] += n;
      fn[a] += g.length - n;
      fp[a] += h.length - n;
    }
  }

  const per: HotaPerAlpha = { hota: [], detA: [], assA: [], detRe: [], detPr: [], assRe: [], assPr: [], locA: [], rHota: [], tp, fn, fp };
  for (let a = 0; a < A; a++) {
    let ass = 0;
    let assRe = 0;
    let assPr = 0;
    for (const [k, m] of matchCounts[a]) {
      const gc = gtCount[Math.floor(k / H)];
      const hc = hypCount[k % H];
      ass += (m * m) / Math.max(1, gc + hc - m);
      assRe += (m * m) / Math.max(1, gc);
      assPr += (m * m) / Math.max(1, hc);
    }
    const t = Math.max(1, tp[a]);
    per.assA.push(ass / t);
    per.assRe.push(assRe / t);
    per.assPr.push(assPr / t);
    per.detRe.push(tp[a] / Math.max(1, tp[a] + fn[a]));
    per.detPr.push(tp[a] / Math.max(1, tp[a] + fp[a]));
    per.detA.push(tp[a] / Math.max(1, tp[a] + fn[a] + fp[a]));
    per.hota.push(Math.sqrt(per.detA[a] * per.assA[a]));
    per.rHota.push(Math.sqrt(per.detRe[a] * per.assA[a]));
    per.locA.push(Math.max(1e-10, locSum[a]) / Math.max(1e-10, tp[a]));
  }

  const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;
  return {
    hota: mean(per.hota),
    detA: mean(per.detA),
    assA: mean(per.assA),
    detRe: mean(per.detRe),
    detPr: mean(per.detPr),
    assRe: mean(per.assRe),
    assPr: mean(per.assPr),
    locA: mean(per.locA),
    rHota: mean(per.rHota),
    hota0: per.hota[0],
    locA0: per.locA[0],
    hotaLocA0: per.hota[0] * per.locA[0],
    perAlpha: per,
    numGt: gt.length,
    numHyp: hyp.length,
    gtIds: gtIndex.size,
    hypIds: H,
  };
}

/** Each distinct id → 0, 1, … in order of first appearance. */
function indexIds(boxes: readonly MotBox[]): Map<number, number> {
  const index = new Map<number, number>();
  for (const b of boxes) if (!index.has(b.id)) index.set(b.id, index.size);
  return index;
}
