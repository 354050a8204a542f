/**
 * Area-average downscaling of interleaved 3-channel frames: each output pixel is the mean of
 * the input pixels its footprint covers (partly covered pixels weighted by the covered
 * part), so a frame shrunk for the coarse detector pass is not aliased. Separable: rows
 * first, then columns. Pure; used on frames ffmpeg already scaled to the fine size.
 */

/** Per output index: the first input index it covers and the weight of each covered input. */
interface Footprint {
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  /** Offset of each output's weights in `weights`. */
  offset: Int32Array;
}

function footprints(inSize: number, outSize: number): Footprint {
  const ratio = inSize / outSize;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const offset = new Int32Array(outSize);
  const all: number[] = [];
  for (let o = 0; o < outSize; o++) {
    const from = o * ratio;
    const to = from + ratio;
    const first = Math.floor(from);
    const last = Math.min(inSize - 1, Math.ceil(to) - 1);
    start[o] = first;
    count[o] = last - first + 1;
    offset[o] = all.length;
    for (let i = first; i <= last; i++) all.push((Math.min(to, i + 1) - Math.max(from, i)) / ratio);
  }
  return { start, count, weights: Float32Array.from(all), offset };
}

export function resizeArea(src: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Uint8Array {
  if (src.length !== width * height * 3) throw new Error(`resize: ${src.length} bytes is not a ${width}x${height} 3-channel frame`);
  if (outWidth > width || outHeight > height || outWidth < 1 || outHeight < 1) {
    throw new Error(`resize: ${width}x${height} -> ${outWidth}x${outHeight} is not a downscale`);
  }
  const fx = footprints(width, outWidth);
  const fy = footprints(height, outHeight);
  // Rows first: height × outWidth × 3, kept in floats so rounding happens once.
  const rows = new Float32Array(height * outWidth * 3);
  for (let y = 0; y < height; y++) {
    const inRow = y * width * 3;
    const outRow = y * outWidth * 3;
    for (let o = 0; o < outWidth; o++) {
      let r = 0;
      let g = 0;
      let b = 0;
      const w0 = fx.offset[o];
      for (let k = 0; k < fx.count[o]; k++) {
        const w = fx.weights[w0 + k];
        const p = inRow + (fx.start[o] + k) * 3;
        r += src[p] * w;
        g += src[p + 1] * w;
        b += src[p + 2] * w;
      }
      rows[outRow + o * 3] = r;
      rows[outRow + o * 3 + 1] = g;
      rows[outRow + o * 3 + 2] = b;
    }
  }
  const out = new Uint8Array(outWidth * outHeight * 3);
  const stride = outWidth * 3;
  const acc = new Float32Array(stride);
  for (let o = 0; o < outHeight; o++) {
    acc.fill(0);
    const w0 = fy.offset[o];
    for (let k = 0; k < fy.count[o]; k++) {
      const w = fy.weights[w0 + k];
      const inRow = (fy.start[o] + k) * stride;
      for (let x = 0; x < stride; x++) acc[x] += rows[inRow + x] * w;
    }
    const outRow = o * stride;
    // Uint8Array assignment truncates; + 0.5 rounds to nearest.
    for (let x = 0; x < stride; x++) out[outRow + x] = Math.min(255, acc[x] + 0.5);
  }
  return out;
}
