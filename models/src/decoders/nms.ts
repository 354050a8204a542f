/** Greedy, class-wise non-maximum suppression, plus the small helpers decoders share. */
import type { DecodeOptions, InputBox, OutputTensor, RawDetection } from './types.ts';

export function boxIou(a: InputBox, b: InputBox): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  if (w <= 0) return 0;
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (h <= 0) return 0;
  const inter = w * h;
  const areaA = Math.max(0, a[2] - a[0]) * Math.max(0, a[3] - a[1]);
  const areaB = Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
  return inter / (areaA + areaB - inter);
}

/**
 * Keeps, class by class, the highest-scoring box and drops every other box of that class
 * overlapping it by more than `iouThreshold`, then repeats with what is left. Boxes of
 * different classes never suppress each other: a person and the bicycle they ride overlap
 * heavily and both must survive. Output is sorted by score, highest first; input untouched.
 */
export function nms(dets: readonly RawDetection[], iouThreshold: number): RawDetection[] {
  const order = dets.map((_, i) => i).sort((a, b) => dets[b].score - dets[a].score || a - b);
  const suppressed = new Uint8Array(dets.length);
  const kept: RawDetection[] = [];
  for (let oi = 0; oi < order.length; oi++) {
    const i = order[oi];
    if (suppressed[i]) continue;
    const best = dets[i];
    kept.push(best);
    for (let oj = oi + 1; oj < order.length; oj++) {
      const j = order[oj];
      if (suppressed[j] || dets[j].classIndex !== best.classIndex) continue;
      if (boxIou(best.box, dets[j].box) > iouThreshold) suppressed[j] = 1;
    }
  }
  return kept;
}

/** Class indices the caller wants, as a lookup table (all classes when keepClasses is absent). */
export function wantedClasses(opts: DecodeOptions, classCount: number): Uint8Array {
  const wanted = new Uint8Array(classCount);
  for (let c = 0; c < classCount; c++) {
    wanted[c] = !opts.keepClasses || opts.keepClasses.has(opts.classes[c] ?? '') ? 1 : 0;
  }
  return wanted;
}

export function labelOf(classes: readonly string[], classIndex: number): string {
  return classes[classIndex] ?? `class ${classIndex}`;
}

/** The output called `name`, with a message naming what the model does provide when missing. */
export function requireOutput(outputs: Record<string, OutputTensor>, name: string, decoder: string): OutputTensor {
  const t = outputs[name];
  if (!t) throw new Error(`${decoder} decoder: no output named "${name}" (outputs present: ${Object.keys(outputs).join(', ') || 'none'})`);
  if (!(t.data instanceof Float32Array)) throw new Error(`${decoder} decoder: output "${name}" must be float32`);
  return t;
}

/** Keeps the `max` highest-scoring candidates, so NMS stays cheap at very low thresholds. */
export function topCandidates(dets: RawDetection[], max: number): RawDetection[] {
  if (dets.length <= max) return dets;
  return dets.sort((a, b) => b.score - a.score).slice(0, max);
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
