/**
 * Boxes of several detector passes over one frame, in source pixels, made one set by a
 * greedy class-wise NMS, so a person seen by both passes is one box (the higher-scoring)
 * and a bicycle never suppresses its rider.
 *
 * Each later (coarser) pass is trusted only with the sizes it is there for, as in SNIP
 * (Singh & Davis, CVPR 2018): its boxes shorter than `laterPassMinHeight` are dropped. The
 * fine pass sees small people better; letting a coarse box of a small person win on score
 * makes the box hop between passes from frame to frame, and ID switches and line counts
 * follow (PETS09-S2L1: 17 ID switches instead of 10, bench/README.md).
 */
import { boxIou } from '@byliv/models';
import type { Detection } from '../types.ts';

export interface MergeOptions {
  /** Same-class boxes overlapping more than this are one object. */
  iouThreshold: number;
  /** Boxes of the later passes shorter than this (source pixels) are dropped; default 0. */
  laterPassMinHeight?: number;
}

export function mergeDetections(passes: readonly (readonly Detection[])[], opts: MergeOptions): Detection[] {
  const minLater = opts.laterPassMinHeight ?? 0;
  const all = passes.flatMap((dets, pass) => (pass === 0 ? dets : dets.filter((d) => d.box[3] - d.box[1] >= minLater)));
  all.sort((a, b) => b.score - a.score); // a fresh array: the callers' lists stay as they were
  const kept: Detection[] = [];
  for (const d of all) {
    if (kept.some((k) => k.label === d.label && boxIou(k.box, d.box) > opts.iouThreshold)) continue;
    kept.push({ box: [...d.box], score: d.score, label: d.label });
  }
  return kept;
}
