/** Box overlap measures for association and for telling riders from pedestrians. */
import type { BoxXYXY } from '../types.ts';

export function boxArea(b: BoxXYXY): number {
  const w = b[2] - b[0];
  const h = b[3] - b[1];
  return w > 0 && h > 0 ? w * h : 0;
}

export function intersectionArea(a: BoxXYXY, b: BoxXYXY): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  if (w <= 0) return 0;
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return h > 0 ? w * h : 0;
}

/** Intersection over union; 0 for disjoint or degenerate boxes. */
export function iou(a: BoxXYXY, b: BoxXYXY): number {
  const inter = intersectionArea(a, b);
  if (inter === 0) return 0;
  return inter / (boxArea(a) + boxArea(b) - inter);
}

/**
 * Association cost 1 − IoU for every (track, detection) pair. With `scores`, ByteTrack's
 * "fuse score": 1 − IoU·score, so among overlapping boxes the confident one wins.
 */
export function iouCost(trackBoxes: readonly BoxXYXY[], detBoxes: readonly BoxXYXY[], scores?: readonly number[]): number[][] {
  const cost: number[][] = new Array(trackBoxes.length);
  for (let i = 0; i < trackBoxes.length; i++) {
    const row = new Array<number>(detBoxes.length);
    const t = trackBoxes[i];
    for (let j = 0; j < detBoxes.length; j++) {
      const o = iou(t, detBoxes[j]);
      row[j] = 1 - (scores ? o * scores[j] : o);
    }
    cost[i] = row;
  }
  return cost;
}
