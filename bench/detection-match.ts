/**
 * Scoring detections against ground-truth boxes of one frame, the PASCAL VOC way: detections
 * in falling score order each take the unmatched ground-truth box they overlap most, if that
 * overlap reaches the IoU threshold; a ground-truth box is found at most once.
 */
export type Box = readonly [number, number, number, number];

export interface FrameMatch {
  truePositives: number;
  falsePositives: number;
  /** Ground-truth boxes no detection found. */
  misses: number;
  /** IoU of each matched pair (how well boxes fit, beyond being found). */
  matchedIou: number[];
}

export function boxIou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

export function matchFrame(dets: readonly { box: Box; score: number }[], truth: readonly Box[], iouThreshold = 0.5): FrameMatch {
  const order = dets.map((_, i) => i).sort((a, b) => dets[b].score - dets[a].score);
  const taken = new Uint8Array(truth.length);
  const matchedIou: number[] = [];
  let falsePositives = 0;
  for (const i of order) {
    let best = -1;
    let bestIou = iouThreshold;
    for (let g = 0; g < truth.length; g++) {
      if (taken[g]) continue;
      const o = boxIou(dets[i].box, truth[g]);
      if (o >= bestIou) {
        best = g;
        bestIou = o;
      }
    }
    if (best < 0) falsePositives++;
    else {
      taken[best] = 1;
      matchedIou.push(bestIou);
    }
  }
  return { truePositives: matchedIou.length, falsePositives, misses: truth.length - matchedIou.length, matchedIou };
}

/** Sums of several frames' matches, and the ratios from them. */
export class MatchTotals {
  truePositives = 0;
  falsePositives = 0;
  misses = 0;
  iouSum = 0;

  add(m: FrameMatch): void {
    this.truePositives += m.truePositives;
    this.falsePositives += m.falsePositives;
    this.misses += m.misses;
    for (const o of m.matchedIou) this.iouSum += o;
  }

  get precision(): number {
    return this.truePositives / Math.max(1, this.truePositives + this.falsePositives);
  }

  get recall(): number {
    return this.truePositives / Math.max(1, this.truePositives + this.misses);
  }

  get meanIou(): number {
    return this.iouSum / Math.max(1, this.truePositives);
  }
}
