/**
 * Motion gating (Frigate's approach): a cheap look at the already-downscaled frame decides
 * whether anything moved since a slowly updated reference. Pure: pixels in, a verdict out,
 * with only the reference as state.
 *
 * The frame is averaged into a coarse grayscale grid first: block means wash out sensor and
 * compression noise that a per-pixel difference would call motion, and keep the check to a
 * few thousand cells whatever the model's input size.
 */

export interface MotionGateOptions {
  /** Cells across the grid (rows follow the frame's aspect). Default 64. */
  gridWidth?: number;
  /** A cell has changed when its mean gray level differs from the reference by more (0–255). Default 12. */
  cellThreshold?: number;
  /** The frame moved when more than this share of the cells changed. Default 0.002 (8 cells of 64 × 48). */
  minChangedFraction?: number;
  /**
   * How fast the reference follows the frames (0–1 per frame). Slow, so that someone who
   * stops for a moment still differs from it; fast enough that light changing over minutes
   * does not keep the gate open. Default 0.05.
   */
  referenceRate?: number;
}

export interface GrayGrid {
  cols: number;
  rows: number;
  /** Mean gray level (0–255) of each cell, row by row. */
  cells: Float32Array;
}

/** Block means of an interleaved 3-byte frame (RGB or BGR: the gray level is their plain mean). */
export function grayGrid(pixels: Uint8Array, width: number, height: number, gridWidth: number): GrayGrid {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new Error(`motion gate: frame size ${width}×${height} is not a positive whole size`);
  if (pixels.length !== width * height * 3) throw new Error(`motion gate: a ${width}×${height} frame has ${width * height * 3} bytes (3 a pixel), got ${pixels.length}`);
  const cols = Math.max(1, Math.min(width, Math.round(gridWidth)));
  const rows = Math.max(1, Math.min(height, Math.round((cols * height) / width)));
  const sums = new Float64Array(cols * rows);
  const counts = new Uint32Array(cols * rows);
  for (let y = 0; y < height; y++) {
    const row = Math.min(rows - 1, Math.floor((y * rows) / height)) * cols;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const cell = row + Math.min(cols - 1, Math.floor((x * cols) / width));
      sums[cell] += pixels[i] + pixels[i + 1] + pixels[i + 2];
      counts[cell]++;
    }
  }
  const cells = new Float32Array(cols * rows);
  for (let c = 0; c < cells.length; c++) cells[c] = sums[c] / (3 * counts[c]);
  return { cols, rows, cells };
}

/** Share of cells whose levels differ by more than `threshold`. */
export function changedFraction(a: Float32Array, b: Float32Array, threshold: number): number {
  if (a.length !== b.length) throw new Error(`motion gate: grids of ${a.length} and ${b.length} cells cannot be compared`);
  let changed = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > threshold) changed++;
  return changed / a.length;
}

export class MotionGate {
  private readonly gridWidth: number;
  private readonly cellThreshold: number;
  private readonly minChangedFraction: number;
  private readonly referenceRate: number;
  private reference: Float32Array | undefined;
  private size = '';

  constructor(options: MotionGateOptions = {}) {
    this.gridWidth = options.gridWidth ?? 64;
    this.cellThreshold = options.cellThreshold ?? 12;
    this.minChangedFraction = options.minChangedFraction ?? 0.002;
    this.referenceRate = options.referenceRate ?? 0.05;
    if (!(this.gridWidth >= 1)) throw new Error(`motion gate: gridWidth must be at least 1, got ${this.gridWidth}`);
    if (!(this.referenceRate > 0 && this.referenceRate <= 1)) throw new Error(`motion gate: referenceRate must be in (0, 1], got ${this.referenceRate}`);
  }

  /**
   * Whether this frame moved against the reference; the reference then takes a step towards
   * it. The first frame (and the first after a change of frame size) always counts as moved.
   */
  moved(pixels: Uint8Array, width: number, height: number): boolean {
    const { cells } = grayGrid(pixels, width, height, this.gridWidth);
    const size = `${width}x${height}`;
    if (this.reference === undefined || size !== this.size) {
      this.reference = cells;
      this.size = size;
      return true;
    }
    const moved = changedFraction(cells, this.reference, this.cellThreshold) > this.minChangedFraction;
    const ref = this.reference;
    for (let i = 0; i < ref.length; i++) ref[i] += this.referenceRate * (cells[i] - ref[i]);
    return moved;
  }
}
