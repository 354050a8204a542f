/**
 * What is specific to NanoDet: its pixel normalisation, its head outputs (per stride, 80
 * sigmoid class scores and 4 x 11 distance bins), and the COCO class names it was trained on.
 */
import type { Dim } from '../onnx/proto.ts';
import { emitOnnx, prepareGraph, type EmitResult } from './emit.ts';
import type { TfGraph } from './tfjs-graph.ts';

/** NanoDet normalises BGR pixels with these (in B, G, R order). */
export const NANODET_MEAN = [103.53, 116.28, 123.675] as const;
export const NANODET_STD = [57.375, 57.12, 58.395] as const;
export const NANODET_STRIDES = [8, 16, 32] as const;
export const NANODET_REG_CHANNELS = 44; // 4 sides x 11 bins

/** The 80 COCO detection classes in their standard index order. */
export const COCO_CLASSES: readonly string[] = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed',
  'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven',
  'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush',
];

export interface NanoDetOnnx extends EmitResult {
  /** Output names in decoder order: cls_8, reg_8, cls_16, reg_16, cls_32, reg_32. */
  outputs: string[];
  /** The size the TF.js graph was traced at (the default input size). */
  inputWidth: number;
  inputHeight: number;
}

/**
 * Converts the NanoDet TF.js graph. Its outputs are matched to (kind, stride) by shape, not by
 * TF name: [1, cells, 80] are class scores, [1, cells, 44] box bins, and cells = (H/s) x (W/s).
 */
export function convertNanoDet(graph: TfGraph, opts: { dynamicSize: boolean; producerVersion: string; source?: string }): NanoDetOnnx {
  const placeholder = graph.inputs[0];
  if (!placeholder || placeholder.shape.length !== 4 || placeholder.shape[1] !== 3) {
    throw new Error(`NanoDet graph: expected an NCHW [1,3,H,W] input, found ${JSON.stringify(graph.inputs)}`);
  }
  const [, , height, width] = placeholder.shape;
  const prepared = prepareGraph(graph);
  const byRole = new Map<string, string>();
  for (const tfName of graph.outputs) {
    const shape = prepared.shapes.get(tfName);
    if (!shape || shape.length !== 3) throw new Error(`NanoDet graph: output ${tfName} has shape ${JSON.stringify(shape)}, expected [1, cells, channels]`);
    const [, cells, channels] = shape;
    const stride = NANODET_STRIDES.find((s) => (height / s) * (width / s) === cells);
    const kind = channels === COCO_CLASSES.length ? 'cls' : channels === NANODET_REG_CHANNELS ? 'reg' : undefined;
    if (!stride || !kind) throw new Error(`NanoDet graph: output ${tfName} [${shape.join(',')}] matches no head level`);
    byRole.set(`${kind}_${stride}`, tfName);
  }
  const outputs = NANODET_STRIDES.flatMap((s) =>
    (['cls', 'reg'] as const).map((kind) => {
      const name = `${kind}_${s}`;
      const tfName = byRole.get(name);
      if (!tfName) throw new Error(`NanoDet graph: no output for ${name}`);
      const cells: Dim = opts.dynamicSize ? `cells_${s}` : (height / s) * (width / s);
      return { tfName, name, shape: ['N', cells, kind === 'cls' ? COCO_CLASSES.length : NANODET_REG_CHANNELS] as Dim[] };
    }),
  );
  const result = emitOnnx(prepared, {
    inputName: 'images',
    placeholderLayout: 'NCHW',
    mean: NANODET_MEAN,
    std: NANODET_STD,
    dynamicSize: opts.dynamicSize,
    outputs,
    producerVersion: opts.producerVersion,
    docString: `NanoDet-m (COCO) converted from TF.js by byliv-models${opts.source ? `; source ${opts.source}` : ''}. Input: uint8 BGR NHWC pixels.`,
  });
  return { ...result, outputs: outputs.map((o) => o.name), inputWidth: width, inputHeight: height };
}
