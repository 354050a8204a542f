/**
 * YOLOv8 / YOLO11 (Ultralytics export) outputs -> boxes. One output holding, per anchor,
 * cx, cy, w, h in input pixels and then C class scores (no objectness). The export writes it
 * channels-first, [N, 4 + C, anchors]; some tools transpose it to [N, anchors, 4 + C].
 */
import { clamp, labelOf, nms, requireOutput, topCandidates, wantedClasses } from './nms.ts';
import { DEFAULT_IOU_THRESHOLD, DEFAULT_MAX_CANDIDATES, type DecodeOptions, type DecoderOutputs, type RawDetection } from './types.ts';

export function decodeYolo(outputs: DecoderOutputs, opts: DecodeOptions): RawDetection[] {
  const name = opts.outputNames[0];
  if (opts.outputNames.length !== 1 || name === undefined) {
    throw new Error(`yolov8 decoder: expected exactly one output name, got ${opts.outputNames.length}: ${opts.outputNames.join(', ')}`);
  }
  const out = requireOutput(outputs, name, 'yolov8');
  const classCount = opts.classes.length;
  const channels = 4 + classCount;
  const dims = out.dims;
  if (dims.length !== 3) throw new Error(`yolov8 decoder: output "${name}" has dims [${dims.join(', ')}], expected [N, ${channels}, anchors] or [N, anchors, ${channels}]`);
  const [batch, d1, d2] = dims;
  // Channels-first is what the Ultralytics export writes, so it wins when both readings fit.
  const channelsFirst = d1 === channels;
  if (!channelsFirst && d2 !== channels) {
    throw new Error(`yolov8 decoder: output "${name}" has dims [${dims.join(', ')}]; with ${classCount} classes one of dims[1], dims[2] must be 4 + ${classCount} = ${channels}`);
  }
  const anchors = channelsFirst ? d2 : d1;
  const batchIndex = opts.batchIndex ?? 0;
  if (batchIndex < 0 || batchIndex >= batch) throw new Error(`yolov8 decoder: batch index ${batchIndex} outside the batch of ${batch}`);

  const data = out.data;
  const base = batchIndex * anchors * channels;
  // Element (channel k, anchor a) of this image.
  const chStride = channelsFirst ? anchors : 1;
  const anStride = channelsFirst ? 1 : channels;
  const wanted = wantedClasses(opts, classCount);
  const classList: number[] = [];
  for (let c = 0; c < classCount; c++) if (wanted[c]) classList.push(c);
  const { inputWidth: width, inputHeight: height, scoreThreshold } = opts;
  const candidates: RawDetection[] = [];

  for (let a = 0; a < anchors; a++) {
    const at = base + a * anStride;
    let box: [number, number, number, number] | undefined;
    for (const c of classList) {
      const score = data[at + (4 + c) * chStride];
      if (!(score >= scoreThreshold)) continue;
      if (!box) {
        const cx = data[at];
        const cy = data[at + chStride];
        const hw = data[at + 2 * chStride] / 2;
        const hh = data[at + 3 * chStride] / 2;
        box = [clamp(cx - hw, 0, width), clamp(cy - hh, 0, height), clamp(cx + hw, 0, width), clamp(cy + hh, 0, height)];
        if (box[2] <= box[0] || box[3] <= box[1]) break;
      }
      // Each detection owns its box: callers map boxes in place.
      candidates.push({ box: [box[0], box[1], box[2], box[3]], score, classIndex: c, label: labelOf(opts.classes, c) });
    }
  }
  return nms(topCandidates(candidates, opts.maxCandidates ?? DEFAULT_MAX_CANDIDATES), opts.iouThreshold ?? DEFAULT_IOU_THRESHOLD);
}
