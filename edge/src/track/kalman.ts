/**
 * Constant-velocity Kalman filter of a box, as in SORT / DeepSORT / ByteTrack: state
 * (cx, cy, a, h) plus their velocities, a = width / height, noise scaled by the box height.
 *
 * F, Q, R of that 8-d filter are block-diagonal in the pairs (cx, vcx), (cy, vcy), (a, va),
 * (h, vh), and the initial covariance is diagonal, so the covariance stays block-diagonal
 * forever: the filter is exactly four independent 2-state filters. Storing it that way gives
 * the same numbers without a matrix library and without allocating per frame.
 *
 * Time: velocities are per `step` (default 1/30 s, the frame interval the published noise
 * weights were tuned at); `predict(steps)` takes fractional steps, so dropped frames and
 * other frame rates move the box by the elapsed time and grow the uncertainty with it.
 */
import type { BoxXYXY } from '../types.ts';

export interface KalmanOptions {
  /** Position noise as a fraction of the box height (SORT/DeepSORT: 1/20). */
  positionWeight?: number;
  /** Velocity noise as a fraction of the box height per step (SORT/DeepSORT: 1/160). */
  velocityWeight?: number;
  /**
   * Measurement noise (of a detected box's centre and height) as a fraction of the box
   * height. SORT/DeepSORT tie it to positionWeight; apart, the detector's jitter and the
   * walker's unpredictability can be set each on its own. Default: positionWeight.
   */
  measurementWeight?: number;
}

const DIMS = 4; // cx, cy, a, h
const SLOT = 5; // per dimension: x, v, p00 (var x), p01 (cov x v), p11 (var v)
const X = 0;
const V = 1;
const P00 = 2;
const P01 = 3;
const P11 = 4;
const A = 2; // dimension index of the aspect ratio
const H = 3; // dimension index of the height

export class BoxKalman {
  private readonly s = new Float64Array(DIMS * SLOT);
  private readonly wp: number;
  private readonly wv: number;
  private readonly wm: number;

  constructor(box: BoxXYXY, options: KalmanOptions = {}) {
    this.wp = options.positionWeight ?? 1 / 20;
    this.wv = options.velocityWeight ?? 1 / 160;
    this.wm = options.measurementWeight ?? this.wp;
    const z = measure(box);
    const h = z[H];
    for (let d = 0; d < DIMS; d++) {
      const o = d * SLOT;
      const sp = d === A ? 1e-2 : 2 * this.wp * h;
      const sv = d === A ? 1e-5 : 10 * this.wv * h;
      this.s[o + X] = z[d];
      this.s[o + V] = 0;
      this.s[o + P00] = sp * sp;
      this.s[o + P01] = 0;
      this.s[o + P11] = sv * sv;
    }
  }

  /** Move the state `steps` steps ahead (may be fractional or 0). */
  predict(steps: number): void {
    if (steps <= 0) return;
    const h = this.s[H * SLOT + X];
    for (let d = 0; d < DIMS; d++) {
      const o = d * SLOT;
      const sp = d === A ? 1e-2 : this.wp * h;
      const sv = d === A ? 1e-5 : this.wv * h;
      const p00 = this.s[o + P00];
      const p01 = this.s[o + P01];
      const p11 = this.s[o + P11];
      this.s[o + X] += steps * this.s[o + V];
      // P ← F P Fᵀ + Q·steps with F = [[1, steps], [0, 1]]
      this.s[o + P00] = p00 + 2 * steps * p01 + steps * steps * p11 + sp * sp * steps;
      this.s[o + P01] = p01 + steps * p11;
      this.s[o + P11] = p11 + sv * sv * steps;
    }
  }

  /** Correct the state with a measured box. */
  update(box: BoxXYXY): void {
    const z = measure(box);
    const h = this.s[H * SLOT + X];
    for (let d = 0; d < DIMS; d++) {
      const o = d * SLOT;
      const sr = d === A ? 1e-1 : this.wm * h;
      const p00 = this.s[o + P00];
      const p01 = this.s[o + P01];
      const p11 = this.s[o + P11];
      const S = p00 + sr * sr;
      const k0 = p00 / S;
      const k1 = p01 / S;
      const innovation = z[d] - this.s[o + X];
      this.s[o + X] += k0 * innovation;
      this.s[o + V] += k1 * innovation;
      this.s[o + P00] = (1 - k0) * p00;
      this.s[o + P01] = (1 - k0) * p01;
      this.s[o + P11] = p11 - k1 * p01;
    }
  }

  /**
   * A track that is not being seen should not keep growing or shrinking (ByteTrack zeroes
   * the height velocity of lost tracks before predicting them).
   */
  holdHeight(): void {
    this.s[H * SLOT + V] = 0;
  }

  /** The current box estimate as `[x1, y1, x2, y2]`, written into `out` if given. */
  box(out: BoxXYXY = [0, 0, 0, 0]): BoxXYXY {
    const cx = this.s[0 * SLOT + X];
    const cy = this.s[1 * SLOT + X];
    const h = this.s[H * SLOT + X];
    const w = this.s[A * SLOT + X] * h;
    out[0] = cx - w / 2;
    out[1] = cy - h / 2;
    out[2] = cx + w / 2;
    out[3] = cy + h / 2;
    return out;
  }

  /** Velocity of the box centre in pixels per step. */
  velocity(): [number, number] {
    return [this.s[0 * SLOT + V], this.s[1 * SLOT + V]];
  }
}

const scratch = new Float64Array(DIMS);
/** Box → (cx, cy, a, h) into a shared scratch array (read immediately, never kept). */
function measure(b: BoxXYXY): Float64Array {
  const w = b[2] - b[0];
  const h = b[3] - b[1];
  scratch[0] = b[0] + w / 2;
  scratch[1] = b[1] + h / 2;
  scratch[2] = h > 0 ? w / h : 0;
  scratch[3] = h;
  return scratch;
}
