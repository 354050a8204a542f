/**
 * Raw frames -> the model's input tensor data, as the manifest's `input` describes it.
 * Frames arrive from ffmpeg already scaled and in the manifest's pixel format, so channel
 * order never needs swapping here; mean/std are given in that same channel order.
 */
import type { ModelInput } from '@byliv/models';

export type InputData = { dtype: 'uint8'; data: Uint8Array; dims: number[] } | { dtype: 'float32'; data: Float32Array; dims: number[] };

/**
 * Builds the input for a batch of same-size interleaved frames. A single uint8 NHWC frame is
 * passed through without a copy (the default model normalises inside its graph), which keeps
 * the per-frame cost of the edge agent at one ffmpeg buffer.
 */
export function inputData(frames: readonly Uint8Array[], input: ModelInput, width: number, height: number): InputData {
  const batch = frames.length;
  const dims = input.layout === 'NHWC' ? [batch, height, width, 3] : [batch, 3, height, width];
  const plane = width * height;
  const frameBytes = plane * 3;
  frames.forEach((f, i) => {
    if (f.length !== frameBytes) throw new Error(`frame ${i} of the batch has ${f.length} bytes, expected ${width} x ${height} x 3 = ${frameBytes}`);
  });

  if (input.dtype === 'uint8') {
    if (input.layout === 'NHWC') {
      if (batch === 1) return { dtype: 'uint8', data: frames[0], dims };
      const data = new Uint8Array(batch * frameBytes);
      frames.forEach((f, i) => data.set(f, i * frameBytes));
      return { dtype: 'uint8', data, dims };
    }
    const data = new Uint8Array(batch * frameBytes);
    frames.forEach((f, i) => toPlanar(f, data, i * frameBytes, plane, (v) => v));
    return { dtype: 'uint8', data, dims };
  }

  const mean = input.mean ?? [0, 0, 0];
  const std = input.std ?? [1, 1, 1];
  const scale = std.map((s) => 1 / s);
  const data = new Float32Array(batch * frameBytes);
  frames.forEach((f, i) => {
    const base = i * frameBytes;
    if (input.layout === 'NCHW') {
      toPlanar(f, data, base, plane, (v, c) => (v - mean[c]) * scale[c]);
    } else {
      for (let p = 0; p < frameBytes; p += 3) {
        data[base + p] = (f[p] - mean[0]) * scale[0];
        data[base + p + 1] = (f[p + 1] - mean[1]) * scale[1];
        data[base + p + 2] = (f[p + 2] - mean[2]) * scale[2];
      }
    }
  });
  return { dtype: 'float32', data, dims };
}

/** Interleaved HWC -> planar CHW, channel c of pixel p at c * plane + p. */
function toPlanar(src: Uint8Array, dst: Uint8Array | Float32Array, base: number, plane: number, map: (v: number, c: number) => number): void {
  for (let c = 0; c < 3; c++) {
    const out = base + c * plane;
    for (let p = 0; p < plane; p++) dst[out + p] = map(src[p * 3 + c], c);
  }
}
