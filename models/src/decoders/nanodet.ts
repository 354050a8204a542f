/**
 * NanoDet (GFL head) outputs -> boxes. Per stride s in 8, 16, 32 the model gives a pair:
 *   cls_s [N, cells, C]: class scores, already through a sigmoid;
 *   reg_s [N, cells, 4 * 11]: for each side (left, top, right, bottom) 11 logits over the
 *     distances 0..10 strides; the distance is the softmax expectation times the stride.
 * Cells run row-major over a ceil(W/s) x ceil(H/s) grid and each measures from its centre.
 */
import { clamp, labelOf, nms, requireOutput, topCandidates, wantedClasses } from './nms.ts';
import { DEFAULT_IOU_THRESHOLD, DEFAULT_MAX_CANDIDATES, type DecodeOptions, type DecoderOutputs, type RawDetection } from './types.ts';

const LEVEL_STRIDES = [8, 16, 32] as const;
const BINS = 11;
const SIDES = 4;

export interface NanoDetDecodeOptions extends DecodeOptions {
  /**
   * Where a cell's centre sits, in strides from its corner: ((x + offset) * s, (y + offset) * s).
   * 0.5 (the default) was checked against PETS ground truth with the converted NanoDet-m; see
   * bench/detector.ts `--centre`.
   */
  centerOffset?: number;
}

/** Expected distance (in bins) of one side: softmax over its 11 logits, then sum(p_i * i). */
function expectedBin(reg: Float32Array, at: number): number {
  let max = reg[at];
  for (let i = 1; i < BINS; i++) if (reg[at + i] > max) max = reg[at + i];
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < BINS; i++) {
    const e = Math.exp(reg[at + i] - max);
    sum += e;
    weighted += e * i;
  }
  return weighted / sum;
}

function checkDims(name: string, dims: readonly number[], expected: readonly number[]): void {
  if (dims.length !== expected.length || dims.some((d, i) => d !== expected[i])) {
    throw new Error(`nanodet decoder: output "${name}" has dims [${dims.join(', ')}], expected [${expected.join(', ')}]`);
  }
}

export function decodeNanoDet(outputs: DecoderOutputs, opts: NanoDetDecodeOptions): RawDetection[] {
  const { inputWidth: width, inputHeight: height, scoreThreshold } = opts;
  if (opts.outputNames.length !== LEVEL_STRIDES.length * 2) {
    throw new Error(`nanodet decoder: expected ${LEVEL_STRIDES.length * 2} output names (cls, reg per stride ${LEVEL_STRIDES.join('/')}), got ${opts.outputNames.length}: ${opts.outputNames.join(', ')}`);
  }
  const offset = opts.centerOffset ?? 0.5;
  const batchIndex = opts.batchIndex ?? 0;
  const candidates: RawDetection[] = [];

  for (let level = 0; level < LEVEL_STRIDES.length; level++) {
    const stride = LEVEL_STRIDES[level];
    const clsName = opts.outputNames[level * 2];
    const regName = opts.outputNames[level * 2 + 1];
    const cls = requireOutput(outputs, clsName, 'nanodet');
    const reg = requireOutput(outputs, regName, 'nanodet');
    const gridW = Math.ceil(width / stride);
    const gridH = Math.ceil(height / stride);
    const cells = gridW * gridH;
    const batch = cls.dims[0];
    const classCount = cls.dims[2];
    checkDims(clsName, cls.dims, [batch, cells, classCount]);
    checkDims(regName, reg.dims, [batch, cells, SIDES * BINS]);
    if (batchIndex < 0 || batchIndex >= batch) throw new Error(`nanodet decoder: batch index ${batchIndex} outside the batch of ${batch}`);

    const wanted = wantedClasses(opts, classCount);
    const classList: number[] = [];
    for (let c = 0; c < classCount; c++) if (wanted[c]) classList.push(c);
    const scores = cls.data;
    const regs = reg.data;
    const clsBase = batchIndex * cells * classCount;
    const regBase = batchIndex * cells * SIDES * BINS;

    for (let cell = 0; cell < cells; cell++) {
      const at = clsBase + cell * classCount;
      // The box is decoded only for cells where some wanted class passes the threshold:
      // most cells hold nothing, and the softmaxes are the expensive part.
      let box: [number, number, number, number] | undefined;
      for (const c of classList) {
        const score = scores[at + c];
        if (!(score >= scoreThreshold)) continue;
        if (!box) {
          const cx = ((cell % gridW) + offset) * stride;
          const cy = (Math.floor(cell / gridW) + offset) * stride;
          const r = regBase + cell * SIDES * BINS;
          box = [
            clamp(cx - expectedBin(regs, r) * stride, 0, width),
            clamp(cy - expectedBin(regs, r + BINS) * stride, 0, height),
            clamp(cx + expectedBin(regs, r + 2 * BINS) * stride, 0, width),
            clamp(cy + expectedBin(regs, r + 3 * BINS) * stride, 0, height),
          ];
          if (box[2] <= box[0] || box[3] <= box[1]) break; // nothing left inside the image
        }
        // Each detection owns its box: callers map boxes in place.
        candidates.push({ box: [box[0], box[1], box[2], box[3]], score, classIndex: c, label: labelOf(opts.classes, c) });
      }
    }
  }
  return nms(topCandidates(candidates, opts.maxCandidates ?? DEFAULT_MAX_CANDIDATES), opts.iouThreshold ?? DEFAULT_IOU_THRESHOLD);
}
