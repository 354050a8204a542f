/**
 * HOTA on hand-worked cases (the arithmetic is in the comments) and on the real
 * PETS09-S2L1 ground truth, which must score 1 against itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMot, trajectories, type MotBox } from './gt.ts';
import { evaluateHota, HOTA_ALPHAS } from './hota.ts';
import { PETS09_GT } from './paths.ts';

const box = (frame: number, id: number, left = 0, top = 0, width = 10, height = 10): MotBox => ({ frame, id, left, top, width, height, score: 1 });
const track = (id: number, frames: number[], left = 0): MotBox[] => frames.map((f) => box(f, id, left));
const sum = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0);

describe('evaluateHota on hand-worked cases', () => {
  it('uses the 19 thresholds 0.05 … 0.95', () => {
    expect(HOTA_ALPHAS).toHaveLength(19);
    expect(HOTA_ALPHAS[0]).toBe(0.05);
    expect(HOTA_ALPHAS[18]).toBeCloseTo(0.95, 12);
  });

  it('scores perfect tracking as 1', () => {
    const gt = [...track(1, [1, 2, 3, 4]), ...track(2, [1, 2, 3, 4], 50)];
    const m = evaluateHota(gt, gt);
    for (const k of ['hota', 'detA', 'assA', 'detRe', 'detPr', 'assRe', 'assPr', 'locA', 'rHota', 'hota0', 'locA0'] as const) {
      expect(m[k]).toBe(1);
    }
    expect(m.perAlpha.tp).toEqual(new Array(19).fill(8));
  });

  it('halves AssA for one id swap half-way', () => {
    // GT id 1 in frames 1–4; the tracker calls it 1 in frames 1–2 and 2 in frames 3–4, boxes exact.
    // Every α: TP = 4, FN = FP = 0 → DetA = 1.
    // Pair (1,1): 2 matches, 4 GT boxes, 2 hyp boxes → 2 / (4 + 2 − 2) = 1/2; pair (1,2) the same.
    // AssA = (2·½ + 2·½) / 4 = ½, AssRe = (2·2/4 + 2·2/4) / 4 = ½, AssPr = (2·2/2 + 2·2/2) / 4 = 1.
    // HOTA = √(1 · ½) = 0.7071.
    const gt = track(1, [1, 2, 3, 4]);
    const hyp = [...track(1, [1, 2]), ...track(2, [3, 4])];
    const m = evaluateHota(gt, hyp);
    expect(m.detA).toBe(1);
    expect(m.assA).toBeCloseTo(0.5, 12);
    expect(m.assRe).toBeCloseTo(0.5, 12);
    expect(m.assPr).toBeCloseTo(1, 12);
    expect(m.hota).toBeCloseTo(Math.SQRT1_2, 12);
    expect(m.locA).toBe(1);
  });

  it('scores no hypotheses as 0 (all FN), LocA 1 as TrackEval', () => {
    const gt = track(1, [1, 2, 3]);
    const m = evaluateHota(gt, []);
    expect(m).toMatchObject({ hota: 0, detA: 0, assA: 0, detRe: 0, detPr: 0, locA: 1 });
    expect(m.perAlpha.fn).toEqual(new Array(19).fill(3));
    expect(m.perAlpha.fp).toEqual(new Array(19).fill(0));
  });

  it('scores hypotheses that never overlap as 0, and empty input as 0', () => {
    // Two frames, one GT and one hypothesis box each, IoU 0: TP 0, FN 2, FP 2 at every α.
    const m = evaluateHota(track(1, [1, 2]), track(7, [1, 2], 100));
    expect(m).toMatchObject({ hota: 0, detA: 0, assA: 0, locA: 1 });
    expect(sum(m.perAlpha.fp)).toBe(2 * 19);
    expect(evaluateHota([], [])).toMatchObject({ hota: 0, detA: 0, assA: 0, locA: 1, numGt: 0, numHyp: 0 });
    expect(evaluateHota([], track(1, [1])).perAlpha.fp[0]).toBe(1);
  });

  it('averages over α: IoU 0.6 counts at α = 0.05 … 0.60 only', () => {
    // Hypothesis shifted 2.5 px on a 10×10 box: IoU = 75 / 125 = 0.6, same id, 3 frames.
    // α <= 0.6 (12 thresholds; α = 0.6000000000000001 passes by TrackEval's ε guard):
    //   TP 3 → DetA = AssA = HOTA = 1, LocA = 0.6.
    // α >= 0.65 (7 thresholds): TP 0, FN 3, FP 3 → DetA = AssA = HOTA = 0, LocA = 1 (no TP).
    // Means: HOTA = DetA = AssA = 12/19 = 0.6316, LocA = (12·0.6 + 7·1)/19 = 14.2/19 = 0.7474.
    const m = evaluateHota(track(1, [1, 2, 3]), track(5, [1, 2, 3], 2.5));
    expect(m.perAlpha.tp).toEqual([...new Array(12).fill(3), ...new Array(7).fill(0)]);
    expect(m.hota).toBeCloseTo(12 / 19, 12);
    expect(m.detA).toBeCloseTo(12 / 19, 12);
    expect(m.assA).toBeCloseTo(12 / 19, 12);
    expect(m.locA).toBeCloseTo(14.2 / 19, 12);
    expect(m.hota0).toBe(1);
    expect(m.locA0).toBeCloseTo(0.6, 12);
    expect(m.hotaLocA0).toBeCloseTo(0.6, 12);
  });

  it('matches by global alignment × IoU, not by IoU alone', () => {
    // GT A (id 1) frames 1–4 and GT B (id 2) frame 4 only; hypothesis X (id 9) = [0,0,10,10]
    // in frames 1–4. A = X in frames 1–3 (IoU 1); in frame 4, A = [2.5,0,10,10] (IoU 0.6 with X)
    // and B = [0,0,10,8] (IoU 0.8).
    // Pass 1, frame 4: column sum 1.4, so sim_iou(A,X) = 0.6/1.4 = 3/7, sim_iou(B,X) = 4/7.
    //   potential(A,X) = 3 + 3/7 = 24/7 → alignment = (24/7) / (4 + 4 − 24/7) = 3/4;
    //   potential(B,X) = 4/7 → alignment = (4/7) / (1 + 4 − 4/7) = 4/31.
    // Frame 4 scores: A·X = 3/4 · 0.6 = 0.45 > B·X = 4/31 · 0.8 = 0.10, so X goes to A.
    // α <= 0.6 (12): TP 4, FN 1 (B) → DetA = 4/5; pair (A,X) 4 matches → 4/(4+4−4) = 1 → AssA = 1.
    //   LocA = (3 + 0.6)/4 = 0.9.
    // α >= 0.65 (7): frame 4 match fails → TP 3, FN 2, FP 1 → DetA = 3/6;
    //   (A,X) 3 matches → 3/(4+4−3) = 3/5 → AssA = 3·(3/5)/3 = 0.6. LocA = 1.
    // (Matching by IoU alone would give X to B in frame 4: AssA at α <= 0.6 would be 0.5125.)
    const X = track(9, [1, 2, 3, 4]);
    const gt = [...track(1, [1, 2, 3]), box(4, 1, 2.5), box(4, 2, 0, 0, 10, 8)];
    const m = evaluateHota(gt, X);
    expect(m.perAlpha.tp).toEqual([...new Array(12).fill(4), ...new Array(7).fill(3)]);
    expect(m.perAlpha.assA[0]).toBeCloseTo(1, 12);
    expect(m.perAlpha.assA[18]).toBeCloseTo(0.6, 12);
    expect(m.detA).toBeCloseTo((12 * 0.8 + 7 * 0.5) / 19, 12);
    expect(m.assA).toBeCloseTo((12 * 1 + 7 * 0.6) / 19, 12);
    expect(m.hota).toBeCloseTo((12 * Math.sqrt(0.8) + 7 * Math.sqrt(0.3)) / 19, 12);
    expect(m.locA).toBeCloseTo((12 * 0.9 + 7 * 1) / 19, 12);
    expect(m.detRe).toBeCloseTo((12 * 0.8 + 7 * 0.6) / 19, 12);
    expect(m.detPr).toBeCloseTo((12 * 1 + 7 * 0.75) / 19, 12);
  });
});

describe.skipIf(!existsSync(PETS09_GT))('evaluateHota on PETS09-S2L1 gt.txt', () => {
  const gt = existsSync(PETS09_GT) ? parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT) : [];

  it('scores the ground truth against itself as 1', () => {
    const m = evaluateHota(gt, gt);
    expect(m).toMatchObject({ hota: 1, detA: 1, assA: 1, locA: 1, numGt: 4650, gtIds: 19 });
    expect(m.perAlpha.tp).toEqual(new Array(19).fill(4650));
  });

  it('lowers only AssA when one person is relabelled mid-sequence', () => {
    // The longest trajectory (L boxes) becomes id 999 from its middle box on: parts a and b.
    // Each part's pair scores a/(L + a − a) = a/L, so
    // AssA = (4650 − L + (a² + b²)/L) / 4650 at every α, DetA = 1.
    const longest = trajectories(gt).sort((a, b) => b.boxes.length - a.boxes.length)[0];
    const L = longest.boxes.length;
    const cut = longest.boxes[Math.floor(L / 2)].frame;
    const hyp = gt.map((b) => (b.id === longest.id && b.frame >= cut ? { ...b, id: 999 } : b));
    const b = longest.boxes.filter((x) => x.frame >= cut).length;
    const a = L - b;
    const assA = (4650 - L + (a * a + b * b) / L) / 4650;
    const m = evaluateHota(gt, hyp);
    expect(m.detA).toBe(1);
    expect(m.assA).toBeCloseTo(assA, 12);
    expect(m.hota).toBeCloseTo(Math.sqrt(assA), 12);
  });
});

if (!existsSync(PETS09_GT)) console.warn(`hota.test.ts: ${PETS09_GT} is missing; skipping the PETS09-S2L1 checks`);
