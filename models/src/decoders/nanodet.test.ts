import { describe, expect, it } from 'vitest';
import { decodeBatch, decoders } from './index.ts';
import { decodeNanoDet, type NanoDetDecodeOptions } from './nanodet.ts';
import type { DecoderOutputs, InputBox, RawDetection } from './types.ts';

const CLASSES = ['person', 'bicycle', 'car'];
const STRIDES = [8, 16, 32];
const NAMES = ['cls_8', 'reg_8', 'cls_16', 'reg_16', 'cls_32', 'reg_32'];
// 64 x 32 input: grids 8x4, 4x2, 2x1.
const W = 64;
const H = 32;

/** Hand-made NanoDet outputs: all scores 0, all sides' logits flat (distance 5 bins). */
function emptyOutputs(batch = 1, width = W, height = H): DecoderOutputs {
  const out: DecoderOutputs = {};
  for (const s of STRIDES) {
    const cells = Math.ceil(width / s) * Math.ceil(height / s);
    out[`cls_${s}`] = { data: new Float32Array(batch * cells * CLASSES.length), dims: [batch, cells, CLASSES.length] };
    out[`reg_${s}`] = { data: new Float32Array(batch * cells * 44), dims: [batch, cells, 44] };
  }
  return out;
}

/**
 * Puts an object at grid cell (x, y) of one level: its class score, and for each side
 * (left, top, right, bottom) a distance in bins, made by a peaked logit (an integer
 * distance) or two equal peaks (halfway between them).
 */
function place(out: DecoderOutputs, o: { stride: number; x: number; y: number; cls: number; score: number; bins: [number, number, number, number]; batch?: number; width?: number }): void {
  const gridW = Math.ceil((o.width ?? W) / o.stride);
  const cls = out[`cls_${o.stride}`];
  const reg = out[`reg_${o.stride}`];
  const cells = cls.dims[1];
  const cell = (o.batch ?? 0) * cells + o.y * gridW + o.x;
  cls.data[cell * CLASSES.length + o.cls] = o.score;
  o.bins.forEach((d, side) => {
    const at = cell * 44 + side * 11;
    const lo = Math.floor(d);
    reg.data[at + lo] = 60; // softmax of a 60-logit peak over zeros is 1 to within e^-60
    if (d !== lo) reg.data[at + lo + 1] = 60;
  });
}

const opts = (extra: Partial<NanoDetDecodeOptions> = {}): NanoDetDecodeOptions => ({
  inputWidth: W,
  inputHeight: H,
  scoreThreshold: 0.3,
  classes: CLASSES,
  outputNames: NAMES,
  ...extra,
});

function expectBox(d: RawDetection, box: InputBox): void {
  d.box.forEach((v, i) => expect(v, `box[${i}] of ${JSON.stringify(d.box)}`).toBeCloseTo(box[i], 4));
}

