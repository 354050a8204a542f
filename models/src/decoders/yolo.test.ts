import { describe, expect, it } from 'vitest';
import { decodeBatch, decoders } from './index.ts';
import type { DecodeOptions, DecoderOutputs, InputBox, RawDetection } from './types.ts';
import { decodeYolo } from './yolo.ts';

const CLASSES = ['person', 'bicycle', 'car'];
const CH = 4 + CLASSES.length;

interface Anchor {
  cxcywh: [number, number, number, number];
  scores: [number, number, number];
}

/** Hand-made YOLOv8 output, channels-first [N, 4 + C, anchors] or rows [N, anchors, 4 + C]. */
function yoloOutput(images: Anchor[][], layout: 'channels-first' | 'rows'): DecoderOutputs {
  const anchors = images[0].length;
  const data = new Float32Array(images.length * anchors * CH);
  images.forEach((image, b) =>
    image.forEach((a, i) => {
      [...a.cxcywh, ...a.scores].forEach((v, k) => {
        data[b * anchors * CH + (layout === 'channels-first' ? k * anchors + i : i * CH + k)] = v;
      });
    }),
  );
  const dims = layout === 'channels-first' ? [images.length, CH, anchors] : [images.length, anchors, CH];
  return { output0: { data, dims } };
}

const opts = (extra: Partial<DecodeOptions> = {}): DecodeOptions => ({
  inputWidth: 640,
  inputHeight: 480,
  scoreThreshold: 0.25,
  classes: CLASSES,
  outputNames: ['output0'],
  ...extra,
});

const nothing: Anchor = { cxcywh: [100, 100, 20, 20], scores: [0.01, 0.02, 0] };

function expectBox(d: RawDetection, box: InputBox): void {
  d.box.forEach((v, i) => expect(v, `box[${i}] of ${JSON.stringify(d.box)}`).toBeCloseTo(box[i], 3));
}

describe.each(['channels-first', 'rows'] as const)('decodeYolo (%s)', (layout) => {
  it('decodes a box placed by centre and size, with its best class', () => {
    const out = yoloOutput([[nothing, { cxcywh: [300, 200, 40, 120], scores: [0.1, 0.85, 0.2] }, nothing]], layout);
    const dets = decodeYolo(out, opts());
    expect(dets).toHaveLength(1);
    expect(dets[0]).toMatchObject({ classIndex: 1, label: 'bicycle' });
    expect(dets[0].score).toBeCloseTo(0.85, 6);
    expectBox(dets[0], [280, 140, 320, 260]);
  });

  it('merges two overlapping boxes of one class, keeps a distant one', () => {
    const out = yoloOutput(
      [[{ cxcywh: [100, 100, 40, 100], scores: [0.7, 0, 0] }, { cxcywh: [104, 102, 40, 100], scores: [0.9, 0, 0] }, { cxcywh: [400, 100, 40, 100], scores: [0.5, 0, 0] }]],
      layout,
    );
    const dets = decodeYolo(out, opts({ iouThreshold: 0.5 }));
    expect(dets.map((d) => Math.round(d.score * 10))).toEqual([9, 5]);
    expectBox(dets[0], [84, 52, 124, 152]);
  });

  it('filters classes by name and by threshold; one anchor may give two classes', () => {
    const out = yoloOutput([[{ cxcywh: [50, 60, 20, 40], scores: [0.6, 0.5, 0.9] }, { cxcywh: [200, 60, 20, 40], scores: [0.2, 0, 0] }]], layout);
    const kept = decodeYolo(out, opts({ keepClasses: new Set(['person', 'bicycle']) }));
    expect(kept.map((d) => d.label)).toEqual(['person', 'bicycle']);
    expect(kept[0].box).not.toBe(kept[1].box); // each detection owns its box
    expect(decodeYolo(out, opts()).map((d) => d.label)).toEqual(['car', 'person', 'bicycle']);
    expect(decodeYolo(out, opts({ scoreThreshold: 0.1, keepClasses: new Set(['person']) })).map((d) => d.score.toFixed(1))).toEqual(['0.6', '0.2']);
  });

  it('clips boxes to the input', () => {
    const out = yoloOutput([[{ cxcywh: [630, 5, 40, 30], scores: [0.9, 0, 0] }]], layout);
    expectBox(decodeYolo(out, opts())[0], [610, 0, 640, 20]);
  });

  it('decodes each image of a batch', () => {
    const out = yoloOutput(
      [
        [{ cxcywh: [100, 100, 20, 20], scores: [0.9, 0, 0] }, nothing],
        [nothing, { cxcywh: [300, 300, 10, 30], scores: [0, 0, 0.7] }],
      ],
      layout,
    );
    const [first, second] = decodeBatch(decoders.yolov8, out, opts());
    expect(first.map((d) => d.label)).toEqual(['person']);
    expect(second.map((d) => d.label)).toEqual(['car']);
    expectBox(second[0], [295, 285, 305, 315]);
  });
});

describe('decodeYolo shapes', () => {
  it('prefers channels-first when both readings fit (anchors = 4 + C)', () => {
    const anchors: Anchor[] = Array.from({ length: CH }, (_, i) => ({ cxcywh: [10 + 50 * i, 100, 20, 20], scores: [i === 2 ? 0.9 : 0, 0, 0] }));
    const [d] = decodeYolo(yoloOutput([anchors], 'channels-first'), opts());
    expectBox(d, [100, 90, 120, 110]);
  });

  it('rejects dims that match the class count nowhere, naming both', () => {
    const out = { output0: { data: new Float32Array(8 * 10), dims: [1, 8, 10] } };
    expect(() => decodeYolo(out, opts())).toThrow(/dims \[1, 8, 10\].*4 \+ 3 = 7/);
    expect(() => decodeYolo(out, opts({ outputNames: ['boxes'] }))).toThrow(/no output named "boxes" \(outputs present: output0\)/);
    expect(() => decodeYolo(out, opts({ outputNames: ['a', 'b'] }))).toThrow(/exactly one output name/);
  });
});