describe('decodeNanoDet', () => {
  it('decodes a box around the cell centre ((x + 0.5) * s) from the expected distances', () => {
    const out = emptyOutputs();
    place(out, { stride: 8, x: 3, y: 1, cls: 0, score: 0.9, bins: [1, 1, 2, 1.5] });
    const dets = decodeNanoDet(out, opts());
    expect(dets).toHaveLength(1);
    // centre (28, 12); left 8, top 8, right 16, bottom 12
    expectBox(dets[0], [20, 4, 44, 24]);
    expect(dets[0]).toMatchObject({ classIndex: 0, label: 'person' });
    expect(dets[0].score).toBeCloseTo(0.9, 6);
  });

  it('centerOffset 0 measures from the cell corner instead', () => {
    const out = emptyOutputs();
    place(out, { stride: 8, x: 3, y: 1, cls: 0, score: 0.9, bins: [1, 1, 2, 1.5] });
    expectBox(decodeNanoDet(out, opts({ centerOffset: 0 }))[0], [16, 0, 40, 20]);
  });

  it('uses the stride of the level and row-major cells (stride 16, cell (1, 1); stride 32, cell (1, 0))', () => {
    const out = emptyOutputs();
    place(out, { stride: 16, x: 1, y: 1, cls: 2, score: 0.8, bins: [0.5, 1, 0, 0] });
    place(out, { stride: 32, x: 1, y: 0, cls: 1, score: 0.7, bins: [1, 0.5, 0, 0.5] });
    const dets = decodeNanoDet(out, opts());
    expect(dets.map((d) => d.label)).toEqual(['car', 'bicycle']);
    expectBox(dets[0], [16, 8, 24, 24]); // centre (24, 24)
    expectBox(dets[1], [16, 0, 48, 32]); // centre (48, 16)
  });

  it('takes the softmax expectation over the bins, not the arg max', () => {
    const out = emptyOutputs();
    place(out, { stride: 8, x: 4, y: 2, cls: 0, score: 0.9, bins: [0, 1, 1, 1] });
    // left side: logits ln(1), ln(3) on bins 1 and 3 over -inf elsewhere -> 0.25 * 1 + 0.75 * 3 = 2.5 bins
    const reg = out.reg_8;
    const at = (2 * 8 + 4) * 44;
    for (let i = 0; i < 11; i++) reg.data[at + i] = -1e4;
    reg.data[at + 1] = 0;
    reg.data[at + 3] = Math.log(3);
    const [d] = decodeNanoDet(out, opts());
    expect(d.box[0]).toBeCloseTo(36 - 2.5 * 8, 4);
  });

  it('flat logits give the middle of the range (5 bins)', () => {
    const out = emptyOutputs();
    out.cls_32.data[0] = 0.5; // cell (0, 0) of stride 32, centre (16, 16), all sides flat
    const [d] = decodeNanoDet(out, opts({ inputWidth: 64, inputHeight: 32 }));
    expectBox(d, [0, 0, 16 + 5 * 32, 16 + 5 * 32].map((v, i) => Math.min(v, i % 2 ? H : W)) as InputBox);
  });

  it('clips boxes to the input', () => {
    const out = emptyOutputs();
    place(out, { stride: 8, x: 7, y: 0, cls: 0, score: 0.9, bins: [2, 3, 4, 2] }); // centre (60, 4)
    expectBox(decodeNanoDet(out, opts())[0], [44, 0, 64, 20]);
  });

  it('drops everything below the score threshold, keeps a score exactly at it', () => {
    const out = emptyOutputs();
    place(out, { stride: 8, x: 1, y: 1, cls: 0, score: 0.29, bins: [1, 1, 1, 1] });
    place(out, { stride: 8, x: 6, y: 2, cls: 0, score: 0.3, bins: [1, 1, 1, 1] });
    const dets = decodeNanoDet(out, opts({ scoreThreshold: Math.fround(0.3) }));
    expect(dets).toHaveLength(1);
    expectBox(dets[0], [44, 12, 60, 28]);
    expect(decodeNanoDet(out, opts({ scoreThreshold: 0.31 }))).toEqual([]);
  });

  it('merges overlapping boxes of one class with NMS, keeps overlapping boxes of two classes', () => {
    const out = emptyOutputs();
    // Neighbouring cells predicting the same person: centres 8 px apart, 48 px wide boxes.
    place(out, { stride: 8, x: 3, y: 2, cls: 0, score: 0.9, bins: [3, 2, 3, 1] });
    place(out, { stride: 8, x: 4, y: 2, cls: 0, score: 0.6, bins: [3, 2, 3, 1] });
    // The bicycle at the second cell survives: other class.
    out.cls_8.data[(2 * 8 + 4) * 3 + 1] = 0.5;
    const dets = decodeNanoDet(out, opts({ iouThreshold: 0.5 }));
    expect(dets.map((d) => [d.label, Math.round(d.score * 10)])).toEqual([['person', 9], ['bicycle', 5]]);
    expectBox(dets[0], [4, 4, 52, 28]);
    // With a threshold above their IoU (40/56) both persons stay.
    expect(decodeNanoDet(out, opts({ iouThreshold: 0.75 }))).toHaveLength(3);
  });

  it('keepClasses filters by name', () => {
    const out = emptyOutputs();
    place(out, { stride: 8, x: 1, y: 1, cls: 0, score: 0.9, bins: [1, 1, 1, 1] });
    place(out, { stride: 8, x: 5, y: 1, cls: 2, score: 0.9, bins: [1, 1, 1, 1] });
    expect(decodeNanoDet(out, opts({ keepClasses: new Set(['person', 'bicycle']) })).map((d) => d.label)).toEqual(['person']);
    expect(decodeNanoDet(out, opts({ keepClasses: new Set(['car']) })).map((d) => d.label)).toEqual(['car']);
    expect(decodeNanoDet(out, opts()).map((d) => d.label).sort()).toEqual(['car', 'person']);
  });

  it('decodes each image of a batch on its own', () => {
    const out = emptyOutputs(2);
    place(out, { stride: 8, x: 1, y: 1, cls: 0, score: 0.9, bins: [1, 1, 1, 1] });
    place(out, { stride: 16, x: 2, y: 0, cls: 1, score: 0.8, bins: [1, 0.5, 1, 1], batch: 1 });
    const [first, second] = decodeBatch(decoders.nanodet, out, opts());
    expect(first.map((d) => d.label)).toEqual(['person']);
    expectBox(first[0], [4, 4, 20, 20]);
    expect(second.map((d) => d.label)).toEqual(['bicycle']);
    expectBox(second[0], [24, 0, 56, 24]);
    expect(decodeNanoDet(out, opts({ batchIndex: 1 }))).toEqual(second);
    expect(() => decodeNanoDet(out, opts({ batchIndex: 2 }))).toThrow(/batch index 2 outside the batch of 2/);
  });

  it('works on input sizes that are not multiples of the strides (ceil grids)', () => {
    // 72 x 40: grids 9x5, 5x3, 3x2
    const out = emptyOutputs(1, 72, 40);
    place(out, { stride: 16, x: 4, y: 2, cls: 0, score: 0.9, bins: [1, 1, 0.5, 0.5], width: 72 });
    const [d] = decodeNanoDet(out, opts({ inputWidth: 72, inputHeight: 40 }));
    expectBox(d, [56, 24, 72, 40]); // centre (72, 40), right and bottom clipped
  });

  it('says which output is missing or misshapen', () => {
    const out = emptyOutputs();
    expect(() => decodeNanoDet(out, opts({ inputWidth: 128 }))).toThrow(/output "cls_8" has dims \[1, 32, 3\], expected \[1, 64, 3\]/);
    const { reg_16: _, ...missing } = out;
    expect(() => decodeNanoDet(missing, opts())).toThrow(/no output named "reg_16"/);
    expect(() => decodeNanoDet(out, opts({ outputNames: NAMES.slice(0, 4) }))).toThrow(/expected 6 output names/);
    out.reg_32 = { data: new Float32Array(2 * 40), dims: [1, 2, 40] };
    expect(() => decodeNanoDet(out, opts())).toThrow(/"reg_32" has dims \[1, 2, 40\], expected \[1, 2, 44\]/);
  });
});
